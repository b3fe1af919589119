#include "config.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string_view>

namespace fhirctl {
namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Removes one pair of matching surrounding quotes.
std::string unquote(std::string v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

}  // namespace

std::filesystem::path config_file_path() {
  if (const char* xdg = env("XDG_CONFIG_HOME")) return std::filesystem::path(xdg) / "fhirctl" / "config";
  if (const char* home = env("HOME")) return std::filesystem::path(home) / ".config" / "fhirctl" / "config";
  return {};
}

std::vector<std::string> load_config(GlobalOptions& global) {
  std::vector<std::string> warnings;
  const auto path = config_file_path();
  std::error_code ec;
  if (!path.empty() && std::filesystem::exists(path, ec)) {
    std::ifstream in(path);
    if (!in) {
      warnings.push_back("cannot read " + path.string() + "; ignored");
    } else {
      std::string line;
      int line_no = 0;
      bool has_token = false;
      while (std::getline(in, line)) {
        ++line_no;
        const std::string t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        const auto eq = t.find('=');
        const std::string where = path.string() + ":" + std::to_string(line_no);
        if (eq == std::string::npos) {
          warnings.push_back(where + ": not `key = value`; ignored");
          continue;
        }
        const std::string key = trim(std::string_view(t).substr(0, eq));
        const std::string value = unquote(trim(std::string_view(t).substr(eq + 1)));
        if (key == "data-dir") global.data_dir = value;
        else if (key == "server") global.server = value;
        else if (key == "token") {
          global.token = value;
          has_token = true;
        } else {
          warnings.push_back(where + ": unknown key \"" + key + "\" (data-dir, server, token); ignored");
        }
      }
      struct stat st {};
      if (has_token && ::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        warnings.push_back(path.string() + " holds a token but other users can read it (chmod 600 it)");
      }
    }
  }
  if (const char* d = env("FHIRCTL_DATA_DIR")) global.data_dir = d;
  else if (const char* d2 = env("FHIR_DATA_DIR")) global.data_dir = d2;
  if (const char* s = env("FHIRCTL_SERVER")) global.server = s;
  if (const char* t = env("FHIRCTL_TOKEN")) global.token = t;
  return warnings;
}

}  // namespace fhirctl
