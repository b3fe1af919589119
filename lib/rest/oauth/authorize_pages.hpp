#pragma once
// The authorize flow's responses: the page for the pending request's next step (login, patient
// picker, consent), the error page, and redirects back to the app.
#include <string>
#include <string_view>

#include "auth/flow.hpp"
#include "rest/context.hpp"

namespace rest::oauth {

struct StepOptions {
  std::string error;  // shown on the page (e.g. a failed login)
  std::string query;  // the picker's name search
  int status = 200;
};

// The page for auth::AuthorizationFlow::next_step(request).
Response step_page(const Context& ctx, const auth::PendingRequest& request, const StepOptions& options = {});

// An HTML error page (never a redirect): unknown client, unregistered redirect_uri, expired request...
Response error_page(int status, std::string_view error, std::string_view message);

// The page for an unknown or expired pending request (400).
Response expired_page();

// An internal failure during the flow: logged through Services::log_error, a generic 500 page.
Response internal_error_page(const Context& ctx, const base::Error& e);

// 302 to `url` (Cache-Control: no-store).
Response redirect(std::string url);

// An AuthorizeError as the spec wants it: a redirect to the app (with error, state and iss) for the
// redirect kind, an error page for show_page.
Response authorize_error(const auth::AuthorizeError& e, std::string_view issuer);

}  // namespace rest::oauth
