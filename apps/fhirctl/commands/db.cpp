#include "commands/db.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "search/setup.hpp"
#include "store/data_dir.hpp"

namespace fhirctl {
namespace {

int reindex(const GlobalOptions& global) {
  auto db = store::open_data_dir(global.data_dir);
  if (!db) {
    std::cerr << "fhirctl: " << db.error().message << "\n";
    return kFailure;
  }
  auto search = search::open_search(**db);
  if (!search) {
    std::cerr << "fhirctl: " << search.error().message << "\n";
    return kFailure;
  }
  const auto started = std::chrono::steady_clock::now();
  auto n = search->indexer->reindex_all(**db);
  if (!n) {
    std::cerr << "fhirctl: reindex failed: " << n.error().message << "\n";
    return kFailure;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (global.json) {
    std::cout << nlohmann::json{{"reindexed", *n}, {"seconds", seconds}}.dump() << "\n";
  } else {
    std::cout << "reindexed " << *n << " resources in " << seconds << " s\n";
  }
  return kOk;
}

}  // namespace

void setup_db(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand("db", "Database maintenance");
  cmd->require_subcommand(1);
  auto* re = cmd->add_subcommand("reindex", "Rebuild the search indexes of every stored resource");
  re->callback([&global, &exit_code] { exit_code = reindex(global); });
}

}  // namespace fhirctl
