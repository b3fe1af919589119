#pragma once
// ccd-gen's command line: what to read (a data directory or FHIR files), which patients, the date
// window, where to write and how.
#include <optional>
#include <string>
#include <vector>

namespace ccdgen {

// Exit codes (DESIGN.md): 0 ok, 1 failure, 2 usage.
inline constexpr int kOk = 0;
inline constexpr int kFailure = 1;
inline constexpr int kUsage = 2;

struct Options {
  std::string data_dir;                 // --data-dir (or FHIR_DATA_DIR); empty with --from
  std::vector<std::string> from;        // --from FILE...: NDJSON or Bundle files, no database
  std::string patient;                  // --patient ID
  bool all = false;                     // --all
  std::optional<std::string> start, end;  // --start/--end: YYYY, YYYY-MM or YYYY-MM-DD
  std::string output;                   // -o: a file (one document) or a directory (several)
  int jobs = 0;                         // -j: worker threads for several documents (0 = one per core)
  bool html = false;                    // --html: HTML through cda.xsl instead of the CCD's XML
  bool with_xsl = false;                // --with-xsl: write cda.xsl beside the output
  bool json = false;                    // --json: the batch summary as JSON on stdout

  // Several documents (one file per patient in the output directory) rather than one.
  bool batch() const { return all || (!from.empty() && patient.empty()); }
};

// Parses argv into `opt`. Returns an exit code when the program should stop now (--help: 0;
// a usage error, already reported on stderr: 2), nullopt to go on.
std::optional<int> parse_options(int argc, char** argv, Options& opt);

}  // namespace ccdgen
