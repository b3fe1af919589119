#include "rest/backend.hpp"

#include "auth/schema.hpp"
#include "store/data_dir.hpp"

namespace rest {

base::Result<std::unique_ptr<Backend>> open_backend(const std::filesystem::path& data_dir) {
  auto b = std::make_unique<Backend>();
  FHIR_TRY(b->db, store::open_data_dir(data_dir));
  FHIR_CHECK(auth::migrate_schema(*b->db));  // lib/auth's tables (users, clients, tokens, keys)
  FHIR_TRY(b->search, search::open_search(*b->db));
  FHIR_TRY(b->groups, groups::PractitionerGroups::create(*b->search.registry, *b->search.ids));
  b->resources = std::make_unique<store::ResourceStore>(*b->db);
  b->resources->add_hook(b->search.indexer.get());  // Groups read the index: indexer first
  b->resources->add_hook(b->groups.get());
  b->settings = std::make_unique<store::SettingsStore>(*b->db);
  return b;
}

}  // namespace rest
