#include "auth/clients.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/jwk.hpp"
#include "auth/revocation.hpp"
#include "auth/scopes.hpp"
#include "auth/uri.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"
#include "base/uuid.hpp"

namespace auth {
namespace {

constexpr std::string_view kGrantTypes[] = {"authorization_code", "refresh_token", "client_credentials"};

std::string hash_secret(std::string_view secret) { return base::to_hex(base::sha256(secret)); }

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

base::Json metadata_to_json(const ClientMetadata& md) {
  base::Json j = base::Json::object();
  if (!md.redirect_uris.empty()) j["redirect_uris"] = md.redirect_uris;
  if (!md.client_name.empty()) j["client_name"] = md.client_name;
  j["token_endpoint_auth_method"] = std::string(auth_method_name(md.token_endpoint_auth_method));
  j["grant_types"] = md.grant_types;
  if (contains(md.grant_types, "authorization_code")) j["response_types"] = std::vector<std::string>{"code"};
  j["scope"] = md.scope;
  if (!md.jwks.empty()) {
    auto parsed = base::parse_json(md.jwks);
    if (parsed) j["jwks"] = std::move(*parsed);
  }
  if (!md.jwks_uri.empty()) j["jwks_uri"] = md.jwks_uri;
  if (!md.initiate_login_uri.empty()) j["initiate_login_uri"] = md.initiate_login_uri;
  if (!md.contacts.empty()) j["contacts"] = md.contacts;
  if (!md.logo_uri.empty()) j["logo_uri"] = md.logo_uri;
  return j;
}

// Reads metadata members; `bad` makes the error for a member of the wrong JSON type.
OAuthResult<ClientMetadata> metadata_from_json(const base::Json& j) {
  ClientMetadata md;
  const auto string_member = [&](const char* name, std::string& out) -> OAuthStatus {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) return invalid_client_metadata(std::string(name) + " must be a string");
    out = it->get<std::string>();
    return {};
  };
  const auto array_member = [&](const char* name, std::vector<std::string>& out, bool redirect) -> OAuthStatus {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return {};
    const auto err = [&] {
      std::string d = std::string(name) + " must be an array of strings";
      return redirect ? invalid_redirect_uri(d) : invalid_client_metadata(d);
    };
    if (!it->is_array()) return err();
    for (const auto& e : *it) {
      if (!e.is_string()) return err();
      out.push_back(e.get<std::string>());
    }
    return {};
  };
  if (auto s = array_member("redirect_uris", md.redirect_uris, true); !s) return std::move(s).error();
  if (auto s = string_member("client_name", md.client_name); !s) return std::move(s).error();
  std::string method;
  if (auto s = string_member("token_endpoint_auth_method", method); !s) return std::move(s).error();
  if (method.empty()) method = "client_secret_basic";
  auto m = parse_auth_method(method);
  if (!m) {
    return invalid_client_metadata(
        "token_endpoint_auth_method must be client_secret_basic, client_secret_post, private_key_jwt or none");
  }
  md.token_endpoint_auth_method = *m;
  if (auto s = array_member("grant_types", md.grant_types, false); !s) return std::move(s).error();
  if (!j.contains("grant_types")) md.grant_types = {"authorization_code"};
  std::vector<std::string> response_types;
  if (auto s = array_member("response_types", response_types, false); !s) return std::move(s).error();
  for (const auto& r : response_types) {
    if (r != "code") return invalid_client_metadata("response_types: only \"code\" is supported");
  }
  if (auto it = j.find("scope"); it != j.end() && !it->is_null() && !it->is_string()) {
    return invalid_client_metadata("scope must be a space-separated string");
  }
  if (auto s = string_member("scope", md.scope); !s) return std::move(s).error();
  if (auto it = j.find("jwks"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return invalid_client_metadata("jwks must be a JWK Set object");
    md.jwks = base::dump_compact(*it);
  }
  if (auto s = string_member("jwks_uri", md.jwks_uri); !s) return std::move(s).error();
  if (auto s = string_member("initiate_login_uri", md.initiate_login_uri); !s) return std::move(s).error();
  if (auto s = array_member("contacts", md.contacts, false); !s) return std::move(s).error();
  if (auto s = string_member("logo_uri", md.logo_uri); !s) return std::move(s).error();
  return md;
}

Client read_client(const sql::Query& q) {
  // columns: client_id, metadata, enabled, issued_at_s
  Client c;
  c.client_id = q.string_at(0);
  auto j = base::parse_json(q.text_at(1));
  if (j) {
    auto md = metadata_from_json(*j);
    if (md) c.metadata = std::move(*md);
  }
  c.enabled = q.int_at(2) != 0;
  c.issued_at_s = q.int_at(3);
  return c;
}

}  // namespace

std::string_view auth_method_name(AuthMethod m) {
  switch (m) {
    case AuthMethod::client_secret_basic: return "client_secret_basic";
    case AuthMethod::client_secret_post: return "client_secret_post";
    case AuthMethod::private_key_jwt: return "private_key_jwt";
    case AuthMethod::none: return "none";
  }
  return "none";
}

std::optional<AuthMethod> parse_auth_method(std::string_view name) {
  if (name == "client_secret_basic") return AuthMethod::client_secret_basic;
  if (name == "client_secret_post") return AuthMethod::client_secret_post;
  if (name == "private_key_jwt") return AuthMethod::private_key_jwt;
  if (name == "none") return AuthMethod::none;
  return std::nullopt;
}

bool Client::has_grant_type(std::string_view g) const { return contains(metadata.grant_types, g); }
bool Client::has_redirect_uri(std::string_view uri) const { return contains(metadata.redirect_uris, uri); }

OAuthResult<ClientMetadata> parse_registration_request(std::string_view json_body) {
  auto j = base::parse_json(json_body);
  if (!j || !j->is_object()) return invalid_client_metadata("the registration request must be a JSON object");
  auto md = metadata_from_json(*j);
  if (!md) return md;
  if (auto s = validate_metadata(*md); !s) return std::move(s).error();
  return md;
}

OAuthStatus validate_metadata(const ClientMetadata& md) {
  if (md.grant_types.empty()) return invalid_client_metadata("grant_types must not be empty");
  std::set<std::string> seen;
  for (const auto& g : md.grant_types) {
    if (std::find(std::begin(kGrantTypes), std::end(kGrantTypes), g) == std::end(kGrantTypes)) {
      return invalid_client_metadata("grant_types: \"" + g +
                                     "\" is not supported (authorization_code, refresh_token, client_credentials)");
    }
    if (!seen.insert(g).second) return invalid_client_metadata("grant_types: \"" + g + "\" given twice");
  }
  const bool code = seen.count("authorization_code") > 0;
  const bool cc = seen.count("client_credentials") > 0;
  const AuthMethod method = md.token_endpoint_auth_method;
  if (cc && method != AuthMethod::private_key_jwt) {
    return invalid_client_metadata("client_credentials requires token_endpoint_auth_method private_key_jwt");
  }
  if (cc && code) {
    return invalid_client_metadata("a client is either a backend service (client_credentials) or an app "
                                   "(authorization_code), not both");
  }
  if (seen.count("refresh_token") && !code) {
    return invalid_client_metadata("refresh_token requires the authorization_code grant");
  }
  if (code && md.redirect_uris.empty()) {
    return invalid_redirect_uri("redirect_uris is required for the authorization_code grant");
  }
  for (const auto& uri : md.redirect_uris) {
    if (!is_safe_url(uri)) {
      return invalid_redirect_uri("redirect_uris: \"" + uri +
                                  "\" must be an absolute https URL (or http on a loopback address) without a "
                                  "fragment or wildcard");
    }
  }
  if (md.scope.empty()) return invalid_client_metadata("scope is required: list every scope the app needs");
  if (auto s = check_registration_scopes(md.scope); !s) {
    return invalid_client_metadata("scope: " + s.error().message);
  }
  if (method == AuthMethod::private_key_jwt) {
    if (md.jwks.empty() == md.jwks_uri.empty()) {
      return invalid_client_metadata("private_key_jwt needs exactly one of jwks or jwks_uri");
    }
  }
  if (!md.jwks.empty()) {
    auto keys = parse_jwks(md.jwks);
    if (!keys) return invalid_client_metadata("jwks: " + keys.error().message);
  }
  if (!md.jwks_uri.empty() && !is_safe_url(md.jwks_uri)) {
    return invalid_client_metadata("jwks_uri must be an absolute https URL");
  }
  if (!md.initiate_login_uri.empty() && !is_safe_url(md.initiate_login_uri)) {
    return invalid_client_metadata("initiate_login_uri must be an absolute https URL");
  }
  if (!md.logo_uri.empty() && !is_safe_url(md.logo_uri)) {
    return invalid_client_metadata("logo_uri must be an absolute https URL");
  }
  if (md.client_name.size() > 200) return invalid_client_metadata("client_name is too long");
  for (const auto& c : md.contacts) {
    if (c.empty() || c.size() > 320) return invalid_client_metadata("contacts must be non-empty strings");
  }
  return {};
}

std::string registration_response_json(const Registration& reg) {
  base::Json j = base::Json::object();
  j["client_id"] = reg.client.client_id;
  if (!reg.client_secret.empty()) {
    j["client_secret"] = reg.client_secret;
    j["client_secret_expires_at"] = 0;
  }
  j["client_id_issued_at"] = reg.client.issued_at_s;
  j["registration_access_token"] = reg.registration_access_token;
  const base::Json md = metadata_to_json(reg.client.metadata);
  for (const auto& [k, v] : md.items()) j[k] = v;
  return base::dump_compact(j);
}

std::string client_json(const Client& client) {
  base::Json j = base::Json::object();
  j["client_id"] = client.client_id;
  j["client_id_issued_at"] = client.issued_at_s;
  j["enabled"] = client.enabled;
  const base::Json md = metadata_to_json(client.metadata);
  for (const auto& [k, v] : md.items()) j[k] = v;
  return base::dump_compact(j);
}

ClientStore::ClientStore(sql::Database& db, Clock clock, const store::SettingsStore* settings)
    : db_(db), clock_(std::move(clock)), settings_(settings) {}

base::Result<RegistrationPolicy> ClientStore::policy() const {
  if (!settings_) return RegistrationPolicy::open;
  FHIR_TRY(auto s, settings_->get("oauth_registration"));
  if (s.value == "closed") return RegistrationPolicy::closed;
  if (s.value == "initial-access-token") return RegistrationPolicy::initial_access_token;
  return RegistrationPolicy::open;
}

OAuthResult<Registration> ClientStore::register_client(const ClientMetadata& metadata,
                                                       std::string_view initial_access_token) {
  auto pol = policy();
  if (!pol) return server_error();
  const std::int64_t now_s = clock_() / 1000000;
  if (*pol == RegistrationPolicy::closed) return access_denied("dynamic client registration is closed");
  if (*pol == RegistrationPolicy::initial_access_token) {
    if (initial_access_token.empty()) return invalid_token("an initial access token is required to register");
    auto conn = db_.reader();
    if (!conn) return server_error();
    sql::Query q(**conn, "SELECT expires_s FROM auth_initial_access_tokens WHERE token_hash = ?");
    q.bind(hash_secret(initial_access_token));
    auto row = q.step();
    if (!row) return server_error();
    if (!*row || (q.int_at(0) != 0 && q.int_at(0) <= now_s)) return invalid_token("unknown or expired initial access token");
  }
  return insert_client(metadata);
}

OAuthResult<Registration> ClientStore::add_client(const ClientMetadata& metadata) { return insert_client(metadata); }

OAuthResult<Registration> ClientStore::insert_client(const ClientMetadata& metadata) {
  const std::int64_t now_s = clock_() / 1000000;
  if (auto s = validate_metadata(metadata); !s) return std::move(s).error();
  auto scopes = parse_scopes(metadata.scope);
  if (!scopes) return invalid_client_metadata("scope: " + scopes.error().message);

  Registration reg;
  reg.client.client_id = base::random_hex(16);
  reg.client.metadata = metadata;
  reg.client.issued_at_s = now_s;
  reg.client.enabled = is_patient_standalone(*scopes) && !reg.client.has_grant_type("client_credentials");
  const AuthMethod m = metadata.token_endpoint_auth_method;
  if (m == AuthMethod::client_secret_basic || m == AuthMethod::client_secret_post) {
    reg.client_secret = base::random_hex(32);
  }
  reg.registration_access_token = base::random_hex(32);

  auto conn = db_.writer();
  if (!conn) return server_error();
  sql::Query q(**conn,
               "INSERT INTO auth_clients (client_id, metadata, secret_hash, registration_token_hash, enabled, "
               "issued_at_s) VALUES (?, ?, ?, ?, ?, ?)");
  q.bind_all(reg.client.client_id, base::dump_compact(metadata_to_json(metadata)));
  if (reg.client_secret.empty()) q.bind_null(); else q.bind(hash_secret(reg.client_secret));
  q.bind_all(hash_secret(reg.registration_access_token), reg.client.enabled ? 1 : 0, now_s);
  if (!q.run()) return server_error();
  return reg;
}

base::Result<Client> ClientStore::get(std::string_view client_id) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, "SELECT client_id, metadata, enabled, issued_at_s FROM auth_clients WHERE client_id = ?");
  q.bind(client_id);
  FHIR_TRY(bool row, q.step());
  if (!row) return base::not_found("no client \"" + std::string(client_id) + "\"");
  return read_client(q);
}

base::Result<std::vector<Client>> ClientStore::list() const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, "SELECT client_id, metadata, enabled, issued_at_s FROM auth_clients ORDER BY issued_at_s, client_id");
  std::vector<Client> out;
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(read_client(q));
  }
  return out;
}

namespace {
base::Status set_enabled(sql::Database& db, std::string_view client_id, bool enabled) {
  FHIR_TRY(auto conn, db.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  sql::Query q(*conn, "UPDATE auth_clients SET enabled = ? WHERE client_id = ?");
  q.bind_all(enabled ? 1 : 0, client_id);
  FHIR_CHECK(q.run());
  if (conn->changes() == 0) return base::not_found("no client \"" + std::string(client_id) + "\"");
  FHIR_CHECK(bump_revocation_generation(*conn));  // verifiers drop cached verdicts either way
  return tx.commit();
}
}  // namespace

base::Status ClientStore::enable(std::string_view client_id) { return set_enabled(db_, client_id, true); }
base::Status ClientStore::disable(std::string_view client_id) { return set_enabled(db_, client_id, false); }

base::Result<bool> ClientStore::check_secret(std::string_view client_id, std::string_view secret) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, "SELECT secret_hash FROM auth_clients WHERE client_id = ?");
  q.bind(client_id);
  FHIR_TRY(bool row, q.step());
  if (!row) return base::not_found("no client \"" + std::string(client_id) + "\"");
  if (q.null_at(0)) return false;
  return base::constant_time_equal(hash_secret(secret), q.text_at(0));
}

base::Result<std::string> ClientStore::create_initial_access_token(std::int64_t valid_for_s) {
  const std::string token = base::random_hex(32);
  const std::int64_t now_s = clock_() / 1000000;
  FHIR_TRY(auto conn, db_.writer());
  sql::Query q(*conn, "INSERT INTO auth_initial_access_tokens (token_hash, created_s, expires_s) VALUES (?, ?, ?)");
  q.bind_all(hash_secret(token), now_s, valid_for_s > 0 ? now_s + valid_for_s : std::int64_t{0});
  FHIR_CHECK(q.run());
  return token;
}

}  // namespace auth
