#include "auth/oauth_error.hpp"

namespace auth {
namespace {
OAuthError make(const char* code, std::string description, int status) {
  return OAuthError{code, std::move(description), status};
}
}  // namespace

OAuthError invalid_request(std::string d) { return make("invalid_request", std::move(d), 400); }
OAuthError invalid_client(std::string d) { return make("invalid_client", std::move(d), 401); }
OAuthError invalid_grant(std::string d) { return make("invalid_grant", std::move(d), 400); }
OAuthError unauthorized_client(std::string d) { return make("unauthorized_client", std::move(d), 400); }
OAuthError unsupported_grant_type(std::string d) { return make("unsupported_grant_type", std::move(d), 400); }
OAuthError invalid_scope(std::string d) { return make("invalid_scope", std::move(d), 400); }
OAuthError access_denied(std::string d) { return make("access_denied", std::move(d), 403); }
OAuthError unsupported_response_type(std::string d) { return make("unsupported_response_type", std::move(d), 400); }
OAuthError invalid_client_metadata(std::string d) { return make("invalid_client_metadata", std::move(d), 400); }
OAuthError invalid_redirect_uri(std::string d) { return make("invalid_redirect_uri", std::move(d), 400); }
OAuthError invalid_token(std::string d) { return make("invalid_token", std::move(d), 401); }
OAuthError server_error() { return make("server_error", "the server could not complete the request", 500); }

OAuthError from_error(const base::Error& e) {
  if (e.code == base::ErrorCode::internal || e.code == base::ErrorCode::unavailable) return server_error();
  return invalid_request(e.message);
}

base::Error to_base_error(const OAuthError& e) {
  base::ErrorCode code = base::ErrorCode::invalid;
  if (e.http_status == 401) code = base::ErrorCode::unauthorized;
  else if (e.http_status == 403) code = base::ErrorCode::forbidden;
  else if (e.http_status >= 500) code = base::ErrorCode::internal;
  return base::make_error(code, e.error + ": " + e.description);
}

}  // namespace auth
