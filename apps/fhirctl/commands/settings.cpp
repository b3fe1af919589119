#include "commands/settings.hpp"

#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "store/data_dir.hpp"
#include "store/settings.hpp"

namespace fhirctl {
namespace {

struct SettingsOptions {
  std::string key;
  std::string value;
};

nlohmann::json to_json(const store::SettingInfo& s) {
  return {{"key", s.key}, {"value", s.value}, {"default", s.default_value}, {"is_default", s.is_default},
          {"description", s.description}};
}

int fail(const base::Error& e) {
  std::cerr << "fhirctl: " << e.message << "\n";
  return e.code == base::ErrorCode::not_found || e.code == base::ErrorCode::invalid ? kUsage : kFailure;
}

int run(const GlobalOptions& global, const std::string& action, const SettingsOptions& o) {
  auto db = store::open_data_dir(global.data_dir);
  if (!db) return fail(db.error());
  store::SettingsStore settings(**db);
  if (action == "list") {
    auto all = settings.list();
    if (!all) return fail(all.error());
    if (global.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& s : *all) out.push_back(to_json(s));
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& s : *all) {
        std::cout << std::left << std::setw(18) << s.key << " " << std::setw(30)
                  << (s.value.empty() ? "(unset)" : s.value) << (s.is_default ? " (default)" : "") << "\n";
      }
    }
    return kOk;
  }
  if (action == "get") {
    auto s = settings.get(o.key);
    if (!s) return fail(s.error());
    if (global.json) std::cout << to_json(*s).dump(2) << "\n";
    else std::cout << s->value << "\n";
    return kOk;
  }
  if (auto s = settings.set(o.key, o.value); !s.ok()) return fail(s.error());
  if (global.json) std::cout << to_json(*settings.get(o.key)).dump(2) << "\n";
  else std::cerr << o.key << " = " << o.value << "\n";
  return kOk;
}

}  // namespace

void setup_settings(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto opts = std::make_shared<SettingsOptions>();
  auto* cmd = app.add_subcommand("settings", "Site settings (site address, FHIR API switch, API log)");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "Show every setting and its value");
  list->callback([&global, &exit_code, opts] { exit_code = run(global, "list", *opts); });

  auto* get = cmd->add_subcommand("get", "Print one setting's value");
  get->add_option("KEY", opts->key, "Setting name (site_address, fhir_api_enabled, api_log)")->required();
  get->callback([&global, &exit_code, opts] { exit_code = run(global, "get", *opts); });

  auto* set = cmd->add_subcommand("set", "Change a setting (a running server sees it within 1 s)");
  set->add_option("KEY", opts->key, "Setting name (site_address, fhir_api_enabled, api_log)")->required();
  set->add_option("VALUE", opts->value, "New value")->required();
  set->callback([&global, &exit_code, opts] { exit_code = run(global, "set", *opts); });
}

}  // namespace fhirctl
