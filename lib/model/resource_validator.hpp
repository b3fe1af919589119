#pragma once
// Structural checks the server applies to every resource it is asked to store.
#include "base/json.hpp"
#include "base/result.hpp"

namespace model {

// Checks `resource`: a JSON object; `resourceType` present and an R4 type; `id` (when present)
// of valid id syntax; every element the element-type table (share/fhir/element-types.json,
// embedded) knows as date, dateTime, instant or time holds a valid value of that type, at any
// depth, including inside arrays, contained resources and Bundle entries' resources.
// Returns ok, or ErrorCode::invalid with one Issue per problem (code "value" or "structure"),
// each with a diagnostics text a person can act on and `expression` set to the element's
// FHIRPath (e.g. "Patient.birthDate", "Observation.component[1].effectiveDateTime").
base::Status validate_resource(const base::Json& resource);

}  // namespace model
