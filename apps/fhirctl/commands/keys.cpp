#include "commands/keys.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "auth/clock.hpp"
#include "commands/auth_context.hpp"
#include "commands/output.hpp"

namespace fhirctl {
namespace {

// Until when a retired key stays published (KeyRing: retired + token life + 60 s).
std::int64_t published_until(const auth::KeyInfo& k) {
  return k.retired_s ? *k.retired_s + auth::kAccessTokenLifeS + 60 : 0;
}

int list(const GlobalOptions& global) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto keys = ctx->auth->keys->list();
  if (!keys) return fail(keys.error());
  if (global.json) {
    base::Json out = base::Json::array();
    for (const auto& k : *keys) {
      base::Json j{{"kid", k.kid}, {"status", k.active ? "active" : "retired"}, {"created", format_time_s(k.created_s)}};
      j["retired"] = k.retired_s ? format_time_s(*k.retired_s) : "";
      j["published_until"] = k.retired_s ? format_time_s(published_until(k)) : "";
      out.push_back(std::move(j));
    }
    print_json(out);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& k : *keys) {
    rows.push_back({k.kid, k.active ? "active" : "retired", format_time_s(k.created_s),
                    k.retired_s ? format_time_s(*k.retired_s) : "-",
                    k.retired_s ? format_time_s(published_until(k)) : "-"});
  }
  print_table({"KID", "STATUS", "CREATED", "RETIRED", "PUBLISHED UNTIL"}, rows);
  return kOk;
}

int rotate(const GlobalOptions& global) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto before = ctx->auth->keys->list();
  if (!before) return fail(before.error());
  std::string old_kid;
  for (const auto& k : *before) {
    if (k.active) old_kid = k.kid;
  }
  auto kid = ctx->auth->keys->rotate();
  if (!kid) return fail(kid.error());
  if (global.json) {
    print_json(base::Json{{"kid", *kid}, {"retired", old_kid}});
  } else {
    std::cout << *kid << "\n";
    std::cerr << "new signing key " << *kid << "; the retired key " << old_kid
              << " stays published until the tokens it signed expire (about 1 hour)\n";
  }
  return kOk;
}

}  // namespace

void setup_keys(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand("keys", "The server's token signing keys");
  cmd->require_subcommand(1);
  auto* list_cmd = cmd->add_subcommand("list", "List the signing keys: the active one and retired ones still published");
  list_cmd->callback([&global, &exit_code] { exit_code = list(global); });
  auto* rotate_cmd = cmd->add_subcommand("rotate", "Make a new signing key; the old one stays published until its tokens expire");
  rotate_cmd->callback([&global, &exit_code] { exit_code = rotate(global); });
}

}  // namespace fhirctl
