#pragma once
// fhirctl token list|revoke|parse (administration on the database) and token get (a client of a
// server: client_credentials with a private key, or the authorization-code flow of a native app).
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_token(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
