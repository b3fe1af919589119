#pragma once
// JSON string escaping for writers that build JSON text by hand (Bundles, stamped resources,
// cursors): the escapes RFC 8259 requires and nothing else, so UTF-8 passes through as it is.
#include <string>
#include <string_view>

namespace base {

// Appends `s` escaped for the inside of a JSON string literal: '"', '\\' and control characters
// (\b \f \n \r \t, others as \u00XX). Runs without escapes are appended whole.
void append_json_escaped(std::string& out, std::string_view s);

// Appends `s` as a JSON string literal, with its quotes.
inline void append_json_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  append_json_escaped(out, s);
  out.push_back('"');
}

}  // namespace base
