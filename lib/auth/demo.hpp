#pragma once
// Demo logins for `fhir-serve --demo`: a clinician, an admin and patient credentials for a few
// Patients, in the DESIGN.md demo-credentials.json shape.
#include <string>
#include <vector>

#include "auth/users.hpp"
#include "base/result.hpp"

namespace auth {

struct DemoLogin {
  std::string username, password;
};

struct DemoPatientLogin {
  std::string patient, username, password;
};

struct DemoCredentials {
  DemoLogin clinician, admin;
  std::vector<DemoPatientLogin> patients;

  // {"clinician": {"username", "password"}, "admin": {...}, "patients": [{"patient", "username",
  // "password"}, ...]} (pretty-printed).
  std::string to_json() const;
};

// Creates users "demo-clinician" (role clinician, fhirUser Practitioner/<practitioner_id> when given)
// and "demo-admin" (role admin) with random passwords, and patient credentials for each id in
// `patient_ids` (the caller checks they exist). When the users already exist their passwords are
// reset (the returned file is always usable). Errors: as UserStore.
base::Result<DemoCredentials> create_demo_logins(UserStore& users, const std::string& practitioner_id,
                                                 const std::vector<std::string>& patient_ids);

}  // namespace auth
