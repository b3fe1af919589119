#pragma once
// Users who log in at the authorize page: staff (roles admin, clinician) and patients (bound to a
// Patient id, credentials created by a clinician). Passwords scrypt-hashed (password.hpp). Failed
// logins are counted per username, existing or not, so the answers never tell whether a user exists:
// 5 failures in a row lock that username for 1 minute, doubling with each further lockout (max 1 h);
// a success restarts the failure count (not the lockout count); a day without a lockout, or a
// password reset, forgets earlier lockouts. Patients can be opted out of third-party API access (their tokens stop
// at once: the revocation generation is bumped; no new grants).
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/clock.hpp"
#include "auth/password.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

enum class Role { admin, clinician, patient };

// "admin", "clinician", "patient".
std::string_view role_name(Role role);
// Errors: invalid for anything else.
base::Result<Role> parse_role(std::string_view name);

struct User {
  std::string id;               // stable opaque id (uuid); the `sub` of tokens
  std::string username;
  Role role = Role::clinician;
  std::string display_name;     // may be empty
  std::string patient_id;       // patient users: the Patient id
  std::string practitioner_id;  // staff users: optional Practitioner id (fhirUser)
  bool disabled = false;
  std::int64_t created_us = 0;
};

// fhirUser of a user: "Patient/<id>" for patient users, "Practitioner/<id>" for staff with a
// practitioner id attached, else empty.
std::string fhir_user(const User& user);

struct NewUser {
  std::string username;         // 3..64 of [A-Za-z0-9._@-]
  std::string password;         // at least 8 characters
  Role role = Role::clinician;  // admin or clinician (patients: create_patient_credentials)
  std::string display_name;
  std::string practitioner_id;  // optional; a FHIR id (the caller checks the Practitioner exists)
};

struct PatientCredentials {
  std::string patient_id;
  std::string username;
  std::string password;  // shown once, never stored in clear
  bool created = false;  // false: the existing patient user got a new password
};

struct LockoutPolicy {
  int max_failures = 5;
  std::int64_t first_lock_s = 60;
  std::int64_t max_lock_s = 3600;
};

class UserStore {
 public:
  UserStore(sql::Database& db, Clock clock, ScryptParams params = {}, LockoutPolicy lockout = {});

  // Adds a staff user. Errors: invalid (username syntax, password too short, role patient, bad
  // practitioner id), conflict (username taken).
  base::Result<User> add(const NewUser& user);

  // Every user (staff and patient), by username. Errors: internal.
  base::Result<std::vector<User>> list() const;

  // One user by id or username. Errors: not_found.
  base::Result<User> get(std::string_view id_or_username) const;

  // Disables / enables a user. Disabling bumps the revocation generation (their tokens stop; the
  // verifier checks the user). Errors: not_found.
  base::Status set_disabled(std::string_view id_or_username, bool disabled);

  // Sets a new password and clears the lockout. Errors: not_found, invalid (too short).
  base::Status set_password(std::string_view id_or_username, std::string_view password);

  // Attaches (or with an empty id detaches) a Practitioner id to a staff user. Errors: not_found,
  // invalid (patient user, bad id).
  base::Status set_practitioner(std::string_view id_or_username, std::string_view practitioner_id);

  // Checks a login. Errors: unauthorized "invalid username or password" for an unknown user, a
  // wrong password or a disabled user (same message); unauthorized "too many failed logins; try
  // again later" while the username is locked (also for unknown usernames).
  base::Result<User> authenticate(std::string_view username, std::string_view password);

  // Creates the patient user for `patient_id` (username "patient-" + random) with a one-time random
  // password, or when one exists gives it a new one-time password. The caller checks that the Patient
  // exists. Errors: invalid (bad id), internal.
  base::Result<PatientCredentials> create_patient_credentials(std::string_view patient_id);

  // The patient user bound to `patient_id`, if any. Errors: internal.
  base::Result<std::optional<User>> patient_user(std::string_view patient_id) const;

  // Opts a patient in (true) or out (false) of third-party API access; opting out bumps the
  // revocation generation. Works whether or not a patient user exists. Errors: invalid (bad id).
  base::Status set_patient_api_access(std::string_view patient_id, bool on);

  // Whether the patient may use third-party apps (default true). Errors: internal.
  base::Result<bool> patient_api_access(std::string_view patient_id) const;

 private:
  sql::Database& db_;
  Clock clock_;
  ScryptParams params_;
  LockoutPolicy lockout_;
  // The hash verified against for unknown users, so timing does not tell. Made on the first login
  // check, not in the constructor: one scrypt hash is ~100 ms of CPU and 32 MiB, which every
  // fhirctl command opening the data directory (token revoke, client disable, ...) paid for nothing.
  const std::string& dummy_hash() const;
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;
};

}  // namespace auth
