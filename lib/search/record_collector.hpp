#pragma once
// Patient records from resources held in memory (ccd-gen --from reads NDJSON and Bundle files
// without a database). Groups like patient_record does over the store: a resource belongs to the
// Patients its R4 Patient-compartment parameters (and kRecordExtras) reference (relative
// references only, as the indexer computes the `compartment` table), and a record also carries the Practitioner,
// Organization, Location and Medication resources that its resources reference through reference
// search parameters.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.hpp"
#include "base/result.hpp"
#include "search/patient_record.hpp"
#include "search/registry.hpp"

namespace model::fhirpath {
class Expression;
}

namespace search {

class RecordCollector {
 public:
  // Compiles the compartment and reference parameters' expressions once.
  // Errors: internal when the registry's expressions do not compile (a build problem).
  static base::Result<std::unique_ptr<RecordCollector>> create(std::shared_ptr<const Registry> registry);
  ~RecordCollector();

  // Adds one resource. A later resource with the same type and id replaces the earlier one.
  // Errors: invalid when `resource` is not an object with a string resourceType and a non-empty
  // string id (the message says which).
  base::Status add(const base::Json& resource);

  // The ids of the Patients added, in the order first added.
  std::vector<std::string> patient_ids() const;
  std::size_t size() const { return resources_.size(); }

  // As search::patient_record: the Patient's JSON first, then its compartment in the order added,
  // then the referenced resources. Errors: not_found for an unknown patient; invalid for a bad
  // skip type.
  base::Result<std::vector<std::string>> record(std::string_view patient_id, const RecordFilter& filter = {}) const;

 private:
  struct Param {
    std::shared_ptr<const model::fhirpath::Expression> expr;
  };
  struct Stored {
    std::string type, id, json;
    std::vector<std::string> patients;                          // compartments it belongs to
    std::vector<std::pair<std::string, std::string>> targets;   // referenced (type, id) of the kept types
  };
  RecordCollector() = default;
  const std::vector<Param>& params_for(const std::string& type);

  std::shared_ptr<const Registry> registry_;
  std::map<std::string, std::vector<Param>, std::less<>> params_;
  std::vector<Stored> resources_;  // a replaced resource leaves an empty slot (type cleared)
  std::map<std::pair<std::string, std::string>, std::size_t, std::less<>> by_key_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> members_;  // patient -> resources_ slots
  std::vector<std::string> patient_order_;
};

}  // namespace search
