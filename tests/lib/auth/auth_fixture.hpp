#pragma once
// A fresh data directory (store + auth migrations) with an AuthService on an injected clock, cheap
// scrypt parameters, a map-backed jwks_uri fetcher and helpers that drive the authorize flow.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "auth/crypto_key.hpp"
#include "auth/jwk.hpp"
#include "auth/jwt.hpp"
#include "auth/pkce.hpp"
#include "auth/schema.hpp"
#include "base/fhir_time.hpp"
#include "sql/database.hpp"
#include "store/data_dir.hpp"
#include "store/settings.hpp"
#include "support/temp_dir.hpp"

namespace auth_test {

inline constexpr const char* kBase = "https://ehr.example.org:8443/r4";
inline constexpr const char* kTokenUrl = "https://ehr.example.org:8443/oauth2/token";
inline constexpr const char* kRedirect = "https://app.example.com/callback";
inline constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

inline std::string unwrap(const auth::OAuthError& e) { return e.error + ": " + e.description; }

class AuthFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    now_us_->store(base::now_us());
    auto opened = store::open_data_dir(dir_ / "data");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(*opened);
    settings_ = std::make_unique<store::SettingsStore>(*db_);
    if (seed_signing_key()) {
      // RSA key generation is slow on a busy machine: tests share one key made per process.
      ASSERT_TRUE(auth::migrate_schema(*db_).ok());
      auto conn = db_->writer();
      ASSERT_TRUE(conn.ok());
      sql::Query q(**conn, "INSERT INTO auth_keys (kid, private_pem, created_s, retired_s) VALUES ('test-key', ?, ?, NULL)");
      q.bind_all(shared_key_pem(), now_s());
      ASSERT_TRUE(q.run().ok());
    }
    auth_ = open_service();
    ASSERT_TRUE(auth_);
  }

  std::unique_ptr<auth::AuthService> open_service(auth::VerifierOptions verifier = {std::chrono::milliseconds(0), 10000},
                                                  auth::JwksCacheOptions jwks_cache = {}) {
    auth::AuthConfig c;
    c.fhir_base = kBase;
    c.token_endpoint = kTokenUrl;
    c.smart_style_url = "https://ehr.example.org:8443/smart-style.json";
    auto now = now_us_;
    c.clock = [now] { return now->load(); };
    c.fetcher = [this](const std::string& url) -> base::Result<std::string> {
      ++fetches_;
      auto it = web_.find(url);
      if (it == web_.end()) return base::not_found("404");
      return it->second;
    };
    c.scrypt = auth::ScryptParams{10, 8, 1};
    c.verifier = verifier;
    c.jwks_cache = jwks_cache;
    auto s = auth::AuthService::open(*db_, settings_.get(), c);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return s.ok() ? std::move(*s) : nullptr;
  }

  virtual bool seed_signing_key() const { return true; }

  static const std::string& shared_key_pem() {
    static const std::string pem = [] {
      auto k = auth::generate_rsa_key(2048);
      return k.ok() ? *auth::private_key_to_pem(*k) : std::string();
    }();
    return pem;
  }

  void advance(std::int64_t seconds) { now_us_->fetch_add(seconds * 1000000); }
  std::int64_t now_s() const { return now_us_->load() / 1000000; }

  // Registers and (when asked) enables a client. Fails the test on error.
  auth::Registration register_client(const auth::ClientMetadata& md, bool enable = true) {
    auto r = auth_->clients->register_client(md, "");
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : unwrap(r.error()));
    if (!r.ok()) return {};
    if (enable && !r->client.enabled) {
      EXPECT_TRUE(auth_->clients->enable(r->client.client_id).ok());
      r->client.enabled = true;
    }
    return std::move(*r);
  }

  static auth::ClientMetadata app_metadata(auth::AuthMethod method, std::string scope) {
    auth::ClientMetadata md;
    md.client_name = "Test App";
    md.redirect_uris = {kRedirect};
    md.token_endpoint_auth_method = method;
    md.grant_types = {"authorization_code", "refresh_token"};
    md.scope = std::move(scope);
    md.initiate_login_uri = "https://app.example.com/launch";
    return md;
  }

  auth::User add_clinician(const std::string& name = "doc", const std::string& practitioner = "pract-1") {
    auth::NewUser nu;
    nu.username = name;
    nu.password = "correct horse";
    nu.role = auth::Role::clinician;
    nu.display_name = "Dr " + name;
    nu.practitioner_id = practitioner;
    auto u = auth_->users->add(nu);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    return u.ok() ? *u : auth::User{};
  }

  auth::AuthorizeParams authorize_params(const auth::Registration& reg, const std::string& scope) {
    auth::AuthorizeParams p;
    p.response_type = "code";
    p.client_id = reg.client.client_id;
    p.redirect_uri = kRedirect;
    p.scope = scope;
    p.state = "st-123";
    p.aud = kBase;
    p.nonce = "n-456";
    p.code_challenge = auth::s256_challenge(kVerifier);
    p.code_challenge_method = "S256";
    return p;
  }

  // begin -> login -> (picker) -> approve every scope; returns the code ("" on failure).
  std::string get_code(const auth::AuthorizeParams& p, const std::string& username, const std::string& password,
                       const std::string& patient = "pat-1") {
    auto begun = auth_->flow->begin(p);
    EXPECT_TRUE(begun.ok()) << (begun.ok() ? "" : unwrap(begun.error().error));
    if (!begun.ok()) return {};
    auto logged = auth_->flow->login(begun->id, username, password);
    EXPECT_TRUE(logged.ok()) << (logged.ok() ? "" : logged.error().message);
    if (!logged.ok()) return {};
    if (auth::AuthorizationFlow::next_step(*logged) == auth::Step::pick_patient) {
      auto chosen = auth_->flow->choose_patient(begun->id, patient);
      EXPECT_TRUE(chosen.ok());
    }
    std::vector<std::string> all;
    std::string s = begun->scope;
    for (std::size_t i = 0; i < s.size();) {
      auto j = s.find(' ', i);
      all.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
      if (j == std::string::npos) break;
      i = j + 1;
    }
    auto approved = auth_->flow->approve(begun->id, all);
    EXPECT_TRUE(approved.ok()) << (approved.ok() ? "" : unwrap(approved.error().error));
    return approved.ok() ? approved->code : std::string();
  }

  static auth::ClientCredentials secret_post(const auth::Registration& reg) {
    auth::ClientCredentials c;
    c.client_id = reg.client.client_id;
    c.client_secret = reg.client_secret;
    return c;
  }

  static auth::ClientCredentials public_creds(const auth::Registration& reg) {
    auth::ClientCredentials c;
    c.client_id = reg.client.client_id;
    return c;
  }

  auth::OAuthResult<auth::TokenResponse> exchange(const auth::Registration& reg, const std::string& code,
                                                  const auth::ClientCredentials& creds,
                                                  const std::string& verifier = kVerifier) {
    auth::TokenRequest t;
    t.grant_type = "authorization_code";
    t.code = code;
    t.redirect_uri = kRedirect;
    t.code_verifier = verifier;
    t.credentials = creds;
    (void)reg;
    return auth_->tokens->token(t);
  }

  auth::OAuthResult<auth::TokenResponse> refresh(const auth::ClientCredentials& creds, const std::string& token,
                                                 const std::string& scope = "") {
    auth::TokenRequest t;
    t.grant_type = "refresh_token";
    t.refresh_token = token;
    t.scope = scope;
    t.credentials = creds;
    return auth_->tokens->token(t);
  }

  test_support::TempDir dir_;
  std::shared_ptr<std::atomic<std::int64_t>> now_us_ = std::make_shared<std::atomic<std::int64_t>>(0);
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<store::SettingsStore> settings_;
  std::unique_ptr<auth::AuthService> auth_;
  std::map<std::string, std::string> web_;  // jwks_uri documents
  int fetches_ = 0;
};

// A backend-service client key pair and the assertion it signs.
struct BackendKey {
  auth::PrivateKey key;
  auth::JwsAlg alg;
  std::string kid;

  std::string jwks() const {
    auto j = auth::jwks_json({auth::Jwk{kid, std::string(auth::alg_name(alg)), "sig", key.public_key()}});
    return j.ok() ? *j : std::string();
  }

  std::string assertion(const std::string& client_id, std::int64_t now_s, const std::string& jti,
                        const std::string& aud = kTokenUrl, std::int64_t life_s = 240) const {
    std::string payload = "{\"iss\":\"" + client_id + "\",\"sub\":\"" + client_id + "\",\"aud\":\"" + aud +
                          "\",\"exp\":" + std::to_string(now_s + life_s) + ",\"iat\":" + std::to_string(now_s) +
                          ",\"jti\":\"" + jti + "\"}";
    auto s = auth::sign_jws(alg, key, kid, payload);
    return s.ok() ? *s : std::string();
  }
};

inline BackendKey make_backend_key(auth::JwsAlg alg, const std::string& kid) {
  auto k = alg == auth::JwsAlg::ES384 ? auth::generate_ec_p384_key() : auth::generate_rsa_key(2048);
  EXPECT_TRUE(k.ok());
  return BackendKey{k.ok() ? *k : auth::PrivateKey{}, alg, kid};
}

inline auth::ClientCredentials assertion_creds(const std::string& assertion) {
  auth::ClientCredentials c;
  c.client_assertion_type = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  c.client_assertion = assertion;
  return c;
}

}  // namespace auth_test
