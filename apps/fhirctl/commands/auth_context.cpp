#include "commands/auth_context.hpp"

#include "store/settings.hpp"

namespace fhirctl {
namespace {

std::string strip_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// A server URL given as the site root or as its FHIR base ends up as the FHIR base.
std::string fhir_base_of(const std::string& url) {
  std::string base = strip_slash(url);
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/r4") == 0) return base;
  return base + "/r4";
}

}  // namespace

base::Result<AuthContext> open_auth(const GlobalOptions& global) {
  AuthContext ctx;
  FHIR_TRY(ctx.backend, rest::open_backend(global.data_dir));
  FHIR_TRY(auto site, ctx.backend->settings->get("site_address"));
  if (!site.value.empty()) ctx.fhir_base = fhir_base_of(site.value);
  else if (!global.server.empty()) ctx.fhir_base = fhir_base_of(global.server);
  auth::AuthConfig config;
  config.fhir_base = ctx.fhir_base.empty() ? "https://localhost:8443/r4" : ctx.fhir_base;
  const std::string root = config.fhir_base.substr(0, config.fhir_base.size() - 3);
  config.token_endpoint = root + "/oauth2/token";
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
