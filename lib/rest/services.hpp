#pragma once
// Everything a request handler may use, built once by the app's main and passed down explicitly.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace store {
class ResourceStore;
class SettingsStore;
class SettingsCache;
}  // namespace store
namespace audit {
class ApiLog;
}
namespace search {
class SearchEngine;
class Indexer;
}  // namespace search
namespace auth {
class TokenVerifier;
struct AuthService;
}  // namespace auth

namespace rest {

struct Services {
  store::ResourceStore* resources = nullptr;
  store::SettingsStore* settings = nullptr;
  store::SettingsCache* settings_cache = nullptr;
  audit::ApiLog* api_log = nullptr;  // null: requests are not recorded
  search::SearchEngine* search = nullptr;
  // The SMART authorization server (rest/oauth endpoints, discovery). Null: the /oauth2 endpoints
  // answer 503 and the CapabilityStatement declares no security.
  auth::AuthService* auth = nullptr;
  // Bearer-token verification. Null: authentication is off (tests, benchmarks, an explicit dev
  // flag); every route is open. Set: every route with needs_token requires a valid token and the
  // token's scopes are enforced (rest/guard.hpp).
  const auth::TokenVerifier* tokens = nullptr;
  // Computes which patients a resource version belongs to (patient-restricted vread and history);
  // needed when `tokens` is set.
  const search::Indexer* indexer = nullptr;
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::string software_version = "0.1.0";
  // Receives internal errors (the detail the client does not see). Never given tokens or PHI.
  std::function<void(std::string_view)> log_error;
};

}  // namespace rest
