#pragma once
// fhirctl db reindex: rebuilds the search indexes of every stored resource.
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_db(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
