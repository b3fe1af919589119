#pragma once
// SMART on FHIR scopes: the v1 grammar `(patient|user|system)/Type.(read|write|*)`, the v2 grammar
// `(patient|user|system)/Type.cruds[?param=value&...]`, operation scopes (`system/*.$export`,
// `system/*.$bulkdata-status`, `patient/DocumentReference.$docref`), the pseudo-type `Document`
// (bulk files and CCDs), and the non-resource scopes (openid, fhirUser, launch, ...).
// Pure logic: what a set of granted scopes lets a request do.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace auth {

enum class Level { patient, user, system };

// SMART v2 permission letters; v1 read = read|search, write = create|update|remove, * = all.
enum Op : std::uint8_t { kCreate = 1, kRead = 2, kUpdate = 4, kRemove = 8, kSearch = 16, kAllOps = 31 };

using Filter = std::pair<std::string, std::string>;  // v2 `?category=...`: search parameter, value

struct ResourceScope {
  Level level = Level::patient;
  std::string type;            // a resource type, "Document", or "*" (operation scopes only)
  std::uint8_t ops = 0;        // Op bits; 0 for an operation scope
  std::string operation;       // "$export", "$bulkdata-status", "$docref"; empty for cruds scopes
  std::vector<Filter> filters; // v2 only; ANDed
  std::string text;            // the scope as written
};

struct ScopeSet {
  std::vector<ResourceScope> resources;
  std::vector<std::string> other;  // openid, fhirUser, profile, launch, launch/patient, offline_access, ...
  bool has(std::string_view scope) const;  // one of `other`
};

// Splits a space-separated scope string. Errors: invalid for a string that looks like a resource
// scope (`x/y.z`) but does not parse (bad level, unknown type, bad permissions, letters out of
// cruds order, v1 with a filter). Unknown non-resource scopes are kept in `other`.
base::Result<ScopeSet> parse_scopes(std::string_view text);

// The registration rule (SPEC.md): scopes are required and explicit. Errors: invalid when the text is
// empty, malformed, has a wildcard resource scope (`patient/*.read`, `user/*.*`, `patient/Observation.*`)
// or a scope we do not know. `system/*.$export` and other operation scopes are allowed.
base::Status check_registration_scopes(std::string_view text);

// True when every scope is one a patient standalone app may get without an admin: patient/ scopes,
// openid, fhirUser, profile, launch/patient, offline_access, online_access.
bool is_patient_standalone(const ScopeSet& scopes);

// The scopes of `requested` that are also in `allowed`, in requested order, space-separated.
// Used to fix scopes at registration and to narrow on authorize/refresh (scopes never grow).
std::string intersect_scopes(std::string_view requested, std::string_view allowed);

// What the granted scopes allow for one resource type and operation.
struct Decision {
  bool allowed = false;
  bool patient_only = false;  // only the token's patient compartment (granted via patient/ scopes only)
  // Alternatives (ORed), each a list of ANDed filters; empty = no filter. Only set when every
  // granting scope carries filters.
  std::vector<std::vector<Filter>> filters;
};
// A user/ or system/ scope wins over a patient/ scope (no compartment restriction).
Decision decide(const ScopeSet& scopes, std::string_view type, Op op);

// True when a scope grants operation `op` ("$export") on `type` ("*" for system level, or a type).
// A `*` type scope covers every type; a level must match `level`.
bool allows_operation(const ScopeSet& scopes, Level level, std::string_view type, std::string_view op);

}  // namespace auth
