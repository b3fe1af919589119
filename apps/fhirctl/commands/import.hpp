#pragma once
// fhirctl import FILE|DIR|-...: NDJSON files, Bundles or single resources, straight into the
// database in large batched transactions.
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_import(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
