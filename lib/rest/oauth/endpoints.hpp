#pragma once
// THE source of the authorization server's URLs. The SMART configuration, the OpenID configuration,
// the CapabilityStatement's oauth-uris extension, the pages' form actions and auth::AuthConfig all
// derive from one public root (the site address, or the origin the server listens on), so the
// documents can never disagree with each other or with what the server checks (aud, assertion aud).
#include <string>
#include <string_view>

namespace auth {
struct AuthConfig;
}

namespace rest::oauth {

// Paths under the public root.
inline constexpr std::string_view kFhirBasePath = "/r4";
inline constexpr std::string_view kAuthorizePath = "/oauth2/authorize";
inline constexpr std::string_view kTokenPath = "/oauth2/token";
inline constexpr std::string_view kRegisterPath = "/oauth2/register";
inline constexpr std::string_view kIntrospectPath = "/oauth2/introspect";
inline constexpr std::string_view kRevokePath = "/oauth2/revoke";
inline constexpr std::string_view kUserinfoPath = "/oauth2/userinfo";
inline constexpr std::string_view kJwksPath = "/oauth2/jwks";
inline constexpr std::string_view kSmartStylePath = "/oauth2/smart-style.json";
inline constexpr std::string_view kPagesCssPath = "/oauth2/pages.css";
inline constexpr std::string_view kOpenidConfigurationPath = "/oauth2/.well-known/openid-configuration";

struct Endpoints {
  std::string root;       // e.g. https://ehr.example.org:8443 (no trailing slash)
  std::string fhir_base;  // root + /r4: the issuer, the aud apps must send, `iss` of redirects
  std::string authorize, token, registration, introspection, revocation, userinfo, jwks, smart_style,
      openid_configuration;
};

// Every URL under `root` (a trailing slash is dropped).
Endpoints endpoints_for_root(std::string_view root);

// The URLs the running authorization server uses: the root recovered from config.token_endpoint
// (which set_urls made root + /oauth2/token).
Endpoints endpoints(const auth::AuthConfig& config);

// The public root of a server: the site address when set, else the origin it listens on.
std::string public_root(std::string_view site_address, std::string_view listen_origin);

// Fills config.fhir_base, config.token_endpoint and config.smart_style_url from `root`.
void set_urls(auth::AuthConfig& config, std::string_view root);

}  // namespace rest::oauth
