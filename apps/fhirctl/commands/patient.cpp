#include "commands/patient.hpp"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands/auth_context.hpp"
#include "commands/output.hpp"
#include "commands/revoke.hpp"

namespace fhirctl {
namespace {

struct PatientOptions {
  std::string patient_id;
  std::string state;  // on | off
};

// Opens lib/auth and checks that Patient/<id> is stored.
base::Result<AuthContext> open_for_patient(const GlobalOptions& global, const std::string& patient_id) {
  FHIR_TRY(auto ctx, open_auth(global));
  FHIR_TRY(bool exists, resource_exists(ctx, "Patient", patient_id));
  if (!exists) return base::not_found("no Patient/" + patient_id + " in the database");
  return ctx;
}

int credentials(const GlobalOptions& global, const PatientOptions& o) {
  auto ctx = open_for_patient(global, o.patient_id);
  if (!ctx) return fail(ctx.error());
  auto c = ctx->auth->users->create_patient_credentials(o.patient_id);
  if (!c) return fail(c.error());
  if (global.json) {
    print_json(base::Json{{"patient", c->patient_id},
                          {"username", c->username},
                          {"password", c->password},
                          {"created", c->created}});
  } else {
    std::cerr << (c->created ? "created the login of Patient/" : "new one-time password for Patient/")
              << c->patient_id << "\n";
    std::cout << "username: " << c->username << "\n"
              << "password: " << c->password << "\n";
    std::cerr << "The password is shown only this once; give it to the patient.\n";
  }
  return kOk;
}

int api_access(const GlobalOptions& global, const PatientOptions& o) {
  auto ctx = open_for_patient(global, o.patient_id);
  if (!ctx) return fail(ctx.error());
  const bool on = o.state == "on";
  if (auto s = ctx->auth->users->set_patient_api_access(o.patient_id, on); !s.ok()) return fail(s.error());
  if (global.json) {
    print_json(base::Json{{"patient", o.patient_id}, {"api_access", on}});
  } else {
    std::cerr << "third-party API access of Patient/" << o.patient_id
              << (on ? " on" : " off: their tokens stop working now and no new grants are made") << "\n";
  }
  return kOk;
}

int revoke_all(const GlobalOptions& global, const PatientOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto n = revoke_patient(*ctx, o.patient_id);
  if (!n) return fail(n.error());
  if (global.json) {
    print_json(base::Json{{"patient", o.patient_id}, {"grants_revoked", n->grants}, {"tokens_revoked", n->tokens}});
  } else {
    std::cerr << "revoked " << n->grants << " grant(s) and " << n->tokens << " access token(s) of Patient/"
              << o.patient_id << "\n";
  }
  return kOk;
}

}  // namespace

void setup_patient(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto o = std::make_shared<PatientOptions>();
  auto* cmd = app.add_subcommand("patient", "A patient's API login, API access and grants");
  cmd->require_subcommand(1);

  auto* creds = cmd->add_subcommand("credentials", "The patient's login for third-party apps");
  creds->require_subcommand(1);
  auto* create = creds->add_subcommand("create", "Create the login (or a new password); prints it once");
  create->add_option("PATIENT_ID", o->patient_id, "Id of a stored Patient")->required();
  create->callback([&global, &exit_code, o] { exit_code = credentials(global, *o); });

  auto* access = cmd->add_subcommand("api-access", "Opt a patient in (on) or out (off) of third-party API access");
  access->add_option("STATE", o->state, "on or off")->required()->check(CLI::IsMember({"on", "off"}));
  access->add_option("PATIENT_ID", o->patient_id, "Id of a stored Patient")->required();
  access->callback([&global, &exit_code, o] { exit_code = api_access(global, *o); });

  auto* revoke = cmd->add_subcommand("revoke-all", "Revoke every grant and token of a patient, across clients");
  revoke->add_option("PATIENT_ID", o->patient_id, "Patient id")->required();
  revoke->callback([&global, &exit_code, o] { exit_code = revoke_all(global, *o); });
}

}  // namespace fhirctl
