#pragma once
// Internal to lib/auth (tokens, verifier): the recorded state of an access token and the changes
// that kill tokens. Callers hold the connection (a writer for the changes, inside their transaction).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

struct AccessTokenRow {
  std::string jti, family, client_id, user_id, grant_id, patient, encounter, scope;
  std::int64_t issued_s = 0, expires_s = 0;
  bool revoked = false;
};

// The recorded access token with this jti, if any. Errors: internal.
base::Result<std::optional<AccessTokenRow>> load_access_token(sql::Connection& conn, std::string_view jti);

// Why a recorded access token is no longer good ("token revoked", "client disabled",
// "authorization revoked", "user disabled", "patient API access off", "token expired",
// "unknown token"); empty when it is good. Errors: internal.
base::Result<std::string> access_token_problem(sql::Connection& conn, std::string_view jti, std::int64_t now_s);

// Revokes every access and refresh token of a family (one code and its refreshes) and bumps the
// revocation generation. Errors: internal.
base::Status revoke_family(sql::Connection& conn, std::string_view family);

}  // namespace auth
