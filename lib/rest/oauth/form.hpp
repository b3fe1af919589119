#pragma once
// Reading OAuth requests: form bodies (application/x-www-form-urlencoded), single-valued parameters
// (RFC 6749 3.1: a parameter sent twice is invalid_request), client credentials as the token,
// introspection and revocation endpoints receive them, and bearer tokens.
#include <string>
#include <string_view>

#include "auth/client_auth.hpp"
#include "auth/oauth_error.hpp"
#include "rest/http.hpp"

namespace rest::oauth {

// The decoded fields of a form POST. Errors: invalid_request when the content type is not
// application/x-www-form-urlencoded.
auth::OAuthResult<Params> read_form(const Request& req);

// The value of `name` ("" when absent). Errors: invalid_request when it is given more than once.
auth::OAuthResult<std::string> single(const Params& params, std::string_view name);

// Every value of `name`, in order.
std::vector<std::string> all(const Params& params, std::string_view name);

// The client authentication material of a request: the Authorization header and the client_id,
// client_secret, client_assertion_type and client_assertion form fields. Errors: invalid_request
// when one of the fields is repeated.
auth::OAuthResult<auth::ClientCredentials> client_credentials(const Request& req, const Params& form);

// The form of the introspection and revocation endpoints (RFC 7662 section 2.1, RFC 7009 section
// 2.1): the token, the optional token_type_hint and the client's credentials.
struct TokenForm {
  std::string token, hint;
  auth::ClientCredentials credentials;
};
// Reads it. Errors: as read_form, single (token, token_type_hint) and client_credentials.
auth::OAuthResult<TokenForm> read_token_form(const Request& req);

// True when the request carries HTTP Basic credentials.
bool uses_basic_auth(const Request& req);

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or "".
std::string bearer_token(const Request& req);

// True unless a browser says the POST came from elsewhere: Sec-Fetch-Site other than same-origin /
// none, or an Origin header (including "null") naming another origin than the request's own or
// `own_origin`. Requests without those headers (scripts)
// pass; the pending request id is the flow's main defence.
bool same_origin_post(const Request& req, std::string_view own_origin);

}  // namespace rest::oauth
