#pragma once
// Private to lib/model/fhirpath_*.cpp: the compiled form of a FHIRPath expression and the FHIR type
// knowledge the parser and the evaluator share. Only .cpp files include this header, so it may pull
// in <nlohmann/json.hpp> (literals are stored as JSON so that evaluation can point nodes at them).
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "model/fhirpath.hpp"

namespace model::fhirpath::detail {

enum class Kind {
  this_,        // $this: the context item
  literal,      // 'string', number, true/false (in Ast::literal)
  empty,        // {}
  type_filter,  // a leading type name (`Observation`, `Resource`): the context item if it is one
  member,       // input.name, choice-aware (value -> valueQuantity)
  index,        // input[index]
  where,        // input.where(arg)
  exists,       // input.exists() / input.exists(arg)
  empty_fn,     // input.empty()
  not_fn,       // input.not()
  has_value,    // input.hasValue()
  first,        // input.first()
  last,         // input.last()
  as,           // input as name / input.as(name) / input.ofType(name)
  is,           // input is name / input.is(name)
  extension,    // input.extension('name')
  resolve,      // input.resolve()
  union_,       // input | arg
  eq,           // input = arg
  ne,           // input != arg
  and_,         // input and arg
  or_,          // input or arg
  xor_,         // input xor arg
};

struct Ast {
  Kind kind = Kind::this_;
  std::string name;                 // member name, type name, or extension url
  base::Json literal;               // Kind::literal
  std::size_t index = 0;            // Kind::index
  std::unique_ptr<Ast> input;       // what the node applies to (left operand); null = context item
  std::unique_ptr<Ast> arg;         // criteria or right operand
  int depth = 1;                    // height of this subtree (bounded by the parser)
};

// FHIR type knowledge (R4).

// The type named by a choice-element suffix ("Quantity" -> "Quantity", "DateTime" -> "dateTime"),
// or empty when the suffix is not an R4 data type (so `status` never picks up `statusReason`).
std::string_view choice_type(std::string_view suffix);

// True for the R4 primitive type names (boolean, string, dateTime, ...).
bool is_primitive_type(std::string_view name);

}  // namespace model::fhirpath::detail

namespace model::fhirpath {

// Compiled expression: immutable after compile(), so evaluation from many threads is safe.
class Expression {
 public:
  std::string text;
  std::unique_ptr<detail::Ast> root;
};

}  // namespace model::fhirpath
