// GET|POST /oauth2/userinfo (OpenID Connect Core 5.3): the signed-in user behind a bearer access
// token granted openid. Errors per RFC 6750 (WWW-Authenticate: Bearer).
#include "auth/auth_service.hpp"
#include "rest/oauth/form.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {

base::Result<Response> userinfo(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return not_configured();
  const std::string bearer = bearer_token(ctx.req);
  if (bearer.empty()) {
    // RFC 6750 3.1: a request without a token gets the challenge without an error code.
    Response r = json_response(401, R"({"error":"invalid_token","error_description":"an Authorization: Bearer access token is required"})");
    r.set_header("WWW-Authenticate", bearer_challenge({}, {}));
    return r;
  }
  auto principal = svc->verifier->verify(bearer);
  if (!principal) {
    if (principal.error().code == base::ErrorCode::internal) {
      if (ctx.services.log_error) ctx.services.log_error("userinfo: " + principal.error().message);
      return error_response(auth::server_error());
    }
    return error_response(auth::invalid_token(principal.error().message), Challenge::bearer);
  }
  auto info = svc->tokens->userinfo_json(*principal);
  if (!info) return error_response(info.error(), Challenge::bearer);
  return json_response(200, std::move(*info));
}

}  // namespace rest::oauth
