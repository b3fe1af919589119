#include "commands/import.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rest/backend.hpp"
#include "store/importer.hpp"

namespace fhirctl {
namespace {

struct ImportOptions {
  std::vector<std::string> inputs;
  int batch = 1000;
};

// Progress on stderr when it is a terminal: counts and rate, redrawn in place.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}
  void update(const store::ImportStats& s, bool final = false) {
    if (!tty_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const auto done = s.created + s.updated + s.rejected;
    std::cerr << "\r" << done << " read, " << s.created << " created, " << s.updated << " updated, " << s.rejected
              << " rejected, " << static_cast<long long>(secs > 0 ? done / secs : 0) << "/s   " << std::flush;
    if (final) std::cerr << "\n";
  }

 private:
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_{};
};

constexpr std::size_t kMaxLine = 64u << 20;     // a longer NDJSON line is reported and skipped
constexpr std::size_t kMaxDocument = 1u << 30;  // a JSON document (Bundle) larger than this is refused

// Reads one line of at most kMaxLine bytes. Returns false at end of input; sets `too_long` (and
// skips the rest of the line) when the line is longer.
bool read_line(std::istream& in, std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* buf = in.rdbuf();
  bool any = false;
  for (int c = buf->sbumpc(); c != std::char_traits<char>::eof(); c = buf->sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < kMaxLine) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  return any;
}

// Feeds one input: NDJSON (a resource per line), or one JSON document (a Bundle's entries, or a
// single resource). NDJSON streams line by line, so files of any size load in bounded memory.
base::Status feed(std::istream& in, const std::string& source, store::Importer& importer, Progress& progress) {
  std::string line;
  bool too_long = false;
  std::int64_t line_no = 0;
  std::vector<std::string> head;  // lines read before we know the format
  // NDJSON when the first non-blank line is a complete JSON value on its own.
  while (read_line(in, line, too_long)) {
    ++line_no;
    if (too_long) {
      importer.reject(source, line_no, "line longer than 64 MiB; skipped");
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      head.push_back(line);
      continue;
    }
    head.push_back(line);
    break;
  }
  if (head.empty()) return {};
  const bool ndjson = base::parse_json(head.back()).ok();
  if (ndjson) {
    std::int64_t n = line_no - static_cast<std::int64_t>(head.size());
    for (const auto& h : head) {
      ++n;
      if (h.find_first_not_of(" \t\r") != std::string::npos) FHIR_CHECK(importer.add(source, n, std::string_view(h)));
    }
    while (read_line(in, line, too_long)) {
      ++line_no;
      if (too_long) {
        importer.reject(source, line_no, "line longer than 64 MiB; skipped");
        continue;
      }
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      FHIR_CHECK(importer.add(source, line_no, std::string_view(line)));
      progress.update(importer.stats());
    }
    return {};
  }
  // One JSON document spread over lines.
  std::string doc_text;
  for (const auto& h : head) doc_text += h + "\n";
  while (read_line(in, line, too_long)) {
    if (too_long || doc_text.size() + line.size() > kMaxDocument) {
      importer.reject(source, 1, "JSON document larger than 1 GiB; split it or use NDJSON");
      return {};
    }
    doc_text += line;
    doc_text += '\n';
  }
  auto doc = base::parse_json(doc_text);
  if (!doc) return importer.add(source, 1, std::string_view(doc_text));  // rejected with the parser's message
  if (doc->is_object() && doc->value("resourceType", std::string()) == "Bundle" && doc->contains("entry")) {
    std::int64_t i = 0;
    for (auto& entry : (*doc)["entry"]) {
      ++i;
      if (entry.is_object() && entry.contains("resource")) {
        FHIR_CHECK(importer.add_resource(source + "#entry" + std::to_string(i), 1, std::move(entry["resource"])));
      } else {
        importer.reject(source + "#entry" + std::to_string(i), 1, "Bundle entry has no resource");
      }
      progress.update(importer.stats());
    }
    return {};
  }
  return importer.add_resource(source, 1, std::move(*doc));
}

int run(const GlobalOptions& global, const ImportOptions& o) {
  auto backend = rest::open_backend(global.data_dir);
  if (!backend) {
    std::cerr << "fhirctl: " << backend.error().message << "\n";
    return kFailure;
  }
  store::Importer importer(*(*backend)->resources, o.batch);
  Progress progress;
  const auto started = std::chrono::steady_clock::now();

  std::vector<std::string> files;
  for (const auto& input : o.inputs) {
    if (input == "-") {
      files.push_back(input);
    } else if (std::filesystem::is_directory(input)) {
      std::vector<std::string> found;
      for (const auto& e : std::filesystem::directory_iterator(input)) {
        const auto ext = e.path().extension();
        if (e.is_regular_file() && (ext == ".ndjson" || ext == ".json")) found.push_back(e.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(input)) {
      files.push_back(input);
    } else {
      std::cerr << "fhirctl: no such file or directory: " << input << "\n";
      return kUsage;
    }
  }
  for (const auto& f : files) {
    base::Status s;
    if (f == "-") {
      s = feed(std::cin, "stdin", importer, progress);
    } else {
      std::ifstream in(f);
      if (!in) {
        std::cerr << "fhirctl: cannot read " << f << "\n";
        return kFailure;
      }
      s = feed(in, f, importer, progress);
    }
    if (!s.ok()) {
      std::cerr << "fhirctl: import failed: " << s.error().message << "\n";
      return kFailure;
    }
  }
  if (auto s = importer.flush(); !s.ok()) {
    std::cerr << "fhirctl: import failed: " << s.error().message << "\n";
    return kFailure;
  }
  const auto& st = importer.stats();
  progress.update(st, true);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& e : st.errors) std::cerr << e << "\n";
  if (global.json) {
    std::cout << nlohmann::json{{"created", st.created}, {"updated", st.updated}, {"rejected", st.rejected},
                                {"seconds", secs}}.dump() << "\n";
  } else {
    std::cout << "created " << st.created << ", updated " << st.updated << ", rejected " << st.rejected << " in "
              << secs << " s\n";
  }
  return st.rejected > 0 ? kFailure : kOk;
}

}  // namespace

void setup_import(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto opts = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "Load NDJSON files, Bundles or resources into the database");
  cmd->add_option("INPUT", opts->inputs, "Files (.ndjson, .json), directories of them, or - for stdin")->required();
  cmd->add_option("--batch", opts->batch, "Resources per transaction")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->callback([&global, &exit_code, opts] { exit_code = run(global, *opts); });
}

}  // namespace fhirctl
