#pragma once
// The ONE place an auth::OAuthError becomes an HTTP response (RFC 6749 section 5.2, RFC 6750
// section 3, RFC 7591 section 3.2.2), and the JSON responses of the OAuth endpoints. OAuth endpoints
// never answer with OperationOutcomes.
#include <string>
#include <string_view>

#include "auth/oauth_error.hpp"
#include "rest/http.hpp"

namespace rest::oauth {

// How a 401 names the authentication scheme the client should use.
enum class Challenge {
  none,    // no WWW-Authenticate header
  basic,   // the client authenticated with HTTP Basic: 401 + WWW-Authenticate: Basic (RFC 6749 5.2)
  bearer,  // a bearer-protected endpoint (userinfo, registration with an initial access token):
           // WWW-Authenticate: Bearer error="..." on 401 and 403 (RFC 6750 3)
};

// {"error": e.error, "error_description": e.description} with e.http_status, Cache-Control: no-store
// and Pragma: no-cache. With Challenge::basic an invalid_client becomes 401 with
// `WWW-Authenticate: Basic realm="fhir-serve"`; with Challenge::bearer a 401/403 carries
// `WWW-Authenticate: Bearer realm="fhir-serve", error="invalid_token"|"insufficient_scope", ...`
// (access_denied at a bearer endpoint is reported as insufficient_scope).
Response error_response(const auth::OAuthError& e, Challenge challenge = Challenge::none);

// A JSON body with `status`, Cache-Control: no-store and Pragma: no-cache.
Response json_response(int status, std::string body);

// A JSON body that may be cached (discovery documents, JWKS): Cache-Control: public, max-age=N.
Response public_json_response(std::string body, int max_age_s);

// The `WWW-Authenticate: Bearer` value for an error (quotes and control characters dropped from the
// description). Used by error_response and usable by the FHIR guard.
std::string bearer_challenge(std::string_view error, std::string_view description);

// 503 for endpoints hit when the server runs without an authorization server (Services::auth null).
Response not_configured();

}  // namespace rest::oauth
