// SMART on FHIR end to end, the launches: the demo credentials, discovery, the standalone patient
// launch with PKCE and refresh rotation, the staff launch with the patient picker, the EHR launch,
// confidential clients (Basic and POST) and the refusal of a public client without PKCE.
#include "e2e/smart_e2e_fixture.hpp"

namespace {

using smart::Fields;
using smart::json;
using smart_e2e::admin;
using smart_e2e::kRedirect;
using smart_e2e::SmartE2E;

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
}  // namespace
