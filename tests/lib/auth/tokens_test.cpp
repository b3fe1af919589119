#include "auth/tokens.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth_fixture.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"

namespace auth_test {
namespace {

constexpr const char* kScopes = "openid fhirUser launch/patient patient/Patient.read patient/Observation.rs offline_access";

base::Json claims_of(const std::string& jwt) {
  auto dot1 = jwt.find('.');
  auto dot2 = jwt.find('.', dot1 + 1);
  auto payload = base::base64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  auto j = base::parse_json(*payload);
  return j.ok() ? *j : base::Json();
}

class TokensTest : public AuthFixture {
 protected:
  void SetUp() override {
    AuthFixture::SetUp();
    app_ = register_client(app_metadata(auth::AuthMethod::client_secret_basic, kScopes));
    pub_ = register_client(app_metadata(auth::AuthMethod::none, kScopes));
    creds_ = *auth_->users->create_patient_credentials("pat-1");
  }

  std::string patient_code(const auth::Registration& reg, const std::string& scope = kScopes) {
    return get_code(authorize_params(reg, scope), creds_.username, creds_.password);
  }

  auth::Registration app_, pub_;
  auth::PatientCredentials creds_;
};

TEST_F(TokensTest, AuthorizationCodeGivesEverythingSmartAsks) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  ASSERT_TRUE(t.ok()) << unwrap(t.error());
  EXPECT_EQ(t->token_type, "Bearer");
  EXPECT_EQ(t->expires_in, 3600);
  EXPECT_EQ(t->scope, kScopes);
  ASSERT_TRUE(t->refresh_token);
  ASSERT_TRUE(t->id_token);
  EXPECT_EQ(t->patient, "pat-1");
  EXPECT_FALSE(t->encounter);
  EXPECT_EQ(t->need_patient_banner, true);
  EXPECT_EQ(t->smart_style_url, "https://ehr.example.org:8443/smart-style.json");

  auto at = claims_of(t->access_token);
  auto user = *auth_->users->get(creds_.username);
  EXPECT_EQ(at["iss"], kBase);
  EXPECT_EQ(at["aud"], kBase);
  EXPECT_EQ(at["sub"], user.id);
  EXPECT_EQ(at["client_id"], app_.client.client_id);
  EXPECT_EQ(at["scope"], kScopes);
  EXPECT_EQ(at["patient"], "pat-1");
  EXPECT_EQ(at["fhirUser"], "Patient/pat-1");
  EXPECT_EQ(at["exp"].get<std::int64_t>() - at["iat"].get<std::int64_t>(), 3600);
  EXPECT_FALSE(at["jti"].get<std::string>().empty());
  EXPECT_EQ(auth::peek_header(t->access_token)->alg, "RS256");
  EXPECT_FALSE(auth::peek_header(t->access_token)->kid.empty());

  auto id = claims_of(*t->id_token);
  EXPECT_EQ(id["aud"], app_.client.client_id);
  EXPECT_EQ(id["iss"], kBase);
  EXPECT_EQ(id["sub"], user.id);
  EXPECT_EQ(id["nonce"], "n-456");
  EXPECT_EQ(id["fhirUser"], std::string(kBase) + "/Patient/pat-1");
  EXPECT_TRUE(id.contains("exp") && id.contains("iat"));

  auto body = base::parse_json(t->to_json());
  EXPECT_EQ((*body)["token_type"], "Bearer");
  EXPECT_EQ((*body)["need_patient_banner"], true);
  EXPECT_FALSE(body->contains("encounter"));

  // The refresh token is stored only as a hash.
  auto conn = db_->reader();
  sql::Query q(**conn, "SELECT token_hash FROM auth_refresh_tokens");
  ASSERT_TRUE(*q.step());
  EXPECT_EQ(q.string_at(0), base::to_hex(base::sha256(*t->refresh_token)));
}

TEST_F(TokensTest, NoRefreshWithoutOfflineAccessNoIdTokenWithoutOpenid) {
  auto t = exchange(app_, patient_code(app_, "launch/patient patient/Patient.read"), secret_post(app_));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->refresh_token);
  EXPECT_FALSE(t->id_token);
}

TEST_F(TokensTest, CodeIsSingleUseAndReplayRevokesWhatItIssued) {
  const std::string code = patient_code(app_);
  auto first = exchange(app_, code, secret_post(app_));
  ASSERT_TRUE(first.ok());
  auto principal = auth_->verifier->verify(first->access_token);
  ASSERT_TRUE(principal.ok()) << principal.error().message;

  auto replay = exchange(app_, code, secret_post(app_));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().error, "invalid_grant");
  // The first exchange's tokens are dead.
  EXPECT_FALSE(auth_->verifier->verify(first->access_token).ok());
  auto r = refresh(secret_post(app_), *first->refresh_token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().error, "invalid_grant");
}

TEST_F(TokensTest, CodeExpiresAfterSixtySeconds) {
  const std::string code = patient_code(app_);
  advance(61);
  auto t = exchange(app_, code, secret_post(app_));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().error, "invalid_grant");
}

TEST_F(TokensTest, CodeIsBoundToClientRedirectAndPkce) {
  {
    auto t = exchange(pub_, patient_code(app_), public_creds(pub_));  // another client
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().error, "invalid_grant");
  }
  {
    auth::TokenRequest req;
    req.grant_type = "authorization_code";
    req.code = patient_code(app_);
    req.redirect_uri = "https://app.example.com/other";
    req.code_verifier = kVerifier;
    req.credentials = secret_post(app_);
    auto t = auth_->tokens->token(req);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().error, "invalid_grant");
  }
  {
    auto t = exchange(pub_, patient_code(pub_), public_creds(pub_), "");  // missing verifier
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().error, "invalid_grant");
  }
  {
    auto t = exchange(pub_, patient_code(pub_), public_creds(pub_), std::string(43, 'x'));  // wrong verifier
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().error, "invalid_grant");
  }
  auto good = exchange(pub_, patient_code(pub_), public_creds(pub_));
  EXPECT_TRUE(good.ok()) << unwrap(good.error());
}

TEST_F(TokensTest, ClientAuthenticationAtTheTokenEndpoint) {
  const std::string code = patient_code(app_);
  auth::ClientCredentials bad = secret_post(app_);
  bad.client_secret = "wrong";
  auto t = exchange(app_, code, bad);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().error, "invalid_client");
  EXPECT_EQ(t.error().http_status, 401);
  // Basic works (RFC 6749 2.3.1: form-encoded, then base64).
  auth::ClientCredentials basic;
  basic.authorization = "Basic " + [&] {
    std::string raw = app_.client.client_id + ":" + app_.client_secret;
    std::string b = base::base64url_encode(raw);
    for (char& c : b) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (b.size() % 4) b.push_back('=');
    return b;
  }();
  EXPECT_TRUE(exchange(app_, code, basic).ok());  // the code was not consumed by the failed client auth
  // A confidential client cannot act as public.
  EXPECT_EQ(exchange(app_, patient_code(app_), public_creds(app_)).error().error, "invalid_client");
  // Two methods at once.
  auth::ClientCredentials both = secret_post(app_);
  both.authorization = basic.authorization;
  EXPECT_EQ(exchange(app_, patient_code(app_), both).error().error, "invalid_client");
  // Unknown client.
  auth::ClientCredentials ghost;
  ghost.client_id = "ghost";
  EXPECT_EQ(exchange(app_, "x", ghost).error().error, "invalid_client");
  // Disabled client.
  const std::string code2 = patient_code(app_);
  ASSERT_TRUE(auth_->clients->disable(app_.client.client_id).ok());
  EXPECT_EQ(exchange(app_, code2, secret_post(app_)).error().error, "invalid_client");
}

TEST_F(TokensTest, RefreshRotatesNarrowsKeepsContextAndDetectsReuse) {
  auto ehr = register_client(app_metadata(auth::AuthMethod::client_secret_basic,
                                          "launch openid fhirUser offline_access user/Patient.read patient/Observation.rs"));
  add_clinician("doc", "pract-1");
  auto launch = auth_->flow->create_launch(ehr.client.client_id, "doc", "pat-5", "enc-6");
  auto p = authorize_params(ehr, "launch openid fhirUser offline_access user/Patient.read patient/Observation.rs");
  p.launch = launch->launch;
  auto t = exchange(ehr, get_code(p, "doc", "correct horse"), secret_post(ehr));
  ASSERT_TRUE(t.ok()) << unwrap(t.error());
  EXPECT_EQ(t->patient, "pat-5");
  EXPECT_EQ(t->encounter, "enc-6");
  EXPECT_EQ(t->need_patient_banner, false);  // the EHR shows the banner
  EXPECT_EQ(claims_of(*t->id_token)["fhirUser"], std::string(kBase) + "/Practitioner/pract-1");

  auto r1 = refresh(secret_post(ehr), *t->refresh_token);
  ASSERT_TRUE(r1.ok()) << unwrap(r1.error());
  ASSERT_TRUE(r1->refresh_token);
  EXPECT_NE(*r1->refresh_token, *t->refresh_token);
  EXPECT_EQ(r1->patient, "pat-5");
  EXPECT_EQ(r1->encounter, "enc-6");
  EXPECT_EQ(r1->need_patient_banner, false);
  EXPECT_EQ(r1->scope, t->scope);
  EXPECT_EQ(claims_of(r1->access_token)["patient"], "pat-5");

  // Narrower scope on refresh; the ceiling stays the original grant.
  auto r2 = refresh(secret_post(ehr), *r1->refresh_token, "offline_access patient/Observation.rs");
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->scope, "offline_access patient/Observation.rs");
  auto wider = refresh(secret_post(ehr), *r2->refresh_token, "user/Observation.read");
  ASSERT_FALSE(wider.ok());
  EXPECT_EQ(wider.error().error, "invalid_scope");
  auto r3 = refresh(secret_post(ehr), *r2->refresh_token, "user/Patient.read offline_access");
  ASSERT_TRUE(r3.ok()) << unwrap(r3.error());  // back within the original grant

  // Reusing a rotated token kills the chain, including the newest tokens.
  auto reuse = refresh(secret_post(ehr), *t->refresh_token);
  ASSERT_FALSE(reuse.ok());
  EXPECT_EQ(reuse.error().error, "invalid_grant");
  EXPECT_EQ(refresh(secret_post(ehr), *r3->refresh_token).error().error, "invalid_grant");
  EXPECT_FALSE(auth_->verifier->verify(r3->access_token).ok());

  // Another client cannot use someone's refresh token.
  auto t2 = exchange(app_, patient_code(app_), secret_post(app_));
  EXPECT_EQ(refresh(secret_post(ehr), *t2->refresh_token).error().error, "invalid_grant");
  EXPECT_TRUE(refresh(secret_post(app_), *t2->refresh_token).ok());
}

TEST_F(TokensTest, RefreshTokensLastThreeMonths) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  advance(auth::kRefreshTokenLifeS - 10);
  auto r = refresh(secret_post(app_), *t->refresh_token);
  ASSERT_TRUE(r.ok());
  advance(auth::kRefreshTokenLifeS + 1);
  EXPECT_EQ(refresh(secret_post(app_), *r->refresh_token).error().error, "invalid_grant");
}

TEST_F(TokensTest, RefreshStopsForOptedOutPatientAndRevokedUser) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  ASSERT_TRUE(auth_->users->set_patient_api_access("pat-1", false).ok());
  EXPECT_EQ(refresh(secret_post(app_), *t->refresh_token).error().error, "invalid_grant");
  ASSERT_TRUE(auth_->users->set_patient_api_access("pat-1", true).ok());
  auto r = refresh(secret_post(app_), *t->refresh_token);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(auth_->tokens->revoke_user(app_.client.client_id, creds_.username).ok());
  EXPECT_EQ(refresh(secret_post(app_), *r->refresh_token).error().error, "invalid_grant");
  EXPECT_FALSE(auth_->verifier->verify(r->access_token).ok());
  auto grants = auth_->tokens->list_grants(app_.client.client_id);
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_TRUE((*grants)[0].revoked);
  EXPECT_EQ((*grants)[0].username, creds_.username);
  // The user can authorize the app again: a fresh grant.
  auto again = exchange(app_, patient_code(app_), secret_post(app_));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(auth_->verifier->verify(again->access_token).ok());
}

class BackendTest : public TokensTest {
 protected:
  auth::Registration backend(const std::string& jwks, const std::string& jwks_uri = "") {
    auth::ClientMetadata md;
    md.client_name = "Bulk";
    md.token_endpoint_auth_method = auth::AuthMethod::private_key_jwt;
    md.grant_types = {"client_credentials"};
    md.scope = "system/*.$export system/*.$bulkdata-status system/Patient.read system/Document.read";
    md.jwks = jwks;
    md.jwks_uri = jwks_uri;
    return register_client(md);
  }

  auth::OAuthResult<auth::TokenResponse> cc(const std::string& assertion, const std::string& scope = "") {
    auth::TokenRequest t;
    t.grant_type = "client_credentials";
    t.scope = scope;
    t.credentials = assertion_creds(assertion);
    return auth_->tokens->token(t);
  }
};

TEST_F(BackendTest, ClientCredentialsWithRs384AndEs384) {
  for (auto alg : {auth::JwsAlg::RS384, auth::JwsAlg::ES384}) {
    auto key = make_backend_key(alg, std::string("k-") + std::string(auth::alg_name(alg)));
    auto reg = backend(key.jwks());
    auto t = cc(key.assertion(reg.client.client_id, now_s(), "jti-1"), "system/Patient.read system/*.$export");
    ASSERT_TRUE(t.ok()) << auth::alg_name(alg) << " " << unwrap(t.error());
    EXPECT_EQ(t->scope, "system/Patient.read system/*.$export");
    EXPECT_FALSE(t->refresh_token);
    EXPECT_FALSE(t->id_token);
    EXPECT_FALSE(t->need_patient_banner);
    auto at = claims_of(t->access_token);
    EXPECT_EQ(at["sub"], reg.client.client_id);
    auto p = auth_->verifier->verify(t->access_token);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->user, "");
    EXPECT_EQ(p->client_id, reg.client.client_id);
    // No scope asked: everything registered.
    auto all = cc(key.assertion(reg.client.client_id, now_s(), "jti-2"));
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->scope, reg.client.metadata.scope);
    // Nothing registered asked.
    EXPECT_EQ(cc(key.assertion(reg.client.client_id, now_s(), "jti-3"), "system/Observation.read").error().error,
              "invalid_scope");
  }
}

TEST_F(BackendTest, AssertionRules) {
  auto key = make_backend_key(auth::JwsAlg::ES384, "k1");
  auto reg = backend(key.jwks());
  const std::string id = reg.client.client_id;
  ASSERT_TRUE(cc(key.assertion(id, now_s(), "once")).ok());
  auto replay = cc(key.assertion(id, now_s(), "once"));
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().error, "invalid_client");
  EXPECT_EQ(replay.error().http_status, 401);

  // Signed with a key that is not registered (same kid, other key; and another kid).
  auto stranger = make_backend_key(auth::JwsAlg::ES384, "k1");
  EXPECT_EQ(cc(stranger.assertion(id, now_s(), "s1")).error().error, "invalid_client");
  auto stranger2 = make_backend_key(auth::JwsAlg::ES384, "k9");
  EXPECT_EQ(cc(stranger2.assertion(id, now_s(), "s2")).error().error, "invalid_client");

  EXPECT_FALSE(cc(key.assertion(id, now_s(), "a1", "https://elsewhere.example/token")).ok());  // aud
  EXPECT_FALSE(cc(key.assertion(id, now_s(), "a2", kTokenUrl, 600)).ok());                    // exp > 5 min
  EXPECT_FALSE(cc(key.assertion(id, now_s() - 400, "a3")).ok());                               // expired
  EXPECT_FALSE(cc(key.assertion(id, now_s(), "")).ok());                                       // no jti
  EXPECT_FALSE(cc(key.assertion("someone-else", now_s(), "a4")).ok());                         // iss unknown
  // RS256 is not an assertion algorithm here.
  auto rsa = make_backend_key(auth::JwsAlg::RS256, "r1");
  auto reg2 = backend(make_backend_key(auth::JwsAlg::RS384, "r1").jwks());
  EXPECT_FALSE(cc(rsa.assertion(reg2.client.client_id, now_s(), "r")).ok());
  // Wrong assertion type.
  auth::TokenRequest t;
  t.grant_type = "client_credentials";
  t.credentials = assertion_creds(key.assertion(id, now_s(), "a5"));
  t.credentials.client_assertion_type = "urn:other";
  EXPECT_EQ(auth_->tokens->token(t).error().error, "invalid_client");
  // A disabled backend cannot get tokens.
  ASSERT_TRUE(auth_->clients->disable(id).ok());
  EXPECT_EQ(cc(key.assertion(id, now_s(), "a6")).error().error, "invalid_client");
}

TEST_F(BackendTest, ClientCredentialsNeedsTheGrantAndAppsCannotUseIt) {
  auth::TokenRequest t;
  t.grant_type = "client_credentials";
  t.credentials = secret_post(app_);
  EXPECT_EQ(auth_->tokens->token(t).error().error, "unauthorized_client");
  t.grant_type = "password";
  EXPECT_EQ(auth_->tokens->token(t).error().error, "unsupported_grant_type");
}

TEST_F(BackendTest, JwksUriIsFetchedCachedAndRefetchedForANewKid) {
  auto k1 = make_backend_key(auth::JwsAlg::RS384, "k1");
  web_["https://backend.example.com/jwks"] = k1.jwks();
  auto reg = backend("", "https://backend.example.com/jwks");
  const std::string id = reg.client.client_id;
  ASSERT_TRUE(cc(k1.assertion(id, now_s(), "j1")).ok());
  ASSERT_TRUE(cc(k1.assertion(id, now_s(), "j2")).ok());
  EXPECT_EQ(fetches_, 1);
  // The client rotates its key: an unknown kid makes one refetch (rate-limited per URL).
  auto k2 = make_backend_key(auth::JwsAlg::ES384, "k2");
  web_["https://backend.example.com/jwks"] = k2.jwks();
  auto early = cc(k2.assertion(id, now_s(), "j3"));
  EXPECT_FALSE(early.ok());  // refetch_after_miss (30 s, steady clock) has not passed: still cached
  EXPECT_EQ(fetches_, 1);
  // With no refetch delay (another node's cache), the new kid is found after one refetch.
  auto node = open_service({}, auth::JwksCacheOptions{std::chrono::seconds(300), 256, std::chrono::seconds(0)});
  auth::TokenRequest req;
  req.grant_type = "client_credentials";
  req.credentials = assertion_creds(k2.assertion(id, now_s(), "j5"));
  web_["https://backend.example.com/jwks"] = k1.jwks();  // first fetch on this node sees the old set
  ASSERT_FALSE(node->tokens->token(req).ok());
  web_["https://backend.example.com/jwks"] = k2.jwks();
  req.credentials = assertion_creds(k2.assertion(id, now_s(), "j6"));
  auto t = node->tokens->token(req);
  EXPECT_TRUE(t.ok()) << unwrap(t.error());
  EXPECT_EQ(fetches_, 4);
  // An unreachable jwks_uri fails client authentication.
  auto reg2 = backend("", "https://down.example.com/jwks");
  EXPECT_EQ(cc(k1.assertion(reg2.client.client_id, now_s(), "j4")).error().error, "invalid_client");
}

TEST_F(TokensTest, IntrospectionIsActiveOnlyForTheCallersLiveTokens) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  auto i = auth_->tokens->introspect(secret_post(app_), t->access_token);
  ASSERT_TRUE(i.ok());
  EXPECT_TRUE(i->active);
  EXPECT_EQ(i->scope, kScopes);
  EXPECT_EQ(i->client_id, app_.client.client_id);
  EXPECT_EQ(i->patient, "pat-1");
  EXPECT_EQ(i->username, creds_.username);
  EXPECT_EQ(i->fhir_user, "Patient/pat-1");
  auto j = base::parse_json(i->to_json());
  EXPECT_EQ((*j)["active"], true);
  EXPECT_EQ((*j)["exp"].get<std::int64_t>() - (*j)["iat"].get<std::int64_t>(), 3600);

  auto ri = auth_->tokens->introspect(secret_post(app_), *t->refresh_token);
  ASSERT_TRUE(ri.ok());
  EXPECT_TRUE(ri->active);
  EXPECT_EQ(ri->token_type, "refresh_token");

  // Another client's view: inactive.
  EXPECT_FALSE(auth_->tokens->introspect(public_creds(pub_), t->access_token)->active);
  // Garbage, unknown: inactive.
  EXPECT_FALSE(auth_->tokens->introspect(secret_post(app_), "garbage")->active);
  EXPECT_FALSE(auth_->tokens->introspect(secret_post(app_), "a.b.c")->active);
  EXPECT_EQ(auth_->tokens->introspect(secret_post(app_), "").error().error, "invalid_request");
  // Bad client credentials: an error, not an answer.
  auth::ClientCredentials bad = secret_post(app_);
  bad.client_secret = "nope";
  EXPECT_EQ(auth_->tokens->introspect(bad, t->access_token).error().error, "invalid_client");
  // Expired: inactive.
  advance(3601);
  EXPECT_FALSE(auth_->tokens->introspect(secret_post(app_), t->access_token)->active);
  EXPECT_EQ(auth_->tokens->introspect(secret_post(app_), t->access_token)->to_json(), "{\"active\":false}");
}

TEST_F(TokensTest, RevocationOfAccessAndRefreshTokens) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  // Another client's revocation attempt succeeds without effect.
  EXPECT_TRUE(auth_->tokens->revoke(public_creds(pub_), t->access_token).ok());
  EXPECT_TRUE(auth_->verifier->verify(t->access_token).ok());
  // Unknown tokens: success.
  EXPECT_TRUE(auth_->tokens->revoke(secret_post(app_), "never-issued").ok());
  EXPECT_TRUE(auth_->tokens->revoke(secret_post(app_), t->access_token).ok());
  EXPECT_FALSE(auth_->tokens->introspect(secret_post(app_), t->access_token)->active);
  auto v = auth_->verifier->verify(t->access_token);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "token revoked");
  // The refresh token still works (RFC 7009 lets either way; we revoke only what was named).
  auto r = refresh(secret_post(app_), *t->refresh_token);
  ASSERT_TRUE(r.ok());
  // Revoking the refresh token kills its chain and its access tokens.
  EXPECT_TRUE(auth_->tokens->revoke(secret_post(app_), *r->refresh_token).ok());
  EXPECT_EQ(refresh(secret_post(app_), *r->refresh_token).error().error, "invalid_grant");
  EXPECT_FALSE(auth_->verifier->verify(r->access_token).ok());
}

TEST_F(TokensTest, AdministrationListsDescribesAndRevokesById) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  auto list = auth_->tokens->list_tokens(app_.client.client_id, false);
  ASSERT_EQ(list->size(), 1u);
  const auto jti = (*list)[0].jti;
  EXPECT_EQ((*list)[0].patient, "pat-1");
  EXPECT_EQ(auth_->tokens->describe_token(t->access_token)->jti, jti);
  EXPECT_FALSE(auth_->tokens->describe_token("x.y.z").ok());
  ASSERT_TRUE(auth_->tokens->revoke_token_id(jti).ok());
  EXPECT_TRUE(auth_->tokens->describe_token(t->access_token)->revoked);
  EXPECT_EQ(auth_->tokens->revoke_token_id("nope").error().code, base::ErrorCode::not_found);
  EXPECT_TRUE(auth_->tokens->list_tokens("", false)->size() == 1u);
  advance(3601);
  EXPECT_TRUE(auth_->tokens->list_tokens("", false)->empty());
  EXPECT_EQ(auth_->tokens->list_tokens("", true)->size(), 1u);
}

TEST_F(TokensTest, Userinfo) {
  auto t = exchange(app_, patient_code(app_), secret_post(app_));
  auto p = auth_->verifier->verify(t->access_token);
  ASSERT_TRUE(p.ok());
  auto info = auth_->tokens->userinfo_json(*p);
  ASSERT_TRUE(info.ok());
  auto j = base::parse_json(*info);
  EXPECT_EQ((*j)["fhirUser"], std::string(kBase) + "/Patient/pat-1");
  EXPECT_EQ((*j)["preferred_username"], creds_.username);
  auth::Principal backend;
  backend.client_id = "x";
  EXPECT_EQ(auth_->tokens->userinfo_json(backend).error().error, "invalid_token");
  auto no_openid = *p;
  no_openid.scope = "patient/Patient.read";
  EXPECT_FALSE(auth_->tokens->userinfo_json(no_openid).ok());
}

}  // namespace
}  // namespace auth_test
