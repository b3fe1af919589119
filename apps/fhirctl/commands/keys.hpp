#pragma once
// fhirctl keys list|rotate: the server's token signing keys (RS256, kept in the database).
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_keys(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
