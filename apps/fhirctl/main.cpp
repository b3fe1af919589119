// fhirctl: the admin and client CLI. Nouns then verbs: `fhirctl settings set KEY VALUE`.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands/client.hpp"
#include "commands/common.hpp"
#include "commands/data.hpp"
#include "commands/db.hpp"
#include "commands/import.hpp"
#include "commands/keys.hpp"
#include "commands/launch.hpp"
#include "commands/patient.hpp"
#include "commands/settings.hpp"
#include "commands/token.hpp"
#include "commands/user.hpp"
#include "config.hpp"

int main(int argc, char** argv) {
  CLI::App app{"fhirctl: administer and use an InPracSys FHIR server", "fhirctl"};
  fhirctl::GlobalOptions global;
  // Precedence: flags > environment > ~/.config/fhirctl/config > defaults.
  for (const auto& warning : fhirctl::load_config(global)) std::cerr << "fhirctl: " << warning << "\n";
  app.add_option("--data-dir", global.data_dir, "Data directory of the database (FHIRCTL_DATA_DIR)")
      ->capture_default_str();
  app.add_option("--server", global.server, "Base URL of a server, for client commands (FHIRCTL_SERVER)");
  app.add_option("--token", global.token, "Bearer token for --server (FHIRCTL_TOKEN)");
  app.add_flag("--json", global.json, "Machine-readable JSON output");
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command: `fhirctl user list --json`

  int exit_code = fhirctl::kOk;
  fhirctl::setup_settings(app, global, exit_code);
  fhirctl::setup_db(app, global, exit_code);
  fhirctl::setup_import(app, global, exit_code);
  fhirctl::setup_data(app, global, exit_code);
  fhirctl::setup_user(app, global, exit_code);
  fhirctl::setup_patient(app, global, exit_code);
  fhirctl::setup_client(app, global, exit_code);
  fhirctl::setup_token(app, global, exit_code);
  fhirctl::setup_keys(app, global, exit_code);
  fhirctl::setup_launch(app, global, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : fhirctl::kUsage;
  }
  return exit_code;
}
