#pragma once
// fhir-serve --demo: demo logins so a newcomer can try a SMART launch at once — a clinician
// (attached to a demo Practitioner), an admin, and patient credentials for the first demo
// Patients — written to DATA_DIR/demo-credentials.json (mode 0600) and printed.
#include <filesystem>
#include <string>
#include <string_view>

#include "auth/auth_service.hpp"
#include "auth/demo.hpp"
#include "base/result.hpp"
#include "rest/backend.hpp"

namespace serve {

// Creates (or resets the passwords of) the demo logins through auth::create_demo_logins and writes
// DATA_DIR/demo-credentials.json (DESIGN.md format). Errors: as auth::create_demo_logins; internal
// when the file cannot be written.
base::Result<auth::DemoCredentials> create_demo_logins(rest::Backend& backend, auth::AuthService& auth,
                                                       const std::filesystem::path& data_dir, int patients = 3);

// The text printed at start-up: the logins and where to start a SMART launch.
std::string describe_demo_logins(const auth::DemoCredentials& credentials, const std::filesystem::path& file,
                                 std::string_view fhir_base);

}  // namespace serve
