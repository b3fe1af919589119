#include "auth/flow.hpp"

#include <gtest/gtest.h>

#include "auth_fixture.hpp"

namespace auth_test {
namespace {

constexpr const char* kPatientScopes = "openid fhirUser launch/patient patient/Patient.read patient/Observation.rs offline_access";

class FlowTest : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    app_ = register_client(app_metadata(auth::AuthMethod::client_secret_basic, kPatientScopes));
    pub_ = register_client(app_metadata(auth::AuthMethod::none, kPatientScopes));
  }

  auth::AuthorizeError begin_error(const auth::AuthorizeParams& p) {
    auto r = auth_->flow->begin(p);
    EXPECT_FALSE(r.ok());
    return r.ok() ? auth::AuthorizeError{} : r.error();
  }

  auth::Registration app_, pub_;
};

using Kind = auth::AuthorizeError::Kind;

TEST_F(FlowTest, UnknownClientOrRedirectUriShowsAPageNeverARedirect) {
  auto p = authorize_params(app_, kPatientScopes);
  p.client_id = "nope";
  auto e = begin_error(p);
  EXPECT_EQ(e.kind, Kind::show_page);
  EXPECT_EQ(e.redirect_url(kBase), "");

  p = authorize_params(app_, kPatientScopes);
  p.redirect_uri = "https://evil.example.com/callback";
  e = begin_error(p);
  EXPECT_EQ(e.kind, Kind::show_page);
  p.redirect_uri = std::string(kRedirect) + "/";  // exact match only
  EXPECT_EQ(begin_error(p).kind, Kind::show_page);

  // Disabled client: a page too.
  auto waiting = auth_->clients->register_client(app_metadata(auth::AuthMethod::client_secret_basic, "launch user/Patient.read"), "");
  ASSERT_FALSE(waiting->client.enabled);
  p = authorize_params(*waiting, "launch user/Patient.read");
  EXPECT_EQ(begin_error(p).kind, Kind::show_page);

  // redirect_uri omitted with exactly one registered: that one is used.
  p = authorize_params(app_, kPatientScopes);
  p.redirect_uri.clear();
  auto ok = auth_->flow->begin(p);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->redirect_uri, kRedirect);
}

TEST_F(FlowTest, BadParametersRedirectWithError) {
  struct Case {
    const char* what;
    std::function<void(auth::AuthorizeParams&)> change;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"wrong aud", [](auto& p) { p.aud = "https://other.example.org/r4"; }, "invalid_request"},
      {"missing aud", [](auto& p) { p.aud.clear(); }, "invalid_request"},
      {"response_type token", [](auto& p) { p.response_type = "token"; }, "unsupported_response_type"},
      {"plain PKCE", [](auto& p) { p.code_challenge_method = "plain"; }, "invalid_request"},
      {"no registered scope", [](auto& p) { p.scope = "user/Patient.read"; }, "invalid_scope"},
      {"malformed scope", [](auto& p) { p.scope = "patient/Patient.bogus"; }, "invalid_scope"},
      {"bad launch", [](auto& p) { p.launch = "made-up"; }, "invalid_request"},
  };
  for (const auto& c : cases) {
    auto p = authorize_params(app_, kPatientScopes);
    c.change(p);
    auto e = begin_error(p);
    EXPECT_EQ(e.kind, Kind::redirect) << c.what;
    EXPECT_EQ(e.error.error, c.error) << c.what;
    EXPECT_EQ(e.redirect_uri, kRedirect);
    const std::string url = e.redirect_url(kBase);
    EXPECT_EQ(url.rfind(std::string(kRedirect) + "?error=" + c.error, 0), 0u) << url;
    EXPECT_NE(url.find("&state=st-123"), std::string::npos) << url;
    EXPECT_NE(url.find("&iss=https%3A%2F%2Fehr.example.org%3A8443%2Fr4"), std::string::npos) << url;
  }
  // A public client must use PKCE.
  auto p = authorize_params(pub_, kPatientScopes);
  p.code_challenge.clear();
  p.code_challenge_method.clear();
  auto e = begin_error(p);
  EXPECT_EQ(e.kind, Kind::redirect);
  EXPECT_EQ(e.error.error, "invalid_request");
  // A confidential client may go without.
  p = authorize_params(app_, kPatientScopes);
  p.code_challenge.clear();
  p.code_challenge_method.clear();
  EXPECT_TRUE(auth_->flow->begin(p).ok());
}

TEST_F(FlowTest, ScopesAreNarrowedToTheRegisteredOnes) {
  auto p = authorize_params(app_, "patient/Patient.read patient/Condition.read openid");
  auto r = auth_->flow->begin(p);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scope, "patient/Patient.read openid");
  EXPECT_FALSE(r->offline_access_requested());
  EXPECT_TRUE(r->needs_patient());
}

TEST_F(FlowTest, PatientUserLoginThenConsent) {
  auto creds = *auth_->users->create_patient_credentials("pat-9");
  auto r = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(auth::AuthorizationFlow::next_step(*r), auth::Step::login);
  EXPECT_TRUE(r->offline_access_requested());
  auto bad = auth_->flow->login(r->id, creds.username, "wrong");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, base::ErrorCode::unauthorized);
  auto in = auth_->flow->login(r->id, creds.username, creds.password);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->patient, "pat-9");
  EXPECT_EQ(auth::AuthorizationFlow::next_step(*in), auth::Step::consent);
  // The step survives a reload (any node can continue).
  EXPECT_EQ(auth::AuthorizationFlow::next_step(*auth_->flow->get(r->id)), auth::Step::consent);
  // Patients cannot pick another patient.
  EXPECT_FALSE(auth_->flow->choose_patient(r->id, "pat-1").ok());

  auto approved = auth_->flow->approve(r->id, {"patient/Patient.read", "openid"});
  ASSERT_TRUE(approved.ok());
  EXPECT_EQ(approved->url.rfind(std::string(kRedirect) + "?code=" + approved->code + "&state=st-123&iss=", 0), 0u);
  // The request is over.
  EXPECT_EQ(auth_->flow->get(r->id).error().code, base::ErrorCode::not_found);
  EXPECT_EQ(auth_->flow->approve(r->id, {"openid"}).error().kind, Kind::show_page);
}

TEST_F(FlowTest, StaffUserPicksAPatient) {
  add_clinician("doc");
  auto r = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  EXPECT_FALSE(auth_->flow->choose_patient(r->id, "pat-1").ok());  // log in first
  auto in = auth_->flow->login(r->id, "doc", "correct horse");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(auth::AuthorizationFlow::next_step(*in), auth::Step::pick_patient);
  EXPECT_EQ(auth_->flow->approve(r->id, {"openid"}).error().error.error, "access_denied");  // not finished

  auto r2 = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  ASSERT_TRUE(auth_->flow->login(r2->id, "doc", "correct horse").ok());
  EXPECT_FALSE(auth_->flow->choose_patient(r2->id, "bad id!").ok());
  auto picked = auth_->flow->choose_patient(r2->id, "pat-1");
  ASSERT_TRUE(picked.ok());
  EXPECT_EQ(auth::AuthorizationFlow::next_step(*picked), auth::Step::consent);
  EXPECT_TRUE(auth_->flow->approve(r2->id, {"patient/Patient.read"}).ok());
}

TEST_F(FlowTest, DenyAndEmptyConsentRedirectWithAccessDenied) {
  auto creds = *auth_->users->create_patient_credentials("pat-9");
  auto r = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  ASSERT_TRUE(auth_->flow->login(r->id, creds.username, creds.password).ok());
  auto denied = auth_->flow->deny(r->id);
  EXPECT_EQ(denied.kind, Kind::redirect);
  EXPECT_EQ(denied.error.error, "access_denied");
  EXPECT_EQ(denied.redirect_url(kBase).rfind(std::string(kRedirect) + "?error=access_denied", 0), 0u);
  EXPECT_EQ(auth_->flow->deny(r->id).kind, Kind::show_page);  // gone

  auto r2 = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  ASSERT_TRUE(auth_->flow->login(r2->id, creds.username, creds.password).ok());
  auto none = auth_->flow->approve(r2->id, {"user/Patient.read"});  // nothing requested was ticked
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, Kind::redirect);
  EXPECT_EQ(none.error().error.error, "access_denied");
}

TEST_F(FlowTest, OptedOutPatientCannotAuthorize) {
  auto creds = *auth_->users->create_patient_credentials("pat-9");
  ASSERT_TRUE(auth_->users->set_patient_api_access("pat-9", false).ok());
  auto r = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  auto in = auth_->flow->login(r->id, creds.username, creds.password);
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.error().code, base::ErrorCode::forbidden);

  add_clinician("doc");
  auto r2 = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  ASSERT_TRUE(auth_->flow->login(r2->id, "doc", "correct horse").ok());
  EXPECT_EQ(auth_->flow->choose_patient(r2->id, "pat-9").error().code, base::ErrorCode::forbidden);
}

TEST_F(FlowTest, RequestsExpire) {
  auto r = auth_->flow->begin(authorize_params(app_, kPatientScopes));
  ASSERT_TRUE(r.ok());
  advance(auth::kRequestLifeS + 1);
  EXPECT_EQ(auth_->flow->get(r->id).error().code, base::ErrorCode::not_found);
  EXPECT_EQ(auth_->flow->login(r->id, "x", "y").error().code, base::ErrorCode::not_found);
}

TEST_F(FlowTest, PatientUsersNeverGetUserOrSystemScopes) {
  auto mixed = register_client(app_metadata(auth::AuthMethod::client_secret_basic, "openid user/Patient.read patient/Patient.read"));
  auto creds = *auth_->users->create_patient_credentials("pat-9");
  auto code = get_code(authorize_params(mixed, "openid user/Patient.read patient/Patient.read"), creds.username, creds.password);
  auto t = exchange(mixed, code, secret_post(mixed));
  ASSERT_TRUE(t.ok()) << unwrap(t.error());
  EXPECT_EQ(t->scope, "openid patient/Patient.read");
}

TEST_F(FlowTest, EhrLaunchCarriesItsContextOnceForItsClientAndUser) {
  auto ehr = register_client(app_metadata(auth::AuthMethod::client_secret_basic, "launch openid fhirUser user/Patient.read patient/Observation.rs"));
  auto doc = add_clinician("doc");
  add_clinician("other");
  auto launch = auth_->flow->create_launch(ehr.client.client_id, "doc", "pat-3", "enc-4");
  ASSERT_TRUE(launch.ok()) << launch.error().message;
  EXPECT_EQ(launch->url, "https://app.example.com/launch?iss=https%3A%2F%2Fehr.example.org%3A8443%2Fr4&launch=" + launch->launch);

  auto p = authorize_params(ehr, "launch openid user/Patient.read patient/Observation.rs");
  p.launch = launch->launch;
  auto r = auth_->flow->begin(p);
  ASSERT_TRUE(r.ok()) << unwrap(r.error().error);
  EXPECT_EQ(r->patient, "pat-3");
  EXPECT_EQ(r->encounter, "enc-4");
  // Single use.
  EXPECT_EQ(begin_error(p).error.error, "invalid_request");
  // Bound to its user.
  EXPECT_EQ(auth_->flow->login(r->id, "other", "correct horse").error().code, base::ErrorCode::forbidden);
  auto in = auth_->flow->login(r->id, "doc", "correct horse");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(auth::AuthorizationFlow::next_step(*in), auth::Step::consent);  // no picker: the launch chose
  EXPECT_FALSE(auth_->flow->choose_patient(r->id, "pat-1").ok());
  EXPECT_EQ(in->user_id, doc.id);

  // Bound to its client, and short-lived.
  auto l2 = auth_->flow->create_launch(ehr.client.client_id, "doc", "pat-3", "");
  auto p2 = authorize_params(app_, kPatientScopes);
  p2.launch = l2->launch;
  EXPECT_EQ(begin_error(p2).error.error, "invalid_request");
  auto l3 = auth_->flow->create_launch(ehr.client.client_id, "doc", "pat-3", "");
  advance(auth::kLaunchLifeS + 1);
  auto p3 = authorize_params(ehr, "launch user/Patient.read");
  p3.launch = l3->launch;
  EXPECT_EQ(begin_error(p3).error.error, "invalid_request");

  // Launch creation rules.
  EXPECT_EQ(auth_->flow->create_launch("nope", "doc", "pat-3", "").error().code, base::ErrorCode::not_found);
  EXPECT_EQ(auth_->flow->create_launch(ehr.client.client_id, "ghost", "pat-3", "").error().code,
            base::ErrorCode::not_found);
  EXPECT_FALSE(auth_->flow->create_launch(ehr.client.client_id, "doc", "bad id!", "").ok());
}

}  // namespace
}  // namespace auth_test
