#pragma once
// A FHIRPath subset: enough to evaluate the `expression` of every R4 and US Core 3.1.1
// SearchParameter, over a resource's JSON. Compile once, evaluate many times (thread-safe).
// tests/lib/model/fhirpath_search_params_test.cpp compiles every one of those expressions.
//
// Supported: paths (`Observation.subject`; a leading capitalised name is a type matched against
// resourceType, `Resource`/`DomainResource` match any resource, a leading lower-case name is a
// member of the resource), choice elements (`Observation.value` finds valueQuantity, valueString,
// ... when `value` itself is absent; only suffixes that are R4 data types count, so `status` never
// picks up `statusReason`), `|` union (in order, the same node only once), parentheses,
// `.where(criteria)`, `=`/`!=` (string, number, boolean literals and paths), `and`/`or`/`xor`
// (three-valued), `$this`, `{}`, `as Type` / `.as(Type)` / `.ofType(Type)` (keep the nodes of
// that type or a specialisation, e.g. Age as Quantity), `is Type` / `.is(Type)`,
// `.extension('url')`, `.exists()`, `.exists(criteria)`, `.empty()`, `.not()`, `.hasValue()`,
// `.first()`, `.last()`, indexers `[n]` (integer literal), `.resolve()`.
// Anything else (other functions, `<`, `+`, `in`, `implies`, %variables, @dates, ...) is a
// compile error.
//
// Types: a node's type is known from a choice suffix or an as/ofType; otherwise `as`/`is` infer
// it leniently from the JSON (a string may be any string-valued primitive, an object any complex
// type, an object with resourceType only that resource type).
//
// resolve() cannot load other resources: on a reference to a contained resource ("#id") it yields
// that resource; otherwise it yields a placeholder that only `is`/`as` can test, typed from the
// reference text ("Patient/1", "Patient/1/_history/2", "https://x/fhir/Patient/1") or, failing
// that, Reference.type. So `where(resolve() is Patient)` keeps references to patients, while
// `x.resolve()` on its own selects nothing unless x is a contained reference.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "base/result.hpp"

namespace model::fhirpath {

class Expression;  // compiled form (opaque)

// One value an expression selected: the JSON node, and the FHIR type when the path told us
// (from a choice suffix such as valueQuantity -> "Quantity", or from as/ofType); empty otherwise.
// `value` points into the resource given to evaluate(), except for computed booleans (exists(),
// `=`, `and`, ...: static true/false) and literals (owned by the Expression).
struct Node {
  const base::Json* value = nullptr;
  std::string type;
};

// Compiles `text`. Errors: ErrorCode::invalid naming the position and what was expected.
base::Result<std::shared_ptr<const Expression>> compile(std::string_view text);

// Evaluates `expr` against `resource` (a resource's JSON object). Returns the selected nodes in
// document order; arrays are flattened (each item a node; JSON nulls skipped). Never throws: JSON
// of the wrong shape selects nothing; unknown functions were rejected at compile time.
std::vector<Node> evaluate(const Expression& expr, const base::Json& resource);

}  // namespace model::fhirpath
