#include "commands/output.hpp"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/fhir_time.hpp"

namespace fhirctl {
namespace {

std::string flatten(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return s;
}

// Display width of UTF-8 text: counts code points, not bytes.
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = width(header[i]);
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  for (const auto& r : rows) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i) {
      row.push_back(flatten(i < r.size() ? r[i] : std::string()));
      widths[i] = std::max(widths[i], width(row.back()));
    }
    cells.push_back(std::move(row));
  }
  const bool tty = isatty(STDOUT_FILENO) == 1;
  auto line = [&](const std::vector<std::string>& row, bool bold) {
    std::string out;
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out += std::string(widths[i] - width(row[i]) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (bold) out = "\033[1m" + out + "\033[0m";
    std::cout << out << "\n";
  };
  line(header, tty);
  for (const auto& r : cells) line(r, false);
}

void print_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::size_t w = 0;
  for (const auto& [k, v] : fields) w = std::max(w, width(k));
  for (const auto& [k, v] : fields) {
    std::cout << k << ":" << std::string(w - width(k) + 1, ' ') << flatten(v) << "\n";
  }
}

void print_json(const base::Json& value) { std::cout << value.dump(2) << "\n"; }

int fail(const base::Error& error) { return fail(std::string_view(error.message)); }

int fail(std::string_view message) {
  std::cerr << "fhirctl: " << message << "\n";
  return kFailure;
}

int usage(std::string_view message) {
  std::cerr << "fhirctl: " << message << "\n";
  return kUsage;
}

std::string format_time_s(std::int64_t seconds) {
  if (seconds <= 0) return "-";
  std::string t = base::format_instant(seconds * 1000000);
  // format_instant writes milliseconds; whole seconds read better in tables.
  if (const auto dot = t.find('.'); dot != std::string::npos) {
    const auto end = t.find_first_not_of("0123456789", dot + 1);
    t.erase(dot, end == std::string::npos ? std::string::npos : end - dot);
  }
  return t;
}

base::Result<std::string> read_stdin_line(std::string_view what) {
  std::string line;
  // On a terminal: a prompt, and the typed text is not echoed.
  termios saved{};
  const bool tty = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    std::string prompt(what);
    if (!prompt.empty()) prompt[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(prompt[0])));
    std::cerr << prompt << ": " << std::flush;
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got && line.empty()) {
    return base::invalid("no " + std::string(what) + " on standard input");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

base::Result<std::string> read_file_or_stdin(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::invalid("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return base::invalid("cannot read " + path);
  return ss.str();
}

}  // namespace fhirctl
