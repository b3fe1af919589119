#pragma once
// Where patients' records come from: a data directory's database (search::patient_record, one
// connection per thread) or FHIR files read into memory (search::RecordCollector).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace ccdgen {

// Reads records for one thread.
class Reader {
 public:
  virtual ~Reader() = default;
  // The patient's resources as JSON texts (see search::patient_record). Errors: not_found for an
  // unknown patient; internal for database failures.
  virtual base::Result<std::vector<std::string>> record(std::string_view patient_id) = 0;
  // Up to `limit` patient ids after `after`, in id order; empty when done.
  virtual base::Result<std::vector<std::string>> patient_ids(std::string_view after, int limit) = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // A reader for the calling thread (its own database connection). Errors: internal.
  virtual base::Result<std::unique_ptr<Reader>> reader() = 0;
  virtual base::Result<std::int64_t> patient_count() = 0;
  // "data directory DIR" / "the input files", for messages.
  virtual std::string where() const = 0;
};

// Opens DIR/fhir.db. Errors: not_found when DIR or DIR/fhir.db does not exist (no directory is
// created); internal when the database cannot be opened.
base::Result<std::unique_ptr<Source>> open_data_dir_source(const std::string& dir);

// Reads FHIR NDJSON files (one resource per line), Bundle JSON files (their entries' resources)
// and single-resource JSON files. Errors: invalid naming the file (and line) that is not JSON or
// holds something that is not a resource with a type and an id; not_found for an unreadable file.
base::Result<std::unique_ptr<Source>> open_file_source(const std::vector<std::string>& files);

}  // namespace ccdgen
