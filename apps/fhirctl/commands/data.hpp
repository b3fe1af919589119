#pragma once
// fhirctl data generate: synthetic US Core 3.1.1 data (lib/synth) written as NDJSON files, one per
// resource type, ready for `fhirctl import`.
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_data(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
