#pragma once
// Everything lib/auth offers, wired once over one database: what the HTTP layer (rest/oauth), the
// guard (verifier) and fhirctl use. Build it with AuthService::open after the store is migrated.
#include <memory>
#include <string>

#include "auth/client_auth.hpp"
#include "auth/clients.hpp"
#include "auth/clock.hpp"
#include "auth/flow.hpp"
#include "auth/keys.hpp"
#include "auth/password.hpp"
#include "auth/tokens.hpp"
#include "auth/users.hpp"
#include "auth/verifier.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"
#include "store/settings.hpp"

namespace auth {

struct AuthConfig {
  std::string fhir_base;        // e.g. https://host:8443/r4 — issuer, audience, `iss` of redirects
  std::string token_endpoint;   // e.g. https://host:8443/oauth2/token — private_key_jwt aud
  std::string smart_style_url;  // returned in token responses when non-empty
  Clock clock = system_clock();
  JwksFetcher fetcher;          // for jwks_uri clients; may be empty
  ScryptParams scrypt;          // tests lower the cost
  LockoutPolicy lockout;
  VerifierOptions verifier;
  JwksCacheOptions jwks_cache;
};

struct AuthService {
  AuthConfig config;
  std::unique_ptr<KeyRing> keys;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<ClientStore> clients;
  std::unique_ptr<AuthorizationFlow> flow;
  std::unique_ptr<ClientAuthenticator> client_auth;
  std::unique_ptr<TokenService> tokens;
  std::unique_ptr<JwtTokenVerifier> verifier;

  // Applies lib/auth's migrations and builds every component (the KeyRing makes the first signing
  // key when there is none). `settings` may be null (registration policy then `open`); it must
  // outlive the service, as must `db`. Errors: invalid (fhir_base or token_endpoint empty or not
  // absolute http(s) URLs), internal (database, keys).
  static base::Result<std::unique_ptr<AuthService>> open(sql::Database& db,
                                                         const store::SettingsStore* settings,
                                                         AuthConfig config);
};

}  // namespace auth
