#pragma once
// Read-only queries over lib/auth's refresh tokens, which TokenService does not list yet
// (auth_refresh_tokens, see lib/auth/schema). A refresh token's id is the lowercase hex SHA-256 of
// the token, the key lib/auth stores it under; the token itself is never stored or shown.
// Move these into lib/auth (TokenService) when it offers them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace fhirctl {

struct RefreshRecord {
  std::string id;  // hex SHA-256 of the token
  std::string client_id, user_id, patient, encounter, scope;
  std::string status;  // active | rotated | revoked, as stored
  std::int64_t issued_s = 0, expires_s = 0;
};

// Every refresh token of `client_id` (all clients when empty), newest first. Errors: internal.
base::Result<std::vector<RefreshRecord>> list_refresh_tokens(sql::Database& db, std::string_view client_id);

// The refresh token with this id (hex SHA-256), if any. Errors: internal.
base::Result<std::optional<RefreshRecord>> find_refresh_token(sql::Database& db, std::string_view id);

// The id of a refresh token value: lowercase hex SHA-256.
std::string refresh_token_id(std::string_view token);

}  // namespace fhirctl
