#pragma once
// Everything behind the API over one data directory, wired in the one right order: database
// (migrated: the store's schema and lib/auth's), search (registry, indexer, engine), practitioner Groups, resource store with its
// hooks (indexer first, Groups second), settings. fhir-serve, fhirctl and tests all open it here.
#include <filesystem>
#include <memory>

#include "base/result.hpp"
#include "groups/practitioner_groups.hpp"
#include "search/setup.hpp"
#include "sql/database.hpp"
#include "store/resource_store.hpp"
#include "store/settings.hpp"

namespace rest {

struct Backend {
  std::unique_ptr<sql::Database> db;
  search::SearchComponents search;
  std::unique_ptr<groups::PractitionerGroups> groups;
  std::unique_ptr<store::ResourceStore> resources;
  std::unique_ptr<store::SettingsStore> settings;
};

// Opens (creating when missing) the data directory. Errors: as store::open_data_dir and
// search::open_search.
base::Result<std::unique_ptr<Backend>> open_backend(const std::filesystem::path& data_dir);

}  // namespace rest
