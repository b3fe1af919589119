#include "search/setup.hpp"

namespace search {

base::Result<SearchComponents> open_search(sql::Database& db) {
  SearchComponents c;
  FHIR_TRY(c.registry, Registry::load_embedded());
  FHIR_TRY(c.ids, ParamIds::load(db, *c.registry));
  FHIR_TRY(c.indexer, Indexer::create(c.registry, c.ids));
  FHIR_TRY(c.engine, SearchEngine::create(db, c.registry, c.ids));
  return c;
}

}  // namespace search
