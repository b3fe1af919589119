#include "options.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

namespace ccdgen {
namespace {

// The combinations CLI11 cannot express. Returns a message for a usage error, empty when fine.
std::string check(const Options& o) {
  if (!o.from.empty() && !o.data_dir.empty()) return "--from reads files instead of a database: drop --data-dir";
  if (o.from.empty() && o.data_dir.empty()) return "give --data-dir DIR (or FHIR_DATA_DIR) or --from FILE...";
  if (!o.patient.empty() && o.all) return "--patient and --all exclude each other";
  if (o.from.empty() && o.patient.empty() && !o.all) return "give --patient ID or --all";
  if (o.all && o.output.empty()) return "--all writes one file per patient: give -o OUTDIR";
  if (o.with_xsl && o.output.empty()) return "--with-xsl writes cda.xsl beside the output: give -o";
  if (o.json && !o.batch()) return "--json prints the summary of several documents (--all or --from without --patient)";
  if (o.jobs < 0) return "-j must be at least 1";
  return {};
}

}  // namespace

std::optional<int> parse_options(int argc, char** argv, Options& opt) {
  CLI::App app{
      "ccd-gen: C-CDA R2.1 Continuity of Care Documents from a FHIR data directory or FHIR files", "ccd-gen"};
  app.footer(
      "Examples:\n"
      "  ccd-gen --data-dir ./fhir-data --patient p000001 -o p000001.xml\n"
      "  ccd-gen --data-dir ./fhir-data --all -o ccds/ -j 2\n"
      "  ccd-gen --from Patient.ndjson Observation.ndjson --patient p000001 --html -o p.html");
  if (const char* d = std::getenv("FHIR_DATA_DIR")) opt.data_dir = d;
  app.add_option("--data-dir", opt.data_dir, "Data directory of the database (FHIR_DATA_DIR)");
  app.add_option("--from", opt.from, "FHIR NDJSON or Bundle JSON files to read instead of a database")
      ->expected(1, -1)
      ->check(CLI::ExistingFile);
  app.add_option("--patient", opt.patient, "The patient's id (one document)");
  app.add_flag("--all", opt.all, "Every patient (one file each in the -o directory)");
  app.add_option("--start", opt.start, "First service date: YYYY, YYYY-MM or YYYY-MM-DD (default: no limit)");
  app.add_option("--end", opt.end, "Last service date: YYYY, YYYY-MM or YYYY-MM-DD (default: no limit)");
  app.add_option("-o,--output", opt.output,
                 "Output file (one document; default stdout) or directory (several documents)");
  app.add_option("-j,--jobs", opt.jobs, "Worker threads for several documents (default: one per CPU core)")
      ->check(CLI::Range(1, 256));
  app.add_flag("--html", opt.html, "Write HTML rendered through cda.xsl instead of the CCD's XML");
  app.add_flag("--with-xsl", opt.with_xsl, "Also write cda.xsl beside the output (browsers need it there)");
  app.add_flag("--json", opt.json, "Print the batch summary as JSON on stdout");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }
  if (!opt.from.empty() && app.count("--data-dir") == 0) opt.data_dir.clear();  // FHIR_DATA_DIR does not count
  if (const std::string problem = check(opt); !problem.empty()) {
    std::cerr << "ccd-gen: " << problem << "\nRun with --help for more information.\n";
    return kUsage;
  }
  return std::nullopt;
}

}  // namespace ccdgen
