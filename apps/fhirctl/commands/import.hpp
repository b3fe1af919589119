#pragma once
// fhirctl import FILE|DIR|-...: NDJSON files, Bundles or single resources, straight into the
// database (store::Importer: parallel preparation, large batched transactions) or, with --server,
// to a FHIR server as transaction Bundles (commands/import_server.hpp).
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_import(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
