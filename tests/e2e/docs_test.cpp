// The man pages (man/) and shell completions (completions/) stay in step with the programs: every
// long option, subcommand, option value and site setting that the real binaries report must be
// documented in the man page and completed by the bash, zsh and fish completions. The completion
// scripts must also parse, the bash and fish ones must really complete, and the man pages must
// format without warnings. Shells and groff that are not installed are skipped.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/server_process.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;

fs::path repo_root() {
#ifdef FHIR_SOURCE_DIR
  return fs::path(FHIR_SOURCE_DIR);  // __FILE__ may be relative to the build dir (ccache base_dir)
#else
  fs::path file(__FILE__);
  if (file.is_relative()) file = fs::absolute(file);
  return file.parent_path().parent_path().parent_path();  // tests/e2e/docs_test.cpp -> repo
#endif
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The full path of an executable on PATH, or empty.
std::string which(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) return candidate.string();
  }
  return {};
}

// The programs' help shows defaults taken from the environment; test what a clean environment sees.
void scrub_environment() {
  std::vector<std::string> names;
  for (char** e = environ; e && *e; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (name.rfind("FHIR_SERVE_", 0) == 0 || name == "FHIR_DATA_DIR" || name == "FHIRCTL_DATA_DIR") {
      names.push_back(name);
    }
  }
  for (const auto& n : names) unsetenv(n.c_str());
}

std::string join(const std::vector<std::string>& v, const std::string& sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// True when `token` occurs in `text` not as part of a longer word ("--key" is not in "--keys",
// "set" is not in "settings").
bool has_token(const std::string& text, const std::string& token) {
  for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + 1)) {
    const bool left = pos == 0 || !is_word_char(text[pos - 1]);
    const auto end = pos + token.size();
    const bool right = end == text.size() || !is_word_char(text[end]);
    if (left && right) return true;
  }
  return false;
}

// Man page source with the roff escapes that can sit inside a word removed: \- becomes -, font
// changes (\fB, \fI, \fR, \fP, \f(XX, \f[X]), \% and \& disappear.
std::string roff_to_text(const std::string& roff) {
  static const std::regex font(R"(\\f(\[[^\]]*\]|\(..|.))");
  std::string s = std::regex_replace(roff, font, "");
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[i + 1];
      if (n == '-') { out += '-'; ++i; continue; }
      if (n == '%' || n == '&') { ++i; continue; }
      if (n == 'e') { out += '\\'; ++i; continue; }
    }
    out += s[i];
  }
  return out;
}

// ---- What the programs report -------------------------------------------------------------

struct OptionInfo {
  std::string name;                  // "--log-level"
  std::vector<std::string> choices;  // {trace, debug, ...} from "TEXT:{a,b}"
  std::string default_value;         // from "TYPE=default"
};

struct CommandInfo {
  std::vector<std::string> path;  // {} for the program, {"settings"}, {"settings", "get"}
  std::vector<OptionInfo> options;
  std::vector<std::string> subcommands;
};

// Parses CLI11's help: "Options:" lines "  [-x,]--name [TYPE[:SPEC][=DEFAULT]] description" and
// "Subcommands:" lines "  name   description". Continuation lines are indented deeper.
CommandInfo parse_help(const std::string& text, std::vector<std::string> path) {
  static const std::regex option_line(R"(^  (?:-\w,)?(--[A-Za-z0-9][A-Za-z0-9-]*)(.*)$)");
  static const std::regex option_spec(R"(^ [A-Z]+(?::(\{[^}]*\}|[A-Z]+ in \[[^\]]*\]))?(?:=(\S+))?)");
  static const std::regex subcommand_line(R"(^  ([A-Za-z][A-Za-z0-9_-]*)(\s|$))");
  CommandInfo info;
  info.path = std::move(path);
  std::string section;
  std::stringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != ' ' && line.back() == ':') {
      section = line;
      continue;
    }
    std::smatch m;
    if (section == "Options:" && std::regex_match(line, m, option_line)) {
      OptionInfo o{m[1], {}, {}};
      const std::string rest = m[2];
      std::smatch spec;
      if (std::regex_search(rest, spec, option_spec)) {
        std::string set = spec[1];
        if (set.size() > 2 && set.front() == '{') {
          std::stringstream items(set.substr(1, set.size() - 2));
          std::string item;
          while (std::getline(items, item, ',')) o.choices.push_back(item);
        }
        o.default_value = spec[2];
      }
      info.options.push_back(std::move(o));
    } else if (section == "Subcommands:" && std::regex_search(line, m, subcommand_line)) {
      info.subcommands.push_back(m[1]);
    }
  }
  return info;
}

// Every command of a program: `BIN --help`, then `BIN SUB --help` for each subcommand listed, and
// so on down.
std::vector<CommandInfo> command_tree(const std::string& binary) {
  scrub_environment();
  std::vector<CommandInfo> out;
  std::deque<std::vector<std::string>> todo = {{}};
  while (!todo.empty() && out.size() < 500) {
    auto path = todo.front();
    todo.pop_front();
    std::vector<std::string> argv = {binary};
    argv.insert(argv.end(), path.begin(), path.end());
    argv.push_back("--help");
    const auto r = e2e::run_command(argv);
    EXPECT_EQ(r.exit_code, 0) << join(argv) << ": " << r.err;
    auto info = parse_help(r.out, path);
    EXPECT_TRUE(std::any_of(info.options.begin(), info.options.end(), [](const OptionInfo& o) {
      return o.name == "--help";
    })) << join(argv) << " printed no --help option; has the help format changed?\n" << r.out;
    for (const auto& sub : info.subcommands) {
      auto next = path;
      next.push_back(sub);
      todo.push_back(std::move(next));
    }
    out.push_back(std::move(info));
  }
  EXPECT_TRUE(todo.empty()) << binary << ": more than 500 commands; the walk stopped early";
  return out;
}

struct Setting {
  std::string key;
  std::vector<std::string> values;  // allowed values when the description lists them as a|b|c
};

// fhirctl's settings, from `fhirctl --json settings list` on a fresh data directory. Allowed
// values come from the description ("(true|false)", "off | minimal | full"); each is checked to
// be accepted by `fhirctl settings set`.
std::vector<Setting> fhirctl_settings() {
  scrub_environment();
  char tmpl[] = "/tmp/fhir-docs-XXXXXX";
  const fs::path dir = mkdtemp(tmpl) ? fs::path(tmpl) : fs::path();
  EXPECT_FALSE(dir.empty());
  const std::string data_dir = (dir / "data").string();
  std::vector<Setting> out;
  const auto r = e2e::run_command({FHIRCTL_BIN, "--data-dir", data_dir, "--json", "settings", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_TRUE(list.is_array()) << r.out;
  // Values may hold '-' inside ("initial-access-token").
  static const std::regex alternatives(R"([A-Za-z_][A-Za-z_-]*(?:\s*\|\s*[A-Za-z_][A-Za-z_-]*)+)");
  static const std::regex word(R"([A-Za-z_][A-Za-z_-]*)");
  for (const auto& s : list.is_array() ? list : nlohmann::json::array()) {
    Setting setting{s.value("key", ""), {}};
    const std::string description = s.value("description", "");
    std::smatch m;
    if (std::regex_search(description, m, alternatives)) {
      const std::string alts = m[0];
      for (std::sregex_iterator it(alts.begin(), alts.end(), word), end; it != end; ++it) {
        setting.values.push_back(it->str());
      }
    }
    for (const auto& v : setting.values) {
      const auto set = e2e::run_command({FHIRCTL_BIN, "--data-dir", data_dir, "settings", "set", setting.key, v});
      EXPECT_EQ(set.exit_code, 0) << "the description of " << setting.key << " lists \"" << v
                                  << "\" but fhirctl refuses it: " << set.err;
    }
    out.push_back(std::move(setting));
  }
  EXPECT_FALSE(out.empty()) << "fhirctl settings list reported no settings";
  std::error_code ec;
  fs::remove_all(dir, ec);
  return out;
}

struct Program {
  std::string name;
  std::string binary;
  std::string man;  // relative to the repository root
};

const std::vector<Program>& programs() {
  static const std::vector<Program> p = {
      {"fhir-serve", FHIR_SERVE_BIN, "man/fhir-serve.8"},
      {"fhirctl", FHIRCTL_BIN, "man/fhirctl.1"},
  };
  return p;
}

enum class Shell { bash, zsh, fish };

const char* shell_name(Shell s) { return s == Shell::bash ? "bash" : s == Shell::zsh ? "zsh" : "fish"; }

fs::path completion_file(const std::string& program, Shell shell) {
  switch (shell) {
    case Shell::bash: return repo_root() / "completions" / (program + ".bash");
    case Shell::zsh: return repo_root() / "completions" / ("_" + program);
    case Shell::fish: return repo_root() / "completions" / (program + ".fish");
  }
  return {};
}

// fish names long options as `-l name` (or `--long name`) in `complete` lines; bash and zsh spell
// them out.
bool completes_option(const std::string& text, Shell shell, const std::string& option) {
  if (has_token(text, option)) return true;
  if (shell != Shell::fish) return false;
  const std::string name = option.substr(2);
  std::stringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("complete ", 0) != 0) continue;  // `set -l NAME` is not an option
    if (has_token(line, "-l " + name) || has_token(line, "--long " + name) ||
        has_token(line, "-l '" + name + "'") || has_token(line, "-l \"" + name + "\"")) {
      return true;
    }
  }
  return false;
}

// The long options a completion file mentions, to catch completions of options that are gone.
std::set<std::string> options_in_completion(const std::string& text, Shell shell) {
  std::set<std::string> out;
  static const std::regex spelled(R"((^|[^A-Za-z0-9_-])(--[A-Za-z0-9][A-Za-z0-9-]*))");
  static const std::regex fish_long(R"((^|\s)(?:-l|--long)\s+['"]?([A-Za-z0-9][A-Za-z0-9-]*))");
  std::stringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto hash = line.find_first_not_of(" \t");
    if (hash != std::string::npos && line[hash] == '#') continue;  // comments
    for (std::sregex_iterator it(line.begin(), line.end(), spelled), end; it != end; ++it) out.insert((*it)[2]);
    if (shell == Shell::fish && line.compare(hash == std::string::npos ? 0 : hash, 9, "complete ") == 0) {
      for (std::sregex_iterator it(line.begin(), line.end(), fish_long), end; it != end; ++it) {
        out.insert("--" + (*it)[2].str());
      }
    }
  }
  return out;
}

// What a program's documentation must mention: every long option, subcommand and option value.
struct Vocabulary {
  std::set<std::string> options;
  std::set<std::string> words;  // subcommands, option values, setting keys and values
};

Vocabulary vocabulary(const std::vector<CommandInfo>& tree) {
  Vocabulary v;
  for (const auto& c : tree) {
    for (const auto& o : c.options) {
      v.options.insert(o.name);
      v.words.insert(o.choices.begin(), o.choices.end());
    }
    v.words.insert(c.subcommands.begin(), c.subcommands.end());
  }
  return v;
}

Vocabulary program_vocabulary(const Program& p) {
  Vocabulary v = vocabulary(command_tree(p.binary));
  if (p.name == "fhirctl") {
    for (const auto& s : fhirctl_settings()) {
      v.words.insert(s.key);
      v.words.insert(s.values.begin(), s.values.end());
    }
  }
  return v;
}

TEST(DocsE2E, RepositoryLayoutIsFound) {
  const fs::path root = repo_root();
  ASSERT_TRUE(fs::is_directory(root / "man")) << root;
  ASSERT_TRUE(fs::is_directory(root / "completions")) << root;
  for (const auto& p : programs()) {
    EXPECT_TRUE(fs::is_regular_file(root / p.man)) << p.man;
    for (Shell s : {Shell::bash, Shell::zsh, Shell::fish}) {
      EXPECT_TRUE(fs::is_regular_file(completion_file(p.name, s))) << completion_file(p.name, s);
    }
  }
}

TEST(DocsE2E, HelpListsTheKnownCommands) {
  const auto serve = vocabulary(command_tree(FHIR_SERVE_BIN));
  for (const char* o : {"--data-dir", "--listen", "--cert", "--key", "--config", "--log-format", "--log-level"}) {
    EXPECT_TRUE(serve.options.count(o)) << "fhir-serve --help lists no " << o;
  }
  const auto ctl = vocabulary(command_tree(FHIRCTL_BIN));
  for (const char* w : {"settings", "list", "get", "set"}) EXPECT_TRUE(ctl.words.count(w)) << w;
  EXPECT_TRUE(ctl.options.count("--data-dir"));
}

TEST(DocsE2E, ManPagesDocumentEveryOptionCommandAndSetting) {
  for (const auto& p : programs()) {
    const std::string man = roff_to_text(read_text(repo_root() / p.man));
    ASSERT_FALSE(man.empty()) << p.man;
    const auto tree = command_tree(p.binary);
    auto v = vocabulary(tree);
    if (p.name == "fhirctl") {
      for (const auto& s : fhirctl_settings()) {
        EXPECT_TRUE(has_token(man, s.key)) << p.man << " does not document the setting " << s.key;
        for (const auto& value : s.values) {
          EXPECT_TRUE(has_token(man, value)) << p.man << " does not document " << s.key << " value " << value;
        }
      }
    }
    for (const auto& o : v.options) EXPECT_TRUE(has_token(man, o)) << p.man << " does not document " << o;
    for (const auto& w : v.words) EXPECT_TRUE(has_token(man, w)) << p.man << " does not mention " << w;
    for (const auto& c : tree) {
      for (const auto& o : c.options) {
        if (!o.default_value.empty()) {
          EXPECT_TRUE(has_token(man, o.default_value))
              << p.man << " does not give the default of " << o.name << " (" << o.default_value << ")";
        }
      }
    }
    EXPECT_TRUE(man.find(".SH NAME") != std::string::npos) << p.man;
    EXPECT_TRUE(man.find(".SH SYNOPSIS") != std::string::npos) << p.man;
    EXPECT_TRUE(man.find(".SH EXIT STATUS") != std::string::npos) << p.man;
    EXPECT_TRUE(man.find(".SH ENVIRONMENT") != std::string::npos) << p.man;
    EXPECT_TRUE(man.find(".SH EXAMPLES") != std::string::npos) << p.man;
    EXPECT_TRUE(man.find(".SH SEE ALSO") != std::string::npos) << p.man;
  }
}

TEST(DocsE2E, FhirServeManPageCoversEnvironmentAndOperations) {
  const std::string man = roff_to_text(read_text(repo_root() / "man/fhir-serve.8"));
  // options.cpp: every flag is also FHIR_SERVE_<FLAG>, upper-cased with '-' as '_'.
  for (const auto& o : vocabulary(command_tree(FHIR_SERVE_BIN)).options) {
    if (o == "--help") continue;
    std::string env = "FHIR_SERVE_";
    for (char c : o.substr(2)) env += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(has_token(man, env)) << "man/fhir-serve.8 does not document " << env;
  }
  for (const char* section : {".SH DESCRIPTION", ".SH OPTIONS", ".SH FILES", ".SH SIGNALS", ".SH SECURITY",
                              ".SH SITE SETTINGS"}) {
    EXPECT_TRUE(man.find(section) != std::string::npos) << "man/fhir-serve.8 lacks " << section;
  }
  for (const char* word : {"FHIR_DATA_DIR", "/r4", "/fhir/r4", "/fhir", "/metadata", "/healthz", "fhir.db",
                           "tls/cert.pem", "tls/key.pem", "SIGTERM", "SIGINT", "fhirctl", "503"}) {
    EXPECT_TRUE(has_token(man, word)) << "man/fhir-serve.8 does not mention " << word;
  }
  const std::string ctl = roff_to_text(read_text(repo_root() / "man/fhirctl.1"));
  for (const char* word : {"FHIRCTL_DATA_DIR", "FHIR_DATA_DIR", "fhir-serve"}) {
    EXPECT_TRUE(has_token(ctl, word)) << "man/fhirctl.1 does not mention " << word;
  }
}

TEST(DocsE2E, CompletionsCoverEveryOptionCommandAndSetting) {
  for (const auto& p : programs()) {
    const auto v = program_vocabulary(p);
    for (Shell shell : {Shell::bash, Shell::zsh, Shell::fish}) {
      const fs::path file = completion_file(p.name, shell);
      const std::string text = read_text(file);
      ASSERT_FALSE(text.empty()) << file;
      for (const auto& o : v.options) {
        EXPECT_TRUE(completes_option(text, shell, o)) << file.filename() << " does not complete " << o;
      }
      for (const auto& w : v.words) {
        EXPECT_TRUE(has_token(text, w)) << file.filename() << " does not complete " << w;
      }
      for (const auto& o : options_in_completion(text, shell)) {
        EXPECT_TRUE(v.options.count(o)) << file.filename() << " completes " << o << ", which " << p.name
                                        << " --help does not list";
      }
    }
  }
}

// ---- Syntax and formatting ----------------------------------------------------------------

void expect_parses(Shell shell) {
  const std::string sh = which(shell_name(shell));
  if (sh.empty()) GTEST_SKIP() << shell_name(shell) << " is not installed";
  for (const auto& p : programs()) {
    const auto file = completion_file(p.name, shell);
    const auto r = e2e::run_command({sh, "-n", file.string()});
    EXPECT_EQ(r.exit_code, 0) << shell_name(shell) << " -n " << file << ":\n" << r.out << r.err;
    EXPECT_EQ(r.err, "") << file;
  }
}

TEST(DocsE2E, BashCompletionsParse) { expect_parses(Shell::bash); }
TEST(DocsE2E, ZshCompletionsParse) { expect_parses(Shell::zsh); }
TEST(DocsE2E, FishCompletionsParse) { expect_parses(Shell::fish); }

TEST(DocsE2E, ManPagesFormatWithoutWarnings) {
  const std::string groff = which("groff");
  if (groff.empty()) GTEST_SKIP() << "groff is not installed";
  for (const auto& p : programs()) {
    const auto r = e2e::run_command({groff, "-man", "-Tutf8", "-ww", "-z", (repo_root() / p.man).string()});
    EXPECT_EQ(r.exit_code, 0) << p.man << ":\n" << r.err;
    EXPECT_EQ(r.err, "") << p.man;
  }
}

// ---- The completions really complete ------------------------------------------------------

// Runs a shell's completion for `words` (the last one is the word being completed) in `cwd`;
// returns the candidates, each without a trailing '/' and without a leading "--opt=".
std::optional<std::set<std::string>> complete(Shell shell, const std::string& sh, const std::string& program,
                                              const fs::path& cwd, const std::vector<std::string>& words) {
  const fs::path file = completion_file(program, shell);
  e2e::CommandResult r;
  if (shell == Shell::bash) {
    std::smatch m;
    const std::string text = read_text(file);
    static const std::regex registration(R"(complete\s+(?:-\S+\s+)*-F\s+(\S+)\s+)");
    if (!std::regex_search(text, m, registration)) {
      ADD_FAILURE() << file << " has no `complete -F FUNCTION " << program << "`";
      return std::nullopt;
    }
    const std::string script =
        "src=$1 func=$2 dir=$3; shift 3\n"
        "source \"$src\" || exit 3\n"
        "cd \"$dir\" || exit 3\n"
        "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}\n"
        "\"$func\" \"$1\" \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    std::vector<std::string> argv = {sh, "--norc", "--noprofile", "-c", script, "bash", file.string(), m[1],
                                     cwd.string()};
    argv.insert(argv.end(), words.begin(), words.end());
    r = e2e::run_command(argv);
  } else {
    std::string line;
    for (const auto& w : words) line += (line.empty() ? "" : " ") + w;
    r = e2e::run_command({sh, "--no-config", "-c", "source $argv[1]; and cd $argv[2]; and complete -C $argv[3]",
                          file.string(), cwd.string(), line});
  }
  if (r.exit_code != 0) {
    ADD_FAILURE() << shell_name(shell) << " completion of \"" << join(words) << "\" failed: " << r.err;
    return std::nullopt;
  }
  std::set<std::string> out;
  std::stringstream lines(r.out);
  std::string candidate;
  while (std::getline(lines, candidate)) {
    candidate = candidate.substr(0, candidate.find('\t'));  // fish: "value<TAB>description"
    if (candidate.rfind("--", 0) == 0 && candidate.find('=') != std::string::npos) {
      candidate = candidate.substr(candidate.find('=') + 1);
    }
    while (candidate.size() > 1 && candidate.back() == '/') candidate.pop_back();
    if (!candidate.empty()) out.insert(candidate);
  }
  return out;
}

void expect_completions(Shell shell) {
  const std::string sh = which(shell_name(shell));
  if (sh.empty()) GTEST_SKIP() << shell_name(shell) << " is not installed";
  char tmpl[] = "/tmp/fhir-docs-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path cwd(tmpl);
  fs::create_directory(cwd / "somedir");
  std::ofstream(cwd / "server.pem") << "x";

  auto expect = [&](const std::string& program, std::vector<std::string> words,
                    const std::vector<std::string>& wanted) {
    words.insert(words.begin(), program);
    const auto got = complete(shell, sh, program, cwd, words);
    if (!got) return;
    for (const auto& w : wanted) {
      EXPECT_TRUE(got->count(w)) << shell_name(shell) << ": \"" << join(words) << "<TAB>\" does not offer " << w
                                 << "; it offers: " << join(std::vector<std::string>(got->begin(), got->end()));
    }
  };

  // File and directory arguments.
  const std::map<std::string, std::vector<std::pair<std::string, std::string>>> path_options = {
      {"fhir-serve", {{"--data-dir", "somedir"}, {"--cert", "server.pem"}, {"--key", "server.pem"},
                      {"--config", "server.pem"}}},
      {"fhirctl", {{"--data-dir", "somedir"}}},
  };

  for (const auto& p : programs()) {
    const auto tree = command_tree(p.binary);
    for (const auto& c : tree) {
      // Subcommands after their parent command, and long options after "--".
      if (!c.subcommands.empty()) {
        auto words = c.path;
        words.push_back("");
        expect(p.name, words, c.subcommands);
      }
      std::vector<std::string> longs;
      for (const auto& o : c.options) longs.push_back(o.name);
      auto words = c.path;
      words.push_back("--");
      expect(p.name, words, longs);
      // Option values, as "--opt VALUE" and "--opt=VALUE".
      for (const auto& o : c.options) {
        if (o.choices.empty()) continue;
        auto spaced = c.path;
        spaced.insert(spaced.end(), {o.name, ""});
        expect(p.name, spaced, o.choices);
        auto joined = c.path;
        if (shell == Shell::bash) joined.insert(joined.end(), {o.name, "=", ""});  // bash splits at '='
        else joined.push_back(o.name + "=");
        expect(p.name, joined, o.choices);
      }
    }
    for (const auto& [option, entry] : path_options.at(p.name)) {
      const auto v = vocabulary(tree);
      ASSERT_TRUE(v.options.count(option)) << p.name << " no longer has " << option << "; update this test";
      expect(p.name, {option, ""}, {entry});
    }
    if (p.name == "fhirctl") {
      std::vector<std::string> keys;
      const auto settings = fhirctl_settings();
      for (const auto& s : settings) keys.push_back(s.key);
      expect(p.name, {"settings", "get", ""}, keys);
      expect(p.name, {"settings", "set", ""}, keys);
      expect(p.name, {"--data-dir", "somedir", "--json", "settings", "set", ""}, keys);
      for (const auto& s : settings) {
        if (!s.values.empty()) expect(p.name, {"settings", "set", s.key, ""}, s.values);
      }
    }
  }
  std::error_code ec;
  fs::remove_all(cwd, ec);
}

TEST(DocsE2E, BashCompletionsComplete) { expect_completions(Shell::bash); }
TEST(DocsE2E, FishCompletionsComplete) { expect_completions(Shell::fish); }

}  // namespace
