#pragma once
// fhir-serve's settings: command-line flags, then FHIR_SERVE_* environment variables, then a
// config file (key = value lines, keys are the long flag names), in that precedence.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace serve {

struct Options {
  std::filesystem::path data_dir = "./fhir-data";
  std::string listen = "0.0.0.0:8443";
  bool dev = false;
  bool demo = false;
  bool insecure_http = false;
  bool no_auth = false;  // serve the FHIR API without access token checks (loopback only)
  std::string cert;  // default DATA_DIR/tls/cert.pem
  std::string key;   // default DATA_DIR/tls/key.pem
  int threads = 256;
  std::size_t max_body = 16 * 1024 * 1024;
  int keep_alive_timeout = 5;
  std::string log_format = "text";  // text | json
  std::string log_level = "info";   // trace | debug | info | warn | error
  std::string config;

  std::string host;  // parsed from listen
  int port = 0;
};

// Parses argv (+ environment + config file). On --help or a usage error prints to stdout/stderr
// and returns the exit code to use (0 for help, 2 for usage errors); otherwise nullopt.
std::optional<int> parse_options(int argc, char** argv, Options& out);

}  // namespace serve
