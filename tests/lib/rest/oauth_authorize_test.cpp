// The authorize pages through the Router: errors that must never redirect, the login, picker and
// consent steps, deny, and the code (then exchanged at the token endpoint, also once expired).
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "lib/rest/oauth_fixture.hpp"

namespace rest_test {
namespace {

using json = nlohmann::json;

class OAuthAuthorizeTest : public OAuthTest {
 protected:
  void SetUp() override {
    OAuthTest::SetUp();
    auto created = resources_->create("Patient", json::parse(R"({"resourceType":"Patient","name":[{"given":["Ada"],"family":"Lovelace"}],"birthDate":"1815-12-10","gender":"female"})"));
    ASSERT_TRUE(created.ok());
    patient_id_ = created->resource.id;
    auto other = resources_->create("Patient", json::parse(R"({"resourceType":"Patient","name":[{"given":["Alan"],"family":"Turing"}]})"));
    ASSERT_TRUE(other.ok());
    other_patient_id_ = other->resource.id;
    auto creds = auth_->users->create_patient_credentials(patient_id_);
    ASSERT_TRUE(creds.ok()) << creds.error().message;
    patient_user_ = creds->username;
    patient_password_ = creds->password;
    auto clinician = auth_->users->add({"doc", "clinician-password", auth::Role::clinician, "Dr Doc", ""});
    ASSERT_TRUE(clinician.ok()) << clinician.error().message;
  }

  // Login as the patient on the page `page`; returns the consent page.
  rest::Response login(const rest::Response& page, const std::string& user, const std::string& password) {
    return post_form("/oauth2/authorize", {{"request_id", request_id(page.body)}, {"username", user}, {"password", password}});
  }

  std::string patient_id_, other_patient_id_, patient_user_, patient_password_;
};

TEST_F(OAuthAuthorizeTest, UnknownClientIsAnErrorPageNeverARedirect) {
  auto r = get_url(authorize_target("no-such-client", "openid patient/Patient.read"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("location").has_value());
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.header("X-Frame-Options").value_or(""), "DENY");
}

TEST_F(OAuthAuthorizeTest, UnregisteredRedirectUriIsAnErrorPageNeverARedirect) {
  const auto client = register_public_patient_app();
  auto r = get_url(authorize_target(client["client_id"], "patient/Patient.read", kBase, "https://evil.example/cb"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("location").has_value());
  EXPECT_EQ(r.body.find("evil.example"), std::string::npos) << "the page should not echo the attacker URL";
}

TEST_F(OAuthAuthorizeTest, RepeatedRedirectUriIsAnErrorPage) {
  const auto client = register_public_patient_app();
  auto r = get_url(authorize_target(client["client_id"], "patient/Patient.read") + "&redirect_uri=" +
                   rest::url_encode("https://evil.example/cb"));
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("location").has_value());
}

TEST_F(OAuthAuthorizeTest, WrongAudienceRedirectsWithAnErrorAndNoCode) {
  const auto client = register_public_patient_app();
  auto r = get_url(authorize_target(client["client_id"], "patient/Patient.read", "https://other.example/r4"));
  ASSERT_EQ(r.status, 302) << r.body;
  const auto p = location_params(r);
  EXPECT_EQ(p.count("code"), 0u);
  EXPECT_EQ(p.at("error"), "invalid_request");
  EXPECT_EQ(p.at("state"), "st4te");
  EXPECT_EQ(p.at("iss"), kBase);
  EXPECT_EQ(std::string(*r.header("location")).rfind(kRedirect, 0), 0u);
}

TEST_F(OAuthAuthorizeTest, PatientLoginConsentAndCode) {
  const auto client = register_public_patient_app();
  auto page = get_url(authorize_target(client["client_id"], "openid fhirUser launch/patient offline_access patient/Patient.read"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(R"(name="username")"), std::string::npos);
  EXPECT_NE(page.body.find(R"(name="password")"), std::string::npos);
  EXPECT_NE(page.body.find("Test &lt;b&gt;App&lt;/b&gt;"), std::string::npos) << "client name must be escaped";
  EXPECT_EQ(page.body.find("<b>App"), std::string::npos);
  EXPECT_EQ(page.header("Cache-Control").value_or(""), "no-store");
  ASSERT_FALSE(request_id(page.body).empty());

  auto bad = login(page, patient_user_, "wrong-password");
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.body.find(R"(name="username")"), std::string::npos);
  EXPECT_NE(bad.body.find("invalid username or password"), std::string::npos);

  auto consent = login(page, patient_user_, patient_password_);
  ASSERT_EQ(consent.status, 200) << consent.body;
  for (const char* scope : {"openid", "fhirUser", "launch/patient", "offline_access", "patient/Patient.read"}) {
    EXPECT_NE(consent.body.find(std::string(R"(name="scope" value=")") + scope + "\""), std::string::npos) << scope;
  }
  EXPECT_NE(consent.body.find("offline-notice"), std::string::npos);
  EXPECT_NE(consent.body.find("3 months"), std::string::npos);
  EXPECT_NE(consent.body.find("Ada Lovelace"), std::string::npos);

  auto done = post_form("/oauth2/authorize", {{"request_id", request_id(consent.body)},
                                              {"scope", "openid"},
                                              {"scope", "launch/patient"},
                                              {"scope", "patient/Patient.read"},
                                              {"decision", "allow"}});
  ASSERT_EQ(done.status, 302) << done.body;
  const auto p = location_params(done);
  ASSERT_EQ(p.count("code"), 1u);
  EXPECT_EQ(p.at("state"), "st4te");
  EXPECT_EQ(p.at("iss"), kBase);

  auto token = post_form("/oauth2/token", {{"grant_type", "authorization_code"},
                                           {"code", p.at("code")},
                                           {"redirect_uri", kRedirect},
                                           {"code_verifier", kVerifier},
                                           {"client_id", client["client_id"]}});
  ASSERT_EQ(token.status, 200) << token.body;
  EXPECT_EQ(token.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(token.header("Pragma").value_or(""), "no-cache");
  const json t = json::parse(token.body);
  EXPECT_EQ(t["token_type"], "Bearer");
  EXPECT_EQ(t["expires_in"], 3600);
  EXPECT_EQ(t["patient"], patient_id_);
  EXPECT_FALSE(t.contains("refresh_token")) << "offline_access was unticked";
  const std::string scope = t["scope"];
  EXPECT_EQ(scope.find("offline_access"), std::string::npos);
  EXPECT_EQ(scope.find("fhirUser"), std::string::npos);

  // The request is single-flow: posting to it again shows the expired page.
  auto again = post_form("/oauth2/authorize", {{"request_id", request_id(consent.body)}, {"decision", "allow"}});
  EXPECT_EQ(again.status, 400);
  EXPECT_FALSE(again.header("location").has_value());
}

TEST_F(OAuthAuthorizeTest, DenyRedirectsWithAccessDenied) {
  const auto client = register_public_patient_app();
  auto page = get_url(authorize_target(client["client_id"], "patient/Patient.read"));
  auto consent = login(page, patient_user_, patient_password_);
  auto denied = post_form("/oauth2/authorize", {{"request_id", request_id(consent.body)}, {"decision", "deny"}});
  ASSERT_EQ(denied.status, 302);
  const auto p = location_params(denied);
  EXPECT_EQ(p.at("error"), "access_denied");
  EXPECT_EQ(p.at("state"), "st4te");
  EXPECT_EQ(p.count("code"), 0u);
}

TEST_F(OAuthAuthorizeTest, CrossSitePostsToAPendingRequestAreRefused) {
  const auto client = register_public_patient_app();
  auto page = get_url(authorize_target(client["client_id"], "patient/Patient.read"));
  auto r = post_form("/oauth2/authorize",
                     {{"request_id", request_id(page.body)}, {"username", patient_user_}, {"password", patient_password_}},
                     {{"origin", "https://evil.example"}});
  EXPECT_EQ(r.status, 403);
  auto site = post_form("/oauth2/authorize",
                        {{"request_id", request_id(page.body)}, {"username", patient_user_}, {"password", patient_password_}},
                        {{"sec-fetch-site", "cross-site"}});
  EXPECT_EQ(site.status, 403);
  auto same = post_form("/oauth2/authorize",
                        {{"request_id", request_id(page.body)}, {"username", patient_user_}, {"password", patient_password_}},
                        {{"origin", kOrigin}, {"sec-fetch-site", "same-origin"}});
  EXPECT_EQ(same.status, 200) << same.body;
}

TEST_F(OAuthAuthorizeTest, AuthorizePostStartsAFlow) {
  const auto client = register_public_patient_app();
  const std::string target = authorize_target(client["client_id"], "patient/Patient.read");
  const std::string query = target.substr(target.find('?') + 1);
  auto r = send(rest::Method::POST, "/oauth2/authorize", query,
                {{"content-type", "application/x-www-form-urlencoded"}, {"origin", "https://app.example.org"},
                 {"sec-fetch-site", "cross-site"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(request_id(r.body).empty());
}

TEST_F(OAuthAuthorizeTest, StaffLaunchPicksAPatientFoundByName) {
  const auto client = register_client({{"client_name", "Clinic app"},
                                       {"redirect_uris", {kRedirect}},
                                       {"token_endpoint_auth_method", "none"},
                                       {"scope", "openid fhirUser launch/patient user/Patient.read patient/Observation.read"}});
  ASSERT_TRUE(auth_->clients->enable(client["client_id"].get<std::string>()).ok());
  auto page = get_url(authorize_target(client["client_id"], "openid launch/patient patient/Observation.read"));
  auto picker = login(page, "doc", "clinician-password");
  ASSERT_EQ(picker.status, 200) << picker.body;
  EXPECT_NE(picker.body.find(R"(name="patient")"), std::string::npos);
  EXPECT_NE(picker.body.find("Lovelace"), std::string::npos);
  EXPECT_NE(picker.body.find("Turing"), std::string::npos);

  auto search = get_url("/oauth2/authorize?request_id=" + request_id(picker.body) + "&q=Lovel");
  ASSERT_EQ(search.status, 200);
  EXPECT_NE(search.body.find("Lovelace"), std::string::npos);
  EXPECT_EQ(search.body.find("Turing"), std::string::npos);
  auto none = get_url("/oauth2/authorize?request_id=" + request_id(picker.body) + "&q=%3Cscript%3E");
  EXPECT_NE(none.body.find("No patient matches"), std::string::npos);
  EXPECT_EQ(none.body.find("<script>"), std::string::npos);

  auto missing = post_form("/oauth2/authorize", {{"request_id", request_id(picker.body)}, {"patient", "no-such-id"}});
  EXPECT_EQ(missing.status, 404);
  auto consent = post_form("/oauth2/authorize", {{"request_id", request_id(picker.body)}, {"patient", patient_id_}});
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_NE(consent.body.find(R"(value="allow")"), std::string::npos);
  EXPECT_NE(consent.body.find("Patient/" + patient_id_), std::string::npos);
  auto done = post_form("/oauth2/authorize", {{"request_id", request_id(consent.body)},
                                              {"scope", "openid"}, {"scope", "launch/patient"},
                                              {"scope", "patient/Observation.read"}, {"decision", "allow"}});
  ASSERT_EQ(done.status, 302) << done.body;
  auto token = post_form("/oauth2/token", {{"grant_type", "authorization_code"},
                                           {"code", location_params(done).at("code")},
                                           {"redirect_uri", kRedirect},
                                           {"code_verifier", kVerifier},
                                           {"client_id", client["client_id"]}});
  ASSERT_EQ(token.status, 200) << token.body;
  EXPECT_EQ(json::parse(token.body)["patient"], patient_id_);
}

TEST_F(OAuthAuthorizeTest, ExpiredCodeIsRefused) {
  const auto client = register_public_patient_app();
  auto page = get_url(authorize_target(client["client_id"], "patient/Patient.read"));
  auto consent = login(page, patient_user_, patient_password_);
  auto done = post_form("/oauth2/authorize",
                        {{"request_id", request_id(consent.body)}, {"scope", "patient/Patient.read"}, {"decision", "allow"}});
  ASSERT_EQ(done.status, 302);
  advance_s(auth::kCodeLifeS + 1);
  auto token = post_form("/oauth2/token", {{"grant_type", "authorization_code"},
                                           {"code", location_params(done).at("code")},
                                           {"redirect_uri", kRedirect},
                                           {"code_verifier", kVerifier},
                                           {"client_id", client["client_id"]}});
  EXPECT_EQ(token.status, 400);
  EXPECT_EQ(json::parse(token.body)["error"], "invalid_grant");
}

TEST_F(OAuthAuthorizeTest, ExpiredRequestShowsAnErrorPage) {
  const auto client = register_public_patient_app();
  auto page = get_url(authorize_target(client["client_id"], "patient/Patient.read"));
  advance_s(auth::kRequestLifeS + 1);
  auto r = login(page, patient_user_, patient_password_);
  EXPECT_EQ(r.status, 400);
  EXPECT_FALSE(r.header("location").has_value());
  EXPECT_NE(r.body.find("expired"), std::string::npos);
}


TEST_F(OAuthAuthorizeTest, IssuedTokensOpenTheFhirApiThroughTheGuard) {
  services_.tokens = auth_->verifier.get();
  services_.indexer = backend_->search.indexer.get();
  router_ = std::make_unique<rest::Router>(services_);
  const auto client = register_public_patient_app();
  auto page = get_url(authorize_target(client["client_id"], "launch/patient patient/Patient.read"));
  auto consent = login(page, patient_user_, patient_password_);
  auto done = post_form("/oauth2/authorize", {{"request_id", request_id(consent.body)},
                                              {"scope", "launch/patient"}, {"scope", "patient/Patient.read"},
                                              {"decision", "allow"}});
  ASSERT_EQ(done.status, 302) << done.body;
  auto token = post_form("/oauth2/token", {{"grant_type", "authorization_code"},
                                           {"code", location_params(done).at("code")},
                                           {"redirect_uri", kRedirect},
                                           {"code_verifier", kVerifier},
                                           {"client_id", client["client_id"]}});
  ASSERT_EQ(token.status, 200) << token.body;
  const std::string access = json::parse(token.body)["access_token"];
  const rest::Params bearer = {{"authorization", "Bearer " + access}};
  EXPECT_EQ(get_url("/r4/Patient/" + patient_id_).status, 401);
  EXPECT_EQ(get_url("/r4/Patient/" + patient_id_, bearer).status, 200);
  EXPECT_EQ(get_url("/r4/Patient/" + other_patient_id_, bearer).status, 404);
  EXPECT_EQ(get_url("/r4/Observation?patient=" + patient_id_, bearer).status, 403);
  // The OAuth endpoints stay public (no bearer token needed to reach them).
  EXPECT_EQ(get_url("/r4/.well-known/smart-configuration").status, 200);
  auto revoked = post_form("/oauth2/revoke", {{"token", access}, {"client_id", client["client_id"]}});
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // the verifier rechecks every 250 ms
  auto after = get_url("/r4/Patient/" + patient_id_, bearer);
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(std::string(after.header("WWW-Authenticate").value_or("")).find("invalid_token"), std::string::npos);
}

}  // namespace
}  // namespace rest_test
