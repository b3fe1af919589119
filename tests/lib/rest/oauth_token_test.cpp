// The token, introspection, revocation, userinfo and registration endpoints' HTTP behaviour: RFC 6749
// JSON errors (never OperationOutcomes), status codes, WWW-Authenticate, no-store.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/crypto.hpp"
#include "lib/rest/oauth_fixture.hpp"

namespace rest_test {
namespace {

using json = nlohmann::json;

class OAuthTokenTest : public OAuthTest {
 protected:
  json confidential() {
    return register_client({{"client_name", "Confidential"},
                            {"redirect_uris", {kRedirect}},
                            {"token_endpoint_auth_method", "client_secret_basic"},
                            {"scope", "openid patient/Patient.read"}});
  }
  static std::string basic(const std::string& id, const std::string& secret) {
    const std::string b64url = base::base64url_encode(id + ":" + secret);
    std::string b64 = b64url;
    for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (b64.size() % 4) b64 += '=';
    return "Basic " + b64;
  }
  static json body(const rest::Response& r) { return json::parse(r.body, nullptr, false); }
};

TEST_F(OAuthTokenTest, ErrorsAreRfc6749Json) {
  auto wrong_type = send(rest::Method::POST, "/oauth2/token", R"({"grant_type":"client_credentials"})",
                         {{"content-type", "application/json"}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(body(wrong_type)["error"], "invalid_request");
  EXPECT_EQ(wrong_type.content_type, "application/json");
  EXPECT_EQ(wrong_type.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(wrong_type.header("Pragma").value_or(""), "no-cache");
  EXPECT_FALSE(body(wrong_type).contains("resourceType"));

  auto repeated = post_form("/oauth2/token", {{"grant_type", "authorization_code"}, {"code", "a"}, {"code", "b"}});
  EXPECT_EQ(repeated.status, 400);
  EXPECT_EQ(body(repeated)["error"], "invalid_request");

  auto no_client = post_form("/oauth2/token", {{"grant_type", "authorization_code"}, {"code", "x"}});
  EXPECT_EQ(no_client.status, 401);
  EXPECT_EQ(body(no_client)["error"], "invalid_client");

  const auto client = confidential();
  auto unsupported = post_form("/oauth2/token", {{"grant_type", "password"}},
                               {{"authorization", basic(client["client_id"], client["client_secret"])}});
  EXPECT_EQ(unsupported.status, 400);
  EXPECT_EQ(body(unsupported)["error"], "unsupported_grant_type");
}

TEST_F(OAuthTokenTest, BadSecretWithBasicIs401WithAChallenge) {
  const auto client = confidential();
  auto r = post_form("/oauth2/token", {{"grant_type", "authorization_code"}, {"code", "x"}, {"redirect_uri", kRedirect}},
                     {{"authorization", basic(client["client_id"], "not-the-secret")}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body(r)["error"], "invalid_client");
  EXPECT_EQ(std::string(r.header("WWW-Authenticate").value_or("")).rfind("Basic ", 0), 0u);

  auto post = post_form("/oauth2/token", {{"grant_type", "authorization_code"}, {"code", "x"},
                                          {"client_id", client["client_id"]}, {"client_secret", "nope"}});
  EXPECT_EQ(post.status, 401);
  EXPECT_EQ(body(post)["error"], "invalid_client");
}

TEST_F(OAuthTokenTest, UnknownCodeIsInvalidGrant) {
  const auto client = confidential();
  auto r = post_form("/oauth2/token", {{"grant_type", "authorization_code"}, {"code", "made-up"}, {"redirect_uri", kRedirect}},
                     {{"authorization", basic(client["client_id"], client["client_secret"])}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r)["error"], "invalid_grant");
}

TEST_F(OAuthTokenTest, RevokeAnswers200ForUnknownTokensAndIntrospectionSaysInactive) {
  const auto client = confidential();
  const rest::Params auth = {{"authorization", basic(client["client_id"], client["client_secret"])}};
  auto revoked = post_form("/oauth2/revoke", {{"token", "not-a-token"}}, auth);
  EXPECT_EQ(revoked.status, 200);
  EXPECT_TRUE(revoked.body.empty());
  auto inactive = post_form("/oauth2/introspect", {{"token", "not-a-token"}}, auth);
  ASSERT_EQ(inactive.status, 200);
  EXPECT_EQ(body(inactive), json({{"active", false}}));
  auto unauthenticated = post_form("/oauth2/introspect", {{"token", "not-a-token"}});
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(body(unauthenticated)["error"], "invalid_client");
}

TEST_F(OAuthTokenTest, UserinfoNeedsABearerToken) {
  auto none = get_url("/oauth2/userinfo");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("WWW-Authenticate").value_or(""), "Bearer realm=\"fhir-serve\"");
  auto garbled = get_url("/oauth2/userinfo", {{"authorization", "Bearer not.a.jwt"}});
  EXPECT_EQ(garbled.status, 401);
  EXPECT_NE(std::string(garbled.header("WWW-Authenticate").value_or("")).find("error=\"invalid_token\""),
            std::string::npos);
}

TEST_F(OAuthTokenTest, RegistrationAnswersRfc7591) {
  auto created = send(rest::Method::POST, "/oauth2/register",
                      json({{"redirect_uris", {kRedirect}}, {"token_endpoint_auth_method", "client_secret_post"},
                            {"scope", "patient/Patient.read"}}).dump(),
                      {{"content-type", "application/json; charset=utf-8"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.header("Cache-Control").value_or(""), "no-store");
  const json reg = body(created);
  EXPECT_TRUE(reg.contains("client_id"));
  EXPECT_TRUE(reg.contains("client_secret"));
  EXPECT_TRUE(reg.contains("client_id_issued_at"));
  EXPECT_TRUE(reg.contains("registration_access_token"));

  for (const char* scope : {"patient/*.read", "user/*.*"}) {
    auto wildcard = send(rest::Method::POST, "/oauth2/register",
                         json({{"redirect_uris", {kRedirect}}, {"scope", scope}}).dump(),
                         {{"content-type", "application/json"}});
    EXPECT_EQ(wildcard.status, 400) << scope;
    EXPECT_EQ(body(wildcard)["error"], "invalid_client_metadata") << scope;
  }
  auto bad_redirect = send(rest::Method::POST, "/oauth2/register",
                           json({{"redirect_uris", {"http://app.example.org/cb"}}, {"scope", "patient/Patient.read"}}).dump(),
                           {{"content-type", "application/json"}});
  EXPECT_EQ(bad_redirect.status, 400);
  EXPECT_EQ(body(bad_redirect)["error"], "invalid_redirect_uri");
  auto not_json = send(rest::Method::POST, "/oauth2/register", "redirect_uris=x", {{"content-type", "text/plain"}});
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(body(not_json)["error"], "invalid_client_metadata");
}

TEST_F(OAuthTokenTest, RegistrationPolicies) {
  const std::string metadata = json({{"redirect_uris", {kRedirect}}, {"scope", "patient/Patient.read"}}).dump();
  ASSERT_TRUE(settings_->set("oauth_registration", "initial-access-token").ok());
  auto no_token = send(rest::Method::POST, "/oauth2/register", metadata, {{"content-type", "application/json"}});
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(body(no_token)["error"], "invalid_token");
  EXPECT_EQ(std::string(no_token.header("WWW-Authenticate").value_or("")).rfind("Bearer ", 0), 0u);
  auto iat = auth_->clients->create_initial_access_token();
  ASSERT_TRUE(iat.ok());
  auto with_token = send(rest::Method::POST, "/oauth2/register", metadata,
                         {{"content-type", "application/json"}, {"authorization", "Bearer " + *iat}});
  EXPECT_EQ(with_token.status, 201) << with_token.body;
  ASSERT_TRUE(settings_->set("oauth_registration", "closed").ok());
  auto closed = send(rest::Method::POST, "/oauth2/register", metadata,
                     {{"content-type", "application/json"}, {"authorization", "Bearer " + *iat}});
  EXPECT_EQ(closed.status, 403);
  EXPECT_EQ(body(closed)["error"], "access_denied");
}

}  // namespace
}  // namespace rest_test
