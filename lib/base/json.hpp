#pragma once
// The JSON type of the project (nlohmann::json) without pulling the full header into every
// translation unit. Include <nlohmann/json.hpp> only in .cpp files that build or walk JSON.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace base {

// ordered_json keeps members in the order written, so stored resources keep "resourceType" first.
using Json = nlohmann::ordered_json;

// Parses text as JSON. Errors: ErrorCode::invalid with the parser's position and reason.
Result<Json> parse_json(std::string_view text);
// parse_json's fast path, for tests and fuzzing: true with `out` set when it parsed `text`
// itself (the same Json nlohmann would build); false when it left `text` to nlohmann (\u escapes,
// integers over 18 digits, invalid input...).
bool parse_json_fast_path(std::string_view text, Json& out);

// True when `a` and `b` have the same JSON types and values everywhere, object members in the
// same order (operator== equates 5 and 5u, or 1 and 1.0; -0.0 differs from 0.0 here).
bool identical_json(const Json& a, const Json& b);

// Compact serialisation (no spaces), UTF-8; invalid UTF-8 is replaced rather than throwing.
std::string dump_compact(const Json& j);

// Pretty serialisation with two-space indentation.
std::string dump_pretty(const Json& j);

// Re-indents compact JSON text for `_pretty=true`. Errors if text is not JSON.
Result<std::string> prettify(std::string_view text);

// An embedded share/ file (base/embedded.hpp) parsed as JSON. Errors: internal when the file was
// not embedded or is not JSON (a build problem, never the client's).
Result<Json> embedded_json(std::string_view name);

}  // namespace base
