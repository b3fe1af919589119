#pragma once
// Turns the nodes a SearchParameter's expression selected into typed index values, following
// the FHIR R4 rules for each parameter type (e.g. a CodeableConcept gives one token per coding,
// a Period gives one date range, a HumanName gives one string per part).
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "model/fhirpath.hpp"
#include "search/registry.hpp"

namespace search {

inline constexpr std::int64_t kMinTime = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kMaxTime = std::numeric_limits<std::int64_t>::max();

struct StringValue { std::string norm, exact; };
struct TokenValue {
  std::optional<std::string> system;
  std::string code;
  std::string text;     // normalised display/text
  std::string of_type;  // "typeSystem|typeCode|value" for typed Identifiers
};
struct ReferenceValue { std::string type, id, url; };
struct DateValue { std::int64_t low = 0, high = 0; };
struct QuantityValue { double value = 0; std::string system, code, unit; };

struct Extracted {
  std::vector<StringValue> strings;
  std::vector<TokenValue> tokens;
  std::vector<ReferenceValue> references;
  std::vector<DateValue> dates;
  std::vector<double> numbers;
  std::vector<QuantityValue> quantities;
  std::vector<std::string> uris;
};

// Appends the values of `node` for a parameter of `type` to `out`. Values that do not fit the
// type are skipped (never an error: indexing must not reject what validation accepted).
void extract(ParamType type, const model::fhirpath::Node& node, Extracted& out);

// Parses a reference text: "Type/id", "Type/id/_history/n", or an absolute URL ending in them.
// Returns nullopt for contained ("#x"), urn: and other references (kept as url by extract).
std::optional<std::pair<std::string, std::string>> parse_reference(std::string_view reference);

}  // namespace search
