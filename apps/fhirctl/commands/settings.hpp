#pragma once
// fhirctl settings list | get KEY | set KEY VALUE: site settings in the database.
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

// Adds the `settings` command group to `app`; the chosen command's exit code goes to `exit_code`.
void setup_settings(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
