// POST /oauth2/token: authorization_code, refresh_token and client_credentials grants; the client
// authenticates by client_secret_basic, client_secret_post, private_key_jwt or (public) client_id.
#include "auth/auth_service.hpp"
#include "rest/oauth/form.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {

base::Result<Response> token(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return not_configured();
  const Challenge challenge = uses_basic_auth(ctx.req) ? Challenge::basic : Challenge::none;
  auto form = read_form(ctx.req);
  if (!form) return error_response(form.error(), challenge);
  auth::TokenRequest request;
  struct Field {
    std::string_view name;
    std::string* out;
  };
  for (const Field& f : {Field{"grant_type", &request.grant_type}, Field{"code", &request.code},
                         Field{"redirect_uri", &request.redirect_uri}, Field{"code_verifier", &request.code_verifier},
                         Field{"refresh_token", &request.refresh_token}, Field{"scope", &request.scope}}) {
    auto v = single(*form, f.name);
    if (!v) return error_response(v.error(), challenge);
    *f.out = std::move(*v);
  }
  auto credentials = client_credentials(ctx.req, *form);
  if (!credentials) return error_response(credentials.error(), challenge);
  request.credentials = std::move(*credentials);
  auto issued = svc->tokens->token(request);
  if (!issued) return error_response(issued.error(), challenge);
  return json_response(200, issued->to_json());
}

}  // namespace rest::oauth
