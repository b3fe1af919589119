#pragma once
// What the admin commands of lib/auth open: the backend of --data-dir (database, store, settings)
// and the AuthService over the same database, plus the FHIR base URL the server publishes.
#include <memory>
#include <string>

#include "auth/auth_service.hpp"
#include "base/result.hpp"
#include "commands/common.hpp"
#include "rest/backend.hpp"

namespace fhirctl {

struct AuthContext {
  std::unique_ptr<rest::Backend> backend;
  std::unique_ptr<auth::AuthService> auth;
  // The server's FHIR base: site_address + "/r4", else --server (FHIRCTL_SERVER) + "/r4"; empty
  // when neither is set (then AuthService runs on a placeholder base and `launch create` refuses).
  std::string fhir_base;
};

// Opens the data directory and lib/auth over it. Errors: as rest::open_backend and
// auth::AuthService::open.
base::Result<AuthContext> open_auth(const GlobalOptions& global);

// True when a resource of `type` with `id` is stored and not deleted. Errors: internal.
base::Result<bool> resource_exists(const AuthContext& ctx, std::string_view type, std::string_view id);

// The username for a user id, or the id itself when the user is gone; "" for "".
std::string username_of(const AuthContext& ctx, const std::string& user_id);

}  // namespace fhirctl
