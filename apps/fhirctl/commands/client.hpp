#pragma once
// fhirctl client list|show|enable|disable|register|users|revoke-user: the OAuth clients (SMART apps
// and backend services) registered with the server, their approval and the users who authorized them.
#include <CLI/CLI.hpp>

#include "commands/common.hpp"

namespace fhirctl {

void setup_client(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace fhirctl
