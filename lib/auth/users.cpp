#include "auth/users.hpp"

#include <algorithm>

#include "auth/revocation.hpp"
#include "base/uuid.hpp"

namespace auth {
namespace {

constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 1024;
constexpr std::int64_t kForgiveAfterS = 24 * 3600;

base::Status check_username(std::string_view u) {
  const bool ok = u.size() >= 3 && u.size() <= 64 && std::all_of(u.begin(), u.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                           c == '_' || c == '@' || c == '-';
                  });
  if (!ok) return base::invalid("a username is 3 to 64 characters of letters, digits, '.', '_', '@' and '-'");
  return {};
}

base::Status check_password(std::string_view p) {
  if (p.size() < kMinPassword) return base::invalid("a password needs at least 8 characters");
  if (p.size() > kMaxPassword) return base::invalid("the password is too long");
  return {};
}

bool valid_fhir_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

base::Error wrong_login() { return base::make_error(base::ErrorCode::unauthorized, "invalid username or password"); }
base::Error locked() {
  return base::make_error(base::ErrorCode::unauthorized, "too many failed logins; try again later");
}

constexpr const char* kUserColumns =
    "id, username, role, display_name, COALESCE(patient_id, ''), COALESCE(practitioner_id, ''), disabled, "
    "created_us, password_hash";

User read_user(const sql::Query& q) {
  User u;
  u.id = q.string_at(0);
  u.username = q.string_at(1);
  u.role = parse_role(q.text_at(2)).ok() ? *parse_role(q.text_at(2)) : Role::clinician;
  u.display_name = q.string_at(3);
  u.patient_id = q.string_at(4);
  u.practitioner_id = q.string_at(5);
  u.disabled = q.int_at(6) != 0;
  u.created_us = q.int_at(7);
  return u;
}

// The user row and its password hash; nullopt when none.
base::Result<std::optional<std::pair<User, std::string>>> find(sql::Connection& conn, std::string_view key) {
  sql::Query q(conn, std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE id = ? OR username = ? LIMIT 1");
  q.bind_all(key, key);
  FHIR_TRY(bool row, q.step());
  if (!row) return std::optional<std::pair<User, std::string>>();
  return std::optional<std::pair<User, std::string>>(std::pair{read_user(q), q.string_at(8)});
}

base::Error no_user(std::string_view key) { return base::not_found("no user \"" + std::string(key) + "\""); }

std::string random_lower(std::size_t n) {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  const std::string hex = base::random_hex(n);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned v = static_cast<unsigned>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
    out.push_back(kAlphabet[v % (sizeof(kAlphabet) - 1)]);
  }
  return out;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::clinician: return "clinician";
    case Role::patient: return "patient";
  }
  return "clinician";
}

base::Result<Role> parse_role(std::string_view name) {
  if (name == "admin") return Role::admin;
  if (name == "clinician") return Role::clinician;
  if (name == "patient") return Role::patient;
  return base::invalid("unknown role \"" + std::string(name) + "\" (admin, clinician or patient)");
}

std::string fhir_user(const User& user) {
  if (user.role == Role::patient && !user.patient_id.empty()) return "Patient/" + user.patient_id;
  if (user.role != Role::patient && !user.practitioner_id.empty()) return "Practitioner/" + user.practitioner_id;
  return {};
}

UserStore::UserStore(sql::Database& db, Clock clock, ScryptParams params, LockoutPolicy lockout)
    : db_(db), clock_(std::move(clock)), params_(params), lockout_(lockout) {}

const std::string& UserStore::dummy_hash() const {
  std::call_once(dummy_once_, [this] {
    auto h = hash_password("not a real password", params_);
    if (h) dummy_hash_ = *h;
  });
  return dummy_hash_;
}

base::Result<User> UserStore::add(const NewUser& nu) {
  FHIR_CHECK(check_username(nu.username));
  FHIR_CHECK(check_password(nu.password));
  if (nu.role == Role::patient) return base::invalid("patient users are made with patient credentials create");
  if (!nu.practitioner_id.empty() && !valid_fhir_id(nu.practitioner_id)) return base::invalid("bad Practitioner id");
  FHIR_TRY(auto hash, hash_password(nu.password, params_));
  User u;
  u.id = base::new_uuid();
  u.username = nu.username;
  u.role = nu.role;
  u.display_name = nu.display_name;
  u.practitioner_id = nu.practitioner_id;
  u.created_us = clock_();
  FHIR_TRY(auto conn, db_.writer());
  FHIR_TRY(auto existing, find(*conn, nu.username));
  if (existing) return base::make_error(base::ErrorCode::conflict, "username \"" + nu.username + "\" is taken");
  sql::Query q(*conn,
               "INSERT INTO auth_users (id, username, role, display_name, patient_id, practitioner_id, password_hash, "
               "disabled, created_us) VALUES (?, ?, ?, ?, NULL, ?, ?, 0, ?)");
  q.bind_all(u.id, u.username, role_name(u.role), u.display_name);
  if (u.practitioner_id.empty()) q.bind_null(); else q.bind(u.practitioner_id);
  q.bind_all(hash, u.created_us);
  FHIR_CHECK(q.run());
  return u;
}

base::Result<std::vector<User>> UserStore::list() const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, std::string("SELECT ") + kUserColumns + " FROM auth_users ORDER BY username");
  std::vector<User> out;
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(read_user(q));
  }
  return out;
}

base::Result<User> UserStore::get(std::string_view key) const {
  FHIR_TRY(auto conn, db_.reader());
  FHIR_TRY(auto found, find(*conn, key));
  if (!found) return no_user(key);
  return found->first;
}

base::Status UserStore::set_disabled(std::string_view key, bool disabled) {
  FHIR_TRY(auto conn, db_.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  FHIR_TRY(auto found, find(*conn, key));
  if (!found) return no_user(key);
  sql::Query q(*conn, "UPDATE auth_users SET disabled = ? WHERE id = ?");
  q.bind_all(disabled ? 1 : 0, found->first.id);
  FHIR_CHECK(q.run());
  FHIR_CHECK(bump_revocation_generation(*conn));
  return tx.commit();
}

base::Status UserStore::set_password(std::string_view key, std::string_view password) {
  FHIR_CHECK(check_password(password));
  FHIR_TRY(auto hash, hash_password(password, params_));
  FHIR_TRY(auto conn, db_.writer());
  FHIR_TRY(auto found, find(*conn, key));
  if (!found) return no_user(key);
  sql::Query q(*conn, "UPDATE auth_users SET password_hash = ? WHERE id = ?");
  q.bind_all(hash, found->first.id);
  FHIR_CHECK(q.run());
  sql::Query clear(*conn, "DELETE FROM auth_login_failures WHERE username = ?");
  clear.bind(found->first.username);
  return clear.run();
}

base::Status UserStore::set_practitioner(std::string_view key, std::string_view practitioner_id) {
  if (!practitioner_id.empty() && !valid_fhir_id(practitioner_id)) return base::invalid("bad Practitioner id");
  FHIR_TRY(auto conn, db_.writer());
  FHIR_TRY(auto found, find(*conn, key));
  if (!found) return no_user(key);
  if (found->first.role == Role::patient) return base::invalid("a patient user has no Practitioner");
  sql::Query q(*conn, "UPDATE auth_users SET practitioner_id = ? WHERE id = ?");
  if (practitioner_id.empty()) q.bind_null(); else q.bind(practitioner_id);
  q.bind(found->first.id);
  return q.run();
}

base::Result<User> UserStore::authenticate(std::string_view username, std::string_view password) {
  if (username.empty() || username.size() > 64 || password.size() > kMaxPassword) return wrong_login();
  const std::string& dummy = dummy_hash();  // first: the first check of any username pays for it
  const std::int64_t now_s = clock_() / 1000000;
  std::optional<std::pair<User, std::string>> found;
  {
    FHIR_TRY(auto conn, db_.reader());
    sql::Query lock_q(*conn, "SELECT locked_until_s FROM auth_login_failures WHERE username = ?");
    lock_q.bind(username);
    FHIR_TRY(bool row, lock_q.step());
    if (row && lock_q.int_at(0) > now_s) return locked();
    sql::Query q(*conn, std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE username = ?");
    q.bind(username);
    FHIR_TRY(bool urow, q.step());
    if (urow) found.emplace(read_user(q), q.string_at(8));
  }
  // Always run one KDF so an unknown username costs the same time as a wrong password.
  const bool good = verify_password(password, found ? found->second : dummy) && found && !found->first.disabled;
  FHIR_TRY(auto conn, db_.writer());
  if (good) {
    // The failure count restarts; the lockout count stays, so the next lockout lasts longer.
    sql::Query q(*conn, "UPDATE auth_login_failures SET failures = 0 WHERE username = ?");
    q.bind(username);
    FHIR_CHECK(q.run());
    return found->first;
  }
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  std::int64_t failures = 0, lockouts = 0;
  {
    sql::Query q(*conn, "SELECT failures, lockouts, locked_until_s FROM auth_login_failures WHERE username = ?");
    q.bind(username);
    FHIR_TRY(bool row, q.step());
    if (row) {
      failures = q.int_at(0);
      lockouts = q.int_at(1);
      // A day without a lockout forgives earlier ones.
      if (q.int_at(2) != 0 && now_s - q.int_at(2) > kForgiveAfterS) lockouts = 0;
    }
  }
  ++failures;
  std::int64_t locked_until = 0;
  if (failures >= lockout_.max_failures) {
    const std::int64_t shift = std::min<std::int64_t>(lockouts, 20);
    const std::int64_t period = std::min(lockout_.first_lock_s << shift, lockout_.max_lock_s);
    locked_until = now_s + period;
    ++lockouts;
    failures = 0;
  }
  {
    sql::Query q(*conn,
                 "INSERT INTO auth_login_failures (username, failures, lockouts, locked_until_s) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, lockouts = excluded.lockouts, "
                 "locked_until_s = excluded.locked_until_s");
    q.bind_all(username, failures, lockouts, locked_until);
    FHIR_CHECK(q.run());
  }
  FHIR_CHECK(tx.commit());
  return wrong_login();
}

base::Result<PatientCredentials> UserStore::create_patient_credentials(std::string_view patient_id) {
  if (!valid_fhir_id(patient_id)) return base::invalid("bad Patient id");
  PatientCredentials out;
  out.patient_id = std::string(patient_id);
  out.password = random_password(16);
  FHIR_TRY(auto hash, hash_password(out.password, params_));
  FHIR_TRY(auto conn, db_.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  {
    sql::Query q(*conn, "SELECT id, username FROM auth_users WHERE patient_id = ?");
    q.bind(patient_id);
    FHIR_TRY(bool row, q.step());
    if (row) {
      out.username = q.string_at(1);
      const std::string id = q.string_at(0);
      sql::Query u(*conn, "UPDATE auth_users SET password_hash = ? WHERE id = ?");
      u.bind_all(hash, id);
      FHIR_CHECK(u.run());
      sql::Query clear(*conn, "DELETE FROM auth_login_failures WHERE username = ?");
      clear.bind(out.username);
      FHIR_CHECK(clear.run());
      FHIR_CHECK(tx.commit());
      return out;
    }
  }
  for (int attempt = 0; attempt < 8 && out.username.empty(); ++attempt) {
    std::string candidate = "patient-" + random_lower(8);
    sql::Query q(*conn, "SELECT 1 FROM auth_users WHERE username = ?");
    q.bind(candidate);
    FHIR_TRY(bool taken, q.step());
    if (!taken) out.username = std::move(candidate);
  }
  if (out.username.empty()) return base::internal_error("could not pick a free username");
  sql::Query ins(*conn,
                 "INSERT INTO auth_users (id, username, role, display_name, patient_id, practitioner_id, password_hash, "
                 "disabled, created_us) VALUES (?, ?, 'patient', '', ?, NULL, ?, 0, ?)");
  ins.bind_all(base::new_uuid(), out.username, patient_id, hash, clock_());
  FHIR_CHECK(ins.run());
  FHIR_CHECK(tx.commit());
  out.created = true;
  return out;
}

base::Result<std::optional<User>> UserStore::patient_user(std::string_view patient_id) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE patient_id = ?");
  q.bind(patient_id);
  FHIR_TRY(bool row, q.step());
  if (!row) return std::optional<User>();
  return std::optional<User>(read_user(q));
}

base::Status UserStore::set_patient_api_access(std::string_view patient_id, bool on) {
  if (!valid_fhir_id(patient_id)) return base::invalid("bad Patient id");
  FHIR_TRY(auto conn, db_.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  sql::Query q(*conn,
               "INSERT INTO auth_patient_access (patient_id, api_access, updated_s) VALUES (?, ?, ?) "
               "ON CONFLICT (patient_id) DO UPDATE SET api_access = excluded.api_access, updated_s = excluded.updated_s");
  q.bind_all(patient_id, on ? 1 : 0, clock_() / 1000000);
  FHIR_CHECK(q.run());
  FHIR_CHECK(bump_revocation_generation(*conn));
  return tx.commit();
}

base::Result<bool> UserStore::patient_api_access(std::string_view patient_id) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, "SELECT api_access FROM auth_patient_access WHERE patient_id = ?");
  q.bind(patient_id);
  FHIR_TRY(bool row, q.step());
  return !row || q.int_at(0) != 0;
}

}  // namespace auth
