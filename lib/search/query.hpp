#pragma once
// A parsed FHIR search: criteria (AND of ORs), result controls, includes. Built from request
// parameters by parse_search(); compiled to SQL by search/sql_compiler.hpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/fhir_time.hpp"
#include "base/result.hpp"
#include "search/registry.hpp"

namespace search {

struct Access;  // search/access.hpp

using ParamList = std::vector<std::pair<std::string, std::string>>;

enum class Prefix { eq, ne, gt, lt, ge, le, sa, eb, ap };

// One value of a criterion (values of a criterion are ORed).
struct Value {
  Prefix prefix = Prefix::eq;
  std::string text;                   // the value as given (unescaped)
  std::optional<std::string> system;  // token/quantity: nullopt any system, "" explicitly none
  std::string code;                   // token code, quantity code/unit, reference id, string/uri text
  std::string type;                   // reference: target type, when given
  std::string url;                    // reference: absolute URL not on our base
  std::string of_type;                // token :of-type "system|code|value"
  base::FhirTime time;                // date
  double number = 0, low = 0, high = 0;  // number/quantity: value and its implied precision range
};

struct Criterion;

// `_has:Type:param:criterion`: resources referenced by a `Type` whose `param` points here and that
// matches `criterion`.
struct Has {
  std::string type;
  const SearchParam* reference = nullptr;
  std::shared_ptr<Criterion> criterion;
};

struct Criterion {
  std::string name;                  // as given, e.g. "subject:Patient.name" (for messages)
  const SearchParam* param = nullptr;  // null only for _has
  std::string modifier;              // "", exact, contains, missing, not, text, of-type, below, above, or a type
  bool missing = false;              // with modifier "missing"
  std::vector<Value> values;         // ORed
  std::string chain_type;            // chaining: the reference's target type...
  std::shared_ptr<Criterion> chain;  // ...and the criterion the target must meet
  std::shared_ptr<Has> has;
};

struct SortKey {
  std::string code;                  // "_lastUpdated", "_id", or a parameter code
  const SearchParam* param = nullptr;  // null for _lastUpdated/_id
  bool descending = false;
};

struct Include {
  std::string source_type;           // the type whose references are followed
  const SearchParam* param = nullptr;  // the reference parameter
  std::string target_type;           // optional restriction
  bool iterate = false;
};

// automatic (no _total): the total is given when it costs nothing (the whole result fits on the
// first page); accurate/estimate: always counted; none: never.
enum class TotalMode { automatic, none, estimate, accurate };
enum class SummaryMode { none, count, summary, data, text };

struct SearchRequest {
  std::string type;                  // empty: system-level search
  std::vector<std::string> types;    // system-level `_type`
  std::vector<Criterion> criteria;   // ANDed
  std::vector<SortKey> sort;
  int count = 50;
  TotalMode total = TotalMode::automatic;
  SummaryMode summary = SummaryMode::none;
  std::vector<std::string> elements;
  std::vector<Include> includes;
  std::vector<Include> revincludes;
  std::string cursor;                // opaque paging cursor (_cursor)
  std::vector<std::string> ignored;  // parameters ignored (unknown/unsupported), for the outcome entry
  ParamList echo;                    // the parameters applied, in order, for self/next links
  // Access restrictions (search/access.hpp); null = none. `access` applies to the matches and to
  // what chains and _has look at, `include_access` to _include/_revinclude results.
  std::shared_ptr<const Access> access;
  std::shared_ptr<const Access> include_access;
  std::string base_url;              // our FHIR base: absolute references under it are local
};

inline constexpr int kDefaultCount = 50;
inline constexpr int kMaxCount = 1000;

// Parses search parameters for `type` ("" for system-level). `base_url` is our FHIR base, so
// absolute references to it are read as local. Unknown or unsupported parameters are listed in
// `ignored`, or are an error when `strict`. Errors: invalid, naming the parameter and the rule.
base::Result<SearchRequest> parse_search(const Registry& registry, std::string_view type, const ParamList& params,
                                         bool strict, std::string_view base_url);

}  // namespace search
