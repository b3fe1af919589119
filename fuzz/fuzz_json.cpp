// libFuzzer harness: base::parse_json against nlohmann's own parser.
//
// Input: any bytes, parsed as JSON text. Properties checked (abort() = a finding):
//   - nothing crashes, hangs, leaks or trips ASan/UBSan;
//   - parse_json succeeds exactly when nlohmann::ordered_json::parse does, and then gives the same
//     value with the same JSON types (5 and 5u differ here), member order included;
//   - when parse_json's fast path (parse_json_fast_path) takes the text, nlohmann accepts it too
//     and gives the same value.
// Reproduce a finding: build/fuzz/fuzz/fuzz_json FILE.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/json.hpp"

namespace {

[[noreturn]] void finding(const char* what, const std::string& text) {
  std::fprintf(stderr, "fuzz_json: %s for input of %zu bytes\n", what, text.size());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::optional<base::Json> reference;
  try {
    reference = base::Json::parse(text);
  } catch (const nlohmann::ordered_json::exception&) {
  }
  auto ours = base::parse_json(text);
  if (ours.ok() != reference.has_value()) finding("parse_json and nlohmann disagree on validity", text);
  if (reference && !base::identical_json(*ours, *reference)) finding("parse_json gives another value", text);
  base::Json fast;
  if (base::parse_json_fast_path(text, fast)) {
    if (!reference) finding("the fast path accepted text nlohmann refuses", text);
    if (!base::identical_json(fast, *reference)) finding("the fast path gives another value", text);
  }
  return 0;
}
