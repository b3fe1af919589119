#include "commands/user.hpp"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "auth/password.hpp"
#include "commands/auth_context.hpp"
#include "commands/output.hpp"

namespace fhirctl {
namespace {

struct UserOptions {
  std::string username;
  std::string role;
  std::string practitioner;
  std::string display_name;
  bool password_stdin = false;
};

base::Json user_json(const auth::User& u) {
  return base::Json{{"id", u.id},
                    {"username", u.username},
                    {"role", std::string(auth::role_name(u.role))},
                    {"display_name", u.display_name},
                    {"fhir_user", auth::fhir_user(u)},
                    {"patient", u.patient_id},
                    {"practitioner", u.practitioner_id},
                    {"disabled", u.disabled},
                    {"created", format_time_s(u.created_us / 1000000)}};
}

// The password: from stdin (--password-stdin) or a fresh random one (`generated` set).
base::Result<std::string> new_password(const UserOptions& o, bool& generated) {
  generated = !o.password_stdin;
  if (!o.password_stdin) return auth::random_password(16);
  return read_stdin_line("password");
}

void print_password(const std::string& username, const std::string& password) {
  std::cout << "username: " << username << "\n"
            << "password: " << password << "\n";
  std::cerr << "The password is shown only this once.\n";
}

int add(const GlobalOptions& global, const UserOptions& o) {
  auto role = auth::parse_role(o.role);
  if (!role || *role == auth::Role::patient) return usage("--role must be admin or clinician");
  bool generated = false;
  auto password = new_password(o, generated);
  if (!password) return fail(password.error());
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  if (!o.practitioner.empty()) {
    auto exists = resource_exists(*ctx, "Practitioner", o.practitioner);
    if (!exists) return fail(exists.error());
    if (!*exists) return fail("no Practitioner/" + o.practitioner + " in the database");
  }
  auth::NewUser nu;
  nu.username = o.username;
  nu.password = *password;
  nu.role = *role;
  nu.display_name = o.display_name;
  nu.practitioner_id = o.practitioner;
  auto user = ctx->auth->users->add(nu);
  if (!user) return fail(user.error());
  if (global.json) {
    auto j = user_json(*user);
    if (generated) j["password"] = *password;
    print_json(j);
  } else {
    std::cerr << "created " << auth::role_name(user->role) << " user " << user->username << "\n";
    if (generated) print_password(user->username, *password);
  }
  return kOk;
}

int list(const GlobalOptions& global) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto users = ctx->auth->users->list();
  if (!users) return fail(users.error());
  if (global.json) {
    base::Json out = base::Json::array();
    for (const auto& u : *users) out.push_back(user_json(u));
    print_json(out);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : *users) {
    const std::string fu = auth::fhir_user(u);
    rows.push_back({u.username, std::string(auth::role_name(u.role)), u.disabled ? "disabled" : "enabled",
                    fu.empty() ? "-" : fu, u.display_name.empty() ? "-" : u.display_name,
                    format_time_s(u.created_us / 1000000)});
  }
  print_table({"USERNAME", "ROLE", "STATUS", "FHIR USER", "NAME", "CREATED"}, rows);
  return kOk;
}

int set_disabled(const GlobalOptions& global, const UserOptions& o, bool disabled) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  if (auto s = ctx->auth->users->set_disabled(o.username, disabled); !s.ok()) return fail(s.error());
  auto user = ctx->auth->users->get(o.username);
  if (!user) return fail(user.error());
  if (global.json) print_json(user_json(*user));
  else std::cerr << "user " << user->username << (disabled ? " disabled" : " enabled") << "\n";
  return kOk;
}

int passwd(const GlobalOptions& global, const UserOptions& o) {
  bool generated = false;
  auto password = new_password(o, generated);
  if (!password) return fail(password.error());
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto user = ctx->auth->users->get(o.username);
  if (!user) return fail(user.error());
  if (auto s = ctx->auth->users->set_password(o.username, *password); !s.ok()) return fail(s.error());
  if (global.json) {
    auto j = user_json(*user);
    if (generated) j["password"] = *password;
    print_json(j);
  } else {
    std::cerr << "password of " << user->username << " changed\n";
    if (generated) print_password(user->username, *password);
  }
  return kOk;
}

}  // namespace

void setup_user(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto o = std::make_shared<UserOptions>();
  auto* cmd = app.add_subcommand("user", "Staff users who log in to authorize apps (admin, clinician)");
  cmd->require_subcommand(1);

  auto* add_cmd = cmd->add_subcommand("add", "Add a staff user; prints a generated password once");
  add_cmd->add_option("USERNAME", o->username, "3 to 64 of letters, digits, '.', '_', '@', '-'")->required();
  add_cmd->add_option("--role", o->role, "Role of the user")->required()->check(CLI::IsMember({"admin", "clinician"}));
  add_cmd->add_option("--practitioner", o->practitioner, "Practitioner id of the user (their fhirUser)");
  add_cmd->add_option("--name", o->display_name, "Display name");
  add_cmd->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  add_cmd->callback([&global, &exit_code, o] { exit_code = add(global, *o); });

  auto* list_cmd = cmd->add_subcommand("list", "List every user (staff and patient users)");
  list_cmd->callback([&global, &exit_code] { exit_code = list(global); });

  auto* disable = cmd->add_subcommand("disable", "Disable a user; their tokens stop working at once");
  disable->add_option("USERNAME", o->username, "Username or user id")->required();
  disable->callback([&global, &exit_code, o] { exit_code = set_disabled(global, *o, true); });

  auto* enable = cmd->add_subcommand("enable", "Enable a disabled user");
  enable->add_option("USERNAME", o->username, "Username or user id")->required();
  enable->callback([&global, &exit_code, o] { exit_code = set_disabled(global, *o, false); });

  auto* pw = cmd->add_subcommand("passwd", "Set a new password (generated and printed once, or from stdin)");
  pw->add_option("USERNAME", o->username, "Username or user id")->required();
  pw->add_flag("--password-stdin", o->password_stdin, "Read the password from standard input");
  pw->callback([&global, &exit_code, o] { exit_code = passwd(global, *o); });
}

}  // namespace fhirctl
