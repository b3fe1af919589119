#include "base/fhir_time.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace base {
namespace {

constexpr std::int64_t kUsPerSecond = 1'000'000;
constexpr std::int64_t kUsPerMinute = 60 * kUsPerSecond;
constexpr std::int64_t kUsPerHour = 60 * kUsPerMinute;
constexpr std::int64_t kUsPerDay = 24 * kUsPerHour;

constexpr const char* kDateForm = "YYYY, YYYY-MM or YYYY-MM-DD";
constexpr const char* kDateTimeForm =
    "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss(.sss)?(Z|+hh:mm|-hh:mm)";
constexpr const char* kDateTimeMinutesForm =
    "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm(:ss(.sss)?)?(Z|+hh:mm|-hh:mm)";
constexpr const char* kInstantForm = "YYYY-MM-DDThh:mm:ss(.sss)?(Z|+hh:mm|-hh:mm)";
constexpr const char* kTimeForm = "hh:mm:ss(.sss)?";

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
// Pure arithmetic: no timegm, no locale, no global state, so it is thread-safe.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Inverse of days_from_civil.
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                     // [0, 11]
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Floor division and modulo, so that times before 1970 format correctly.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0)); }
std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

// Reads exactly n ASCII digits at pos; -1 when the text is too short or a character is no digit.
int read_digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool char_at(std::string_view s, std::size_t pos, char c) { return pos < s.size() && s[pos] == c; }

// Reads ".f{1,9}" at pos when present. Sets us (truncated to microseconds) and digits (0 when there
// is no fraction); returns the position after it, or npos on a malformed fraction.
std::size_t read_fraction(std::string_view s, std::size_t pos, std::int64_t& us, int& digits) {
  us = 0;
  digits = 0;
  if (!char_at(s, pos, '.')) return pos;
  ++pos;
  std::int64_t scale = 100'000;  // value of the first fraction digit in microseconds
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (++digits > 9) return std::string_view::npos;
    us += (s[pos] - '0') * scale;
    scale /= 10;  // digits beyond the 6th add 0: truncation
    ++pos;
  }
  return digits == 0 ? std::string_view::npos : pos;
}

// Reads "Z", "+hh:mm" or "-hh:mm" (-14:00..+14:00) at pos. Returns the position after it, or npos.
std::size_t read_offset(std::string_view s, std::size_t pos, std::int64_t& offset_us) {
  if (char_at(s, pos, 'Z')) {
    offset_us = 0;
    return pos + 1;
  }
  if (!char_at(s, pos, '+') && !char_at(s, pos, '-')) return std::string_view::npos;
  const int hh = read_digits(s, pos + 1, 2);
  const int mm = read_digits(s, pos + 4, 2);
  if (hh < 0 || mm < 0 || !char_at(s, pos + 3, ':') || mm > 59 || hh > 14 || (hh == 14 && mm != 0)) {
    return std::string_view::npos;
  }
  offset_us = (hh * kUsPerHour + mm * kUsPerMinute) * (s[pos] == '-' ? -1 : 1);
  return pos + 6;
}

enum class Kind { date, date_time, instant };

// The one grammar behind date, dateTime and instant; `kind` limits which forms are accepted.
// Returns false when the text is not of an accepted form or not calendar-valid.
bool parse_time_value(std::string_view s, Kind kind, bool allow_minutes, FhirTime& out) {
  const int year = read_digits(s, 0, 4);
  if (year < 1) return false;  // also rejects year 0000
  FhirTime t;
  if (s.size() == 4) {
    if (kind == Kind::instant) return false;
    t.precision = TimePrecision::year;
    t.low_us = days_from_civil(year, 1, 1) * kUsPerDay;
    t.high_us = days_from_civil(year + 1, 1, 1) * kUsPerDay;
    out = t;
    return true;
  }
  const int month = read_digits(s, 5, 2);
  if (!char_at(s, 4, '-') || month < 1 || month > 12) return false;
  if (s.size() == 7) {
    if (kind == Kind::instant) return false;
    t.precision = TimePrecision::month;
    t.low_us = days_from_civil(year, month, 1) * kUsPerDay;
    t.high_us = month == 12 ? days_from_civil(year + 1, 1, 1) * kUsPerDay
                            : days_from_civil(year, month + 1, 1) * kUsPerDay;
    out = t;
    return true;
  }
  const int day = read_digits(s, 8, 2);
  if (!char_at(s, 7, '-') || day < 1 || static_cast<unsigned>(day) > days_in_month(year, month)) {
    return false;
  }
  const std::int64_t midnight = days_from_civil(year, month, day) * kUsPerDay;
  if (s.size() == 10) {
    if (kind == Kind::instant) return false;
    t.precision = TimePrecision::day;
    t.low_us = midnight;
    t.high_us = midnight + kUsPerDay;
    out = t;
    return true;
  }
  if (kind == Kind::date || !char_at(s, 10, 'T')) return false;

  const int hour = read_digits(s, 11, 2);
  const int minute = read_digits(s, 14, 2);
  if (hour < 0 || hour > 23 || !char_at(s, 13, ':') || minute < 0 || minute > 59) return false;
  std::int64_t local = midnight + hour * kUsPerHour + minute * kUsPerMinute;
  std::int64_t width = kUsPerMinute;
  std::size_t pos = 16;
  t.precision = TimePrecision::minute;
  if (char_at(s, pos, ':')) {
    // FHIR's regex allows second 60 (a leap second); it then denotes the second after :59.
    const int second = read_digits(s, pos + 1, 2);
    if (second < 0 || second > 60) return false;
    std::int64_t fraction_us = 0;
    int digits = 0;
    pos = read_fraction(s, pos + 3, fraction_us, digits);
    if (pos == std::string_view::npos) return false;
    local += second * kUsPerSecond + fraction_us;
    t.precision = digits == 0 ? TimePrecision::second : TimePrecision::fraction;
    width = kUsPerSecond;
    for (int i = 0; i < digits && width > 1; ++i) width /= 10;  // one unit of the last digit, >= 1us
  } else if (!allow_minutes || kind != Kind::date_time) {
    return false;
  }
  std::int64_t offset_us = 0;
  const bool zoneless = allow_minutes && kind == Kind::date_time && pos == s.size();
  if (!zoneless) {
    pos = read_offset(s, pos, offset_us);
    if (pos != s.size()) return false;  // also catches npos: a time without a timezone
  }
  t.has_offset = !zoneless;  // search values may omit the zone: read as UTC, the server's zone
  t.low_us = local - offset_us;
  t.high_us = t.low_us + width;
  out = t;
  return true;
}

// "<value>" is not a valid FHIR <type> (expected <form>). Long values are cut: the message is for
// people and ends up in OperationOutcomes and logs.
Error bad_value(std::string_view text, const char* type, const char* form) {
  constexpr std::size_t kMaxEcho = 64;
  std::string shown(text.substr(0, kMaxEcho));
  if (text.size() > kMaxEcho) shown += "...";
  return invalid("\"" + shown + "\" is not a valid FHIR " + type + " (expected " + form + ")");
}

}  // namespace

Result<FhirTime> parse_date(std::string_view text) {
  FhirTime t;
  if (!parse_time_value(text, Kind::date, false, t)) return bad_value(text, "date", kDateForm);
  return t;
}

Result<FhirTime> parse_date_time(std::string_view text, bool allow_minutes) {
  FhirTime t;
  if (!parse_time_value(text, Kind::date_time, allow_minutes, t)) {
    return bad_value(text, "dateTime", allow_minutes ? kDateTimeMinutesForm : kDateTimeForm);
  }
  return t;
}

Result<FhirTime> parse_instant(std::string_view text) {
  FhirTime t;
  if (!parse_time_value(text, Kind::instant, false, t)) {
    return bad_value(text, "instant", kInstantForm);
  }
  return t;
}

Result<std::int64_t> parse_time(std::string_view text) {
  const int hour = read_digits(text, 0, 2);
  const int minute = read_digits(text, 3, 2);
  const int second = read_digits(text, 6, 2);
  std::int64_t fraction_us = 0;
  int digits = 0;
  if (hour < 0 || hour > 23 || !char_at(text, 2, ':') || minute < 0 || minute > 59 ||
      !char_at(text, 5, ':') || second < 0 || second > 59 ||
      read_fraction(text, 8, fraction_us, digits) != text.size()) {
    return bad_value(text, "time", kTimeForm);
  }
  return hour * kUsPerHour + minute * kUsPerMinute + second * kUsPerSecond + fraction_us;
}

std::int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_instant(std::int64_t us) {
  const std::int64_t days = floor_div(us, kUsPerDay);
  const std::int64_t in_day = floor_mod(us, kUsPerDay);
  const Civil c = civil_from_days(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(c.year), c.month, c.day,
                static_cast<int>(in_day / kUsPerHour), static_cast<int>(in_day / kUsPerMinute % 60),
                static_cast<int>(in_day / kUsPerSecond % 60),
                static_cast<int>(in_day % kUsPerSecond / 1000));
  return buf;
}

std::string format_http_date(std::int64_t us) {
  static constexpr std::array<const char*, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed",
                                                           "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::int64_t days = floor_div(us, kUsPerDay);
  const std::int64_t in_day = floor_mod(us, kUsPerDay);
  const Civil c = civil_from_days(days);
  const auto weekday = static_cast<std::size_t>(floor_mod(days + 4, 7));  // 1970-01-01: Thursday
  // Formatted by hand (snprintf showed in read profiles): "Sun, 06 Nov 1994 08:49:37 GMT".
  const auto two = [](std::string& out, int v) {
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  };
  std::string out;
  out.reserve(29);
  out += kWeekdays[weekday];
  out += ", ";
  two(out, static_cast<int>(c.day));
  out.push_back(' ');
  out += kMonths[c.month - 1];
  out.push_back(' ');
  if (c.year >= 0 && c.year <= 9999) {
    two(out, static_cast<int>(c.year / 100));
    two(out, static_cast<int>(c.year % 100));
  } else {
    out += std::to_string(c.year);
  }
  out.push_back(' ');
  two(out, static_cast<int>(in_day / kUsPerHour));
  out.push_back(':');
  two(out, static_cast<int>(in_day / kUsPerMinute % 60));
  out.push_back(':');
  two(out, static_cast<int>(in_day / kUsPerSecond % 60));
  out += " GMT";
  return out;
}

}  // namespace base
