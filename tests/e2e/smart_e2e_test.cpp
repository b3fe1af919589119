// SMART on FHIR end to end: the real fhir-serve (--dev --demo) over real HTTPS, driven by a real
// HTTP client the way an app and a script-driven browser would: registration, the authorize pages
// (login, patient picker, consent), the token endpoint with every client authentication method,
// refresh rotation, backend services (RS384 and ES384 assertions), introspection, revocation, and
// the attacks the issue lists. Administrator steps (enabling a client, making an EHR launch) use
// lib/auth on the same data directory, as fhirctl does.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "auth/auth_service.hpp"
#include "e2e/server_process.hpp"
#include "e2e/smart_support.hpp"
#include "rest/oauth/endpoints.hpp"
#include "store/data_dir.hpp"
#include "store/resource_store.hpp"

namespace {

using smart::Fields;
using smart::json;

constexpr const char* kRedirect = "https://app.example.org/callback";

// Runs `fn` with lib/auth over a server's data directory (an administrator's action, as fhirctl).
template <class Fn>
void admin(const std::filesystem::path& data_dir, const std::string& root, Fn fn) {
  auto db = store::open_data_dir(data_dir);
  ASSERT_TRUE(db.ok()) << db.error().message;
  auth::AuthConfig config;
  rest::oauth::set_urls(config, root);
  auto svc = auth::AuthService::open(**db, nullptr, config);
  ASSERT_TRUE(svc.ok()) << svc.error().message;
  fn(**svc);
}

class SmartE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new e2e::ServerProcess({"--dev", "--demo"});
    if (!server_->started()) return;
    std::ifstream in(server_->data_dir() / "demo-credentials.json");
    std::stringstream ss;
    ss << in.rdbuf();
    creds_ = json::parse(ss.str(), nullptr, false);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(server_ && server_->started()) << (server_ ? server_->log() : "");
    ASSERT_TRUE(creds_.is_object()) << "demo-credentials.json missing or not JSON";
    c_ = smart::https(server_->port());
  }

  static std::string root() { return "https://127.0.0.1:" + std::to_string(server_->port()); }
  static std::string base() { return root() + "/r4"; }
  static std::string token_url() { return root() + "/oauth2/token"; }

  // Runs `fn` with lib/auth over the server's data directory (an administrator's action).
  template <class Fn>
  static void as_admin(Fn fn) {
    admin(server_->data_dir(), root(), fn);
  }
  // A stored resource, read from the data directory (null when absent).
  static json read_resource(const std::string& type, const std::string& id) {
    auto db = store::open_data_dir(server_->data_dir());
    if (!db.ok()) return {};
    store::ResourceStore resources(**db);
    auto r = resources.read(type, id);
    return r.ok() ? json::parse(r->json, nullptr, false) : json();
  }
  static void enable(const std::string& client_id) {
    as_admin([&](auth::AuthService& s) { ASSERT_TRUE(s.clients->enable(client_id).ok()); });
  }

  json register_app(const json& metadata, int expect_status = 201) {
    auto r = smart::post_json(*c_, "/oauth2/register", metadata);
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, expect_status) << r->body;
    return json::parse(r->body, nullptr, false);
  }

  json public_patient_app() {
    return register_app({{"client_name", "Patient app"},
                         {"redirect_uris", {kRedirect}},
                         {"token_endpoint_auth_method", "none"},
                         {"grant_types", {"authorization_code", "refresh_token"}},
                         {"scope", "openid fhirUser launch/patient offline_access patient/Patient.read "
                                   "patient/Observation.read"}});
  }

  httplib::Result authorize(const std::string& client_id, const std::string& scope, const std::string& verifier,
                            Fields extra = {}) {
    Fields f = {{"response_type", "code"}, {"client_id", client_id}, {"redirect_uri", kRedirect},
                {"scope", scope},          {"state", "state-123"},  {"aud", base()},
                {"nonce", "nonce-456"}};
    if (!verifier.empty()) {
      f.emplace_back("code_challenge", smart::s256(verifier));
      f.emplace_back("code_challenge_method", "S256");
    }
    for (auto& [k, v] : extra) {
      bool replaced = false;
      for (auto& [fk, fv] : f) {
        if (fk == k) {
          fv = v;
          replaced = true;
        }
      }
      if (!replaced) f.emplace_back(k, v);
    }
    return c_->Get(("/oauth2/authorize?" + smart::form(f)).c_str());
  }

  httplib::Result post_page(const httplib::Result& page, Fields fields) {
    fields.insert(fields.begin(), {"request_id", smart::request_id(page->body)});
    return smart::post_form(*c_, "/oauth2/authorize", fields);
  }

  httplib::Result login(const httplib::Result& page, const std::string& user, const std::string& password) {
    return post_page(page, {{"username", user}, {"password", password}});
  }

  // Ticks every scope checkbox of the consent page and allows.
  httplib::Result allow_all(const httplib::Result& consent) {
    Fields f;
    static const std::regex re(R"re(name="scope" value="([^"]+)")re");
    for (std::sregex_iterator it(consent->body.begin(), consent->body.end(), re), end; it != end; ++it) {
      f.emplace_back("scope", (*it)[1].str());
    }
    f.emplace_back("decision", "allow");
    return post_page(consent, f);
  }

  // The whole standalone launch as the first demo patient; returns the code.
  std::string patient_code(const std::string& client_id, const std::string& scope, const std::string& verifier) {
    auto page = authorize(client_id, scope, verifier);
    EXPECT_TRUE(page && page->status == 200) << (page ? page->body : "no response");
    auto consent = login(page, creds_["patients"][0]["username"], creds_["patients"][0]["password"]);
    EXPECT_TRUE(consent && consent->status == 200) << (consent ? consent->body : "no response");
    auto done = allow_all(consent);
    EXPECT_TRUE(done && done->status == 302) << (done ? done->body : "no response");
    if (!done || done->status != 302) return {};
    return smart::query_of(done->get_header_value("Location"))["code"];
  }

  httplib::Result exchange(const std::string& code, const std::string& client_id, const std::string& verifier,
                           Fields extra = {}, httplib::Headers headers = {}) {
    Fields f = {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kRedirect}};
    if (!client_id.empty()) f.emplace_back("client_id", client_id);
    if (!verifier.empty()) f.emplace_back("code_verifier", verifier);
    f.insert(f.end(), extra.begin(), extra.end());
    return smart::post_form(*c_, "/oauth2/token", f, headers);
  }

  httplib::Result fhir_get(const std::string& path, const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return c_->Get(("/r4" + path).c_str(), h);
  }

  httplib::Result userinfo(const std::string& token) {
    return c_->Get("/oauth2/userinfo", {{"Authorization", "Bearer " + token}});
  }

  // True once the FHIR API refuses requests without a token (the bearer guard is in the build).
  bool guard_enforced() {
    auto r = fhir_get("/Patient?_count=1", "");
    return r && r->status == 401;
  }

  static inline e2e::ServerProcess* server_ = nullptr;
  static inline json creds_;
  std::unique_ptr<httplib::SSLClient> c_;
};

TEST_F(SmartE2E, DemoWritesCredentialsFilePrivately) {
  const auto file = server_->data_dir() / "demo-credentials.json";
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_TRUE(creds_["clinician"]["username"].is_string());
  EXPECT_TRUE(creds_["clinician"]["password"].is_string());
  EXPECT_TRUE(creds_["admin"]["username"].is_string());
  ASSERT_EQ(creds_["patients"].size(), 3u);
  for (const auto& p : creds_["patients"]) {
    EXPECT_TRUE(p["patient"].is_string() && p["username"].is_string() && p["password"].is_string()) << p.dump();
    EXPECT_EQ(read_resource("Patient", p["patient"]).value("resourceType", ""), "Patient") << p.dump();
  }
}

TEST_F(SmartE2E, DiscoveryDocumentsAgreeOverHttps) {
  auto smart_cfg = smart::parse(c_->Get("/r4/.well-known/smart-configuration"));
  auto oidc = smart::parse(c_->Get("/oauth2/.well-known/openid-configuration"));
  auto cs = smart::parse(c_->Get("/r4/metadata"));
  EXPECT_EQ(smart_cfg["issuer"], base());
  EXPECT_EQ(smart_cfg["token_endpoint"], token_url());
  EXPECT_EQ(oidc["issuer"], smart_cfg["issuer"]);
  EXPECT_EQ(oidc["authorization_endpoint"], smart_cfg["authorization_endpoint"]);
  EXPECT_EQ(oidc["jwks_uri"], smart_cfg["jwks_uri"]);
  std::map<std::string, std::string> uris;
  for (const auto& e : cs["rest"][0]["security"]["extension"][0]["extension"]) uris[e["url"]] = e["valueUri"];
  EXPECT_EQ(uris["authorize"], smart_cfg["authorization_endpoint"]);
  EXPECT_EQ(uris["token"], smart_cfg["token_endpoint"]);
  EXPECT_EQ(uris["revoke"], smart_cfg["revocation_endpoint"]);
  // Public: the CapabilityStatement, discovery, JWKS, style. The FHIR API needs a token.
  for (const char* path : {"/metadata", "/r4/metadata", "/oauth2/jwks", "/oauth2/smart-style.json",
                           "/r4/.well-known/openid-configuration"}) {
    auto r = c_->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << path;
  }
  auto no_token = c_->Get("/r4/Patient?_count=1");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401);
  EXPECT_EQ(no_token->get_header_value("WWW-Authenticate").rfind("Bearer", 0), 0u);
}

TEST_F(SmartE2E, StandalonePatientLaunchWithPkceAndRefreshRotation) {
  const json app = public_patient_app();
  const std::string client_id = app["client_id"];
  EXPECT_FALSE(app.contains("client_secret"));
  const std::string verifier = smart::random_token();

  auto page = authorize(client_id, "openid fhirUser launch/patient offline_access patient/Patient.read", verifier);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  const auto& me = creds_["patients"][0];
  auto consent = login(page, me["username"], me["password"]);
  ASSERT_TRUE(consent);
  ASSERT_EQ(consent->status, 200) << consent->body;
  EXPECT_NE(consent->body.find("offline-notice"), std::string::npos);
  auto done = allow_all(consent);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 302) << done->body;
  const auto loc = done->get_header_value("Location");
  EXPECT_EQ(loc.rfind(kRedirect, 0), 0u);
  auto q = smart::query_of(loc);
  EXPECT_EQ(q["state"], "state-123");
  EXPECT_EQ(q["iss"], base());
  ASSERT_FALSE(q["code"].empty());

  auto tok = exchange(q["code"], client_id, verifier);
  ASSERT_TRUE(tok);
  ASSERT_EQ(tok->status, 200) << tok->body;
  EXPECT_EQ(tok->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(tok->get_header_value("Pragma"), "no-cache");
  const json t = json::parse(tok->body);
  EXPECT_EQ(t["token_type"], "Bearer");
  EXPECT_EQ(t["expires_in"], 3600);
  EXPECT_EQ(t["patient"], me["patient"]);
  ASSERT_TRUE(t.contains("refresh_token"));
  ASSERT_TRUE(t.contains("id_token"));
  const auto id = smart::split_jwt(t["id_token"]);
  EXPECT_EQ(id.header["alg"], "RS256");
  EXPECT_EQ(id.payload["aud"], client_id);
  EXPECT_EQ(id.payload["nonce"], "nonce-456");
  EXPECT_EQ(id.payload["iss"], base());
  EXPECT_NE(id.payload["fhirUser"].get<std::string>().find("Patient/" + me["patient"].get<std::string>()),
            std::string::npos);
  const auto at = smart::split_jwt(t["access_token"]);
  EXPECT_EQ(at.header["alg"], "RS256");
  EXPECT_TRUE(at.header.contains("kid"));

  auto own = fhir_get("/Patient/" + me["patient"].get<std::string>(), t["access_token"]);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  auto info = smart::parse(userinfo(t["access_token"]));
  EXPECT_EQ(info["fhirUser"], id.payload["fhirUser"]);

  // Refresh: a new refresh token each time, the context kept, the old refresh token dead.
  const std::string r1 = t["refresh_token"];
  auto ref = smart::post_form(*c_, "/oauth2/token",
                              {{"grant_type", "refresh_token"}, {"refresh_token", r1}, {"client_id", client_id}});
  ASSERT_TRUE(ref);
  ASSERT_EQ(ref->status, 200) << ref->body;
  const json t2 = json::parse(ref->body);
  ASSERT_TRUE(t2.contains("refresh_token"));
  EXPECT_NE(t2["refresh_token"], r1);
  EXPECT_EQ(t2["patient"], me["patient"]);
  EXPECT_NE(t2["access_token"], t["access_token"]);
  auto own2 = fhir_get("/Patient/" + me["patient"].get<std::string>(), t2["access_token"]);
  EXPECT_EQ(own2->status, 200);
  auto old = smart::post_form(*c_, "/oauth2/token",
                              {{"grant_type", "refresh_token"}, {"refresh_token", r1}, {"client_id", client_id}});
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 400);
  EXPECT_EQ(smart::parse(old)["error"], "invalid_grant");
  // Reusing a rotated token revokes the chain: the newer refresh token is dead too.
  auto newer = smart::post_form(*c_, "/oauth2/token",
                                {{"grant_type", "refresh_token"}, {"refresh_token", t2["refresh_token"]},
                                 {"client_id", client_id}});
  EXPECT_EQ(newer->status, 400);
}

TEST_F(SmartE2E, StaffLaunchWithPatientPicker) {
  const json app = register_app({{"client_name", "Clinic app"},
                                 {"redirect_uris", {kRedirect}},
                                 {"token_endpoint_auth_method", "none"},
                                 {"scope", "openid fhirUser launch/patient user/Practitioner.read patient/Patient.read "
                                           "patient/Observation.read"}});
  const std::string client_id = app["client_id"];
  const std::string verifier = smart::random_token();
  // A provider app waits for an administrator.
  auto before = authorize(client_id, "openid launch/patient patient/Patient.read", verifier);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 400) << "a disabled client must get an error page";
  EXPECT_TRUE(before->get_header_value("Location").empty());
  enable(client_id);

  auto page = authorize(client_id, "openid fhirUser launch/patient patient/Patient.read", verifier);
  ASSERT_EQ(page->status, 200) << page->body;
  auto picker = login(page, creds_["clinician"]["username"], creds_["clinician"]["password"]);
  ASSERT_TRUE(picker);
  ASSERT_EQ(picker->status, 200) << picker->body;
  EXPECT_NE(picker->body.find(R"(name="patient")"), std::string::npos);

  // Search the picker by the family name of demo patient #2, and pick them.
  const std::string target = creds_["patients"][1]["patient"];
  const json pat = read_resource("Patient", target);
  std::string family;
  if (pat.contains("name")) family = pat["name"][0].value("family", "");
  if (!family.empty()) {
    auto found = c_->Get(("/oauth2/authorize?request_id=" + smart::request_id(picker->body) + "&q=" + smart::pct(family)).c_str());
    ASSERT_TRUE(found);
    EXPECT_EQ(found->status, 200);
    EXPECT_NE(found->body.find("value=\"" + target + "\""), std::string::npos) << "picker search did not find " << family;
  }
  auto consent = post_page(picker, {{"patient", target}});
  ASSERT_EQ(consent->status, 200) << consent->body;
  EXPECT_NE(consent->body.find("Patient/" + target), std::string::npos);
  auto done = allow_all(consent);
  ASSERT_EQ(done->status, 302) << done->body;
  auto tok = exchange(smart::query_of(done->get_header_value("Location"))["code"], client_id, verifier);
  ASSERT_EQ(tok->status, 200) << tok->body;
  const json t = json::parse(tok->body);
  EXPECT_EQ(t["patient"], target);
  EXPECT_EQ(t["need_patient_banner"], true);
  auto read = fhir_get("/Patient/" + target, t["access_token"]);
  EXPECT_EQ(read->status, 200);
  const auto id = smart::split_jwt(t["id_token"]);
  EXPECT_NE(id.payload.value("fhirUser", "").find("Practitioner/"), std::string::npos) << id.payload.dump();
}

TEST_F(SmartE2E, EhrLaunch) {
  const json app = register_app({{"client_name", "EHR app"},
                                 {"redirect_uris", {kRedirect}},
                                 {"initiate_login_uri", "https://app.example.org/launch"},
                                 {"token_endpoint_auth_method", "none"},
                                 {"scope", "openid fhirUser launch patient/Patient.read user/Practitioner.read"}});
  const std::string client_id = app["client_id"];
  enable(client_id);
  const std::string patient = creds_["patients"][2]["patient"];
  std::string launch_url;
  as_admin([&](auth::AuthService& s) {
    auto l = s.flow->create_launch(client_id, creds_["clinician"]["username"].get<std::string>(), patient, "");
    ASSERT_TRUE(l.ok()) << l.error().message;
    launch_url = l->url;
  });
  auto launch_q = smart::query_of(launch_url);
  EXPECT_EQ(launch_url.rfind("https://app.example.org/launch?", 0), 0u) << launch_url;
  EXPECT_EQ(launch_q["iss"], base());
  ASSERT_FALSE(launch_q["launch"].empty());

  const std::string verifier = smart::random_token();
  auto page = authorize(client_id, "openid fhirUser launch patient/Patient.read", verifier, {{"launch", launch_q["launch"]}});
  ASSERT_EQ(page->status, 200) << page->body;
  auto consent = login(page, creds_["clinician"]["username"], creds_["clinician"]["password"]);
  ASSERT_EQ(consent->status, 200) << consent->body;
  EXPECT_NE(consent->body.find(R"(value="allow")"), std::string::npos) << "the launch fixed the patient: no picker";
  auto done = allow_all(consent);
  ASSERT_EQ(done->status, 302) << done->body;
  auto tok = exchange(smart::query_of(done->get_header_value("Location"))["code"], client_id, verifier);
  ASSERT_EQ(tok->status, 200) << tok->body;
  EXPECT_EQ(json::parse(tok->body)["patient"], patient);

  // The launch value is single-use.
  auto reuse = authorize(client_id, "openid launch patient/Patient.read", verifier, {{"launch", launch_q["launch"]}});
  ASSERT_TRUE(reuse);
  EXPECT_EQ(reuse->status, 302);
  EXPECT_EQ(smart::query_of(reuse->get_header_value("Location"))["error"], "invalid_request");
}

TEST_F(SmartE2E, ConfidentialClientsBasicAndPost) {
  for (const char* method : {"client_secret_basic", "client_secret_post"}) {
    SCOPED_TRACE(method);
    const json app = register_app({{"client_name", std::string("Confidential ") + method},
                                   {"redirect_uris", {kRedirect}},
                                   {"token_endpoint_auth_method", method},
                                   {"scope", "openid fhirUser launch/patient patient/Patient.read"}});
    const std::string id = app["client_id"], secret = app["client_secret"];
    const std::string code = patient_code(id, "openid launch/patient patient/Patient.read", "");
    ASSERT_FALSE(code.empty());
    const bool is_basic = std::string(method) == "client_secret_basic";
    // A wrong secret first (client authentication fails before the code is looked at).
    auto bad = is_basic ? exchange(code, "", "", {}, {{"Authorization", smart::basic(id, "wrong-secret")}})
                        : exchange(code, id, "", {{"client_secret", "wrong-secret"}});
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 401);
    EXPECT_EQ(smart::parse(bad)["error"], "invalid_client");
    if (is_basic) {
      EXPECT_EQ(bad->get_header_value("WWW-Authenticate").rfind("Basic", 0), 0u);
    }
    auto tok = is_basic ? exchange(code, "", "", {}, {{"Authorization", smart::basic(id, secret)}})
                        : exchange(code, id, "", {{"client_secret", secret}});
    ASSERT_TRUE(tok);
    ASSERT_EQ(tok->status, 200) << tok->body;
    EXPECT_EQ(smart::parse(tok)["patient"], creds_["patients"][0]["patient"]);
  }
}

TEST_F(SmartE2E, PublicClientWithoutPkceIsRefused) {
  const json app = public_patient_app();
  auto r = authorize(app["client_id"], "patient/Patient.read", "");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302) << r->body;
  auto q = smart::query_of(r->get_header_value("Location"));
  EXPECT_EQ(q["error"], "invalid_request");
  EXPECT_EQ(q.count("code"), 0u);
  auto plain = authorize(app["client_id"], "patient/Patient.read", "",
                         {{"code_challenge", smart::random_token()}, {"code_challenge_method", "plain"}});
  EXPECT_EQ(smart::query_of(plain->get_header_value("Location"))["error"], "invalid_request");
}

TEST_F(SmartE2E, BackendServicesRs384AndEs384) {
  for (const char* alg : {"RS384", "ES384"}) {
    SCOPED_TRACE(alg);
    smart::ClientKey key(alg, std::string("kid-") + alg);
    const json app = register_app({{"client_name", std::string("Backend ") + alg},
                                   {"token_endpoint_auth_method", "private_key_jwt"},
                                   {"grant_types", {"client_credentials"}},
                                   {"jwks", key.jwks()},
                                   {"scope", "system/Patient.read system/Observation.read"}});
    const std::string id = app["client_id"];
    EXPECT_FALSE(app.contains("client_secret"));
    enable(id);
    const std::string assertion = key.assertion(id, token_url());
    const Fields base_fields = {{"grant_type", "client_credentials"},
                                {"scope", "system/Patient.read"},
                                {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}};
    Fields f = base_fields;
    f.emplace_back("client_assertion", assertion);
    auto tok = smart::post_form(*c_, "/oauth2/token", f);
    ASSERT_TRUE(tok);
    ASSERT_EQ(tok->status, 200) << tok->body;
    const json t = json::parse(tok->body);
    EXPECT_EQ(t["scope"], "system/Patient.read");
    EXPECT_FALSE(t.contains("refresh_token"));
    auto read = fhir_get("/Patient?_count=1", t["access_token"]);
    EXPECT_EQ(read->status, 200);

    // The same assertion again: its jti was used.
    auto replay = smart::post_form(*c_, "/oauth2/token", f);
    EXPECT_EQ(replay->status, 401);
    EXPECT_EQ(smart::parse(replay)["error"], "invalid_client");

    // Signed with a key the client never registered (same kid).
    smart::ClientKey other(alg, key.kid());
    Fields g = base_fields;
    g.emplace_back("client_assertion", other.assertion(id, token_url()));
    auto unregistered = smart::post_form(*c_, "/oauth2/token", g);
    EXPECT_EQ(unregistered->status, 401);
    EXPECT_EQ(smart::parse(unregistered)["error"], "invalid_client");

    // aud other than our token endpoint.
    Fields h = base_fields;
    h.emplace_back("client_assertion", key.assertion(id, "https://elsewhere.example/token"));
    EXPECT_EQ(smart::post_form(*c_, "/oauth2/token", h)->status, 401);
  }
}

TEST_F(SmartE2E, IntrospectionAndRevocation) {
  const json app = register_app({{"client_name", "Introspecting app"},
                                 {"redirect_uris", {kRedirect}},
                                 {"token_endpoint_auth_method", "client_secret_basic"},
                                 {"grant_types", {"authorization_code", "refresh_token"}},
                                 {"scope", "openid fhirUser launch/patient offline_access patient/Patient.read"}});
  const std::string id = app["client_id"], secret = app["client_secret"];
  const httplib::Headers auth = {{"Authorization", smart::basic(id, secret)}};
  const std::string code = patient_code(id, "openid fhirUser launch/patient offline_access patient/Patient.read", "");
  auto tok = exchange(code, "", "", {}, auth);
  ASSERT_EQ(tok->status, 200) << tok->body;
  const json t = json::parse(tok->body);
  const std::string access = t["access_token"];

  auto active = smart::parse(smart::post_form(*c_, "/oauth2/introspect", {{"token", access}}, auth));
  EXPECT_EQ(active["active"], true) << active.dump();
  EXPECT_EQ(active["client_id"], id);
  EXPECT_EQ(active["patient"], creds_["patients"][0]["patient"]);
  EXPECT_NE(active["scope"].get<std::string>().find("patient/Patient.read"), std::string::npos);
  auto refresh_active = smart::parse(smart::post_form(*c_, "/oauth2/introspect",
                                                      {{"token", t["refresh_token"]}, {"token_type_hint", "refresh_token"}},
                                                      auth));
  EXPECT_EQ(refresh_active["active"], true);

  // Another client cannot learn about this token.
  const json other = register_app({{"redirect_uris", {kRedirect}}, {"token_endpoint_auth_method", "client_secret_post"},
                                   {"scope", "patient/Patient.read"}});
  auto foreign = smart::parse(smart::post_form(*c_, "/oauth2/introspect",
                                               {{"token", access}, {"client_id", other["client_id"]},
                                                {"client_secret", other["client_secret"]}}));
  EXPECT_EQ(foreign, json({{"active", false}}));
  auto unauthenticated = smart::post_form(*c_, "/oauth2/introspect", {{"token", access}});
  EXPECT_EQ(unauthenticated->status, 401);

  // Revoke the access token: introspection, userinfo and the FHIR API refuse it.
  auto revoked = smart::post_form(*c_, "/oauth2/revoke", {{"token", access}, {"token_type_hint", "access_token"}}, auth);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // revocations reach verifiers within 1 s
  EXPECT_EQ(smart::parse(smart::post_form(*c_, "/oauth2/introspect", {{"token", access}}, auth))["active"], false);
  EXPECT_EQ(userinfo(access)->status, 401);
  if (guard_enforced()) {
    auto read = fhir_get("/Patient/" + creds_["patients"][0]["patient"].get<std::string>(), access);
    EXPECT_EQ(read->status, 401);
    EXPECT_NE(read->get_header_value("WWW-Authenticate").find("invalid_token"), std::string::npos);
  } else {
    ADD_FAILURE() << "the FHIR API does not check tokens: the bearer guard is not in this build";
  }
  // Revoke the refresh token: it can no longer be used.
  EXPECT_EQ(smart::post_form(*c_, "/oauth2/revoke", {{"token", t["refresh_token"]}}, auth)->status, 200);
  auto refresh = smart::post_form(*c_, "/oauth2/token", {{"grant_type", "refresh_token"}, {"refresh_token", t["refresh_token"]}}, auth);
  EXPECT_EQ(refresh->status, 400);
  // Unknown tokens: 200 as RFC 7009 asks.
  EXPECT_EQ(smart::post_form(*c_, "/oauth2/revoke", {{"token", "never-issued"}}, auth)->status, 200);
}

TEST_F(SmartE2E, WrongRedirectUriGetsAnErrorPageAndNoRedirect) {
  const json app = public_patient_app();
  auto r = authorize(app["client_id"], "patient/Patient.read", smart::random_token(),
                     {{"redirect_uri", "https://attacker.example/cb"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(r->get_header_value("Location").empty());
  EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
  auto unknown = authorize("no-such-client", "patient/Patient.read", smart::random_token());
  EXPECT_EQ(unknown->status, 400);
  EXPECT_TRUE(unknown->get_header_value("Location").empty());
}

TEST_F(SmartE2E, WrongAudienceGetsNoCode) {
  const json app = public_patient_app();
  auto r = authorize(app["client_id"], "patient/Patient.read", smart::random_token(),
                     {{"aud", "https://other-server.example/r4"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302) << r->body;
  auto q = smart::query_of(r->get_header_value("Location"));
  EXPECT_EQ(q.count("code"), 0u);
  EXPECT_FALSE(q["error"].empty());
}

TEST_F(SmartE2E, PkceVerifierMissingOrWrong) {
  const json app = public_patient_app();
  const std::string id = app["client_id"];
  const std::string verifier = smart::random_token();
  const std::string code = patient_code(id, "launch/patient patient/Patient.read", verifier);
  auto missing = exchange(code, id, "");
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(smart::parse(missing)["error"], "invalid_grant");
  const std::string code2 = patient_code(id, "launch/patient patient/Patient.read", verifier);
  auto wrong = exchange(code2, id, smart::random_token());
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(smart::parse(wrong)["error"], "invalid_grant");
}

TEST_F(SmartE2E, CodeReplayIsRefusedAndKillsTheFirstToken) {
  const json app = public_patient_app();
  const std::string id = app["client_id"];
  const std::string verifier = smart::random_token();
  const std::string code = patient_code(id, "openid fhirUser launch/patient patient/Patient.read", verifier);
  auto first = exchange(code, id, verifier);
  ASSERT_EQ(first->status, 200) << first->body;
  const std::string access = smart::parse(first)["access_token"];
  EXPECT_EQ(userinfo(access)->status, 200);
  auto replay = exchange(code, id, verifier);
  EXPECT_EQ(replay->status, 400);
  EXPECT_EQ(smart::parse(replay)["error"], "invalid_grant");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(userinfo(access)->status, 401) << "the token issued for a replayed code must die";
  if (guard_enforced()) {
    EXPECT_EQ(fhir_get("/Patient/" + creds_["patients"][0]["patient"].get<std::string>(), access)->status, 401);
  }
}

TEST_F(SmartE2E, ForgedAccessTokensAreRefused) {
  const json app = public_patient_app();
  const std::string id = app["client_id"];
  const std::string verifier = smart::random_token();
  auto tok = exchange(patient_code(id, "openid fhirUser launch/patient patient/Patient.read", verifier), id, verifier);
  ASSERT_EQ(tok->status, 200) << tok->body;
  const std::string good = smart::parse(tok)["access_token"];
  const auto parts = smart::split_jwt(good);
  const std::string patient = creds_["patients"][0]["patient"];

  // alg: none, no signature.
  json none_header = parts.header;
  none_header["alg"] = "none";
  const std::string none = base::base64url_encode(none_header.dump()) + "." + parts.payload_b64 + ".";
  // HS256 keyed with our published public key (algorithm confusion).
  auto jwks = smart::parse(c_->Get("/oauth2/jwks"));
  json hs_header = parts.header;
  hs_header["alg"] = "HS256";
  const std::string hs_input = base::base64url_encode(hs_header.dump()) + "." + parts.payload_b64;
  const std::string hs = hs_input + "." + base::base64url_encode(base::hmac_sha256(jwks["keys"][0].dump(), hs_input));
  const std::string n = jwks["keys"][0].value("n", "");
  const std::string hs_n = hs_input + "." + base::base64url_encode(base::hmac_sha256(base::base64url_decode(n).value_or(""), hs_input));
  // Tampered payload (another patient), original signature.
  json payload = parts.payload;
  payload["patient"] = creds_["patients"][1]["patient"];
  payload["scope"] = "user/Patient.read";
  const std::string tampered = parts.header_b64 + "." + base::base64url_encode(payload.dump()) + "." + parts.signature_b64;
  // Garbage.
  const std::string garbled = "not-a-jwt";

  EXPECT_EQ(userinfo(good)->status, 200);
  const bool guard = guard_enforced();
  for (const auto& [name, bad] : std::vector<std::pair<std::string, std::string>>{
           {"alg none", none}, {"HS256 with the public JWK", hs}, {"HS256 with the modulus", hs_n},
           {"tampered", tampered}, {"garbled", garbled}}) {
    SCOPED_TRACE(name);
    auto u = userinfo(bad);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->status, 401);
    EXPECT_NE(u->get_header_value("WWW-Authenticate").find("invalid_token"), std::string::npos);
    if (guard) {
      EXPECT_EQ(fhir_get("/Patient/" + patient, bad)->status, 401);
    }
  }
  if (guard) {
    EXPECT_EQ(fhir_get("/Patient/" + patient, good)->status, 200);
  }
}

TEST_F(SmartE2E, WildcardScopeRegistrationIsRefused) {
  for (const char* scope : {"patient/*.read", "user/*.*", "patient/Observation.*"}) {
    auto j = register_app({{"redirect_uris", {kRedirect}}, {"token_endpoint_auth_method", "none"}, {"scope", scope}}, 400);
    EXPECT_EQ(j["error"], "invalid_client_metadata") << scope;
  }
  // The bulk export operation scopes are allowed (SPEC.md).
  smart::ClientKey key("RS384", "bulk");
  auto ok = register_app({{"token_endpoint_auth_method", "private_key_jwt"},
                          {"grant_types", {"client_credentials"}},
                          {"jwks", key.jwks()},
                          {"scope", "system/*.$export system/*.$bulkdata-status system/Document.read"}});
  EXPECT_TRUE(ok.contains("client_id"));
}

}  // namespace

namespace {

TEST(SmartE2ENoAuth, RefusedOffLoopbackAndServesWithoutTokensOnLoopback) {
  auto refused = e2e::run_command({FHIR_SERVE_BIN, "--data-dir", "/tmp/fhir-e2e-never", "--no-auth", "--dev",
                                   "--listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--no-auth"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists("/tmp/fhir-e2e-never"));

  e2e::ServerProcess server({"--dev", "--no-auth"});
  ASSERT_TRUE(server.started()) << server.log();
  EXPECT_NE(server.log().find("WITHOUT access token checks"), std::string::npos);
  auto c = smart::https(server.port());
  auto r = c->Get("/r4/Patient?_count=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // The authorization server still answers.
  auto cfg = c->Get("/r4/.well-known/smart-configuration");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->status, 200);
}

}  // namespace

namespace {

// private_key_jwt with a jwks_uri: fhir-serve fetches the client's keys over HTTPS (its own fetcher,
// certificate verified against the trust store: here the test's server certificate, given to
// fhir-serve as SSL_CERT_FILE), caches them, and refuses documents over its size limit.
TEST(SmartE2EJwksUri, KeysFetchedOverVerifiedHttpsWithASizeLimit) {
  // A certificate for 127.0.0.1: the one fhir-serve --dev makes.
  std::filesystem::path cert, key;
  e2e::ServerProcess minter({"--dev"});
  ASSERT_TRUE(minter.started()) << minter.log();
  cert = minter.data_dir() / "tls" / "cert.pem";
  key = minter.data_dir() / "tls" / "key.pem";

  smart::ClientKey client_key("ES384", "jwks-uri-key");
  const std::string jwks = client_key.jwks().dump();
  httplib::SSLServer keys_server(cert.c_str(), key.c_str());
  ASSERT_TRUE(keys_server.is_valid());
  std::atomic<int> fetches{0};
  keys_server.Get("/jwks.json", [&](const httplib::Request&, httplib::Response& res) {
    ++fetches;
    res.set_content(jwks, "application/json");
  });
  keys_server.Get("/big.json", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(200 * 1024, ' ') + jwks, "application/json");
  });
  const int keys_port = keys_server.bind_to_any_port("127.0.0.1");
  std::thread keys_thread([&] { keys_server.listen_after_bind(); });

  setenv("SSL_CERT_FILE", cert.c_str(), 1);
  e2e::ServerProcess server({"--dev"});
  unsetenv("SSL_CERT_FILE");
  ASSERT_TRUE(server.started()) << server.log();
  const std::string root = "https://127.0.0.1:" + std::to_string(server.port());
  auto c = smart::https(server.port());
  const std::string keys_base = "https://127.0.0.1:" + std::to_string(keys_port);

  auto register_with = [&](const std::string& uri) {
    auto r = smart::post_json(*c, "/oauth2/register",
                              {{"token_endpoint_auth_method", "private_key_jwt"},
                               {"grant_types", {"client_credentials"}},
                               {"jwks_uri", uri},
                               {"scope", "system/Patient.read"}});
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    const std::string id = smart::parse(r)["client_id"];
    admin(server.data_dir(), root, [&](auth::AuthService& s) { ASSERT_TRUE(s.clients->enable(id).ok()); });
    return id;
  };
  auto token = [&](const std::string& id) {
    return smart::post_form(*c, "/oauth2/token",
                            {{"grant_type", "client_credentials"},
                             {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                             {"client_assertion", client_key.assertion(id, root + "/oauth2/token")}});
  };

  const std::string good = register_with(keys_base + "/jwks.json");
  auto first = token(good);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body << "\n" << server.log();
  auto second = token(good);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(fetches.load(), 1) << "the JWKS document should come from the cache the second time";

  const std::string big = register_with(keys_base + "/big.json");
  auto refused = token(big);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(smart::parse(refused)["error"], "invalid_client");

  keys_server.stop();
  keys_thread.join();
}

}  // namespace
