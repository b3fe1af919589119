#pragma once
// Loads resources straight into the store in large batched transactions (fhirctl import).
// Idempotent: a resource with an id is written with that id (re-running updates it); one without
// an id is created with a new one. A bad line is rejected with its source and line number and the
// rest still loads.
#include <nlohmann/json.hpp>  // Pending holds parsed resources by value; only fhirctl includes this

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "store/resource_store.hpp"

namespace store {

struct ImportStats {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t rejected = 0;
  std::vector<std::string> errors;  // "source:line: message" for the first 1000 rejections
};

class Importer {
 public:
  explicit Importer(ResourceStore& store, int batch_size = 1000) : store_(store), batch_size_(batch_size) {}

  // Queues one resource (one NDJSON line, or one Bundle entry's resource). Writes a batch when
  // it is full. Validation errors are counted in stats(), never returned; a returned error is a
  // database failure.
  base::Status add(std::string_view source, std::int64_t line, std::string_view json_text);
  base::Status add_resource(std::string_view source, std::int64_t line, base::Json resource);
  // Writes what is queued.
  base::Status flush();

  // Counts an input the caller could not even read as a resource (e.g. an over-long line).
  void reject(std::string_view source, std::int64_t line, const std::string& message);

  const ImportStats& stats() const { return stats_; }

 private:
  struct Pending {
    std::string source;
    std::int64_t line;
    base::Json resource;  // moved into the store by the batch write
    std::string text;     // the resource as JSON, to retry one by one if the batch fails
  };
  base::Status queue(std::string_view source, std::int64_t line, base::Json resource, std::string text);
  base::Status write_one(Pending& p, WriteTx& tx);

  ResourceStore& store_;
  int batch_size_;
  std::vector<Pending> pending_;
  ImportStats stats_;
};

}  // namespace store
