#include "auth/clients.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth_fixture.hpp"
#include "base/json.hpp"

namespace auth_test {
namespace {

using ClientsTest = AuthFixture;

std::string body(const std::string& extra) {
  return "{\"client_name\":\"App\",\"redirect_uris\":[\"https://app.example.com/cb\"]," + extra + "}";
}

auth::OAuthError parse_error(const std::string& json) {
  auto r = auth::parse_registration_request(json);
  EXPECT_FALSE(r.ok()) << json;
  return r.ok() ? auth::OAuthError{} : r.error();
}

TEST_F(ClientsTest, ParsesAFullRequest) {
  auto md = auth::parse_registration_request(
      body("\"scope\":\"openid fhirUser launch/patient patient/Patient.read offline_access\","
           "\"token_endpoint_auth_method\":\"client_secret_post\",\"grant_types\":[\"authorization_code\","
           "\"refresh_token\"],\"response_types\":[\"code\"],\"contacts\":[\"dev@example.com\"],"
           "\"logo_uri\":\"https://app.example.com/logo.png\",\"initiate_login_uri\":\"https://app.example.com/launch\","
           "\"software_id\":\"ignored\""));
  ASSERT_TRUE(md.ok()) << unwrap(md.error());
  EXPECT_EQ(md->token_endpoint_auth_method, auth::AuthMethod::client_secret_post);
  EXPECT_EQ(md->grant_types.size(), 2u);
  EXPECT_EQ(md->contacts, std::vector<std::string>{"dev@example.com"});
  // Defaults: client_secret_basic, authorization_code.
  auto d = auth::parse_registration_request(body("\"scope\":\"patient/Patient.read\""));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->token_endpoint_auth_method, auth::AuthMethod::client_secret_basic);
  EXPECT_EQ(d->grant_types, std::vector<std::string>{"authorization_code"});
}

TEST_F(ClientsTest, ScopeRules) {
  EXPECT_EQ(parse_error(body("\"grant_types\":[\"authorization_code\"]")).error, "invalid_client_metadata");
  EXPECT_EQ(parse_error(body("\"scope\":\"\"")).error, "invalid_client_metadata");
  for (const char* wild : {"patient/*.read", "user/*.*", "patient/Observation.*", "patient/*.rs"}) {
    auto e = parse_error(body(std::string("\"scope\":\"openid ") + wild + "\""));
    EXPECT_EQ(e.error, "invalid_client_metadata") << wild;
  }
  EXPECT_EQ(parse_error(body("\"scope\":\"patient/Nonsense.read\"")).error, "invalid_client_metadata");
  EXPECT_EQ(parse_error(body("\"scope\":5")).error, "invalid_client_metadata");
}

TEST_F(ClientsTest, RedirectUriRules) {
  EXPECT_EQ(parse_error("{\"scope\":\"patient/Patient.read\"}").error, "invalid_redirect_uri");
  for (const char* bad : {"http://app.example.com/cb", "https://app.example.com/cb#frag", "https://*.example.com/cb",
                          "app.example.com/cb", "https:///cb", "javascript:alert(1)", "https://app.example.com/c b"}) {
    auto e = parse_error(std::string("{\"scope\":\"patient/Patient.read\",\"redirect_uris\":[\"") + bad + "\"]}");
    EXPECT_EQ(e.error, "invalid_redirect_uri") << bad;
  }
  for (const char* good : {"http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:9/cb",
                           "https://app.example.com/cb?x=1"}) {
    auto md = auth::parse_registration_request(std::string("{\"scope\":\"patient/Patient.read\",\"redirect_uris\":[\"") +
                                               good + "\"]}");
    EXPECT_TRUE(md.ok()) << good;
  }
  EXPECT_EQ(parse_error("{\"scope\":\"patient/Patient.read\",\"redirect_uris\":\"https://a.example/cb\"}").error,
            "invalid_redirect_uri");
}

TEST_F(ClientsTest, GrantAndMethodConsistency) {
  EXPECT_EQ(parse_error(body("\"scope\":\"system/Patient.read\",\"grant_types\":[\"client_credentials\"]")).error,
            "invalid_client_metadata");  // client_credentials needs private_key_jwt
  EXPECT_EQ(parse_error(body("\"scope\":\"patient/Patient.read\",\"grant_types\":[\"implicit\"]")).error,
            "invalid_client_metadata");
  EXPECT_EQ(parse_error(body("\"scope\":\"patient/Patient.read\",\"grant_types\":[\"refresh_token\"]")).error,
            "invalid_client_metadata");
  EXPECT_EQ(parse_error(body("\"scope\":\"patient/Patient.read\",\"token_endpoint_auth_method\":\"tls_client_auth\"")).error,
            "invalid_client_metadata");
  EXPECT_EQ(parse_error(body("\"scope\":\"patient/Patient.read\",\"response_types\":[\"token\"]")).error,
            "invalid_client_metadata");
}

TEST_F(ClientsTest, PrivateKeyJwtNeedsExactlyOneKeySource) {
  auto key = make_backend_key(auth::JwsAlg::ES384, "k1");
  const std::string base = "{\"scope\":\"system/*.$export system/Patient.read\",\"grant_types\":[\"client_credentials\"],"
                           "\"token_endpoint_auth_method\":\"private_key_jwt\"";
  EXPECT_EQ(parse_error(base + "}").error, "invalid_client_metadata");
  EXPECT_EQ(parse_error(base + ",\"jwks\":" + key.jwks() + ",\"jwks_uri\":\"https://app.example.com/jwks\"}").error,
            "invalid_client_metadata");
  EXPECT_EQ(parse_error(base + ",\"jwks\":{\"keys\":[]}}").error, "invalid_client_metadata");
  EXPECT_EQ(parse_error(base + ",\"jwks_uri\":\"http://app.example.com/jwks\"}").error, "invalid_client_metadata");
  auto with_jwks = auth::parse_registration_request(base + ",\"jwks\":" + key.jwks() + "}");
  ASSERT_TRUE(with_jwks.ok()) << unwrap(with_jwks.error());
  EXPECT_FALSE(with_jwks->jwks.empty());
  EXPECT_TRUE(auth::parse_registration_request(base + ",\"jwks_uri\":\"https://app.example.com/jwks\"}").ok());
  // client_credentials together with authorization_code is refused.
  EXPECT_EQ(parse_error(body("\"scope\":\"system/Patient.read\",\"token_endpoint_auth_method\":\"private_key_jwt\","
                             "\"grant_types\":[\"client_credentials\",\"authorization_code\"],\"jwks\":" + key.jwks()))
                .error,
            "invalid_client_metadata");
}

TEST_F(ClientsTest, PatientStandaloneAppsAreEnabledOthersWait) {
  auto patient_app = auth_->clients->register_client(
      app_metadata(auth::AuthMethod::client_secret_basic, "openid fhirUser launch/patient patient/Patient.read offline_access"),
      "");
  ASSERT_TRUE(patient_app.ok());
  EXPECT_TRUE(patient_app->client.enabled);
  EXPECT_EQ(patient_app->client_secret.size(), 64u);
  EXPECT_FALSE(patient_app->registration_access_token.empty());

  for (const char* scope : {"launch patient/Patient.read", "user/Patient.read", "openid fhirUser user/Observation.rs"}) {
    auto r = auth_->clients->register_client(app_metadata(auth::AuthMethod::client_secret_basic, scope), "");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->client.enabled) << scope;
  }
  auto key = make_backend_key(auth::JwsAlg::RS384, "r1");
  auth::ClientMetadata backend;
  backend.token_endpoint_auth_method = auth::AuthMethod::private_key_jwt;
  backend.grant_types = {"client_credentials"};
  backend.scope = "system/*.$export system/*.$bulkdata-status system/Document.read";
  backend.jwks = key.jwks();
  auto b = auth_->clients->register_client(backend, "");
  ASSERT_TRUE(b.ok()) << unwrap(b.error());
  EXPECT_FALSE(b->client.enabled);
  EXPECT_TRUE(b->client_secret.empty());

  // Public clients get no secret.
  auto pub = auth_->clients->register_client(app_metadata(auth::AuthMethod::none, "patient/Patient.read"), "");
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(pub->client_secret.empty());
  EXPECT_TRUE(pub->client.is_public());

  // Enable / disable / list / get.
  ASSERT_TRUE(auth_->clients->enable(b->client.client_id).ok());
  EXPECT_TRUE(auth_->clients->get(b->client.client_id)->enabled);
  ASSERT_TRUE(auth_->clients->disable(b->client.client_id).ok());
  EXPECT_FALSE(auth_->clients->get(b->client.client_id)->enabled);
  EXPECT_EQ(auth_->clients->enable("nope").error().code, base::ErrorCode::not_found);
  EXPECT_EQ(auth_->clients->list()->size(), 6u);
  EXPECT_EQ(auth_->clients->get(b->client.client_id)->metadata.scope, backend.scope);
}

TEST_F(ClientsTest, SecretsAreStoredHashedAndChecked) {
  auto r = register_client(app_metadata(auth::AuthMethod::client_secret_basic, "patient/Patient.read"));
  EXPECT_TRUE(*auth_->clients->check_secret(r.client.client_id, r.client_secret));
  EXPECT_FALSE(*auth_->clients->check_secret(r.client.client_id, r.client_secret + "x"));
  auto conn = db_->reader();
  sql::Query q(**conn, "SELECT secret_hash, registration_token_hash, metadata FROM auth_clients");
  ASSERT_TRUE(*q.step());
  EXPECT_EQ(q.text_at(0).find(r.client_secret), std::string::npos);
  EXPECT_NE(q.string_at(0), r.client_secret);
  EXPECT_NE(q.string_at(1), r.registration_access_token);
  EXPECT_EQ(q.text_at(2).find(r.client_secret), std::string::npos);
}

TEST_F(ClientsTest, ResponseEchoesMetadata) {
  auto r = register_client(app_metadata(auth::AuthMethod::client_secret_post, "openid patient/Patient.read"));
  auto j = base::parse_json(auth::registration_response_json(r));
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["client_id"], r.client.client_id);
  EXPECT_EQ((*j)["client_secret"], r.client_secret);
  EXPECT_EQ((*j)["client_secret_expires_at"], 0);
  EXPECT_EQ((*j)["registration_access_token"], r.registration_access_token);
  EXPECT_EQ((*j)["token_endpoint_auth_method"], "client_secret_post");
  EXPECT_EQ((*j)["scope"], "openid patient/Patient.read");
  EXPECT_EQ((*j)["redirect_uris"][0], kRedirect);
  EXPECT_TRUE((*j)["client_id_issued_at"].is_number_integer());
  auto shown = base::parse_json(auth::client_json(r.client));
  EXPECT_FALSE(shown->contains("client_secret"));
  EXPECT_EQ((*shown)["enabled"], true);
}

TEST_F(ClientsTest, RegistrationPolicy) {
  const auto md = app_metadata(auth::AuthMethod::client_secret_basic, "patient/Patient.read");
  ASSERT_TRUE(settings_->set("oauth_registration", "closed").ok());
  auto closed = auth_->clients->register_client(md, "");
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().error, "access_denied");
  EXPECT_EQ(closed.error().http_status, 403);
  auto by_admin = auth_->clients->add_client(md);  // fhirctl: no policy, same rules
  ASSERT_TRUE(by_admin.ok());
  EXPECT_TRUE(by_admin->client.enabled);
  auto bad = md;
  bad.scope = "patient/*.read";
  EXPECT_EQ(auth_->clients->add_client(bad).error().error, "invalid_client_metadata");

  ASSERT_TRUE(settings_->set("oauth_registration", "initial-access-token").ok());
  auto missing = auth_->clients->register_client(md, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "invalid_token");
  EXPECT_EQ(missing.error().http_status, 401);
  EXPECT_FALSE(auth_->clients->register_client(md, "made-up").ok());
  auto iat = auth_->clients->create_initial_access_token(600);
  ASSERT_TRUE(iat.ok());
  EXPECT_TRUE(auth_->clients->register_client(md, *iat).ok());
  advance(601);
  EXPECT_FALSE(auth_->clients->register_client(md, *iat).ok());

  ASSERT_TRUE(settings_->set("oauth_registration", "open").ok());
  EXPECT_TRUE(auth_->clients->register_client(md, "").ok());
  EXPECT_FALSE(settings_->set("oauth_registration", "sometimes").ok());
}

}  // namespace
}  // namespace auth_test
