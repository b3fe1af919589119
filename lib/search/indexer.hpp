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
  // The ids under which the index holds `p`'s rows: its own, or for a parameter stored as others
  // (SearchParam::stored_as) theirs. Empty when one has no id.
  std::vector<std::int64_t> stored_ids(const SearchParam& p) const;
  // SQL that tests a row's param column, e.g. " = 12" or " IN (12,15)"; nullopt when
  // stored_ids(p) is empty.
  std::optional<std::string> stored_match(const SearchParam& p) const;

 private:
  std::map<std::pair<std::string, std::string>, std::int64_t, std::less<>> ids_;
};

// The index table of a parameter type ("idx_token" for token...); nullptr for composite and
// special parameters, which have none.
const char* index_table(ParamType t);

class Indexer final : public store::WriteHook {
 public:
  // Compiles every parameter's expression once. Parameters whose expression cannot be compiled
  // are skipped and listed in skipped().
  static base::Result<std::unique_ptr<Indexer>> create(std::shared_ptr<const Registry> registry,
                                                       std::shared_ptr<const ParamIds> ids);

  base::Status on_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& resource,
                        const base::Json* parsed) override;
  // Bulk loads: prepare() evaluates every parameter of the type on a worker thread (the index
  // rows, without the rid). on_prepared_write keeps a pointer to them and inserts the rows of many
  // resources at once, with multi-row INSERTs, when enough are waiting and at the latest in
  // before_commit (so the prepared data must live until the transaction ends, as
  // WriteTx::put_prepared requires). Same rows as on_write. Until then the index of those
  // resources is incomplete: hooks that read it inside the transaction do so in before_commit,
  // after this one (the Groups hook does).
  std::unique_ptr<store::HookData> prepare(const std::string& type, const std::string& id,
                                           const base::Json& stamped) const override;
  base::Status on_prepared_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& resource,
                                 const store::HookData* data) override;
  base::Status before_commit(store::WriteTx& tx) override;
  void end_transaction() override;

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
  // The index rows of one resource, before they are given its rid.
  struct Rows;
  const std::vector<Entry>& entries_for(const std::string& type) const;
  void compute(const std::string& type, const std::string& id, const base::Json& resource, Rows& out) const;
  // Inserts the rows of (rid, rows) pairs.
  static base::Status insert(sql::Connection& conn, const std::vector<std::pair<std::int64_t, const Rows*>>& items);
  base::Status flush_pending(sql::Connection& conn);
  base::Status index(sql::Connection& conn, std::int64_t rid, const std::string& type, const std::string& id,
                     const base::Json& resource);

  std::shared_ptr<const Registry> registry_;
  std::shared_ptr<const ParamIds> ids_;
  std::map<std::string, std::vector<Entry>, std::less<>> by_type_;
  std::vector<std::string> skipped_;
  // Prepared rows not inserted yet, in this transaction (writes are serialised: no lock).
  static constexpr std::size_t kPendingRows = 4096;
  std::vector<std::pair<std::int64_t, const Rows*>> pending_;
  std::size_t pending_rows_ = 0;
};

}  // namespace search
