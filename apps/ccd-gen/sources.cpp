#include "sources.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "search/patient_record.hpp"
#include "search/record_collector.hpp"
#include "search/registry.hpp"
#include "sql/database.hpp"
#include "store/data_dir.hpp"

namespace ccdgen {
namespace {

// Practitioner panels (lib/groups) list thousands of members and say nothing about the patient.
const search::RecordFilter kFilter{.skip_types = {"Group"}};

class DbReader final : public Reader {
 public:
  explicit DbReader(sql::Lease lease) : lease_(std::move(lease)) {}
  base::Result<std::vector<std::string>> record(std::string_view patient_id) override {
    return search::patient_record(*lease_, patient_id, kFilter);
  }
  base::Result<std::vector<std::string>> patient_ids(std::string_view after, int limit) override {
    return search::patient_ids(*lease_, after, limit);
  }

 private:
  sql::Lease lease_;
};

class DbSource final : public Source {
 public:
  DbSource(std::unique_ptr<sql::Database> db, std::string dir) : db_(std::move(db)), dir_(std::move(dir)) {}
  base::Result<std::unique_ptr<Reader>> reader() override {
    FHIR_TRY(auto lease, db_->reader());
    // A batch reads every patient once: mapped pages would pile up in this process's resident
    // set (the whole database by the end). Through SQLite's own page cache (cache_size, a few MB
    // per connection) memory stays flat, for a few percent more CPU.
    FHIR_CHECK(lease->exec("PRAGMA mmap_size=0"));
    return std::unique_ptr<Reader>(new DbReader(std::move(lease)));
  }
  base::Result<std::int64_t> patient_count() override {
    FHIR_TRY(auto lease, db_->reader());
    return search::patient_count(*lease);
  }
  std::string where() const override { return "data directory " + dir_; }

 private:
  std::unique_ptr<sql::Database> db_;
  std::string dir_;
};

// The collector is read-only once loaded, so readers share it.
class FileReader final : public Reader {
 public:
  FileReader(const search::RecordCollector& c, const std::vector<std::string>& sorted_ids)
      : collector_(c), ids_(sorted_ids) {}
  base::Result<std::vector<std::string>> record(std::string_view patient_id) override {
    return collector_.record(patient_id, kFilter);
  }
  base::Result<std::vector<std::string>> patient_ids(std::string_view after, int limit) override {
    auto it = std::upper_bound(ids_.begin(), ids_.end(), after,
                               [](std::string_view a, const std::string& b) { return a < b; });
    std::vector<std::string> out;
    for (; it != ids_.end() && static_cast<int>(out.size()) < limit; ++it) out.push_back(*it);
    return out;
  }

 private:
  const search::RecordCollector& collector_;
  const std::vector<std::string>& ids_;
};

class FileSource final : public Source {
 public:
  explicit FileSource(std::unique_ptr<search::RecordCollector> c) : collector_(std::move(c)) {
    ids_ = collector_->patient_ids();
    std::sort(ids_.begin(), ids_.end());
  }
  base::Result<std::unique_ptr<Reader>> reader() override {
    return std::unique_ptr<Reader>(new FileReader(*collector_, ids_));
  }
  base::Result<std::int64_t> patient_count() override { return static_cast<std::int64_t>(ids_.size()); }
  std::string where() const override { return "the input files"; }

 private:
  std::unique_ptr<search::RecordCollector> collector_;
  std::vector<std::string> ids_;
};

base::Status add_resource(search::RecordCollector& c, const base::Json& j, const std::string& where);

// A Bundle's entries (nested Bundles included), else the resource itself.
base::Status add_json(search::RecordCollector& c, const base::Json& j, const std::string& where) {
  if (j.is_object() && j.value("resourceType", "") == "Bundle") {
    auto entries = j.find("entry");
    if (entries == j.end()) return {};
    if (!entries->is_array()) return base::invalid(where + ": Bundle.entry is not an array");
    std::size_t n = 0;
    for (const auto& e : *entries) {
      ++n;
      if (!e.is_object() || !e.contains("resource")) continue;  // e.g. a request-only entry
      FHIR_CHECK(add_json(c, e["resource"], where + ": entry " + std::to_string(n)));
    }
    return {};
  }
  return add_resource(c, j, where);
}

base::Status add_resource(search::RecordCollector& c, const base::Json& j, const std::string& where) {
  auto s = c.add(j);
  if (!s.ok()) return base::invalid(where + ": " + s.error().message);
  return {};
}

bool blank(const std::string& line) {
  return std::all_of(line.begin(), line.end(), [](char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; });
}

// NDJSON when the first non-blank line is a JSON value of its own; otherwise one JSON document.
base::Status load_file(search::RecordCollector& c, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return base::not_found("cannot read " + path + ": " + std::strerror(errno));
  std::string line;
  std::int64_t number = 0;
  bool ndjson = false;
  while (std::getline(in, line)) {
    ++number;
    if (blank(line)) continue;
    auto j = base::parse_json(line);
    if (!j.ok()) {
      if (ndjson) return base::invalid(path + ":" + std::to_string(number) + ": not JSON: " + j.error().message);
      break;  // not NDJSON: read the whole file as one document below
    }
    ndjson = true;
    FHIR_CHECK(add_json(c, *j, path + ":" + std::to_string(number)));
  }
  if (ndjson) {
    if (in.bad()) return base::internal_error("error reading " + path);
    return {};
  }
  in.clear();
  in.seekg(0);
  std::stringstream whole;
  whole << in.rdbuf();
  const std::string text = whole.str();
  if (std::all_of(text.begin(), text.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); })) {
    return base::invalid(path + ": empty file");
  }
  auto j = base::parse_json(text);
  if (!j.ok()) return base::invalid(path + ": neither NDJSON nor a JSON document: " + j.error().message);
  return add_json(c, *j, path);
}

}  // namespace

base::Result<std::unique_ptr<Source>> open_data_dir_source(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return base::not_found("no data directory " + dir);
  if (!std::filesystem::is_regular_file(std::filesystem::path(dir) / "fhir.db", ec)) {
    return base::not_found("no database in " + dir + " (fhir.db is missing)");
  }
  FHIR_TRY(auto db, store::open_data_dir(dir));
  return std::unique_ptr<Source>(new DbSource(std::move(db), dir));
}

base::Result<std::unique_ptr<Source>> open_file_source(const std::vector<std::string>& files) {
  FHIR_TRY(auto registry, search::Registry::load_embedded());
  FHIR_TRY(auto collector, search::RecordCollector::create(registry));
  for (const auto& f : files) FHIR_CHECK(load_file(*collector, f));
  return std::unique_ptr<Source>(new FileSource(std::move(collector)));
}

}  // namespace ccdgen
