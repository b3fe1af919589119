#include "rest/oauth/endpoints.hpp"

#include "auth/auth_service.hpp"

namespace rest::oauth {

Endpoints endpoints_for_root(std::string_view root) {
  while (!root.empty() && root.back() == '/') root.remove_suffix(1);
  const std::string r(root);
  Endpoints e;
  e.root = r;
  e.fhir_base = r + std::string(kFhirBasePath);
  e.authorize = r + std::string(kAuthorizePath);
  e.token = r + std::string(kTokenPath);
  e.registration = r + std::string(kRegisterPath);
  e.introspection = r + std::string(kIntrospectPath);
  e.revocation = r + std::string(kRevokePath);
  e.userinfo = r + std::string(kUserinfoPath);
  e.jwks = r + std::string(kJwksPath);
  e.smart_style = r + std::string(kSmartStylePath);
  e.openid_configuration = r + std::string(kOpenidConfigurationPath);
  return e;
}

Endpoints endpoints(const auth::AuthConfig& config) {
  std::string_view token = config.token_endpoint;
  if (token.size() >= kTokenPath.size() && token.substr(token.size() - kTokenPath.size()) == kTokenPath) {
    return endpoints_for_root(token.substr(0, token.size() - kTokenPath.size()));
  }
  std::string_view base = config.fhir_base;
  if (base.size() >= kFhirBasePath.size() && base.substr(base.size() - kFhirBasePath.size()) == kFhirBasePath) {
    base.remove_suffix(kFhirBasePath.size());
  }
  return endpoints_for_root(base);
}

std::string public_root(std::string_view site_address, std::string_view listen_origin) {
  std::string_view r = site_address.empty() ? listen_origin : site_address;
  while (!r.empty() && r.back() == '/') r.remove_suffix(1);
  return std::string(r);
}

void set_urls(auth::AuthConfig& config, std::string_view root) {
  const Endpoints e = endpoints_for_root(root);
  config.fhir_base = e.fhir_base;
  config.token_endpoint = e.token;
  config.smart_style_url = e.smart_style;
}

}  // namespace rest::oauth
