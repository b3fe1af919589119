// GET|POST /oauth2/authorize: starts an authorization request (the app's GET, or POST for
// authorize-post), and continues it: every page posts back here with the hidden request_id field —
// the login form (username, password), the patient picker (patient; GET with q searches), the
// consent form (scope checkboxes, decision=allow|deny). decision=deny is accepted at every step.
#include "auth/auth_service.hpp"
#include "rest/oauth/authorize_pages.hpp"
#include "rest/oauth/authorize_steps.hpp"
#include "rest/oauth/endpoints.hpp"
#include "rest/oauth/form.hpp"
#include "rest/oauth/oauth.hpp"

namespace rest::oauth {
namespace {

// "scheme://host[:port]" of the public root (which may carry a path behind a proxy).
std::string origin_of(std::string_view root) {
  const auto scheme = root.find("://");
  if (scheme == std::string_view::npos) return std::string(root);
  return std::string(root.substr(0, root.find('/', scheme + 3)));
}

Response begin(const Context& ctx, auth::AuthService& svc, const Params& params) {
  auth::AuthorizeParams p;
  struct Field {
    std::string_view name;
    std::string* out;
  };
  for (const Field& f : {Field{"response_type", &p.response_type}, Field{"client_id", &p.client_id},
                         Field{"redirect_uri", &p.redirect_uri}, Field{"scope", &p.scope}, Field{"state", &p.state},
                         Field{"aud", &p.aud}, Field{"nonce", &p.nonce}, Field{"launch", &p.launch},
                         Field{"code_challenge", &p.code_challenge},
                         Field{"code_challenge_method", &p.code_challenge_method}}) {
    auto v = single(params, f.name);
    // A repeated parameter could smuggle a second redirect_uri: no redirect, an error page.
    if (!v) return error_page(400, v.error().error, v.error().description);
    *f.out = std::move(*v);
  }
  auto pending = svc.flow->begin(p);
  if (!pending) return authorize_error(pending.error(), svc.config.fhir_base);
  return step_page(ctx, *pending);
}

}  // namespace

base::Result<Response> authorize(Context& ctx) {
  auth::AuthService* svc = ctx.services.auth;
  if (!svc) return error_page(503, "temporarily_unavailable", "This server runs without an authorization server.");
  Params params = ctx.req.query;
  const bool post = ctx.req.method == Method::POST;
  if (post) {
    auto form = read_form(ctx.req);
    if (!form) return error_page(400, form.error().error, form.error().description);
    params = std::move(*form);
  }
  auto request_id = single(params, "request_id");
  if (!request_id) return error_page(400, request_id.error().error, request_id.error().description);
  if (request_id->empty()) return begin(ctx, *svc, params);

  // Continuing a pending request: a form of ours, so a browser must have sent it from our pages.
  if (post && !same_origin_post(ctx.req, origin_of(endpoints(svc->config).root))) {
    return error_page(403, "access_denied", "This form was sent from another site; it was refused.");
  }
  auto pending = svc->flow->get(*request_id);
  if (!pending) {
    if (pending.error().code == base::ErrorCode::not_found) return expired_page();
    return internal_error_page(ctx, pending.error());
  }
  if (!post) {
    StepOptions o;
    if (auto q = single(params, "q")) o.query = std::move(*q);
    return step_page(ctx, *pending, o);
  }
  const std::string decision = single(params, "decision").ok() ? *single(params, "decision") : std::string();
  if (decision == "deny") return authorize_error(svc->flow->deny(*request_id), svc->config.fhir_base);
  switch (auth::AuthorizationFlow::next_step(*pending)) {
    case auth::Step::login:
      if (!single(params, "username").ok() || !single(params, "password").ok()) {
        return step_page(ctx, *pending, {"username and password must be given once each", {}, 400});
      }
      return login_step(ctx, *svc, *pending, *single(params, "username"), *single(params, "password"));
    case auth::Step::pick_patient: {
      auto patient = single(params, "patient");
      if (!patient || patient->empty()) return step_page(ctx, *pending, {"Choose one patient.", {}, 400});
      return patient_step(ctx, *svc, *pending, *patient);
    }
    case auth::Step::consent:
      if (decision != "allow") return step_page(ctx, *pending, {"Choose Allow or Deny.", {}, 400});
      return consent_step(ctx, *svc, *pending, all(params, "scope"));
  }
  return step_page(ctx, *pending);
}

}  // namespace rest::oauth
