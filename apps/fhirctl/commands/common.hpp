#pragma once
// What every fhirctl command shares: global options and the exit codes.
#include <string>

namespace fhirctl {

// Exit codes (DESIGN.md): 0 ok, 1 failure, 2 usage.
inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;

// Global options. Each comes from the flag, else the environment, else the config file
// (apps/fhirctl/config.hpp), else its default.
struct GlobalOptions {
  std::string data_dir = "./fhir-data";  // --data-dir, FHIRCTL_DATA_DIR / FHIR_DATA_DIR, data-dir
  bool json = false;                     // --json: machine-readable output
  std::string server;                    // --server, FHIRCTL_SERVER, server: a server's base URL
  std::string token;                     // --token, FHIRCTL_TOKEN, token: a bearer token for --server
};

}  // namespace fhirctl
