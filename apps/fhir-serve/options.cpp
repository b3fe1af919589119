#include "options.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

namespace serve {
namespace {

std::string env_name(const std::string& flag) {
  std::string out = "FHIR_SERVE_";
  for (char c : flag) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

bool on_command_line(const std::vector<std::string>& args, const std::string& flag) {
  const std::string long_flag = "--" + flag;
  for (const auto& a : args) {
    if (a == long_flag || a.rfind(long_flag + "=", 0) == 0) return true;
  }
  return false;
}

// Reads `key = value` lines; '#' starts a comment. Errors go to `error`.
bool read_config(const std::string& path, std::vector<std::pair<std::string, std::string>>& out,
                 std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read config file " + path;
    return false;
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    auto trim = [](std::string s) {
      const auto b = s.find_first_not_of(" \t\r");
      const auto e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      error = path + ":" + std::to_string(n) + ": expected key = value";
      return false;
    }
    out.emplace_back(trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
  }
  return true;
}

}  // namespace

std::optional<int> parse_options(int argc, char** argv, Options& o) {
  CLI::App app{"fhir-serve: the InPracSys FHIR R4 (US Core 3.1.1) server over HTTPS.\n"
               "Every flag can also be set as FHIR_SERVE_<FLAG> in the environment or as `flag = value`\n"
               "in the --config file; precedence: flag, environment, config file.",
               "fhir-serve"};
  if (const char* d = std::getenv("FHIR_DATA_DIR")) o.data_dir = d;
  std::string data_dir = o.data_dir.string();
  app.add_option("--data-dir", data_dir, "Data directory (database, TLS files); also FHIR_DATA_DIR")->capture_default_str();
  app.add_option("--listen", o.listen, "Address and port to listen on, HOST:PORT")->capture_default_str();
  app.add_flag("--dev", o.dev, "Create a self-signed certificate in DATA_DIR/tls on first start");
  app.add_flag("--demo", o.demo, "Load the demo data set (100 synthetic US Core patients) into an empty data dir");
  app.add_flag("--insecure-http", o.insecure_http, "Serve plain HTTP (allowed only on a loopback address)");
  app.add_flag("--no-auth", o.no_auth,
               "Serve the FHIR API without access token checks, for benchmarks and development "
               "(allowed only on a loopback address)");
  app.add_option("--cert", o.cert, "TLS certificate chain (PEM); default DATA_DIR/tls/cert.pem");
  app.add_option("--key", o.key, "TLS private key (PEM); default DATA_DIR/tls/key.pem");
  app.add_option("--threads", o.threads, "Worker threads; each keep-alive connection holds one")
      ->check(CLI::Range(1, 4096))->capture_default_str();
  app.add_option("--max-body", o.max_body, "Largest request body in bytes (larger: 413)")->capture_default_str();
  app.add_option("--keep-alive-timeout", o.keep_alive_timeout, "Seconds an idle keep-alive connection is kept")
      ->check(CLI::Range(1, 3600))->capture_default_str();
  app.add_option("--log-format", o.log_format, "Log format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  app.add_option("--log-level", o.log_level, "Log level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))->capture_default_str();
  app.add_option("--config", o.config, "Config file of `flag = value` lines");

  // Build the effective argument list: flags, then environment, then the config file.
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) config_path = args[i + 1];
    else if (args[i].rfind("--config=", 0) == 0) config_path = args[i].substr(9);
  }
  if (config_path.empty()) {
    if (const char* c = std::getenv("FHIR_SERVE_CONFIG")) config_path = c;
  }
  std::vector<std::pair<std::string, std::string>> config;
  if (!config_path.empty()) {
    std::string error;
    if (!read_config(config_path, config, error)) {
      std::cerr << "fhir-serve: " << error << "\n";
      return 2;
    }
  }
  std::vector<std::string> effective = args;
  for (const auto& opt : app.get_options()) {
    const std::string flag = opt->get_single_name();
    if (flag.empty() || flag == "help" || flag == "config" || on_command_line(args, flag)) continue;
    std::optional<std::string> value;
    if (const char* e = std::getenv(env_name(flag).c_str())) value = e;
    if (!value) {
      for (const auto& [k, v] : config) {
        if (k == flag) value = v;
      }
    }
    if (!value) continue;
    if (opt->get_expected_min() == 0) {  // a flag: true/false
      if (*value == "1" || *value == "true" || *value == "yes") effective.push_back("--" + flag);
    } else {
      effective.push_back("--" + flag + "=" + *value);
    }
  }
  for (const auto& [k, v] : config) {
    bool known = false;
    for (const auto& opt : app.get_options()) known = known || opt->get_single_name() == k;
    if (!known) {
      std::cerr << "fhir-serve: unknown key \"" << k << "\" in " << config_path << "\n";
      return 2;
    }
  }
  std::reverse(effective.begin(), effective.end());  // CLI11 takes arguments reversed
  try {
    app.parse(effective);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2 (CLI11 has its own codes)
  }
  o.data_dir = data_dir;
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::cerr << "fhir-serve: --listen must be HOST:PORT, got \"" << o.listen << "\"\n";
    return 2;
  }
  o.host = o.listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
  try {
    o.port = std::stoi(o.listen.substr(colon + 1));
  } catch (...) {
    o.port = -1;
  }
  if (o.port < 0 || o.port > 65535) {
    std::cerr << "fhir-serve: --listen port must be 0-65535, got \"" << o.listen << "\"\n";
    return 2;
  }
  if (o.cert.empty()) o.cert = (o.data_dir / "tls" / "cert.pem").string();
  if (o.key.empty()) o.key = (o.data_dir / "tls" / "key.pem").string();
  return std::nullopt;
}

}  // namespace serve
