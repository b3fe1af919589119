// The three documents describing the authorization server agree: SMART configuration, OpenID
// configuration (at /oauth2 and under the FHIR base) and the CapabilityStatement's oauth-uris.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "auth/scopes.hpp"
#include "lib/rest/oauth_fixture.hpp"
#include "rest/oauth/discovery.hpp"

namespace rest_test {
namespace {

using json = nlohmann::json;

class OAuthDiscoveryTest : public OAuthTest {
 protected:
  json get_json(const std::string& target) {
    auto r = get_url(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_F(OAuthDiscoveryTest, SmartConfigurationHasEveryField) {
  const json smart = get_json("/r4/.well-known/smart-configuration");
  for (const char* field : {"issuer", "jwks_uri", "authorization_endpoint", "token_endpoint", "registration_endpoint",
                            "introspection_endpoint", "revocation_endpoint", "userinfo_endpoint", "scopes_supported",
                            "response_types_supported", "grant_types_supported", "code_challenge_methods_supported",
                            "token_endpoint_auth_methods_supported",
                            "token_endpoint_auth_signing_alg_values_supported", "capabilities"}) {
    EXPECT_TRUE(smart.contains(field)) << field;
  }
  EXPECT_EQ(smart["issuer"], kBase);
  EXPECT_EQ(smart["authorization_endpoint"], std::string(kOrigin) + "/oauth2/authorize");
  EXPECT_EQ(smart["token_endpoint"], std::string(kOrigin) + "/oauth2/token");
  EXPECT_EQ(smart["code_challenge_methods_supported"], json::array({"S256"}));
  EXPECT_EQ(smart["token_endpoint_auth_signing_alg_values_supported"], json::array({"RS384", "ES384"}));
  const std::set<std::string> methods = smart["token_endpoint_auth_methods_supported"];
  for (const char* m : {"client_secret_basic", "client_secret_post", "private_key_jwt"}) EXPECT_TRUE(methods.count(m)) << m;
  const std::set<std::string> caps = smart["capabilities"];
  for (const char* c : {"launch-ehr", "launch-standalone", "client-public", "client-confidential-symmetric",
                        "client-confidential-asymmetric", "sso-openid-connect", "context-banner", "context-style",
                        "context-ehr-patient", "context-ehr-encounter", "context-standalone-patient",
                        "permission-offline", "permission-patient", "permission-user", "permission-v1",
                        "permission-v2", "authorize-post"}) {
    EXPECT_TRUE(caps.count(c)) << c;
  }
  // The aliases of the FHIR base serve the same document.
  EXPECT_EQ(get_json("/fhir/r4/.well-known/smart-configuration"), smart);
}

TEST_F(OAuthDiscoveryTest, TheThreeDocumentsAgree) {
  const json smart = get_json("/r4/.well-known/smart-configuration");
  const json oidc = get_json("/oauth2/.well-known/openid-configuration");
  const json oidc_at_issuer = get_json("/r4/.well-known/openid-configuration");
  const json cs = get_json("/r4/metadata");
  EXPECT_EQ(oidc, oidc_at_issuer);

  for (const char* f : {"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                        "registration_endpoint", "introspection_endpoint", "revocation_endpoint", "scopes_supported",
                        "response_types_supported", "grant_types_supported", "code_challenge_methods_supported",
                        "token_endpoint_auth_methods_supported",
                        "token_endpoint_auth_signing_alg_values_supported"}) {
    EXPECT_EQ(smart[f], oidc[f]) << f;
  }
  EXPECT_EQ(oidc["id_token_signing_alg_values_supported"], json::array({"RS256"}));
  EXPECT_TRUE(oidc.contains("subject_types_supported"));
  EXPECT_TRUE(oidc.contains("claims_supported"));
  // OpenID Connect Discovery: the document lives at issuer + /.well-known/openid-configuration.
  EXPECT_EQ(oidc["issuer"], kBase);

  const json& security = cs["rest"][0]["security"];
  ASSERT_TRUE(security.is_object()) << cs["rest"][0].dump();
  EXPECT_EQ(security["service"][0]["coding"][0]["code"], "SMART-on-FHIR");
  EXPECT_EQ(security["service"][0]["coding"][0]["system"],
            "http://terminology.hl7.org/CodeSystem/restful-security-service");
  std::map<std::string, std::string> uris;
  for (const auto& ext : security["extension"]) {
    if (ext["url"] != "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris") continue;
    for (const auto& e : ext["extension"]) uris[e["url"]] = e["valueUri"];
  }
  EXPECT_EQ(uris["authorize"], smart["authorization_endpoint"]);
  EXPECT_EQ(uris["token"], smart["token_endpoint"]);
  EXPECT_EQ(uris["register"], smart["registration_endpoint"]);
  EXPECT_EQ(uris["introspect"], smart["introspection_endpoint"]);
  EXPECT_EQ(uris["revoke"], smart["revocation_endpoint"]);
  EXPECT_EQ(uris.size(), 5u);
  // The endpoints the documents name are routed (not 404).
  for (const char* path : {"/oauth2/authorize", "/oauth2/jwks"}) EXPECT_NE(get_url(path).status, 404) << path;
  EXPECT_EQ(get_url("/oauth2/jwks").status, 200);
}

TEST_F(OAuthDiscoveryTest, AdvertisedScopesAreRegistrable) {
  const json smart = get_json("/r4/.well-known/smart-configuration");
  ASSERT_FALSE(smart["scopes_supported"].empty());
  for (const auto& s : smart["scopes_supported"]) {
    const std::string scope = s;
    EXPECT_TRUE(auth::check_registration_scopes(scope).ok()) << scope;
    EXPECT_EQ(scope.find('*') == std::string::npos || scope.find('$') != std::string::npos, true)
        << "wildcard resource scope advertised: " << scope;
  }
}

TEST_F(OAuthDiscoveryTest, JwksPublishesTheSigningKey) {
  const json jwks = get_json("/oauth2/jwks");
  ASSERT_TRUE(jwks["keys"].is_array());
  ASSERT_FALSE(jwks["keys"].empty());
  EXPECT_EQ(jwks["keys"][0]["kty"], "RSA");
  EXPECT_FALSE(jwks["keys"][0].contains("d")) << "private key material published";
  const json style = get_json("/oauth2/smart-style.json");
  EXPECT_TRUE(style.contains("color_background"));
}

TEST_F(RouterTest, WithoutAnAuthorizationServerOAuthEndpointsAnswer503AndMetadataHasNoSecurity) {
  auto r = get("/r4/.well-known/smart-configuration");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"], "temporarily_unavailable");
  auto cs = nlohmann::json::parse(get("/r4/metadata").body);
  EXPECT_FALSE(cs["rest"][0].contains("security"));
}

}  // namespace
}  // namespace rest_test
