#pragma once
// fhirctl token get: a client of a server (--server). Client credentials with a private key
// (SMART Backend Services: an RFC 7523 assertion signed RS384/ES384), the authorization-code flow
// of a native app (PKCE S256, a loopback redirect on 127.0.0.1), or a refresh token kept in a file.
// Prints the token response; --save keeps the refresh token in a file of mode 0600.
#include <CLI/CLI.hpp>

#include <string>

#include "commands/common.hpp"
#include "commands/http_client.hpp"

namespace fhirctl {

// Adds `get` to the `token` command group.
void setup_token_get(CLI::App& token_cmd, const GlobalOptions& global, int& exit_code);

// The server's endpoints, from [base]/.well-known/smart-configuration, or the fixed /oauth2 paths
// when the server does not publish it. Errors: as http_get (the server cannot be reached).
struct ServerEndpoints {
  std::string fhir_base, authorization, token, registration;
};
base::Result<ServerEndpoints> discover(const std::string& server, const HttpOptions& http);

}  // namespace fhirctl
