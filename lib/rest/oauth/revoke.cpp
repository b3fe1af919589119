// POST /oauth2/revoke (RFC 7009): an authenticated client revokes one of its access or refresh
// tokens. 200 with an empty body also for unknown tokens (RFC 7009 section 2.2).
#include "auth/auth_service.hpp"
#include "rest/oauth/form.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {

base::Result<Response> revoke(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return not_configured();
  const Challenge challenge = uses_basic_auth(ctx.req) ? Challenge::basic : Challenge::none;
  auto form = read_token_form(ctx.req);
  if (!form) return error_response(form.error(), challenge);
  auto done = svc->tokens->revoke(form->credentials, form->token, form->hint);
  if (!done) return error_response(done.error(), challenge);
  Response r;
  r.set_header("Cache-Control", "no-store");
  r.set_header("Pragma", "no-cache");
  return r;
}

}  // namespace rest::oauth
