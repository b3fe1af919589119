#pragma once
// The authorization-code flow before the token endpoint (SMART App Launch): validating authorize
// parameters into a pending request (stored in the database, so any node can continue it), the
// login -> patient picker -> consent steps bound to that request, and issuing the code. Also EHR
// launch values. No HTTP here: the HTTP layer renders pages for `next_step` and turns
// AuthorizeError / redirect URLs into responses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/clients.hpp"
#include "auth/clock.hpp"
#include "auth/oauth_error.hpp"
#include "auth/users.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

// The authorize request as received (GET query or POST form), unvalidated.
struct AuthorizeParams {
  std::string response_type, client_id, redirect_uri, scope, state, aud, nonce, launch,
      code_challenge, code_challenge_method;
};

// An authorize failure, in the two kinds the spec separates.
struct AuthorizeError {
  enum class Kind {
    show_page,  // unknown/disabled client, missing/unregistered redirect_uri, unknown/expired request:
                // render an error page, NEVER redirect
    redirect,   // redirect to redirect_uri with error=, error_description=, state= and iss=
  };
  Kind kind = Kind::show_page;
  OAuthError error;
  std::string redirect_uri;  // redirect kind only: the validated, registered redirect_uri
  std::string state;         // redirect kind only: echoed

  // For the redirect kind: redirect_uri + ("?" or "&") + error, error_description, state, iss
  // (form-encoded). Empty for show_page.
  std::string redirect_url(std::string_view issuer) const;
};

// A T or an AuthorizeError (ok(), value(), error() as base::Result).
template <class T>
using AuthorizeResult = Expected<T, AuthorizeError>;

// What the user must do next for a pending request.
enum class Step {
  login,         // show the login form (fields username, password)
  pick_patient,  // staff user, a patient context needed (launch/patient or a patient/ scope asked) and none
                 // yet (no EHR launch): show the patient picker (field patient)
  consent,       // show every requested scope as a checkbox (field scope), decision=allow|deny
};

struct PendingRequest {
  std::string id;             // random opaque request id (carried by the pages' forms)
  std::string client_id;
  std::string client_name;
  std::string redirect_uri;
  std::string scope;          // requested scopes narrowed to the registered ones (the consent list)
  std::string state, nonce, code_challenge, aud;
  std::string launch_patient, launch_encounter, launch_user;  // from an EHR launch value
  std::string user_id;        // set after login
  std::string patient;        // chosen (picker), from the launch, or the patient user's own
  std::string encounter;
  std::int64_t expires_us = 0;
  bool offline_access_requested() const;  // the consent page's 3-month notice
  bool needs_patient() const;             // launch/patient or a patient/ resource scope requested
};

struct CodeRedirect {
  std::string url;   // redirect_uri?code=...&state=...&iss=...
  std::string code;  // also in url; for tests
};

struct EhrLaunch {
  std::string launch;  // the opaque single-use value
  std::string url;     // initiate_login_uri?iss=<fhir base>&launch=<value>; empty when the client has none
};

class AuthorizationFlow {
 public:
  // `fhir_base`: our FHIR base URL; `aud` must equal it (a trailing slash tolerated) and it is the
  // `iss` put in redirects.
  AuthorizationFlow(sql::Database& db, Clock clock, ClientStore& clients, UserStore& users,
                    std::string fhir_base);

  // Validates authorize parameters and stores a pending request (life kRequestLifeS). show_page
  // errors: unknown or disabled client (invalid_client / unauthorized_client), redirect_uri missing
  // (allowed only when exactly one is registered) or not registered exactly. redirect errors:
  // response_type not "code" (unsupported_response_type), client without authorization_code
  // (unauthorized_client), aud missing or not our base (invalid_request: no code is issued), scope
  // empty after narrowing to the registered scopes or malformed (invalid_scope), public client
  // without code_challenge, method plain or bad challenge (invalid_request), launch value
  // unknown/expired/used/for another client (invalid_request), server_error.
  AuthorizeResult<PendingRequest> begin(const AuthorizeParams& params);

  // A pending request by id. Errors: not_found when unknown or expired (show an error page).
  base::Result<PendingRequest> get(std::string_view request_id) const;

  // What the user must do next.
  static Step next_step(const PendingRequest& request);

  // Checks the login (UserStore::authenticate) and binds the user to the request. For a patient user
  // the patient is set to theirs. Errors: base::Error unauthorized with UserStore's message (show the
  // login form again); not_found for an unknown/expired request; forbidden when the user is not the
  // one an EHR launch was made for, or is a patient opted out of API access (the HTTP layer should
  // then call deny()).
  base::Result<PendingRequest> login(std::string_view request_id, std::string_view username,
                                     std::string_view password);

  // Binds a user authenticated some other way (e.g. a login session) to the request. Errors: as login
  // minus the password check; not_found for an unknown or disabled user.
  base::Result<PendingRequest> attach_user(std::string_view request_id, std::string_view user_id);

  // Staff user picked a patient (the caller checks the Patient exists). Errors: not_found (request),
  // invalid (no user yet, the user is a patient, a launch fixed the patient, bad id), forbidden
  // (patient opted out of API access).
  base::Result<PendingRequest> choose_patient(std::string_view request_id, std::string_view patient_id);

  // The user allowed: issues a single-use code (life kCodeLifeS) for the consented scopes (those of
  // `consented` that were requested; `consented` lists the ticked checkboxes) and ends the request.
  // A patient user never gets user/ or system/ scopes or `launch` (they are dropped here).
  // AuthorizeError: show_page when the request is unknown/expired; redirect access_denied when no
  // scope was ticked, the step is not consent (no user / patient missing) or the patient is opted
  // out.
  AuthorizeResult<CodeRedirect> approve(std::string_view request_id,
                                        const std::vector<std::string>& consented);

  // The user denied (or login could not proceed): ends the request. Returns the redirect
  // error=access_denied (redirect kind), or show_page when the request is unknown/expired.
  AuthorizeError deny(std::string_view request_id);

  // EHR launch: an opaque single-use value (life kLaunchLifeS) bound to client, user, patient and
  // optional encounter; authorize with launch=<value> picks the context up. The caller checks the
  // Patient/Encounter exist. Errors: not_found (client, user), invalid (client not enabled, patient
  // user given, bad ids).
  base::Result<EhrLaunch> create_launch(std::string_view client_id, std::string_view user,
                                        std::string_view patient_id, std::string_view encounter_id);

 private:
  sql::Database& db_;
  Clock clock_;
  ClientStore& clients_;
  UserStore& users_;
  std::string fhir_base_;
};

}  // namespace auth
