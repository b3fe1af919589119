#pragma once
// Who may see which resources, in search terms: the access restriction a caller's token puts on
// searches, includes, reads and writes. Built by rest/guard from SMART scopes (search knows
// nothing of tokens); compiled into SQL by search/sql_compiler.hpp (access_condition), so that
// paging, totals and includes stay right.
//
// A patient-level grant sees, of its patient P:
//   - Patient: P itself only;
//   - a type in the R4 Patient compartment: the resources in P's compartment (table compartment),
//     except a Group that also has another patient as a member (it would list other patients);
//   - any other ("shared") type: the resources referenced (relative references, any reference
//     search parameter) from P's visible compartment resources;
//   - and a Provenance or Device also when every one of its `target` / `patient` references points
//     at a resource in P's compartment (a Provenance of P's Observation is P's).
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "search/query.hpp"
#include "search/registry.hpp"

namespace search {

enum class Reach {
  all,              // every resource of the type
  patient_self,     // Patient: only the patient
  compartment,      // resources in the patient's compartment
  compartment_sole, // ... and in no other patient's (Group)
  referenced,       // shared types: referenced from the compartment (or via the params below)
};

struct TypeAccess {
  Reach reach = Reach::all;
  // Patient reaches: also visible when every reference of one of these parameters points at a
  // resource in the patient's compartment (Provenance.target, Device.patient).
  std::vector<const SearchParam*> via;
  // SMART v2 scope filters: alternatives (ORed), each a list of criteria (ANDed); empty = none.
  std::vector<std::vector<Criterion>> any_of;
};

struct Access {
  std::string patient;  // the compartment's Patient id (set when any type has a patient reach)
  std::map<std::string, TypeAccess, std::less<>> types;  // only these types may be seen
  std::string key;      // canonical text of the restriction (binds paging cursors to it)
  std::string base_url; // our FHIR base, as for parse_search (filters' absolute references)

  const TypeAccess* find(std::string_view type) const {
    auto it = types.find(type);
    return it == types.end() ? nullptr : &it->second;
  }
};

// What a token grants on one type (from auth::decide).
struct Grant {
  std::string type;
  bool patient_only = false;
  std::vector<std::vector<std::pair<std::string, std::string>>> filters;  // ORed alternatives of ANDed param=value
};

// Builds the restriction for `grants`. `patient` is required when a grant is patient_only.
// Filters are parsed as search parameters of their type (`base_url` as for parse_search).
// Errors: forbidden when a patient-only grant has no patient, or a filter is not a search
// criterion this server can apply (unknown parameter, result control, bad value).
base::Result<Access> make_access(const Registry& registry, std::string_view patient, const std::vector<Grant>& grants,
                                 std::string_view base_url);

}  // namespace search
