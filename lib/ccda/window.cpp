// ccda::parse_window: the --start/--end service window, widened to whole periods.
#include <string>

#include "base/fhir_time.hpp"
#include "ccda/ccd.hpp"

namespace ccda {
namespace {

constexpr std::string_view kForm = "expected YYYY, YYYY-MM or YYYY-MM-DD";

// Printable form of a user value for an error message (control characters shown as '?').
std::string shown(std::string_view v) {
  std::string out;
  for (char c : v.substr(0, 64)) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  if (v.size() > 64) out += "...";
  return out;
}

base::Result<base::FhirTime> parse_bound(std::string_view which, std::string_view text) {
  auto t = base::parse_date(text);
  if (!t.ok()) {
    return base::invalid("invalid " + std::string(which) + " date '" + shown(text) + "': " + std::string(kForm));
  }
  return *t;
}

}  // namespace

base::Result<Window> parse_window(std::optional<std::string_view> start, std::optional<std::string_view> end) {
  Window w;
  std::int64_t start_low = 0;
  if (start) {
    FHIR_TRY(auto t, parse_bound("start", *start));
    w.start_us = start_low = t.low_us;
    w.start_text = std::string(*start);
  }
  if (end) {
    FHIR_TRY(auto t, parse_bound("end", *end));
    w.end_us = t.high_us;
    w.end_text = std::string(*end);
    if (start && t.high_us <= start_low) {
      return base::invalid("end date '" + shown(*end) + "' is before start date '" + shown(*start) + "'");
    }
  }
  return w;
}

}  // namespace ccda
