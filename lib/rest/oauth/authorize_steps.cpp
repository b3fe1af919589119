#include "rest/oauth/authorize_steps.hpp"

#include "rest/oauth/authorize_pages.hpp"
#include "store/resource_store.hpp"

namespace rest::oauth {

Response login_step(const Context& ctx, auth::AuthService& svc, const auth::PendingRequest& request,
                    std::string_view username, std::string_view password) {
  auto r = svc.flow->login(request.id, username, password);
  if (r) return step_page(ctx, *r);
  switch (r.error().code) {
    case base::ErrorCode::unauthorized:
      return step_page(ctx, request, {r.error().message, {}, 401});
    case base::ErrorCode::forbidden:
      return authorize_error(svc.flow->deny(request.id), svc.config.fhir_base);
    case base::ErrorCode::not_found:
      return expired_page();
    default:
      return internal_error_page(ctx, r.error());
  }
}

Response patient_step(const Context& ctx, auth::AuthService& svc, const auth::PendingRequest& request,
                      std::string_view patient_id) {
  if (auto p = ctx.services.resources->read("Patient", patient_id); !p) {
    if (p.error().code == base::ErrorCode::internal) return internal_error_page(ctx, p.error());
    return step_page(ctx, request, {"There is no Patient/" + std::string(patient_id) + ".", {}, 404});
  }
  auto r = svc.flow->choose_patient(request.id, patient_id);
  if (r) return step_page(ctx, *r);
  switch (r.error().code) {
    case base::ErrorCode::invalid:
      return step_page(ctx, request, {r.error().message, {}, 400});
    case base::ErrorCode::forbidden:
      return step_page(ctx, request,
                       {"This patient has opted out of third-party app access; choose another.", {}, 403});
    case base::ErrorCode::not_found:
      return expired_page();
    default:
      return internal_error_page(ctx, r.error());
  }
}

Response consent_step(const Context& ctx, auth::AuthService& svc, const auth::PendingRequest& request,
                      const std::vector<std::string>& scopes) {
  (void)ctx;
  auto r = svc.flow->approve(request.id, scopes);
  if (!r) return authorize_error(r.error(), svc.config.fhir_base);
  return redirect(r->url);
}

}  // namespace rest::oauth
