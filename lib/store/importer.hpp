#pragma once
// Loads resources straight into the store in large batched transactions (fhirctl import, the
// demo data). Idempotent: a resource with an id is written with that id (re-running updates it,
// adding a version to its history); one without an id is created with a new one. A bad input is
// rejected with its source and line number and the rest still loads.
//
// A pipeline: the caller's thread queues raw inputs in chunks; worker threads parse, validate,
// stamp and serialise each resource and run the store hooks' prepare() (search index rows, ...);
// one writer thread writes the prepared resources in order, `batch_size` per transaction, with
// the hooks' on_prepared_write. The result is what writing each resource through
// ResourceStore::write would give (tests/lib/store/importer_test.cpp compares the index rows).
//
// While it loads, the writer connection runs with a larger page cache and WAL checkpoint interval
// and without a sync per commit (synchronous=NORMAL; OFF when the database was empty, which a
// power failure during the load may leave unusable). A helper thread copies committed WAL frames
// into the database file meanwhile (sql::WalCheckpointer). flush() restores the connection's
// settings, ends with a WAL checkpoint and syncs the database file, so what flush() reports as
// written is durable.
#include <cstdint>
#include <memory>
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
  std::vector<std::string> errors;  // "source:line: message" for the first 1000 rejections, in input order
  // CPU time used so far by the writer thread and by all worker threads (where the time goes:
  // the writer is the bottleneck when its time is close to the wall-clock time).
  double writer_cpu_seconds = 0;
  double worker_cpu_seconds = 0;
  double checkpoint_cpu_seconds = 0;  // the thread copying the WAL into the database (sql::WalCheckpointer)
};

struct ImportOptions {
  int batch_size = 1000;  // resources per transaction
  int workers = 0;        // threads preparing resources; 0: one per hardware thread but one, at least 1
};

class Importer {
 public:
  Importer(ResourceStore& store, ImportOptions options);
  Importer(ResourceStore& store, int batch_size = 1000) : Importer(store, ImportOptions{batch_size, 0}) {}
  // Stops the threads. What was added but not flushed may or may not have been written.
  ~Importer();
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  // Queues one resource (one NDJSON line, or one Bundle entry's resource). May block while the
  // pipeline is full. Validation errors are counted in stats(), never returned; a returned error
  // is a database failure (the import cannot go on).
  base::Status add(std::string_view source, std::int64_t line, std::string_view json_text);
  base::Status add_resource(std::string_view source, std::int64_t line, base::Json resource);
  // Counts an input the caller could not even read as a resource (e.g. an over-long line), in
  // order with the inputs around it.
  void reject(std::string_view source, std::int64_t line, const std::string& message);

  // Writes everything queued and makes it durable. Errors: a database failure.
  base::Status flush();

  // Counts so far (safe to call while importing, e.g. for a progress display).
  ImportStats counts() const;
  // Counts and the error list; complete after flush().
  ImportStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace store
