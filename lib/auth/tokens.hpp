#pragma once
// The token endpoint's logic and what tokens are afterwards.
// Access tokens: JWT RS256 (KeyRing) with kid, iss = aud = our FHIR base, sub (user id, or client_id
// for backend services), exp = iat + 3600, iat, jti, client_id, scope, and context claims patient,
// encounter, fhirUser (relative, "Patient/123"). Every one is recorded (auth_access_tokens) so it can
// be listed, introspected and revoked. Refresh tokens: opaque random, stored as SHA-256 only, 3-month
// life, issued only when offline_access was granted; each use rotates (new token, old one dead);
// presenting a dead rotated token revokes its whole chain and the access tokens it issued. Refresh
// may narrow the scope; the launch context (patient, encounter, fhirUser) is kept. id_token (RS256;
// iss, sub, aud = client_id, exp, iat, nonce, fhirUser as an absolute URL) when openid was granted
// with a user. Grants: one row per authorization (client, user, patient); revoke_user kills every
// token of that user for that client. A replayed authorization code revokes what it issued.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/client_auth.hpp"
#include "auth/clients.hpp"
#include "auth/clock.hpp"
#include "auth/keys.hpp"
#include "auth/oauth_error.hpp"
#include "auth/principal.hpp"
#include "auth/users.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

// A token endpoint request (form fields), with the client's credentials.
struct TokenRequest {
  std::string grant_type;     // authorization_code | refresh_token | client_credentials
  std::string code, redirect_uri, code_verifier;  // authorization_code
  std::string refresh_token;                      // refresh_token
  std::string scope;          // refresh_token (optional narrowing), client_credentials (optional)
  ClientCredentials credentials;
};

// Everything the token endpoint returns (RFC 6749 section 5.1 + SMART context).
struct TokenResponse {
  std::string access_token;
  std::string token_type = "Bearer";
  std::int64_t expires_in = kAccessTokenLifeS;
  std::string scope;
  std::optional<std::string> refresh_token;
  std::optional<std::string> id_token;
  std::optional<std::string> patient;
  std::optional<std::string> encounter;
  std::optional<bool> need_patient_banner;   // set for user-facing launches
  std::optional<std::string> smart_style_url;

  // The JSON body (absent members omitted).
  std::string to_json() const;
};

// RFC 7662 answer. Inactive answers carry only active=false.
struct Introspection {
  bool active = false;
  std::string scope, client_id, username, token_type, sub, iss, jti, patient, encounter, fhir_user;
  std::vector<std::string> aud;
  std::int64_t exp = 0, iat = 0;
  std::string to_json() const;  // {"active":false} or the claims
};

// A recorded access token (for listing / revocation by id; fhirctl token list|revoke).
struct TokenRecord {
  std::string jti, client_id, user_id, patient, encounter, scope;
  std::int64_t issued_s = 0, expires_s = 0;
  bool revoked = false;
};

// One authorization of a client by a user (for a patient).
struct GrantRecord {
  std::string id, client_id, user_id, username, patient, scope;
  std::int64_t created_s = 0;
  bool revoked = false;
};

struct TokenOptions {
  std::string fhir_base;        // iss and aud of access tokens
  std::string smart_style_url;  // returned when non-empty
};

class TokenService {
 public:
  TokenService(sql::Database& db, Clock clock, KeyRing& keys, ClientStore& clients, UserStore& users,
               ClientAuthenticator& client_auth, TokenOptions options);

  // The token endpoint: authenticates the client (ClientAuthenticator) and runs the grant.
  // authorization_code errors: invalid_grant (unknown/used/expired code, code of another client,
  // redirect_uri different from the authorize one, PKCE verifier missing/wrong when a challenge was
  // given, user disabled, patient opted out; a reused code also revokes the tokens it issued),
  // invalid_request (missing code), unauthorized_client (client lacks the grant type).
  // refresh_token errors: invalid_grant (unknown/expired/revoked/other client's token, reuse of a
  // rotated token — which revokes the chain — grant revoked, user disabled, patient opted out),
  // invalid_scope (scope not within the original grant). client_credentials errors:
  // unauthorized_client (client not registered for it), invalid_scope (no registered scope left).
  // unsupported_grant_type for other grant types; client authentication errors as
  // ClientAuthenticator; server_error.
  OAuthResult<TokenResponse> token(const TokenRequest& request);

  // RFC 7662 for an authenticated client: active only for our live access or refresh tokens issued
  // to that same client (others, revoked, expired, unknown -> inactive). Errors: client
  // authentication errors, invalid_request (empty token), server_error.
  OAuthResult<Introspection> introspect(const ClientCredentials& credentials, std::string_view token,
                                        std::string_view token_type_hint = {});

  // RFC 7009: revokes an access token (JWT with a jti) or a refresh token (with its chain and the
  // access tokens it issued) of the authenticated client. Unknown tokens and other clients' tokens
  // succeed without effect. Errors: client authentication errors, invalid_request (empty token),
  // server_error.
  OAuthStatus revoke(const ClientCredentials& credentials, std::string_view token,
                     std::string_view token_type_hint = {});

  // OpenID Connect userinfo for a verified principal: {"sub", "fhirUser" (absolute), "name",
  // "preferred_username"} as JSON text. Errors: invalid_token (no user behind the token, e.g.
  // backend services; user gone), access_denied when openid was not granted.
  OAuthResult<std::string> userinfo_json(const Principal& principal);

  // --- administration (fhirctl) ---

  // Recorded access tokens, newest first; `client_id` empty for all; expired ones only when asked.
  base::Result<std::vector<TokenRecord>> list_tokens(std::string_view client_id, bool include_expired) const;
  // The record of an encoded access token (signature checked, expired allowed) — "Parse Token".
  // Errors: unauthorized (not one of our tokens), not_found (not recorded).
  base::Result<TokenRecord> describe_token(std::string_view access_token) const;
  // Revokes one access token by jti. Errors: not_found.
  base::Status revoke_token_id(std::string_view jti);
  // Grants of a client (every user who authorized it). Errors: internal.
  base::Result<std::vector<GrantRecord>> list_grants(std::string_view client_id) const;
  // Revokes every grant of `user` (id or username) for `client_id`, with their access and refresh
  // tokens. Errors: not_found (client or user), internal.
  base::Status revoke_user(std::string_view client_id, std::string_view user);

 private:
  sql::Database& db_;
  Clock clock_;
  KeyRing& keys_;
  ClientStore& clients_;
  UserStore& users_;
  ClientAuthenticator& client_auth_;
  TokenOptions options_;
};

}  // namespace auth
