// fhirctl: the admin and client CLI. Nouns then verbs: `fhirctl settings set KEY VALUE`.
#include <CLI/CLI.hpp>

#include <cstdlib>

#include "commands/common.hpp"
#include "commands/data.hpp"
#include "commands/db.hpp"
#include "commands/import.hpp"
#include "commands/settings.hpp"

int main(int argc, char** argv) {
  CLI::App app{"fhirctl: administer and use an InPracSys FHIR server", "fhirctl"};
  fhirctl::GlobalOptions global;
  if (const char* d = std::getenv("FHIRCTL_DATA_DIR")) global.data_dir = d;
  else if (const char* d2 = std::getenv("FHIR_DATA_DIR")) global.data_dir = d2;
  app.add_option("--data-dir", global.data_dir, "Data directory of the database (FHIRCTL_DATA_DIR)")
      ->capture_default_str();
  app.add_flag("--json", global.json, "Machine-readable JSON output");
  app.require_subcommand(1);

  int exit_code = fhirctl::kOk;
  fhirctl::setup_settings(app, global, exit_code);
  fhirctl::setup_db(app, global, exit_code);
  fhirctl::setup_import(app, global, exit_code);
  fhirctl::setup_data(app, global, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : fhirctl::kUsage;
  }
  return exit_code;
}
