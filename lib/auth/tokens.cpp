#include "auth/tokens.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "auth/pkce.hpp"
#include "auth/revocation.hpp"
#include "auth/scopes.hpp"
#include "auth/token_state.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"
#include "base/uuid.hpp"

namespace auth {
namespace {

std::string hash_value(std::string_view v) { return base::to_hex(base::sha256(v)); }

std::vector<std::string> split_scopes(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

bool has_scope(std::string_view scope, std::string_view s) {
  const auto v = split_scopes(scope);
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool looks_like_jwt(std::string_view t) { return std::count(t.begin(), t.end(), '.') == 2; }

// What one issuance needs.
struct IssueContext {
  std::string family, client_id, user_id, grant_id, patient, encounter;
  std::string scope;          // the access token's scope
  std::string ceiling_scope;  // the refresh token's ceiling (the original grant's scope)
  std::string nonce;
  bool ehr_launch = false;
  bool user_facing = false;   // authorization_code / refresh (not backend services)
};

}  // namespace

std::string TokenResponse::to_json() const {
  base::Json j = base::Json::object();
  j["access_token"] = access_token;
  j["token_type"] = token_type;
  j["expires_in"] = expires_in;
  j["scope"] = scope;
  if (refresh_token) j["refresh_token"] = *refresh_token;
  if (id_token) j["id_token"] = *id_token;
  if (patient) j["patient"] = *patient;
  if (encounter) j["encounter"] = *encounter;
  if (need_patient_banner) j["need_patient_banner"] = *need_patient_banner;
  if (smart_style_url) j["smart_style_url"] = *smart_style_url;
  return base::dump_compact(j);
}

std::string Introspection::to_json() const {
  base::Json j = base::Json::object();
  j["active"] = active;
  if (!active) return base::dump_compact(j);
  if (!scope.empty()) j["scope"] = scope;
  if (!client_id.empty()) j["client_id"] = client_id;
  if (!username.empty()) j["username"] = username;
  if (!token_type.empty()) j["token_type"] = token_type;
  if (exp) j["exp"] = exp;
  if (iat) j["iat"] = iat;
  if (!sub.empty()) j["sub"] = sub;
  if (!aud.empty()) j["aud"] = aud.size() == 1 ? base::Json(aud.front()) : base::Json(aud);
  if (!iss.empty()) j["iss"] = iss;
  if (!jti.empty()) j["jti"] = jti;
  if (!patient.empty()) j["patient"] = patient;
  if (!encounter.empty()) j["encounter"] = encounter;
  if (!fhir_user.empty()) j["fhirUser"] = fhir_user;
  return base::dump_compact(j);
}

TokenService::TokenService(sql::Database& db, Clock clock, KeyRing& keys, ClientStore& clients, UserStore& users,
                           ClientAuthenticator& client_auth, TokenOptions options)
    : db_(db),
      clock_(std::move(clock)),
      keys_(keys),
      clients_(clients),
      users_(users),
      client_auth_(client_auth),
      options_(std::move(options)) {}

namespace {

// Signs and records the tokens of one issuance on `conn` (a writer inside the caller's transaction).
OAuthResult<TokenResponse> issue(sql::Connection& conn, const KeyRing& keys, UserStore& users,
                                 const TokenOptions& options, std::int64_t now_s, const IssueContext& c) {
  std::string fhir_user_ref;
  std::string display_name;
  if (!c.user_id.empty()) {
    auto user = users.get(c.user_id);
    if (!user) return invalid_grant("the user is gone");
    fhir_user_ref = fhir_user(*user);
    display_name = user->display_name;
  }
  TokenResponse out;
  const std::string jti = base::new_uuid();
  base::Json claims = base::Json::object();
  claims["iss"] = options.fhir_base;
  claims["sub"] = c.user_id.empty() ? c.client_id : c.user_id;
  claims["aud"] = options.fhir_base;
  claims["exp"] = now_s + kAccessTokenLifeS;
  claims["iat"] = now_s;
  claims["jti"] = jti;
  claims["client_id"] = c.client_id;
  claims["scope"] = c.scope;
  if (!c.patient.empty()) claims["patient"] = c.patient;
  if (!c.encounter.empty()) claims["encounter"] = c.encounter;
  if (!fhir_user_ref.empty()) claims["fhirUser"] = fhir_user_ref;
  auto access = keys.sign(base::dump_compact(claims));
  if (!access) return server_error();
  out.access_token = std::move(*access);
  out.scope = c.scope;
  {
    sql::Query q(conn,
                 "INSERT INTO auth_access_tokens (jti, family, client_id, user_id, grant_id, patient, encounter, scope, "
                 "issued_s, expires_s, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
    q.bind_all(jti, c.family.empty() ? jti : c.family, c.client_id, c.user_id, c.grant_id, c.patient, c.encounter,
               c.scope, now_s, now_s + kAccessTokenLifeS);
    if (!q.run()) return server_error();
  }
  if (c.user_facing && has_scope(c.scope, "offline_access")) {
    std::string refresh = base::random_hex(32);
    sql::Query q(conn,
                 "INSERT INTO auth_refresh_tokens (token_hash, family, client_id, user_id, grant_id, patient, encounter, "
                 "scope, ehr_launch, issued_s, expires_s, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')");
    q.bind_all(hash_value(refresh), c.family, c.client_id, c.user_id, c.grant_id, c.patient, c.encounter,
               c.ceiling_scope, c.ehr_launch ? 1 : 0, now_s, now_s + kRefreshTokenLifeS);
    if (!q.run()) return server_error();
    out.refresh_token = std::move(refresh);
  }
  if (c.user_facing && !c.user_id.empty() && has_scope(c.scope, "openid")) {
    base::Json id = base::Json::object();
    id["iss"] = options.fhir_base;
    id["sub"] = c.user_id;
    id["aud"] = c.client_id;
    id["exp"] = now_s + kAccessTokenLifeS;
    id["iat"] = now_s;
    if (!c.nonce.empty()) id["nonce"] = c.nonce;
    if (!fhir_user_ref.empty() && (has_scope(c.scope, "fhirUser") || has_scope(c.scope, "profile"))) {
      id["fhirUser"] = options.fhir_base + "/" + fhir_user_ref;
    }
    if (!display_name.empty() && has_scope(c.scope, "profile")) id["name"] = display_name;
    auto signed_id = keys.sign(base::dump_compact(id));
    if (!signed_id) return server_error();
    out.id_token = std::move(*signed_id);
  }
  if (!c.patient.empty()) out.patient = c.patient;
  if (!c.encounter.empty()) out.encounter = c.encounter;
  if (c.user_facing) {
    out.need_patient_banner = !c.ehr_launch;
    if (!options.smart_style_url.empty()) out.smart_style_url = options.smart_style_url;
  }
  return out;
}

// The user/patient side of a grant is still good (user enabled, patient API access on, grant live).
OAuthStatus check_grant_alive(sql::Connection& conn, const std::string& grant_id, const std::string& user_id,
                              const std::string& patient) {
  sql::Query q(conn,
               "SELECT COALESCE((SELECT revoked FROM auth_grants WHERE id = ?), 1), "
               "COALESCE((SELECT disabled FROM auth_users WHERE id = ?), 1), "
               "COALESCE((SELECT api_access FROM auth_patient_access WHERE patient_id = ?), 1)");
  q.bind_all(grant_id, user_id, patient);
  auto row = q.step();
  if (!row || !*row) return server_error();
  if (q.int_at(0) != 0) return invalid_grant("the authorization was revoked");
  if (q.int_at(1) != 0) return invalid_grant("the user is disabled");
  if (q.int_at(2) == 0) return invalid_grant("third-party app access is turned off for this patient");
  return {};
}

}  // namespace

OAuthResult<TokenResponse> TokenService::token(const TokenRequest& req) {
  if (req.grant_type.empty()) return invalid_request("grant_type is missing");
  if (req.grant_type != "authorization_code" && req.grant_type != "refresh_token" &&
      req.grant_type != "client_credentials") {
    return unsupported_grant_type("grant_type must be authorization_code, refresh_token or client_credentials");
  }
  auto client = client_auth_.authenticate(req.credentials);
  if (!client) return std::move(client).error();
  const std::int64_t now_s = clock_() / 1000000;

  if (req.grant_type == "client_credentials") {
    if (!client->has_grant_type("client_credentials")) {
      return unauthorized_client("this client is not registered for client_credentials");
    }
    std::string scope = req.scope.empty() ? client->metadata.scope
                                          : intersect_scopes(req.scope, client->metadata.scope);
    if (scope.empty()) return invalid_scope("none of the requested scopes is registered for this client");
    auto conn = db_.writer();
    if (!conn) return server_error();
    IssueContext c;
    c.client_id = client->client_id;
    c.scope = scope;
    return issue(**conn, keys_, users_, options_, now_s, c);
  }

  if (!client->has_grant_type("authorization_code")) {
    return unauthorized_client("this client is not registered for " + req.grant_type);
  }

  if (req.grant_type == "authorization_code") {
    if (req.code.empty()) return invalid_request("code is missing");
    if (req.code.size() > 256) return invalid_grant("unknown code");
    auto conn = db_.writer();
    if (!conn) return server_error();
    sql::Transaction tx(**conn);
    if (!tx.begin_status()) return server_error();
    sql::Query q(**conn,
                 "SELECT family, client_id, redirect_uri, code_challenge, grant_id, user_id, patient, encounter, scope, "
                 "nonce, ehr_launch, expires_s, used_s FROM auth_codes WHERE code_hash = ?");
    const std::string code_hash = hash_value(req.code);
    q.bind(code_hash);
    auto row = q.step();
    if (!row) return server_error();
    if (!*row) return invalid_grant("unknown code");
    IssueContext c;
    c.family = q.string_at(0);
    c.client_id = q.string_at(1);
    const std::string redirect_uri = q.string_at(2);
    const std::string challenge = q.string_at(3);
    c.grant_id = q.string_at(4);
    c.user_id = q.string_at(5);
    c.patient = q.string_at(6);
    c.encounter = q.string_at(7);
    c.scope = c.ceiling_scope = q.string_at(8);
    c.nonce = q.string_at(9);
    c.ehr_launch = q.int_at(10) != 0;
    c.user_facing = true;
    const std::int64_t expires_s = q.int_at(11);
    const bool used = !q.null_at(12);
    if (used) {
      // A replayed code: whatever it issued is revoked.
      if (!revoke_family(**conn, c.family) || !tx.commit()) return server_error();
      return invalid_grant("the code was already used; the tokens it issued are revoked");
    }
    {
      sql::Query mark(**conn, "UPDATE auth_codes SET used_s = ? WHERE code_hash = ?");
      mark.bind_all(now_s, code_hash);
      if (!mark.run()) return server_error();
    }
    OAuthStatus problem;
    if (c.client_id != client->client_id) problem = invalid_grant("the code was issued to another client");
    else if (expires_s <= now_s) problem = invalid_grant("the code has expired");
    else if (req.redirect_uri.empty() ? client->metadata.redirect_uris.size() != 1 : req.redirect_uri != redirect_uri)
      problem = invalid_grant("redirect_uri does not match the authorization request");
    else if (!challenge.empty() && req.code_verifier.empty()) problem = invalid_grant("code_verifier is missing");
    else if (!challenge.empty() && !verify_code_verifier(req.code_verifier, challenge))
      problem = invalid_grant("code_verifier does not match the code_challenge");
    else problem = check_grant_alive(**conn, c.grant_id, c.user_id, c.patient);
    if (!problem) {
      if (!tx.commit()) return server_error();  // the code stays used
      return std::move(problem).error();
    }
    auto out = issue(**conn, keys_, users_, options_, now_s, c);
    if (!out) return out;
    if (!tx.commit()) return server_error();
    return out;
  }

  // refresh_token
  if (req.refresh_token.empty()) return invalid_request("refresh_token is missing");
  if (req.refresh_token.size() > 256) return invalid_grant("unknown refresh token");
  auto conn = db_.writer();
  if (!conn) return server_error();
  sql::Transaction tx(**conn);
  if (!tx.begin_status()) return server_error();
  const std::string token_hash = hash_value(req.refresh_token);
  sql::Query q(**conn,
               "SELECT family, client_id, user_id, grant_id, patient, encounter, scope, ehr_launch, expires_s, status "
               "FROM auth_refresh_tokens WHERE token_hash = ?");
  q.bind(token_hash);
  auto row = q.step();
  if (!row) return server_error();
  if (!*row) return invalid_grant("unknown refresh token");
  IssueContext c;
  c.family = q.string_at(0);
  c.client_id = q.string_at(1);
  c.user_id = q.string_at(2);
  c.grant_id = q.string_at(3);
  c.patient = q.string_at(4);
  c.encounter = q.string_at(5);
  c.ceiling_scope = q.string_at(6);
  c.ehr_launch = q.int_at(7) != 0;
  c.user_facing = true;
  const std::int64_t expires_s = q.int_at(8);
  const std::string status = q.string_at(9);
  if (c.client_id != client->client_id) return invalid_grant("unknown refresh token");
  if (status == "rotated") {
    // A rotated token came back: someone holds a copy. Kill the chain.
    if (!revoke_family(**conn, c.family) || !tx.commit()) return server_error();
    return invalid_grant("the refresh token was already used; its chain is revoked");
  }
  if (status != "active") return invalid_grant("the refresh token was revoked");
  if (expires_s <= now_s) return invalid_grant("the refresh token has expired");
  if (auto s = check_grant_alive(**conn, c.grant_id, c.user_id, c.patient); !s) return std::move(s).error();
  if (req.scope.empty()) {
    c.scope = c.ceiling_scope;
  } else {
    const auto ceiling = split_scopes(c.ceiling_scope);
    for (const auto& s : split_scopes(req.scope)) {
      if (std::find(ceiling.begin(), ceiling.end(), s) == ceiling.end()) {
        return invalid_scope("scope \"" + s + "\" was not granted");
      }
    }
    c.scope = intersect_scopes(req.scope, c.ceiling_scope);
    if (c.scope.empty()) return invalid_scope("scope is empty");
  }
  {
    sql::Query mark(**conn, "UPDATE auth_refresh_tokens SET status = 'rotated' WHERE token_hash = ?");
    mark.bind(token_hash);
    if (!mark.run()) return server_error();
  }
  auto out = issue(**conn, keys_, users_, options_, now_s, c);
  if (!out) return out;
  if (!tx.commit()) return server_error();
  return out;
}

OAuthResult<Introspection> TokenService::introspect(const ClientCredentials& credentials, std::string_view token,
                                                    std::string_view /*token_type_hint*/) {
  auto client = client_auth_.authenticate(credentials);
  if (!client) return std::move(client).error();
  if (token.empty()) return invalid_request("token is missing");
  const std::int64_t now_s = clock_() / 1000000;
  Introspection out;
  auto conn = db_.reader();
  if (!conn) return server_error();
  if (looks_like_jwt(token)) {
    auto verified = verify_jws(
        token, [this](const JwsHeader& h) { return keys_.public_key(h.kid); }, {JwsAlg::RS256});
    if (!verified) return out;
    auto claims = parse_claims(verified->payload);
    if (!claims || claims->jti.empty() || claims->iss != options_.fhir_base) return out;
    auto row = load_access_token(**conn, claims->jti);
    if (!row) return server_error();
    if (!*row || (*row)->client_id != client->client_id) return out;
    auto problem = access_token_problem(**conn, claims->jti, now_s);
    if (!problem) return server_error();
    if (!problem->empty()) return out;
    const AccessTokenRow& r = **row;
    out.active = true;
    out.scope = r.scope;
    out.client_id = r.client_id;
    out.token_type = "Bearer";
    out.exp = r.expires_s;
    out.iat = r.issued_s;
    out.sub = claims->sub;
    out.aud = claims->aud;
    out.iss = claims->iss;
    out.jti = r.jti;
    out.patient = r.patient;
    out.encounter = r.encounter;
    if (!r.user_id.empty()) {
      auto user = users_.get(r.user_id);
      if (user) {
        out.username = user->username;
        out.fhir_user = fhir_user(*user);
      }
    }
    return out;
  }
  if (token.size() > 256) return out;
  sql::Query q(**conn,
               "SELECT client_id, user_id, grant_id, patient, encounter, scope, issued_s, expires_s, status "
               "FROM auth_refresh_tokens WHERE token_hash = ?");
  q.bind(hash_value(token));
  auto row = q.step();
  if (!row) return server_error();
  if (!*row || q.text_at(0) != client->client_id || q.text_at(8) != "active" || q.int_at(7) <= now_s) return out;
  const std::string user_id = q.string_at(1), grant_id = q.string_at(2), patient = q.string_at(3);
  out.active = true;
  out.client_id = q.string_at(0);
  out.patient = patient;
  out.encounter = q.string_at(4);
  out.scope = q.string_at(5);
  out.iat = q.int_at(6);
  out.exp = q.int_at(7);
  out.token_type = "refresh_token";
  out.sub = user_id;
  out.iss = options_.fhir_base;
  {
    sql::Query alive(**conn,
                     "SELECT COALESCE((SELECT revoked FROM auth_grants WHERE id = ?), 1), "
                     "COALESCE((SELECT disabled FROM auth_users WHERE id = ?), 1), "
                     "COALESCE((SELECT api_access FROM auth_patient_access WHERE patient_id = ?), 1), "
                     "(SELECT enabled FROM auth_clients WHERE client_id = ?)");
    alive.bind_all(grant_id, user_id, patient, out.client_id);
    auto arow = alive.step();
    if (!arow || !*arow) return server_error();
    if (alive.int_at(0) != 0 || alive.int_at(1) != 0 || alive.int_at(2) == 0 || alive.int_at(3) == 0) return Introspection{};
  }
  if (auto user = users_.get(user_id); user) {
    out.username = user->username;
    out.fhir_user = fhir_user(*user);
  }
  return out;
}

OAuthStatus TokenService::revoke(const ClientCredentials& credentials, std::string_view token,
                                 std::string_view /*token_type_hint*/) {
  auto client = client_auth_.authenticate(credentials);
  if (!client) return std::move(client).error();
  if (token.empty()) return invalid_request("token is missing");
  auto conn = db_.writer();
  if (!conn) return server_error();
  if (looks_like_jwt(token)) {
    auto verified = verify_jws(
        token, [this](const JwsHeader& h) { return keys_.public_key(h.kid); }, {JwsAlg::RS256});
    if (!verified) return {};
    auto claims = parse_claims(verified->payload);
    if (!claims || claims->jti.empty()) return {};
    sql::Transaction tx(**conn);
    if (!tx.begin_status()) return server_error();
    sql::Query q(**conn, "UPDATE auth_access_tokens SET revoked = 1 WHERE jti = ? AND client_id = ? AND revoked = 0");
    q.bind_all(claims->jti, client->client_id);
    if (!q.run()) return server_error();
    if ((*conn)->changes() > 0 && !bump_revocation_generation(**conn)) return server_error();
    if (!tx.commit()) return server_error();
    return {};
  }
  if (token.size() > 256) return {};
  sql::Transaction tx(**conn);
  if (!tx.begin_status()) return server_error();
  sql::Query q(**conn, "SELECT family, client_id FROM auth_refresh_tokens WHERE token_hash = ?");
  q.bind(hash_value(token));
  auto row = q.step();
  if (!row) return server_error();
  if (!*row || q.text_at(1) != client->client_id) return {};
  const std::string family = q.string_at(0);
  if (!revoke_family(**conn, family) || !tx.commit()) return server_error();
  return {};
}

OAuthResult<std::string> TokenService::userinfo_json(const Principal& principal) {
  if (principal.user.empty()) return invalid_token("the token has no user");
  if (!has_scope(principal.scope, "openid")) return access_denied("userinfo needs the openid scope");
  auto user = users_.get(principal.user);
  if (!user) return invalid_token("the user is gone");
  base::Json j = base::Json::object();
  j["sub"] = user->id;
  const std::string fu = fhir_user(*user);
  if (!fu.empty()) j["fhirUser"] = options_.fhir_base + "/" + fu;
  if (!user->display_name.empty()) j["name"] = user->display_name;
  j["preferred_username"] = user->username;
  return base::dump_compact(j);
}

base::Result<std::vector<TokenRecord>> TokenService::list_tokens(std::string_view client_id, bool include_expired) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn,
               "SELECT jti, client_id, user_id, patient, encounter, scope, issued_s, expires_s, revoked "
               "FROM auth_access_tokens WHERE (? = '' OR client_id = ?) AND (? = 1 OR expires_s > ?) "
               "ORDER BY issued_s DESC, jti");
  q.bind_all(client_id, client_id, include_expired ? 1 : 0, clock_() / 1000000);
  std::vector<TokenRecord> out;
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    TokenRecord r;
    r.jti = q.string_at(0);
    r.client_id = q.string_at(1);
    r.user_id = q.string_at(2);
    r.patient = q.string_at(3);
    r.encounter = q.string_at(4);
    r.scope = q.string_at(5);
    r.issued_s = q.int_at(6);
    r.expires_s = q.int_at(7);
    r.revoked = q.int_at(8) != 0;
    out.push_back(std::move(r));
  }
  return out;
}

base::Result<TokenRecord> TokenService::describe_token(std::string_view access_token) const {
  FHIR_TRY(auto verified, verify_jws(
                              access_token, [this](const JwsHeader& h) { return keys_.public_key(h.kid); },
                              {JwsAlg::RS256}));
  FHIR_TRY(auto claims, parse_claims(verified.payload));
  FHIR_TRY(auto conn, db_.reader());
  FHIR_TRY(auto row, load_access_token(*conn, claims.jti));
  if (!row) return base::not_found("the token is not recorded");
  TokenRecord r;
  r.jti = row->jti;
  r.client_id = row->client_id;
  r.user_id = row->user_id;
  r.patient = row->patient;
  r.encounter = row->encounter;
  r.scope = row->scope;
  r.issued_s = row->issued_s;
  r.expires_s = row->expires_s;
  r.revoked = row->revoked;
  return r;
}

base::Status TokenService::revoke_token_id(std::string_view jti) {
  FHIR_TRY(auto conn, db_.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  sql::Query q(*conn, "UPDATE auth_access_tokens SET revoked = 1 WHERE jti = ?");
  q.bind(jti);
  FHIR_CHECK(q.run());
  if (conn->changes() == 0) return base::not_found("no access token \"" + std::string(jti) + "\"");
  FHIR_CHECK(bump_revocation_generation(*conn));
  return tx.commit();
}

base::Result<std::vector<GrantRecord>> TokenService::list_grants(std::string_view client_id) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn,
               "SELECT g.id, g.client_id, g.user_id, COALESCE(u.username, ''), g.patient, g.scope, g.created_s, g.revoked "
               "FROM auth_grants g LEFT JOIN auth_users u ON u.id = g.user_id WHERE g.client_id = ? "
               "ORDER BY g.created_s, g.id");
  q.bind(client_id);
  std::vector<GrantRecord> out;
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    GrantRecord g;
    g.id = q.string_at(0);
    g.client_id = q.string_at(1);
    g.user_id = q.string_at(2);
    g.username = q.string_at(3);
    g.patient = q.string_at(4);
    g.scope = q.string_at(5);
    g.created_s = q.int_at(6);
    g.revoked = q.int_at(7) != 0;
    out.push_back(std::move(g));
  }
  return out;
}

base::Status TokenService::revoke_user(std::string_view client_id, std::string_view user_key) {
  FHIR_TRY(auto client, clients_.get(client_id));
  FHIR_TRY(auto user, users_.get(user_key));
  FHIR_TRY(auto conn, db_.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  {
    sql::Query q(*conn, "UPDATE auth_grants SET revoked = 1 WHERE client_id = ? AND user_id = ?");
    q.bind_all(client.client_id, user.id);
    FHIR_CHECK(q.run());
  }
  {
    sql::Query q(*conn, "UPDATE auth_access_tokens SET revoked = 1 WHERE client_id = ? AND user_id = ?");
    q.bind_all(client.client_id, user.id);
    FHIR_CHECK(q.run());
  }
  {
    sql::Query q(*conn, "UPDATE auth_refresh_tokens SET status = 'revoked' WHERE client_id = ? AND user_id = ?");
    q.bind_all(client.client_id, user.id);
    FHIR_CHECK(q.run());
  }
  FHIR_CHECK(bump_revocation_generation(*conn));
  return tx.commit();
}

}  // namespace auth
