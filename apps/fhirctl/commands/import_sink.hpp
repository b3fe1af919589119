#pragma once
// Where `fhirctl import` sends what it reads: the database directly (store::Importer) or a
// server over HTTPS (commands/import_server.hpp). The reader (commands/import.cpp) feeds one line
// or Bundle entry at a time; the sink batches, reports bad inputs with source and line, and counts.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "base/result.hpp"
#include "store/importer.hpp"

namespace fhirctl {

class ImportSink {
 public:
  virtual ~ImportSink() = default;
  // One resource as JSON text (an NDJSON line). Errors: the import cannot go on (a database
  // failure); a bad resource is only counted and reported.
  virtual base::Status add(std::string_view source, std::int64_t line, std::string_view json_text) = 0;
  // One resource already parsed (a Bundle entry).
  virtual base::Status add_resource(std::string_view source, std::int64_t line, base::Json resource) = 0;
  // An input the reader could not use at all (e.g. an over-long line).
  virtual void reject(std::string_view source, std::int64_t line, const std::string& message) = 0;
  // Sends / writes what is queued. Errors as add.
  virtual base::Status flush() = 0;
  // Counts so far (for the progress display); stats() adds the error list, complete after flush.
  virtual store::ImportStats counts() const = 0;
  virtual store::ImportStats stats() const = 0;
};

}  // namespace fhirctl
