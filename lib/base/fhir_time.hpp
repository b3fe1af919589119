#pragma once
// FHIR date, dateTime and instant: parsing with precision, and the time range a value covers.
// All times are microseconds since the Unix epoch, UTC. A value without a timezone (date-only, or
// partial precision) is read as UTC.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace base {

enum class TimePrecision { year, month, day, minute, second, fraction };

// A parsed FHIR time value: the half-open range [low_us, high_us) it denotes.
// "2024" -> [2024-01-01T00:00Z, 2025-01-01T00:00Z); "2024-03-05T10:00:00Z" -> one second wide;
// "2024-03-05T10:00:00.123Z" -> one millisecond wide (one unit of the last digit given).
struct FhirTime {
  TimePrecision precision = TimePrecision::day;
  std::int64_t low_us = 0;   // inclusive
  std::int64_t high_us = 0;  // exclusive
  bool has_offset = false;   // a Z or +hh:mm/-hh:mm was given
};

// FHIR `date`: YYYY, YYYY-MM or YYYY-MM-DD (calendar-valid: no 2023-02-29, no month 13).
// Errors: ErrorCode::invalid with a message naming the bad value and the expected form.
Result<FhirTime> parse_date(std::string_view text);

// FHIR `dateTime`: a date as above, or YYYY-MM-DDThh:mm:ss(.fraction)?(Z|+hh:mm|-hh:mm); a time
// requires an offset. `allow_minutes` is the lenient form search values use: hh:mm without
// seconds, and a time without an offset (read as UTC, the server's zone), neither of which R4
// allows in resources.
Result<FhirTime> parse_date_time(std::string_view text, bool allow_minutes = false);

// FHIR `instant`: YYYY-MM-DDThh:mm:ss(.fraction)?(Z|+hh:mm|-hh:mm), all parts required.
Result<FhirTime> parse_instant(std::string_view text);

// FHIR `time`: hh:mm:ss(.fraction)? (00:00:00 to 23:59:59.999...). Returns micros since midnight.
Result<std::int64_t> parse_time(std::string_view text);

// Current wall-clock time in microseconds since the epoch.
std::int64_t now_us();

// Formats as a FHIR instant with millisecond precision in UTC: "2024-03-05T10:00:00.123Z".
std::string format_instant(std::int64_t us);

// Formats as an HTTP IMF-fixdate (RFC 9110): "Tue, 05 Mar 2024 10:00:00 GMT".
std::string format_http_date(std::int64_t us);

}  // namespace base
