#include "rest/oauth/discovery.hpp"

#include <nlohmann/json.hpp>

namespace rest::oauth {

const std::vector<std::string>& supported_scopes() {
  static const std::vector<std::string> scopes = [] {
    std::vector<std::string> out = {"openid",         "fhirUser",        "profile",       "launch",
                                    "launch/patient", "launch/encounter", "offline_access", "online_access"};
    auto profiles = base::embedded_json("fhir/us-core-profiles.json");
    if (profiles && profiles->is_object()) {
      for (const char* level : {"patient", "user", "system"}) {
        for (const auto& [type, unused] : profiles->items()) {
          out.push_back(std::string(level) + "/" + type + ".read");
          out.push_back(std::string(level) + "/" + type + ".rs");
        }
      }
    }
    for (const char* s : {"patient/DocumentReference.$docref", "user/DocumentReference.$docref",
                          "system/*.$export", "system/Group.$export", "system/Patient.$export",
                          "system/*.$bulkdata-status", "system/Document.read"}) {
      out.emplace_back(s);
    }
    return out;
  }();
  return scopes;
}

const std::vector<std::string>& smart_capabilities() {
  static const std::vector<std::string> caps = {
      "launch-ehr",          "launch-standalone",
      "client-public",       "client-confidential-symmetric",
      "client-confidential-asymmetric", "sso-openid-connect",
      "context-banner",      "context-style",
      "context-ehr-patient", "context-ehr-encounter",
      "context-standalone-patient", "permission-offline",
      "permission-patient",  "permission-user",
      "permission-v1",       "permission-v2",
      "authorize-post"};
  return caps;
}

const std::vector<std::string>& token_endpoint_auth_methods() {
  // "none" is what public clients register (RFC 7591); listing it keeps discovery truthful.
  static const std::vector<std::string> methods = {"client_secret_basic", "client_secret_post",
                                                   "private_key_jwt", "none"};
  return methods;
}

namespace {

const base::Json kGrantTypes = base::Json::array({"authorization_code", "refresh_token", "client_credentials"});

}  // namespace

std::string smart_configuration_json(const Endpoints& e) {
  base::Json j = base::Json::object();
  j["issuer"] = e.fhir_base;
  j["jwks_uri"] = e.jwks;
  j["authorization_endpoint"] = e.authorize;
  j["token_endpoint"] = e.token;
  j["registration_endpoint"] = e.registration;
  j["introspection_endpoint"] = e.introspection;
  j["revocation_endpoint"] = e.revocation;
  j["userinfo_endpoint"] = e.userinfo;
  j["scopes_supported"] = supported_scopes();
  j["response_types_supported"] = base::Json::array({"code"});
  j["grant_types_supported"] = kGrantTypes;
  j["code_challenge_methods_supported"] = base::Json::array({"S256"});
  j["token_endpoint_auth_methods_supported"] = token_endpoint_auth_methods();
  j["token_endpoint_auth_signing_alg_values_supported"] = base::Json::array({"RS384", "ES384"});
  j["capabilities"] = smart_capabilities();
  return base::dump_compact(j);
}

std::string openid_configuration_json(const Endpoints& e) {
  base::Json j = base::Json::object();
  j["issuer"] = e.fhir_base;
  j["authorization_endpoint"] = e.authorize;
  j["token_endpoint"] = e.token;
  j["userinfo_endpoint"] = e.userinfo;
  j["jwks_uri"] = e.jwks;
  j["registration_endpoint"] = e.registration;
  j["introspection_endpoint"] = e.introspection;
  j["revocation_endpoint"] = e.revocation;
  j["scopes_supported"] = supported_scopes();
  j["response_types_supported"] = base::Json::array({"code"});
  j["response_modes_supported"] = base::Json::array({"query"});
  j["grant_types_supported"] = kGrantTypes;
  j["subject_types_supported"] = base::Json::array({"public"});
  j["id_token_signing_alg_values_supported"] = base::Json::array({"RS256"});
  j["token_endpoint_auth_methods_supported"] = token_endpoint_auth_methods();
  j["token_endpoint_auth_signing_alg_values_supported"] = base::Json::array({"RS384", "ES384"});
  j["code_challenge_methods_supported"] = base::Json::array({"S256"});
  j["claims_supported"] =
      base::Json::array({"iss", "sub", "aud", "exp", "iat", "nonce", "fhirUser", "name", "preferred_username"});
  return base::dump_compact(j);
}

base::Json capability_security(const Endpoints& e) {
  auto uri = [](const char* name, const std::string& value) {
    return base::Json{{"url", name}, {"valueUri", value}};
  };
  base::Json oauth_uris = base::Json::object();
  oauth_uris["url"] = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
  oauth_uris["extension"] = base::Json::array({uri("authorize", e.authorize), uri("token", e.token),
                                               uri("register", e.registration), uri("introspect", e.introspection),
                                               uri("revoke", e.revocation)});
  base::Json coding = {{"system", "http://terminology.hl7.org/CodeSystem/restful-security-service"},
                       {"code", "SMART-on-FHIR"},
                       {"display", "SMART-on-FHIR"}};
  base::Json security = base::Json::object();
  security["extension"] = base::Json::array({std::move(oauth_uris)});
  security["cors"] = false;
  security["service"] = base::Json::array({{{"coding", base::Json::array({std::move(coding)})},
                                            {"text", "OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)"}}});
  security["description"] = "SMART App Launch 1.1 / 2.0 with OpenID Connect; discovery at " + e.fhir_base +
                            "/.well-known/smart-configuration. Every request except the CapabilityStatement "
                            "needs a Bearer access token.";
  return security;
}

}  // namespace rest::oauth
