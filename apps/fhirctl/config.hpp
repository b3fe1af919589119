#pragma once
// fhirctl's configuration file and environment: `~/.config/fhirctl/config` (or
// $XDG_CONFIG_HOME/fhirctl/config) holds `key = value` lines (keys data-dir, server, token; `#`
// starts a comment line); the environment (FHIRCTL_DATA_DIR, then FHIR_DATA_DIR; FHIRCTL_SERVER;
// FHIRCTL_TOKEN) overrides the file, and command-line flags override both.
#include <filesystem>
#include <string>
#include <vector>

#include "commands/common.hpp"

namespace fhirctl {

// The config file's path: $XDG_CONFIG_HOME/fhirctl/config when XDG_CONFIG_HOME is set and not
// empty, else $HOME/.config/fhirctl/config; empty when neither variable is set.
std::filesystem::path config_file_path();

// Fills `global` from the config file (when it exists) and then the environment. Returns warnings
// for the caller to print on stderr: unknown keys and malformed lines (skipped), a token in a file
// that other users can read. A file that exists but cannot be read is a warning too.
std::vector<std::string> load_config(GlobalOptions& global);

}  // namespace fhirctl
