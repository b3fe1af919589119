#pragma once
// ccd-gen --all: every patient's document into one directory, by N worker threads, each with its
// own Reader (database connection). Patient ids are read in batches, so memory stays flat however
// many patients there are.
#include <cstdint>
#include <filesystem>

#include "document.hpp"
#include "sources.hpp"

namespace ccdgen {

struct BatchSummary {
  std::int64_t written = 0;
  std::int64_t failed = 0;
  double seconds = 0;
  bool aborted = false;  // listing patients failed (database error): not every patient was tried
};

struct BatchOptions {
  std::filesystem::path out_dir;  // exists
  int jobs = 1;
  bool html = false;
  bool progress = false;  // draw a progress bar on stderr
};

// Writes OUT_DIR/<id>.xml (or .html) for every patient of `source`. A patient whose document
// fails is reported on stderr (the first 100) and counted; the others go on.
BatchSummary run_batch(Source& source, const DocumentMaker& maker, const BatchOptions& options);

}  // namespace ccdgen
