#pragma once
// Everything search needs, built once per process over one database: the registry, the
// parameter ids, the indexer (to add to the ResourceStore as a WriteHook) and the engine.
#include <memory>

#include "search/engine.hpp"
#include "search/indexer.hpp"
#include "search/registry.hpp"

namespace search {

struct SearchComponents {
  std::shared_ptr<const Registry> registry;
  std::shared_ptr<const ParamIds> ids;
  std::unique_ptr<Indexer> indexer;
  std::unique_ptr<SearchEngine> engine;
};

// Loads the embedded definitions and prepares indexer and engine for `db`.
// Errors: internal when the definitions or the database cannot be read.
base::Result<SearchComponents> open_search(sql::Database& db);

}  // namespace search
