#include "commands/data.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth/generator.hpp"

namespace fhirctl {
namespace {

struct GenerateOptions {
  std::int64_t patients = 0;
  std::uint64_t seed = 1;
  std::string out;
};

// One NDJSON file per resource type, written in large blocks.
class NdjsonFiles {
 public:
  explicit NdjsonFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~NdjsonFiles() { close(); }
  NdjsonFiles(const NdjsonFiles&) = delete;
  NdjsonFiles& operator=(const NdjsonFiles&) = delete;

  void write(std::string_view type, std::string_view line) {
    File* f = last_ != nullptr && last_->type == type ? last_ : find(type);
    last_ = f;
    f->buffer.append(line);
    f->buffer.push_back('\n');
    if (f->buffer.size() >= kBlock) flush(*f);
  }

  // Flushes and closes every file; false (with error() set) when anything failed.
  bool close() {
    for (auto& f : files_) {
      if (f->handle == nullptr) continue;
      flush(*f);
      if (std::fclose(f->handle) != 0 && error_.empty()) error_ = "cannot write " + f->path;
      f->handle = nullptr;
    }
    return error_.empty();
  }
  const std::string& error() const { return error_; }

 private:
  static constexpr std::size_t kBlock = 1 << 20;
  struct File {
    std::string type;
    std::string path;
    std::FILE* handle = nullptr;
    std::string buffer;
  };

  File* find(std::string_view type) {
    for (auto& f : files_) {
      if (f->type == type) return f.get();
    }
    auto f = std::make_unique<File>();
    f->type = std::string(type);
    f->path = (dir_ / (f->type + ".ndjson")).string();
    f->handle = std::fopen(f->path.c_str(), "wb");
    if (f->handle == nullptr && error_.empty()) error_ = "cannot create " + f->path + ": " + std::strerror(errno);
    if (f->handle != nullptr) std::setvbuf(f->handle, nullptr, _IONBF, 0);
    f->buffer.reserve(kBlock + (1 << 16));
    files_.push_back(std::move(f));
    return files_.back().get();
  }

  void flush(File& f) {
    if (f.handle != nullptr && !f.buffer.empty() &&
        std::fwrite(f.buffer.data(), 1, f.buffer.size(), f.handle) != f.buffer.size() && error_.empty()) {
      error_ = "cannot write " + f.path + ": " + std::strerror(errno);
    }
    f.buffer.clear();
  }

  std::filesystem::path dir_;
  std::vector<std::unique_ptr<File>> files_;
  File* last_ = nullptr;
  std::string error_;
};

int generate(const GlobalOptions& global, const GenerateOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec || !std::filesystem::is_directory(o.out)) {
    std::cerr << "fhirctl: cannot create directory " << o.out << (ec ? ": " + ec.message() : "") << "\n";
    return kFailure;
  }
  NdjsonFiles files(o.out);
  const auto started = std::chrono::steady_clock::now();
  auto counts = synth::generate({o.patients, o.seed},
                                [&](std::string_view type, std::string_view json) { files.write(type, json); });
  if (!counts) {
    std::cerr << "fhirctl: " << counts.error().message << "\n";
    return kUsage;
  }
  if (!files.close()) {
    std::cerr << "fhirctl: " << files.error() << "\n";
    return kFailure;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double rate = secs > 0 ? static_cast<double>(counts->total) / secs : 0;
  if (global.json) {
    nlohmann::ordered_json j;
    j["patients"] = o.patients;
    j["seed"] = o.seed;
    j["out"] = o.out;
    j["counts"] = counts->by_type;
    j["total"] = counts->total;
    j["seconds"] = secs;
    j["resources_per_second"] = static_cast<std::int64_t>(rate);
    std::cout << j.dump() << "\n";
  } else {
    for (const auto& [type, n] : counts->by_type) {
      std::fprintf(stderr, "%-20s %12lld\n", type.c_str(), static_cast<long long>(n));
    }
    std::fprintf(stderr, "%-20s %12lld\n", "total", static_cast<long long>(counts->total));
    std::fprintf(stderr, "%lld patients in %.2f s, %.0f resources/s, written to %s\n",
                 static_cast<long long>(o.patients), secs, rate, o.out.c_str());
  }
  return kOk;
}

}  // namespace

void setup_data(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand("data", "Test and demonstration data");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<GenerateOptions>();
  auto* gen = cmd->add_subcommand("generate", "Write synthetic US Core patients as NDJSON files, one per resource type");
  gen->add_option("--patients", opts->patients, "Number of patients (about 250 resources each)")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
  gen->add_option("--seed", opts->seed, "Seed: the same seed gives the same files")->capture_default_str();
  gen->add_option("--out", opts->out, "Directory for the files (created when missing)")->required();
  gen->callback([&global, &exit_code, opts] { exit_code = generate(global, *opts); });
}

}  // namespace fhirctl
