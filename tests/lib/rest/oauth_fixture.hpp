#pragma once
// A Router with the SMART authorization server (auth::AuthService) over a real SQLite data dir, a
// clock the test moves, cheap scrypt; helpers to post forms and walk the authorize pages.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "auth/auth_service.hpp"
#include "auth/pkce.hpp"
#include "base/fhir_time.hpp"
#include "rest/oauth/endpoints.hpp"
#include "lib/rest/router_fixture.hpp"

namespace rest_test {

inline constexpr const char* kOrigin = "https://fhir.test:8443";
inline constexpr const char* kBase = "https://fhir.test:8443/r4";
inline constexpr const char* kRedirect = "https://app.example.org/callback";
inline constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough-verifier";

class OAuthTest : public RouterTest {
 protected:
  void SetUp() override {
    RouterTest::SetUp();
    now_us_ = base::now_us();
    auth::AuthConfig config;
    rest::oauth::set_urls(config, kOrigin);
    config.clock = [this] { return now_us_.load(); };
    config.scrypt.log2_n = 10;
    auto svc = auth::AuthService::open(*db_, settings_, config);
    ASSERT_TRUE(svc.ok()) << svc.error().message;
    auth_ = std::move(*svc);
    services_.auth = auth_.get();
    router_ = std::make_unique<rest::Router>(services_);
  }

  void TearDown() override {
    router_.reset();
    auth_.reset();
    RouterTest::TearDown();
  }

  void advance_s(std::int64_t s) { now_us_ += s * 1000000; }

  rest::Response send(rest::Method method, const std::string& target, const std::string& body,
                      rest::Params headers) {
    rest::Request req;
    req.method = method;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = rest::parse_query_string(std::string_view(target).substr(q + 1));
    req.body = body;
    req.headers = std::move(headers);
    req.origin = kOrigin;
    req.remote_ip = "127.0.0.1";
    return router_->handle(req);
  }

  static std::string form_encode(const rest::Params& fields) {
    std::string out;
    for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + rest::url_encode(k) + "=" + rest::url_encode(v);
    return out;
  }

  rest::Response post_form(const std::string& path, const rest::Params& fields, rest::Params headers = {}) {
    headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    return send(rest::Method::POST, path, form_encode(fields), std::move(headers));
  }

  rest::Response get_url(const std::string& target, rest::Params headers = {}) {
    return send(rest::Method::GET, target, "", std::move(headers));
  }

  // Registers a client; returns the 201 body.
  nlohmann::json register_client(const nlohmann::json& metadata) {
    auto r = send(rest::Method::POST, "/oauth2/register", metadata.dump(), {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  }

  // A patient standalone public app (enabled at registration).
  nlohmann::json register_public_patient_app(const std::string& scope =
                                                 "openid fhirUser launch/patient offline_access patient/Patient.read "
                                                 "patient/Observation.read") {
    return register_client({{"client_name", "Test <b>App</b>"},
                            {"redirect_uris", {kRedirect}},
                            {"token_endpoint_auth_method", "none"},
                            {"grant_types", {"authorization_code", "refresh_token"}},
                            {"scope", scope}});
  }

  std::string authorize_target(const std::string& client_id, const std::string& scope,
                               const std::string& aud = kBase, const std::string& redirect = kRedirect) {
    return "/oauth2/authorize?" + form_encode({{"response_type", "code"},
                                               {"client_id", client_id},
                                               {"redirect_uri", redirect},
                                               {"scope", scope},
                                               {"state", "st4te"},
                                               {"aud", aud},
                                               {"code_challenge", auth::s256_challenge(kVerifier)},
                                               {"code_challenge_method", "S256"}});
  }

  // The value of the hidden request_id field of a page.
  static std::string request_id(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="request_id" value="([^"]+)")re");
    return std::regex_search(html, m, re) ? m[1].str() : std::string();
  }

  // Query parameters of a redirect's Location.
  static std::map<std::string, std::string> location_params(const rest::Response& r) {
    std::map<std::string, std::string> out;
    const auto loc = r.header("location");
    if (!loc) return out;
    const auto q = loc->find('?');
    if (q == std::string_view::npos) return out;
    for (auto& [k, v] : rest::parse_query_string(loc->substr(q + 1))) out[k] = v;
    return out;
  }

  std::atomic<std::int64_t> now_us_{0};
  std::unique_ptr<auth::AuthService> auth_;
};

}  // namespace rest_test
