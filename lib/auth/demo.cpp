#include "auth/demo.hpp"

#include <nlohmann/json.hpp>

#include "base/json.hpp"

namespace auth {
namespace {

// Creates a staff user or resets its password; returns the login.
base::Result<DemoLogin> ensure_staff(UserStore& users, const std::string& username, Role role,
                                     const std::string& display_name, const std::string& practitioner_id) {
  DemoLogin login{username, random_password(16)};
  auto existing = users.get(username);
  if (existing) {
    FHIR_CHECK(users.set_password(username, login.password));
    FHIR_CHECK(users.set_disabled(username, false));
    if (role != Role::patient) FHIR_CHECK(users.set_practitioner(username, practitioner_id));
    return login;
  }
  if (existing.error().code != base::ErrorCode::not_found) return std::move(existing).error();
  NewUser nu;
  nu.username = username;
  nu.password = login.password;
  nu.role = role;
  nu.display_name = display_name;
  nu.practitioner_id = practitioner_id;
  FHIR_CHECK(users.add(nu));
  return login;
}

}  // namespace

std::string DemoCredentials::to_json() const {
  base::Json j = base::Json::object();
  j["clinician"] = {{"username", clinician.username}, {"password", clinician.password}};
  j["admin"] = {{"username", admin.username}, {"password", admin.password}};
  base::Json arr = base::Json::array();
  for (const auto& p : patients) {
    base::Json e = base::Json::object();
    e["patient"] = p.patient;
    e["username"] = p.username;
    e["password"] = p.password;
    arr.push_back(std::move(e));
  }
  j["patients"] = std::move(arr);
  return base::dump_pretty(j);
}

base::Result<DemoCredentials> create_demo_logins(UserStore& users, const std::string& practitioner_id,
                                                 const std::vector<std::string>& patient_ids) {
  DemoCredentials out;
  FHIR_TRY(out.clinician, ensure_staff(users, "demo-clinician", Role::clinician, "Demo Clinician", practitioner_id));
  FHIR_TRY(out.admin, ensure_staff(users, "demo-admin", Role::admin, "Demo Administrator", ""));
  for (const auto& id : patient_ids) {
    FHIR_TRY(auto creds, users.create_patient_credentials(id));
    out.patients.push_back({creds.patient_id, creds.username, creds.password});
  }
  return out;
}

}  // namespace auth
