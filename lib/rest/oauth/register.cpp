// POST /oauth2/register (RFC 7591 dynamic client registration): JSON metadata in, 201 with the
// client_id (and secret, for confidential symmetric clients) out. When the site requires it, an
// initial access token comes as `Authorization: Bearer`.
#include "auth/auth_service.hpp"
#include "rest/oauth/form.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"

namespace rest::oauth {
namespace {

bool is_json(const Request& req) {
  const auto ct = req.header("content-type");
  if (!ct) return false;
  std::string mt(ct->substr(0, ct->find(';')));
  while (!mt.empty() && mt.back() == ' ') mt.pop_back();
  for (char& c : mt) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return mt == "application/json";
}

}  // namespace

base::Result<Response> register_client(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return not_configured();
  if (!is_json(ctx.req)) {
    return error_response(auth::invalid_client_metadata("the body must be a JSON object (Content-Type: application/json)"));
  }
  auto metadata = auth::parse_registration_request(ctx.req.body);
  if (!metadata) return error_response(metadata.error());
  auto registration = svc->clients->register_client(*metadata, bearer_token(ctx.req));
  if (!registration) {
    const auto& e = registration.error();
    return error_response(e, e.http_status == 401 ? Challenge::bearer : Challenge::none);
  }
  return json_response(201, auth::registration_response_json(*registration));
}

}  // namespace rest::oauth
