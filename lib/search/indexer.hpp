#pragma once
// Indexing at write time: a store::WriteHook that, inside the write's transaction, replaces a
// resource's rows in the typed index tables and the patient-compartment table.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/fhirpath.hpp"
#include "search/registry.hpp"
#include "sql/database.hpp"
#include "store/resource_store.hpp"

namespace search {

// The numeric ids of search parameters in the database (table search_param), shared by the
// indexer and the query compiler.
class ParamIds {
 public:
  // Loads the ids, inserting rows for parameters the database has not seen yet.
  static base::Result<std::shared_ptr<const ParamIds>> load(sql::Database& db, const Registry& registry);
  // nullopt when the parameter has no id (never for a registry parameter after load).
  std::optional<std::int64_t> id(const SearchParam& p) const;

 private:
  std::map<std::pair<std::string, std::string>, std::int64_t, std::less<>> ids_;
};

class Indexer final : public store::WriteHook {
 public:
  // Compiles every parameter's expression once. Parameters whose expression cannot be compiled
  // are skipped and listed in skipped().
  static base::Result<std::unique_ptr<Indexer>> create(std::shared_ptr<const Registry> registry,
                                                       std::shared_ptr<const ParamIds> ids);

  base::Status on_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& resource,
                        const base::Json* parsed) override;

  // Rebuilds the index of every current resource (fhirctl db reindex), in batches of `batch`
  // resources per transaction. Returns the number of resources indexed.
  base::Result<std::int64_t> reindex_all(sql::Database& db, int batch = 500);

  // The ids of the patients whose compartment a resource (any version's content) is in, sorted,
  // by the same rules as the compartment table: relative Patient references of the type's
  // compartment parameters, and a Patient itself. Pure: reads and writes nothing.
  std::vector<std::string> compartment_of(const std::string& type, const std::string& id,
                                          const base::Json& resource) const;

  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  struct Entry {
    const SearchParam* param;
    std::shared_ptr<const model::fhirpath::Expression> expr;
    std::int64_t id;
    bool compartment;  // one of the type's patient-compartment parameters
  };
  const std::vector<Entry>& entries_for(const std::string& type) const;
  base::Status index(sql::Connection& conn, std::int64_t rid, const std::string& type, const std::string& id,
                     const base::Json& resource);

  std::shared_ptr<const Registry> registry_;
  std::shared_ptr<const ParamIds> ids_;
  std::map<std::string, std::vector<Entry>, std::less<>> by_type_;
  std::vector<std::string> skipped_;
};

}  // namespace search
