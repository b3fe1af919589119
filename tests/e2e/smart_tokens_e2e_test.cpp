// SMART on FHIR end to end, tokens and attacks: backend services (RS384 and ES384 assertions),
// introspection and revocation, and the refusals the issue lists (wrong redirect URI or audience,
// PKCE verifier missing or wrong, code replay, forged tokens, wildcard scope registration).
#include "e2e/smart_e2e_fixture.hpp"

namespace {

using smart::Fields;
using smart::json;
using smart_e2e::admin;
using smart_e2e::kRedirect;
using smart_e2e::SmartE2E;

TEST_F(SmartE2E, BackendServicesRs384AndEs384) {
  for (const char* alg : {"RS384", "ES384"}) {
    SCOPED_TRACE(alg);
    smart::ClientKey key(alg, std::string("kid-") + alg);
    const json app = register_app({{"client_name", std::string("Backend ") + alg},
                                   {"token_endpoint_auth_method", "private_key_jwt"},
                                   {"grant_types", {"client_credentials"}},
                                   {"jwks", key.jwks()},
                                   {"scope", "system/Patient.read system/Observation.read"}});
    const std::string id = app["client_id"];
    EXPECT_FALSE(app.contains("client_secret"));
    enable(id);
    const std::string assertion = key.assertion(id, token_url());
    const Fields base_fields = {{"grant_type", "client_credentials"},
                                {"scope", "system/Patient.read"},
                                {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}};
    Fields f = base_fields;
    f.emplace_back("client_assertion", assertion);
    auto tok = smart::post_form(*c_, "/oauth2/token", f);
    ASSERT_TRUE(tok);
    ASSERT_EQ(tok->status, 200) << tok->body;
    const json t = json::parse(tok->body);
    EXPECT_EQ(t["scope"], "system/Patient.read");
    EXPECT_FALSE(t.contains("refresh_token"));
    auto read = fhir_get("/Patient?_count=1", t["access_token"]);
    EXPECT_EQ(read->status, 200);

    // The same assertion again: its jti was used.
    auto replay = smart::post_form(*c_, "/oauth2/token", f);
    EXPECT_EQ(replay->status, 401);
    EXPECT_EQ(smart::parse(replay)["error"], "invalid_client");

    // Signed with a key the client never registered (same kid).
    smart::ClientKey other(alg, key.kid());
    Fields g = base_fields;
    g.emplace_back("client_assertion", other.assertion(id, token_url()));
    auto unregistered = smart::post_form(*c_, "/oauth2/token", g);
    EXPECT_EQ(unregistered->status, 401);
    EXPECT_EQ(smart::parse(unregistered)["error"], "invalid_client");

    // aud other than our token endpoint.
    Fields h = base_fields;
    h.emplace_back("client_assertion", key.assertion(id, "https://elsewhere.example/token"));
    EXPECT_EQ(smart::post_form(*c_, "/oauth2/token", h)->status, 401);
  }
}

TEST_F(SmartE2E, IntrospectionAndRevocation) {
  const json app = register_app({{"client_name", "Introspecting app"},
                                 {"redirect_uris", {kRedirect}},
                                 {"token_endpoint_auth_method", "client_secret_basic"},
                                 {"grant_types", {"authorization_code", "refresh_token"}},
                                 {"scope", "openid fhirUser launch/patient offline_access patient/Patient.read"}});
  const std::string id = app["client_id"], secret = app["client_secret"];
  const httplib::Headers auth = {{"Authorization", smart::basic(id, secret)}};
  const std::string code = patient_code(id, "openid fhirUser launch/patient offline_access patient/Patient.read", "");
  auto tok = exchange(code, "", "", {}, auth);
  ASSERT_EQ(tok->status, 200) << tok->body;
  const json t = json::parse(tok->body);
  const std::string access = t["access_token"];

  auto active = smart::parse(smart::post_form(*c_, "/oauth2/introspect", {{"token", access}}, auth));
  EXPECT_EQ(active["active"], true) << active.dump();
  EXPECT_EQ(active["client_id"], id);
  EXPECT_EQ(active["patient"], creds_["patients"][0]["patient"]);
  EXPECT_NE(active["scope"].get<std::string>().find("patient/Patient.read"), std::string::npos);
  auto refresh_active = smart::parse(smart::post_form(*c_, "/oauth2/introspect",
                                                      {{"token", t["refresh_token"]}, {"token_type_hint", "refresh_token"}},
                                                      auth));
  EXPECT_EQ(refresh_active["active"], true);

  // Another client cannot learn about this token.
  const json other = register_app({{"redirect_uris", {kRedirect}}, {"token_endpoint_auth_method", "client_secret_post"},
                                   {"scope", "patient/Patient.read"}});
  auto foreign = smart::parse(smart::post_form(*c_, "/oauth2/introspect",
                                               {{"token", access}, {"client_id", other["client_id"]},
                                                {"client_secret", other["client_secret"]}}));
  EXPECT_EQ(foreign, json({{"active", false}}));
  auto unauthenticated = smart::post_form(*c_, "/oauth2/introspect", {{"token", access}});
  EXPECT_EQ(unauthenticated->status, 401);

  // Revoke the access token: introspection, userinfo and the FHIR API refuse it.
  auto revoked = smart::post_form(*c_, "/oauth2/revoke", {{"token", access}, {"token_type_hint", "access_token"}}, auth);
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // revocations reach verifiers within 1 s
  EXPECT_EQ(smart::parse(smart::post_form(*c_, "/oauth2/introspect", {{"token", access}}, auth))["active"], false);
  EXPECT_EQ(userinfo(access)->status, 401);
  if (guard_enforced()) {
    auto read = fhir_get("/Patient/" + creds_["patients"][0]["patient"].get<std::string>(), access);
    EXPECT_EQ(read->status, 401);
    EXPECT_NE(read->get_header_value("WWW-Authenticate").find("invalid_token"), std::string::npos);
  } else {
    ADD_FAILURE() << "the FHIR API does not check tokens: the bearer guard is not in this build";
  }
  // Revoke the refresh token: it can no longer be used.
  EXPECT_EQ(smart::post_form(*c_, "/oauth2/revoke", {{"token", t["refresh_token"]}}, auth)->status, 200);
  auto refresh = smart::post_form(*c_, "/oauth2/token", {{"grant_type", "refresh_token"}, {"refresh_token", t["refresh_token"]}}, auth);
  EXPECT_EQ(refresh->status, 400);
  // Unknown tokens: 200 as RFC 7009 asks.
  EXPECT_EQ(smart::post_form(*c_, "/oauth2/revoke", {{"token", "never-issued"}}, auth)->status, 200);
}

TEST_F(SmartE2E, WrongRedirectUriGetsAnErrorPageAndNoRedirect) {
  const json app = public_patient_app();
  auto r = authorize(app["client_id"], "patient/Patient.read", smart::random_token(),
                     {{"redirect_uri", "https://attacker.example/cb"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(r->get_header_value("Location").empty());
  EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
  auto unknown = authorize("no-such-client", "patient/Patient.read", smart::random_token());
  EXPECT_EQ(unknown->status, 400);
  EXPECT_TRUE(unknown->get_header_value("Location").empty());
}

TEST_F(SmartE2E, WrongAudienceGetsNoCode) {
  const json app = public_patient_app();
  auto r = authorize(app["client_id"], "patient/Patient.read", smart::random_token(),
                     {{"aud", "https://other-server.example/r4"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302) << r->body;
  auto q = smart::query_of(r->get_header_value("Location"));
  EXPECT_EQ(q.count("code"), 0u);
  EXPECT_FALSE(q["error"].empty());
}

TEST_F(SmartE2E, PkceVerifierMissingOrWrong) {
  const json app = public_patient_app();
  const std::string id = app["client_id"];
  const std::string verifier = smart::random_token();
  const std::string code = patient_code(id, "launch/patient patient/Patient.read", verifier);
  auto missing = exchange(code, id, "");
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(smart::parse(missing)["error"], "invalid_grant");
  const std::string code2 = patient_code(id, "launch/patient patient/Patient.read", verifier);
  auto wrong = exchange(code2, id, smart::random_token());
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(smart::parse(wrong)["error"], "invalid_grant");
}

TEST_F(SmartE2E, CodeReplayIsRefusedAndKillsTheFirstToken) {
  const json app = public_patient_app();
  const std::string id = app["client_id"];
  const std::string verifier = smart::random_token();
  const std::string code = patient_code(id, "openid fhirUser launch/patient patient/Patient.read", verifier);
  auto first = exchange(code, id, verifier);
  ASSERT_EQ(first->status, 200) << first->body;
  const std::string access = smart::parse(first)["access_token"];
  EXPECT_EQ(userinfo(access)->status, 200);
  auto replay = exchange(code, id, verifier);
  EXPECT_EQ(replay->status, 400);
  EXPECT_EQ(smart::parse(replay)["error"], "invalid_grant");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(userinfo(access)->status, 401) << "the token issued for a replayed code must die";
  if (guard_enforced()) {
    EXPECT_EQ(fhir_get("/Patient/" + creds_["patients"][0]["patient"].get<std::string>(), access)->status, 401);
  }
}

TEST_F(SmartE2E, ForgedAccessTokensAreRefused) {
  const json app = public_patient_app();
  const std::string id = app["client_id"];
  const std::string verifier = smart::random_token();
  auto tok = exchange(patient_code(id, "openid fhirUser launch/patient patient/Patient.read", verifier), id, verifier);
  ASSERT_EQ(tok->status, 200) << tok->body;
  const std::string good = smart::parse(tok)["access_token"];
  const auto parts = smart::split_jwt(good);
  const std::string patient = creds_["patients"][0]["patient"];

  // alg: none, no signature.
  json none_header = parts.header;
  none_header["alg"] = "none";
  const std::string none = base::base64url_encode(none_header.dump()) + "." + parts.payload_b64 + ".";
  // HS256 keyed with our published public key (algorithm confusion).
  auto jwks = smart::parse(c_->Get("/oauth2/jwks"));
  json hs_header = parts.header;
  hs_header["alg"] = "HS256";
  const std::string hs_input = base::base64url_encode(hs_header.dump()) + "." + parts.payload_b64;
  const std::string hs = hs_input + "." + base::base64url_encode(base::hmac_sha256(jwks["keys"][0].dump(), hs_input));
  const std::string n = jwks["keys"][0].value("n", "");
  const std::string hs_n = hs_input + "." + base::base64url_encode(base::hmac_sha256(base::base64url_decode(n).value_or(""), hs_input));
  // Tampered payload (another patient), original signature.
  json payload = parts.payload;
  payload["patient"] = creds_["patients"][1]["patient"];
  payload["scope"] = "user/Patient.read";
  const std::string tampered = parts.header_b64 + "." + base::base64url_encode(payload.dump()) + "." + parts.signature_b64;
  // Garbage.
  const std::string garbled = "not-a-jwt";

  EXPECT_EQ(userinfo(good)->status, 200);
  const bool guard = guard_enforced();
  for (const auto& [name, bad] : std::vector<std::pair<std::string, std::string>>{
           {"alg none", none}, {"HS256 with the public JWK", hs}, {"HS256 with the modulus", hs_n},
           {"tampered", tampered}, {"garbled", garbled}}) {
    SCOPED_TRACE(name);
    auto u = userinfo(bad);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->status, 401);
    EXPECT_NE(u->get_header_value("WWW-Authenticate").find("invalid_token"), std::string::npos);
    if (guard) {
      EXPECT_EQ(fhir_get("/Patient/" + patient, bad)->status, 401);
    }
  }
  if (guard) {
    EXPECT_EQ(fhir_get("/Patient/" + patient, good)->status, 200);
  }
}

TEST_F(SmartE2E, WildcardScopeRegistrationIsRefused) {
  for (const char* scope : {"patient/*.read", "user/*.*", "patient/Observation.*"}) {
    auto j = register_app({{"redirect_uris", {kRedirect}}, {"token_endpoint_auth_method", "none"}, {"scope", scope}}, 400);
    EXPECT_EQ(j["error"], "invalid_client_metadata") << scope;
  }
  // The bulk export operation scopes are allowed (SPEC.md).
  smart::ClientKey key("RS384", "bulk");
  auto ok = register_app({{"token_endpoint_auth_method", "private_key_jwt"},
                          {"grant_types", {"client_credentials"}},
                          {"jwks", key.jwks()},
                          {"scope", "system/*.$export system/*.$bulkdata-status system/Document.read"}});
  EXPECT_TRUE(ok.contains("client_id"));
}
}  // namespace
