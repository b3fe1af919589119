#pragma once
// What every fhirctl command shares: global options and the exit codes.
#include <string>

namespace fhirctl {

// Exit codes (DESIGN.md): 0 ok, 1 failure, 2 usage.
inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;

struct GlobalOptions {
  std::string data_dir = "./fhir-data";  // --data-dir, or FHIR_DATA_DIR / FHIRCTL_DATA_DIR
  bool json = false;                     // --json: machine-readable output
};

}  // namespace fhirctl
