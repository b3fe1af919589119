#include "auth/flow.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/pkce.hpp"
#include "auth/scopes.hpp"
#include "auth/uri.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"
#include "base/uuid.hpp"

namespace auth {
namespace {

std::string hash_value(std::string_view v) { return base::to_hex(base::sha256(v)); }

bool valid_fhir_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

std::string strip_slash(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

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

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out.push_back(' ');
    out += s;
  }
  return out;
}

AuthorizeError page_error(OAuthError e) { return AuthorizeError{AuthorizeError::Kind::show_page, std::move(e), {}, {}}; }

AuthorizeError redirect_error(OAuthError e, const std::string& redirect_uri, const std::string& state) {
  return AuthorizeError{AuthorizeError::Kind::redirect, std::move(e), redirect_uri, state};
}

std::string to_json(const PendingRequest& r) {
  base::Json j = base::Json::object();
  j["client_id"] = r.client_id;
  j["client_name"] = r.client_name;
  j["redirect_uri"] = r.redirect_uri;
  j["scope"] = r.scope;
  j["state"] = r.state;
  j["nonce"] = r.nonce;
  j["code_challenge"] = r.code_challenge;
  j["aud"] = r.aud;
  j["launch_patient"] = r.launch_patient;
  j["launch_encounter"] = r.launch_encounter;
  j["launch_user"] = r.launch_user;
  j["user_id"] = r.user_id;
  j["patient"] = r.patient;
  j["encounter"] = r.encounter;
  return base::dump_compact(j);
}

PendingRequest from_json(std::string_view id, std::string_view text, std::int64_t expires_s) {
  PendingRequest r;
  r.id = std::string(id);
  r.expires_us = expires_s * 1000000;
  auto j = base::parse_json(text);
  if (!j || !j->is_object()) return r;
  const auto get = [&](const char* k) { return j->contains(k) && (*j)[k].is_string() ? (*j)[k].get<std::string>() : std::string(); };
  r.client_id = get("client_id");
  r.client_name = get("client_name");
  r.redirect_uri = get("redirect_uri");
  r.scope = get("scope");
  r.state = get("state");
  r.nonce = get("nonce");
  r.code_challenge = get("code_challenge");
  r.aud = get("aud");
  r.launch_patient = get("launch_patient");
  r.launch_encounter = get("launch_encounter");
  r.launch_user = get("launch_user");
  r.user_id = get("user_id");
  r.patient = get("patient");
  r.encounter = get("encounter");
  return r;
}

base::Status save(sql::Database& db, const PendingRequest& r) {
  FHIR_TRY(auto conn, db.writer());
  sql::Query q(*conn, "UPDATE auth_requests SET state = ? WHERE id = ?");
  q.bind_all(to_json(r), r.id);
  return q.run();
}

base::Status remove(sql::Database& db, std::string_view id) {
  FHIR_TRY(auto conn, db.writer());
  sql::Query q(*conn, "DELETE FROM auth_requests WHERE id = ?");
  q.bind(id);
  return q.run();
}

bool is_patient_level(const std::string& scope) { return scope.rfind("patient/", 0) == 0; }

}  // namespace

std::string AuthorizeError::redirect_url(std::string_view issuer) const {
  if (kind != Kind::redirect) return {};
  std::string url = append_query(redirect_uri, {{"error", error.error}, {"error_description", error.description}});
  if (!state.empty()) url = append_query(url, {{"state", state}});
  return append_query(url, {{"iss", issuer}});
}

bool PendingRequest::offline_access_requested() const {
  const auto v = split_scopes(scope);
  return std::find(v.begin(), v.end(), "offline_access") != v.end();
}

bool PendingRequest::needs_patient() const {
  for (const auto& s : split_scopes(scope)) {
    if (s == "launch/patient" || is_patient_level(s)) return true;
  }
  return false;
}

AuthorizationFlow::AuthorizationFlow(sql::Database& db, Clock clock, ClientStore& clients, UserStore& users,
                                     std::string fhir_base)
    : db_(db), clock_(std::move(clock)), clients_(clients), users_(users), fhir_base_(std::move(fhir_base)) {}

AuthorizeResult<PendingRequest> AuthorizationFlow::begin(const AuthorizeParams& p) {
  if (p.client_id.empty()) return page_error(invalid_request("client_id is missing"));
  auto client = clients_.get(p.client_id);
  if (!client) {
    if (client.error().code == base::ErrorCode::not_found) return page_error(invalid_client("unknown client_id"));
    return page_error(server_error());
  }
  if (!client->enabled) {
    return page_error(unauthorized_client("this app is not enabled yet; an administrator must enable it"));
  }
  std::string redirect_uri = p.redirect_uri;
  if (redirect_uri.empty()) {
    if (client->metadata.redirect_uris.size() != 1) return page_error(invalid_request("redirect_uri is missing"));
    redirect_uri = client->metadata.redirect_uris.front();
  } else if (!client->has_redirect_uri(redirect_uri)) {
    return page_error(invalid_request("redirect_uri is not registered for this app"));
  }
  const auto fail = [&](OAuthError e) { return redirect_error(std::move(e), redirect_uri, p.state); };

  if (p.response_type != "code") return fail(unsupported_response_type("response_type must be code"));
  if (!client->has_grant_type("authorization_code")) {
    return fail(unauthorized_client("this app is not registered for the authorization_code grant"));
  }
  if (p.aud.empty()) return fail(invalid_request("aud is missing: it must be the FHIR base URL"));
  if (strip_slash(p.aud) != strip_slash(fhir_base_)) {
    return fail(invalid_request("aud must be this server's FHIR base URL"));
  }
  if (auto s = check_code_challenge(p.code_challenge, p.code_challenge_method); !s) return fail(s.error());
  if (client->is_public() && p.code_challenge.empty()) {
    return fail(invalid_request("PKCE (code_challenge with S256) is required for public apps"));
  }
  if (p.scope.size() > 8192) return fail(invalid_scope("scope is too long"));
  if (auto parsed = parse_scopes(p.scope); !parsed) return fail(invalid_scope(parsed.error().message));
  std::vector<std::string> narrowed = split_scopes(intersect_scopes(p.scope, client->metadata.scope));
  if (p.launch.empty()) narrowed.erase(std::remove(narrowed.begin(), narrowed.end(), "launch"), narrowed.end());
  if (narrowed.empty()) return fail(invalid_scope("none of the requested scopes is registered for this app"));
  if (p.state.size() > 2048 || p.nonce.size() > 2048) return fail(invalid_request("state or nonce is too long"));

  const std::int64_t now_s = clock_() / 1000000;
  PendingRequest r;
  r.id = base::random_hex(24);
  r.client_id = client->client_id;
  r.client_name = client->metadata.client_name;
  r.redirect_uri = redirect_uri;
  r.scope = join(narrowed);
  r.state = p.state;
  r.nonce = p.nonce;
  r.code_challenge = p.code_challenge;
  r.aud = p.aud;
  r.expires_us = (now_s + kRequestLifeS) * 1000000;

  auto conn = db_.writer();
  if (!conn) return page_error(server_error());
  sql::Transaction tx(**conn);
  if (!tx.begin_status()) return page_error(server_error());
  {
    sql::Query purge(**conn, "DELETE FROM auth_requests WHERE expires_s < ?");
    purge.bind(now_s);
    if (!purge.run()) return page_error(server_error());
  }
  if (!p.launch.empty()) {
    sql::Query q(**conn,
                 "SELECT client_id, user_id, patient, encounter, expires_s, used FROM auth_launches WHERE launch_hash = ?");
    q.bind(hash_value(p.launch));
    auto row = q.step();
    if (!row) return page_error(server_error());
    if (!*row || q.text_at(0) != client->client_id || q.int_at(4) <= now_s || q.int_at(5) != 0) {
      return fail(invalid_request("launch is unknown, expired, already used or for another app"));
    }
    r.launch_user = q.string_at(1);
    r.launch_patient = q.string_at(2);
    r.launch_encounter = q.string_at(3);
    r.patient = r.launch_patient;
    r.encounter = r.launch_encounter;
    sql::Query used(**conn, "UPDATE auth_launches SET used = 1 WHERE launch_hash = ?");
    used.bind(hash_value(p.launch));
    if (!used.run()) return page_error(server_error());
  }
  sql::Query ins(**conn, "INSERT INTO auth_requests (id, state, expires_s) VALUES (?, ?, ?)");
  ins.bind_all(r.id, to_json(r), now_s + kRequestLifeS);
  if (!ins.run() || !tx.commit()) return page_error(server_error());
  return r;
}

base::Result<PendingRequest> AuthorizationFlow::get(std::string_view request_id) const {
  const auto gone = [] { return base::not_found("this sign-in request is unknown or has expired; start again from the app"); };
  if (request_id.empty() || request_id.size() > 128) return gone();
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, "SELECT state, expires_s FROM auth_requests WHERE id = ?");
  q.bind(request_id);
  FHIR_TRY(bool row, q.step());
  if (!row || q.int_at(1) <= clock_() / 1000000) return gone();
  return from_json(request_id, q.text_at(0), q.int_at(1));
}

Step AuthorizationFlow::next_step(const PendingRequest& r) {
  if (r.user_id.empty()) return Step::login;
  if (r.needs_patient() && r.patient.empty()) return Step::pick_patient;
  return Step::consent;
}

namespace {

base::Result<PendingRequest> bind_user(sql::Database& db, UserStore& users, PendingRequest r, const User& user) {
  if (!r.launch_user.empty() && r.launch_user != user.id) {
    return base::make_error(base::ErrorCode::forbidden, "this launch was made for another user");
  }
  if (user.role == Role::patient) {
    if (!r.launch_patient.empty() && r.launch_patient != user.patient_id) {
      return base::make_error(base::ErrorCode::forbidden, "this launch is for another patient");
    }
    FHIR_TRY(bool on, users.patient_api_access(user.patient_id));
    if (!on) return base::make_error(base::ErrorCode::forbidden, "third-party app access is turned off for this patient");
    r.patient = user.patient_id;
  }
  r.user_id = user.id;
  FHIR_CHECK(save(db, r));
  return r;
}

}  // namespace

base::Result<PendingRequest> AuthorizationFlow::login(std::string_view request_id, std::string_view username,
                                                      std::string_view password) {
  FHIR_TRY(auto r, get(request_id));
  FHIR_TRY(auto user, users_.authenticate(username, password));
  return bind_user(db_, users_, std::move(r), user);
}

base::Result<PendingRequest> AuthorizationFlow::attach_user(std::string_view request_id, std::string_view user_id) {
  FHIR_TRY(auto r, get(request_id));
  FHIR_TRY(auto user, users_.get(user_id));
  if (user.disabled) return base::not_found("no such user");
  return bind_user(db_, users_, std::move(r), user);
}

base::Result<PendingRequest> AuthorizationFlow::choose_patient(std::string_view request_id, std::string_view patient_id) {
  FHIR_TRY(auto r, get(request_id));
  if (r.user_id.empty()) return base::invalid("log in first");
  if (!r.launch_patient.empty()) return base::invalid("the launch already chose the patient");
  FHIR_TRY(auto user, users_.get(r.user_id));
  if (user.role == Role::patient) return base::invalid("a patient cannot choose another patient");
  if (!valid_fhir_id(patient_id)) return base::invalid("bad Patient id");
  FHIR_TRY(bool on, users_.patient_api_access(patient_id));
  if (!on) return base::make_error(base::ErrorCode::forbidden, "third-party app access is turned off for this patient");
  r.patient = std::string(patient_id);
  FHIR_CHECK(save(db_, r));
  return r;
}

AuthorizeResult<CodeRedirect> AuthorizationFlow::approve(std::string_view request_id,
                                                         const std::vector<std::string>& consented) {
  auto found = get(request_id);
  if (!found) {
    if (found.error().code == base::ErrorCode::not_found) return page_error(invalid_request(found.error().message));
    return page_error(server_error());
  }
  PendingRequest r = std::move(*found);
  const auto denied = [&](std::string why) {
    (void)remove(db_, r.id);
    return redirect_error(access_denied(std::move(why)), r.redirect_uri, r.state);
  };
  if (next_step(r) != Step::consent) return denied("the sign-in was not completed");
  auto user = users_.get(r.user_id);
  if (!user || user->disabled) return denied("the user cannot authorize apps");

  std::vector<std::string> granted = split_scopes(intersect_scopes(r.scope, join(consented)));
  if (user->role == Role::patient) {
    granted.erase(std::remove_if(granted.begin(), granted.end(),
                                 [](const std::string& s) {
                                   return s == "launch" || s.rfind("user/", 0) == 0 || s.rfind("system/", 0) == 0;
                                 }),
                  granted.end());
  }
  if (granted.empty()) return denied("no scope was granted");
  if (!r.patient.empty()) {
    auto on = users_.patient_api_access(r.patient);
    if (!on) return page_error(server_error());
    if (!*on) return denied("third-party app access is turned off for this patient");
  }
  const std::string scope = join(granted);
  const std::int64_t now_s = clock_() / 1000000;
  const std::string code = base::random_hex(32);

  auto conn = db_.writer();
  if (!conn) return page_error(server_error());
  sql::Transaction tx(**conn);
  if (!tx.begin_status()) return page_error(server_error());
  std::string grant_id;
  {
    sql::Query q(**conn,
                 "SELECT id FROM auth_grants WHERE client_id = ? AND user_id = ? AND patient = ? AND revoked = 0 LIMIT 1");
    q.bind_all(r.client_id, r.user_id, r.patient);
    auto row = q.step();
    if (!row) return page_error(server_error());
    if (*row) grant_id = q.string_at(0);
  }
  if (grant_id.empty()) {
    grant_id = base::new_uuid();
    sql::Query q(**conn,
                 "INSERT INTO auth_grants (id, client_id, user_id, patient, scope, created_s, revoked) "
                 "VALUES (?, ?, ?, ?, ?, ?, 0)");
    q.bind_all(grant_id, r.client_id, r.user_id, r.patient, scope, now_s);
    if (!q.run()) return page_error(server_error());
  } else {
    sql::Query q(**conn, "UPDATE auth_grants SET scope = ? WHERE id = ?");
    q.bind_all(scope, grant_id);
    if (!q.run()) return page_error(server_error());
  }
  {
    // Used codes are kept as long as what they issued may live, so a late replay still revokes it.
    sql::Query purge(**conn, "DELETE FROM auth_codes WHERE expires_s < ?");
    purge.bind(now_s - kRefreshTokenLifeS);
    if (!purge.run()) return page_error(server_error());
  }
  {
    sql::Query q(**conn,
                 "INSERT INTO auth_codes (code_hash, family, client_id, redirect_uri, code_challenge, grant_id, user_id, "
                 "patient, encounter, scope, nonce, ehr_launch, expires_s, used_s) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)");
    q.bind_all(hash_value(code), base::new_uuid(), r.client_id, r.redirect_uri, r.code_challenge, grant_id, r.user_id,
               r.patient, r.encounter, scope, r.nonce, r.launch_user.empty() ? 0 : 1, now_s + kCodeLifeS);
    if (!q.run()) return page_error(server_error());
  }
  {
    sql::Query q(**conn, "DELETE FROM auth_requests WHERE id = ?");
    q.bind(r.id);
    if (!q.run()) return page_error(server_error());
  }
  if (!tx.commit()) return page_error(server_error());

  std::string url = append_query(r.redirect_uri, {{"code", code}});
  if (!r.state.empty()) url = append_query(url, {{"state", r.state}});
  url = append_query(url, {{"iss", fhir_base_}});
  return CodeRedirect{std::move(url), code};
}

AuthorizeError AuthorizationFlow::deny(std::string_view request_id) {
  auto r = get(request_id);
  if (!r) return page_error(invalid_request(r.error().message));
  (void)remove(db_, r->id);
  return redirect_error(access_denied("the user denied access"), r->redirect_uri, r->state);
}

base::Result<EhrLaunch> AuthorizationFlow::create_launch(std::string_view client_id, std::string_view user_key,
                                                         std::string_view patient_id, std::string_view encounter_id) {
  FHIR_TRY(auto client, clients_.get(client_id));
  if (!client.enabled) return base::invalid("the client is not enabled");
  FHIR_TRY(auto user, users_.get(user_key));
  if (user.role == Role::patient) return base::invalid("an EHR launch is made for a staff user");
  if (user.disabled) return base::invalid("the user is disabled");
  if (!valid_fhir_id(patient_id)) return base::invalid("bad Patient id");
  if (!encounter_id.empty() && !valid_fhir_id(encounter_id)) return base::invalid("bad Encounter id");
  EhrLaunch out;
  out.launch = base::random_hex(24);
  const std::int64_t now_s = clock_() / 1000000;
  FHIR_TRY(auto conn, db_.writer());
  {
    sql::Query purge(*conn, "DELETE FROM auth_launches WHERE expires_s < ?");
    purge.bind(now_s);
    FHIR_CHECK(purge.run());
  }
  sql::Query q(*conn,
               "INSERT INTO auth_launches (launch_hash, client_id, user_id, patient, encounter, expires_s, used) "
               "VALUES (?, ?, ?, ?, ?, ?, 0)");
  q.bind_all(hash_value(out.launch), client.client_id, user.id, patient_id, encounter_id, now_s + kLaunchLifeS);
  FHIR_CHECK(q.run());
  if (!client.metadata.initiate_login_uri.empty()) {
    out.url = append_query(client.metadata.initiate_login_uri, {{"iss", fhir_base_}, {"launch", out.launch}});
  }
  return out;
}

}  // namespace auth
