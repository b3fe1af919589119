// POST /oauth2/introspect (RFC 7662): an authenticated client asks whether a token is active.
#include "auth/auth_service.hpp"
#include "rest/oauth/form.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {

base::Result<Response> introspect(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return not_configured();
  const Challenge challenge = uses_basic_auth(ctx.req) ? Challenge::basic : Challenge::none;
  auto form = read_token_form(ctx.req);
  if (!form) return error_response(form.error(), challenge);
  auto answer = svc->tokens->introspect(form->credentials, form->token, form->hint);
  if (!answer) return error_response(answer.error(), challenge);
  return json_response(200, answer->to_json());
}

}  // namespace rest::oauth
