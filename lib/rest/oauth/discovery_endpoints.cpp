// GET [base]/.well-known/smart-configuration and GET /oauth2/.well-known/openid-configuration (also
// [base]/.well-known/openid-configuration, where OpenID Connect Discovery looks for the issuer's).
#include "auth/auth_service.hpp"
#include "rest/oauth/discovery.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {

base::Result<Response> smart_configuration(Context& ctx) {
  if (!ctx.services.auth) return not_configured();
  return public_json_response(smart_configuration_json(endpoints(ctx.services.auth->config)), 300);
}

base::Result<Response> openid_configuration(Context& ctx) {
  if (!ctx.services.auth) return not_configured();
  return public_json_response(openid_configuration_json(endpoints(ctx.services.auth->config)), 300);
}

}  // namespace rest::oauth
