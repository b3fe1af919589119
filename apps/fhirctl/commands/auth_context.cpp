#include "commands/auth_context.hpp"

#include "commands/http_client.hpp"
#include "store/settings.hpp"

namespace fhirctl {

base::Result<AuthContext> open_auth(const GlobalOptions& global) {
  AuthContext ctx;
  FHIR_TRY(ctx.backend, rest::open_backend(global.data_dir));
  FHIR_TRY(auto site, ctx.backend->settings->get("site_address"));
  if (!site.value.empty()) ctx.fhir_base = fhir_base_url(site.value);
  else if (!global.server.empty()) ctx.fhir_base = fhir_base_url(global.server);
  auth::AuthConfig config;
  config.fhir_base = ctx.fhir_base.empty() ? "https://localhost:8443/r4" : ctx.fhir_base;
  config.token_endpoint = site_root_url(config.fhir_base) + "/oauth2/token";
  FHIR_TRY(ctx.auth, auth::AuthService::open(*ctx.backend->db, ctx.backend->settings.get(), std::move(config)));
  return ctx;
}

base::Result<bool> resource_exists(const AuthContext& ctx, std::string_view type, std::string_view id) {
  auto r = ctx.backend->resources->read(type, id);
  if (r) return !r->deleted;
  if (r.error().code == base::ErrorCode::not_found || r.error().code == base::ErrorCode::gone ||
      r.error().code == base::ErrorCode::invalid) {
    return false;
  }
  return r.error();
}

std::string username_of(const AuthContext& ctx, const std::string& user_id) {
  if (user_id.empty()) return {};
  auto u = ctx.auth->users->get(user_id);
  return u ? u->username : user_id;
}

}  // namespace fhirctl
