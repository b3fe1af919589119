#include "commands/import.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands/http_client.hpp"
#include "commands/import_server.hpp"
#include "commands/import_sink.hpp"
#include "rest/backend.hpp"
#include "store/importer.hpp"

namespace fhirctl {
namespace {

struct ImportOptions {
  std::vector<std::string> inputs;
  int batch = 0;    // 0: the default of the mode
  int workers = 0;  // 0: one per hardware thread but one
  bool to_server = false;  // the global --server was given on the command line
  bool insecure = false;
  std::string ca_file;
};

constexpr int kDirectBatch = 5000;  // resources per transaction, straight into the database
constexpr int kServerBatch = 500;   // entries per transaction Bundle

// Progress on stderr when it is a terminal: counts and rate, redrawn in place.
class Progress {
 public:
  explicit Progress(const ImportSink& sink) : sink_(sink), tty_(isatty(STDERR_FILENO) == 1),
                                              start_(std::chrono::steady_clock::now()) {}
  void tick(bool final = false) {
    if (!tty_) return;
    if (!final && ++calls_ % 256 != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const auto s = sink_.counts();
    const double secs = std::chrono::duration<double>(now - start_).count();
    const auto done = s.created + s.updated + s.rejected;
    std::cerr << "\r" << done << " done, " << s.created << " created, " << s.updated << " updated, " << s.rejected
              << " rejected, " << static_cast<long long>(secs > 0 ? done / secs : 0) << "/s   " << std::flush;
    if (final) std::cerr << "\n";
  }

 private:
  const ImportSink& sink_;
  bool tty_;
  std::uint64_t calls_ = 0;
  std::chrono::steady_clock::time_point start_, last_{};
};

constexpr std::size_t kMaxLine = 64u << 20;     // a longer NDJSON line is reported and skipped
constexpr std::size_t kMaxDocument = 1u << 30;  // a JSON document (Bundle) larger than this is refused

// Reads lines of at most kMaxLine bytes through a large buffer.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in), buf_(1u << 20) {}

  // The next line (without its '\n'), valid until the next call; false at end of input. Sets
  // `too_long` (and skips the rest of the line) when the line is longer than kMaxLine.
  bool next(std::string_view& line, bool& too_long) {
    too_long = false;
    long_.clear();
    bool any = false;
    while (true) {
      if (pos_ == end_ && !fill()) {
        if (!any) return false;
        line = too_long ? std::string_view() : std::string_view(long_);
        return true;
      }
      any = true;
      const char* start = buf_.data() + pos_;
      const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      const std::size_t n = nl ? static_cast<std::size_t>(nl - start) : end_ - pos_;
      pos_ += n + (nl ? 1 : 0);
      if (nl && long_.empty() && !too_long) {  // the whole line is in the buffer
        line = std::string_view(start, n);
        return true;
      }
      if (!too_long) {
        if (long_.size() + n > kMaxLine) {
          too_long = true;
          std::string().swap(long_);
        } else {
          long_.append(start, n);
        }
      }
      if (nl) {
        line = too_long ? std::string_view() : std::string_view(long_);
        return true;
      }
    }
  }

 private:
  bool fill() {
    in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    end_ = static_cast<std::size_t>(in_.gcount());
    pos_ = 0;
    return end_ > 0;
  }
  std::istream& in_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::string long_;  // a line that spans buffer refills
};

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

// Feeds one input: NDJSON (a resource per line), or one JSON document (a Bundle's entries, or a
// single resource). NDJSON streams line by line, so files of any size load in bounded memory.
base::Status feed(std::istream& in, const std::string& source, ImportSink& sink, Progress& progress) {
  LineReader reader(in);
  std::string_view line;
  bool too_long = false;
  std::int64_t line_no = 0;
  std::vector<std::string> head;  // lines read before we know the format
  // NDJSON when the first non-blank line is a complete JSON value on its own.
  while (reader.next(line, too_long)) {
    ++line_no;
    if (too_long) {
      sink.reject(source, line_no, "line longer than 64 MiB; skipped");
      continue;
    }
    head.emplace_back(line);
    if (!blank(line)) break;
  }
  if (head.empty()) return {};
  const bool ndjson = base::parse_json(head.back()).ok();
  if (ndjson) {
    std::int64_t n = line_no - static_cast<std::int64_t>(head.size());
    for (const auto& h : head) {
      ++n;
      if (!blank(h)) FHIR_CHECK(sink.add(source, n, h));
    }
    while (reader.next(line, too_long)) {
      ++line_no;
      if (too_long) {
        sink.reject(source, line_no, "line longer than 64 MiB; skipped");
        continue;
      }
      if (blank(line)) continue;
      FHIR_CHECK(sink.add(source, line_no, line));
      progress.tick();
    }
    return {};
  }
  // One JSON document spread over lines.
  std::string doc_text;
  for (const auto& h : head) {
    doc_text += h;
    doc_text += '\n';
  }
  while (reader.next(line, too_long)) {
    if (too_long || doc_text.size() + line.size() > kMaxDocument) {
      sink.reject(source, 1, "JSON document larger than 1 GiB; split it or use NDJSON");
      return {};
    }
    doc_text += line;
    doc_text += '\n';
  }
  auto doc = base::parse_json(doc_text);
  if (!doc) return sink.add(source, 1, doc_text);  // rejected with the parser's message
  if (doc->is_object() && doc->value("resourceType", std::string()) == "Bundle" && doc->contains("entry")) {
    std::int64_t i = 0;
    for (auto& entry : (*doc)["entry"]) {
      ++i;
      if (entry.is_object() && entry.contains("resource")) {
        FHIR_CHECK(sink.add_resource(source + "#entry" + std::to_string(i), 1, std::move(entry["resource"])));
      } else {
        sink.reject(source + "#entry" + std::to_string(i), 1, "Bundle entry has no resource");
      }
      progress.tick();
    }
    return {};
  }
  return sink.add_resource(source, 1, std::move(*doc));
}

// The direct sink: store::Importer over the data directory's store.
class DirectSink final : public ImportSink {
 public:
  DirectSink(std::unique_ptr<rest::Backend> backend, store::ImportOptions options)
      : backend_(std::move(backend)), importer_(*backend_->resources, options) {}
  base::Status add(std::string_view source, std::int64_t line, std::string_view text) override {
    return importer_.add(source, line, text);
  }
  base::Status add_resource(std::string_view source, std::int64_t line, base::Json resource) override {
    return importer_.add_resource(source, line, std::move(resource));
  }
  void reject(std::string_view source, std::int64_t line, const std::string& message) override {
    importer_.reject(source, line, message);
  }
  base::Status flush() override { return importer_.flush(); }
  store::ImportStats counts() const override { return importer_.counts(); }
  store::ImportStats stats() const override { return importer_.stats(); }

 private:
  std::unique_ptr<rest::Backend> backend_;
  store::Importer importer_;  // after backend_: destroyed first
};

// The inputs as files in order ("-" for stdin). Errors: usage, naming the missing input.
base::Result<std::vector<std::string>> list_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& input : inputs) {
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
      return base::invalid("no such file or directory: " + input);
    }
  }
  return files;
}

// The FHIR base for --server: a site root (no path) gets our "/r4" (as every fhirctl --server
// command); a URL with a path is another server's FHIR base and is used as it is.
std::string import_base_url(const std::string& server) {
  const auto scheme_end = server.find("://");
  if (scheme_end == std::string::npos) return server;
  const auto path = server.find('/', scheme_end + 3);
  if (path == std::string::npos || server.find_first_not_of('/', path) == std::string::npos) {
    return fhir_base_url(server);
  }
  return server;
}

int run(const GlobalOptions& global, const ImportOptions& o) {
  if (!o.to_server && (o.insecure || !o.ca_file.empty())) {
    std::cerr << "fhirctl: --insecure and --ca need --server URL\n";
    return kUsage;
  }
  auto files = list_inputs(o.inputs);
  if (!files) {
    std::cerr << "fhirctl: " << files.error().message << "\n";
    return kUsage;
  }
  std::unique_ptr<ImportSink> sink;
  if (o.to_server) {
    ServerImportOptions so;
    so.url = import_base_url(global.server);
    so.batch = o.batch > 0 ? o.batch : kServerBatch;
    so.insecure = o.insecure;
    so.ca_file = o.ca_file;
    so.token = global.token;  // --token, FHIRCTL_TOKEN or the config file
    auto made = make_server_sink(so);
    if (!made) {
      std::cerr << "fhirctl: " << made.error().message << "\n";
      return kUsage;
    }
    sink = std::move(*made);
  } else {
    auto backend = rest::open_backend(global.data_dir);
    if (!backend) {
      std::cerr << "fhirctl: " << backend.error().message << "\n";
      return kFailure;
    }
    store::ImportOptions io;
    io.batch_size = o.batch > 0 ? o.batch : kDirectBatch;
    io.workers = o.workers;
    sink = std::make_unique<DirectSink>(std::move(*backend), io);
  }

  Progress progress(*sink);
  const auto started = std::chrono::steady_clock::now();
  for (const auto& f : *files) {
    base::Status s;
    if (f == "-") {
      s = feed(std::cin, "stdin", *sink, progress);
    } else {
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        std::cerr << "fhirctl: cannot read " << f << "\n";
        return kFailure;
      }
      s = feed(in, f, *sink, progress);
    }
    if (!s.ok()) {
      std::cerr << "fhirctl: import failed: " << s.error().message << "\n";
      return kFailure;
    }
  }
  if (auto s = sink->flush(); !s.ok()) {
    std::cerr << "fhirctl: import failed: " << s.error().message << "\n";
    return kFailure;
  }
  const auto st = sink->stats();
  progress.tick(true);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const auto& e : st.errors) std::cerr << e << "\n";
  if (st.errors.size() >= 1000) std::cerr << "(only the first 1000 problems are listed)\n";
  const auto total = st.created + st.updated;
  const double rate = secs > 0 ? static_cast<double>(total) / secs : 0.0;
  if (global.json) {
    nlohmann::json out = {{"created", st.created}, {"updated", st.updated}, {"rejected", st.rejected},
                          {"seconds", secs}, {"resources_per_second", static_cast<std::int64_t>(rate)}};
    if (!o.to_server) {
      out["writer_cpu_seconds"] = st.writer_cpu_seconds;
      out["worker_cpu_seconds"] = st.worker_cpu_seconds;
      out["checkpoint_cpu_seconds"] = st.checkpoint_cpu_seconds;
    }
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "created " << st.created << ", updated " << st.updated << ", rejected " << st.rejected << " in "
              << secs << " s (" << static_cast<std::int64_t>(rate) << " resources/s)\n";
  }
  return st.rejected > 0 ? kFailure : kOk;
}

}  // namespace

void setup_import(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto opts = std::make_shared<ImportOptions>();
  auto* cmd = app.add_subcommand("import", "Load NDJSON files, Bundles or resources into the database or a server");
  cmd->add_option("INPUT", opts->inputs, "Files (.ndjson, .json), directories of them, or - for stdin")->required();
  cmd->add_option("--batch", opts->batch,
                  "Resources per transaction (default 5000), or per transaction Bundle with --server (default 500)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--workers", opts->workers,
                  "Threads that parse, validate and index (default: one per CPU but one, at least 1)")
      ->check(CLI::Range(1, 64));
  // --server and --token are the global options (they may follow the command). An import goes to
  // a server only when --server is on the command line: FHIRCTL_SERVER or the config file never
  // turn an import into the database into one to a server.
  cmd->add_flag("--insecure", opts->insecure, "With --server: do not verify the server's certificate");
  cmd->add_option("--ca", opts->ca_file, "With --server: verify the server's certificate against this PEM file");
  const CLI::Option* server = app.get_option("--server");
  cmd->callback([&global, &exit_code, opts, server] {
    opts->to_server = server->count() > 0;
    exit_code = run(global, *opts);
  });
}

}  // namespace fhirctl
