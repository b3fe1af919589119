#include "auth/auth_service.hpp"

#include "auth/schema.hpp"
#include "auth/uri.hpp"

namespace auth {

base::Result<std::unique_ptr<AuthService>> AuthService::open(sql::Database& db, const store::SettingsStore* settings,
                                                             AuthConfig config) {
  UrlParts parts;
  if (!split_url(config.fhir_base, parts) || (parts.scheme != "https" && parts.scheme != "http") ||
      config.fhir_base.back() == '/') {
    return base::invalid("the FHIR base must be an absolute http(s) URL without a trailing slash");
  }
  if (!split_url(config.token_endpoint, parts) || (parts.scheme != "https" && parts.scheme != "http")) {
    return base::invalid("the token endpoint must be an absolute http(s) URL");
  }
  if (!config.clock) config.clock = system_clock();
  FHIR_CHECK(migrate_schema(db));
  auto s = std::make_unique<AuthService>();
  s->config = std::move(config);
  const AuthConfig& c = s->config;
  FHIR_TRY(s->keys, KeyRing::open(db, c.clock));
  s->users = std::make_unique<UserStore>(db, c.clock, c.scrypt, c.lockout);
  s->clients = std::make_unique<ClientStore>(db, c.clock, settings);
  s->flow = std::make_unique<AuthorizationFlow>(db, c.clock, *s->clients, *s->users, c.fhir_base);
  s->client_auth = std::make_unique<ClientAuthenticator>(db, c.clock, *s->clients, c.token_endpoint, c.fetcher,
                                                         c.jwks_cache);
  s->tokens = std::make_unique<TokenService>(db, c.clock, *s->keys, *s->clients, *s->users, *s->client_auth,
                                             TokenOptions{c.fhir_base, c.smart_style_url});
  s->verifier = std::make_unique<JwtTokenVerifier>(db, c.clock, *s->keys, c.fhir_base, c.verifier);
  return s;
}

}  // namespace auth
