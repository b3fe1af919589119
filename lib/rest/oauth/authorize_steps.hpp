#pragma once
// The posted steps of the authorize flow: each calls one auth::AuthorizationFlow function and picks
// the response (next page, the same page with a message, a redirect to the app, or an error page).
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_service.hpp"
#include "rest/context.hpp"

namespace rest::oauth {

// Login form posted: next step's page; the login page again with 401 on bad credentials or lockout;
// access_denied redirect when this user may not continue (EHR launch for another user, patient
// opted out).
Response login_step(const Context& ctx, auth::AuthService& svc, const auth::PendingRequest& request,
                    std::string_view username, std::string_view password);

// Patient picked (staff user): the consent page; the picker again when the Patient does not exist
// (404), cannot be chosen (400) or opted out of API access (403).
Response patient_step(const Context& ctx, auth::AuthService& svc, const auth::PendingRequest& request,
                      std::string_view patient_id);

// decision=allow with the ticked scopes: 302 to the app with code, state and iss; an error redirect
// (access_denied when nothing was ticked) or page otherwise.
Response consent_step(const Context& ctx, auth::AuthService& svc, const auth::PendingRequest& request,
                      const std::vector<std::string>& scopes);

}  // namespace rest::oauth
