#pragma once
// OAuth clients and dynamic registration (RFC 7591). Metadata is validated here; scopes are fixed at
// registration (scopes never grow: every later request is intersected with them). Patient standalone
// apps (auth::is_patient_standalone) are enabled at once; apps asking for launch, user/ or system/
// scopes start disabled until an admin enables them. Secrets and registration access tokens are
// random and stored only as SHA-256 hashes. Registration policy: the site setting
// `oauth_registration` = open | initial-access-token | closed (store/settings.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/clock.hpp"
#include "auth/oauth_error.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"
#include "store/settings.hpp"

namespace auth {

enum class AuthMethod { client_secret_basic, client_secret_post, private_key_jwt, none };

// The RFC 7591 name ("client_secret_basic", ...).
std::string_view auth_method_name(AuthMethod m);
std::optional<AuthMethod> parse_auth_method(std::string_view name);

struct ClientMetadata {
  std::vector<std::string> redirect_uris;
  std::string client_name;
  AuthMethod token_endpoint_auth_method = AuthMethod::client_secret_basic;
  std::vector<std::string> grant_types;  // authorization_code, refresh_token, client_credentials
  std::string scope;                     // space-separated, explicit (no wildcards)
  std::string jwks;                      // a JWK Set as JSON text; empty when none
  std::string jwks_uri;                  // empty when none
  std::string initiate_login_uri;        // EHR launch: where fhirctl launch create points
  std::vector<std::string> contacts;
  std::string logo_uri;
};

struct Client {
  std::string client_id;
  ClientMetadata metadata;
  bool enabled = false;
  std::int64_t issued_at_s = 0;

  bool is_public() const { return metadata.token_endpoint_auth_method == AuthMethod::none; }
  bool has_grant_type(std::string_view g) const;
  bool has_redirect_uri(std::string_view uri) const;  // exact string match
};

// Parses and validates a registration request body (JSON). Rules: token_endpoint_auth_method one of
// the four (default client_secret_basic); grant_types default [authorization_code], only
// authorization_code / refresh_token / client_credentials; client_credentials only with
// private_key_jwt and without authorization_code; redirect_uris required for authorization_code,
// each absolute https (or http on a loopback host), no fragment, no wildcard; scope required and
// passing check_registration_scopes; private_key_jwt needs exactly one of jwks / jwks_uri (https),
// and a jwks must parse with at least one RS384/ES384-capable key; initiate_login_uri and logo_uri
// https (or loopback http); contacts strings. Errors: invalid_redirect_uri for redirect problems,
// invalid_client_metadata for the rest (description names the field, never echoes secrets).
OAuthResult<ClientMetadata> parse_registration_request(std::string_view json_body);

// The same rules on an already-built ClientMetadata (fhirctl client add). Errors: as above.
OAuthStatus validate_metadata(const ClientMetadata& md);

struct Registration {
  Client client;
  std::string client_secret;              // confidential symmetric clients only, else empty
  std::string registration_access_token;  // shown once
};

// The RFC 7591 response body: client_id, client_secret (when any), client_id_issued_at,
// client_secret_expires_at (0) when a secret, registration_access_token, and the registered metadata.
std::string registration_response_json(const Registration& reg);

// The registered metadata of a client as a JSON object text (no secrets), plus client_id,
// client_id_issued_at and "enabled" (for fhirctl client show --json).
std::string client_json(const Client& client);

enum class RegistrationPolicy { open, initial_access_token, closed };

class ClientStore {
 public:
  // `settings` may be null: the policy is then `open`.
  ClientStore(sql::Database& db, Clock clock, const store::SettingsStore* settings);

  // Registers a client (metadata from parse_registration_request or validate_metadata-checked).
  // `initial_access_token` is the bearer token the request carried (empty when none). Errors:
  // access_denied (403) when registration is closed; invalid_token (401) when the policy requires an
  // initial access token and it is missing or unknown; invalid_client_metadata /
  // invalid_redirect_uri as validate_metadata; server_error.
  OAuthResult<Registration> register_client(const ClientMetadata& metadata,
                                            std::string_view initial_access_token);

  // Registers a client on an administrator's behalf (fhirctl): no registration policy check;
  // the same validation and the same enablement rule as register_client. Errors: as
  // validate_metadata; server_error.
  OAuthResult<Registration> add_client(const ClientMetadata& metadata);

  // One client. Errors: not_found.
  base::Result<Client> get(std::string_view client_id) const;
  // Every client, by issue time. Errors: internal.
  base::Result<std::vector<Client>> list() const;
  // Enables a client. Errors: not_found.
  base::Status enable(std::string_view client_id);
  // Disables a client; its tokens stop working at once (revocation generation bumped). Errors: not_found.
  base::Status disable(std::string_view client_id);

  // True when `secret` is the client's secret (constant-time over the hashes); false for a client
  // without a secret. Errors: not_found, internal.
  base::Result<bool> check_secret(std::string_view client_id, std::string_view secret) const;

  // The current registration policy (setting oauth_registration). Errors: internal.
  base::Result<RegistrationPolicy> policy() const;
  // Creates an initial access token (random, stored hashed), valid until revoked or until
  // `valid_for_s` seconds pass (0 = no expiry); returns it (shown once). Errors: internal.
  base::Result<std::string> create_initial_access_token(std::int64_t valid_for_s = 0);

 private:
  sql::Database& db_;
  Clock clock_;
  const store::SettingsStore* settings_;

  OAuthResult<Registration> insert_client(const ClientMetadata& metadata);
};

}  // namespace auth
