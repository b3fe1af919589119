#pragma once
// fhirctl patient credentials create | api-access on|off | revoke-all: a patient's login for
// third-party apps, their opt-out of API access, and revoking everything they granted.
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_patient(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
