#pragma once
// fhirctl user add|list|disable|enable|passwd: the staff users who log in at the authorize page
// (roles admin and clinician; patient users come from `fhirctl patient credentials create`).
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_user(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
