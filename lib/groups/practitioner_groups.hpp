#pragma once
// One Group per Practitioner whose members are the patients naming that Practitioner in
// Patient.generalPractitioner (SPEC.md: "the system automatically creates a group for every
// Practitioner ... primary care provider"). Kept current inside the same transaction as the
// Patient or Practitioner write; Bulk export by Group uses them.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "search/indexer.hpp"
#include "search/registry.hpp"
#include "store/resource_store.hpp"

namespace groups {

// The id of the Group kept for a Practitioner: "pcp-<practitioner id>" (a digest when that
// would be longer than 64 characters).
std::string group_id_for(const std::string& practitioner_id);

class PractitionerGroups final : public store::WriteHook {
 public:
  // Needs the search index (Patient.general-practitioner, Group.member, Group.managing-entity):
  // add it to the store AFTER the indexer. Errors: internal when those parameters are unknown.
  static base::Result<std::unique_ptr<PractitionerGroups>> create(const search::Registry& registry,
                                                                  const search::ParamIds& ids);

  base::Status on_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& resource,
                        const base::Json* parsed) override;
  // Bulk loads: a Patient's general practitioners are read on a worker thread.
  std::unique_ptr<store::HookData> prepare(const std::string& type, const std::string& id,
                                           const base::Json& stamped) const override;
  base::Status on_prepared_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& resource,
                                 const store::HookData* data) override;
  base::Status before_commit(store::WriteTx& tx) override;
  void end_transaction() override {
    affected_.clear();
    patients_.clear();
  }

 private:
  PractitionerGroups() = default;
  base::Status refresh(store::WriteTx& tx, const std::string& practitioner_id);
  // Notes the practitioners whose Group a write may change; `named` are the practitioners the
  // written Patient names as general practitioner.
  base::Status note(sql::Connection& conn, const store::StoredResource& resource,
                    const std::vector<std::string>& named);

  std::int64_t general_practitioner_ = 0;  // Patient.general-practitioner
  std::int64_t member_ = 0;                // Group.member
  std::int64_t managing_entity_ = 0;       // Group.managing-entity
  std::set<std::string> affected_;         // practitioners whose Group may change in this transaction
  std::set<std::string> patients_;         // patients written in it: their current Groups are affected too
};

}  // namespace groups
