// GET /oauth2/jwks: the public keys our access and id tokens are signed with (retired keys stay
// until the tokens they signed have expired).
#include "auth/auth_service.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {

base::Result<Response> jwks(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return not_configured();
  auto doc = svc->keys->jwks_json();
  if (!doc) {
    if (ctx.services.log_error) ctx.services.log_error("jwks: " + doc.error().message);
    return error_response(auth::server_error());
  }
  return public_json_response(std::move(*doc), 300);
}

}  // namespace rest::oauth
