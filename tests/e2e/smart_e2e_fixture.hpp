#pragma once
// The SMART end-to-end fixture: one real fhir-serve (--dev --demo) over real HTTPS per test suite,
// an HTTP client that acts as an app and a script-driven browser, and admin() for the steps an
// administrator takes with lib/auth on the same data directory (as fhirctl does). Used by
// smart_launch_e2e_test.cpp and smart_tokens_e2e_test.cpp.
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

namespace smart_e2e {

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

}  // namespace smart_e2e
