#include "commands/launch.hpp"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "auth/clock.hpp"
#include "commands/auth_context.hpp"
#include "commands/output.hpp"

namespace fhirctl {
namespace {

struct LaunchOptions {
  std::string client, user, patient, encounter;
};

// Checks that Encounter/<id> is stored and, when it names a subject, that it is the patient.
base::Status check_encounter(const AuthContext& ctx, const std::string& encounter, const std::string& patient) {
  auto r = ctx.backend->resources->read("Encounter", encounter);
  if (!r || r->deleted) return base::not_found("no Encounter/" + encounter + " in the database");
  auto j = base::parse_json(r->json);
  if (!j) return base::internal_error("stored Encounter/" + encounter + " is not JSON");
  const auto subject = j->find("subject");
  if (subject != j->end() && subject->is_object()) {
    const std::string ref = subject->value("reference", "");
    if (!ref.empty() && ref != "Patient/" + patient) {
      return base::invalid("Encounter/" + encounter + " is not an encounter of Patient/" + patient + " (" + ref + ")");
    }
  }
  return {};
}

int create(const GlobalOptions& global, const LaunchOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  if (ctx->fhir_base.empty()) {
    return fail("the server's address is unknown: set it with `fhirctl settings set site_address https://HOST:PORT` "
                "(or give --server)");
  }
  auto client = ctx->auth->clients->get(o.client);
  if (!client) return fail(client.error());
  if (client->metadata.initiate_login_uri.empty()) {
    return fail("client " + o.client + " registered no launch URL (initiate_login_uri, --launch-uri)");
  }
  auto exists = resource_exists(*ctx, "Patient", o.patient);
  if (!exists) return fail(exists.error());
  if (!*exists) return fail("no Patient/" + o.patient + " in the database");
  if (!o.encounter.empty()) {
    if (auto s = check_encounter(*ctx, o.encounter, o.patient); !s.ok()) return fail(s.error());
  }
  auto launch = ctx->auth->flow->create_launch(o.client, o.user, o.patient, o.encounter);
  if (!launch) return fail(launch.error());
  if (global.json) {
    print_json(base::Json{{"url", launch->url},
                          {"launch", launch->launch},
                          {"iss", ctx->fhir_base},
                          {"client_id", o.client},
                          {"user", o.user},
                          {"patient", o.patient},
                          {"encounter", o.encounter},
                          {"expires_in", auth::kLaunchLifeS}});
  } else {
    std::cout << launch->url << "\n";
    std::cerr << "Open it within " << auth::kLaunchLifeS / 60 << " minutes; it works once.\n";
  }
  return kOk;
}

}  // namespace

void setup_launch(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto o = std::make_shared<LaunchOptions>();
  auto* cmd = app.add_subcommand("launch", "EHR launches of SMART apps");
  cmd->require_subcommand(1);
  auto* create_cmd = cmd->add_subcommand("create", "Create an EHR launch and print the app's launch URL");
  create_cmd->add_option("--client", o->client, "Client id of the app (enabled, with a launch URL)")->required();
  create_cmd->add_option("--user", o->user, "The staff user launching it (username or id)")->required();
  create_cmd->add_option("--patient", o->patient, "Id of the Patient in context")->required();
  create_cmd->add_option("--encounter", o->encounter, "Id of the Encounter in context");
  create_cmd->callback([&global, &exit_code, o] { exit_code = create(global, *o); });
}

}  // namespace fhirctl
