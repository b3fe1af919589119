#pragma once
// Building compact JSON text straight into a std::string, without a DOM: the generator's hot
// path. Members are written with a leading comma (",\"key\":...") except the first one of an
// object, which the caller writes with raw(). Text values go through str(), which escapes.
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace synth {

// Seconds since the Unix epoch (UTC) and days since the epoch.
using Seconds = std::int64_t;
using Days = std::int64_t;
inline constexpr Seconds kDay = 86400;

struct Civil {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
constexpr Days days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Days>(era) * 146097 + static_cast<Days>(doe) - 719468;
}

constexpr Civil civil_from_days(Days z) {
  z += 719468;
  const Days era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

inline Days day_of(Seconds t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; }

// Local times are written with a fixed offset (US Eastern standard time).
inline constexpr Seconds kOffset = -5 * 3600;

class Out {
 public:
  std::string s;

  void clear() { s.clear(); }
  void raw(std::string_view v) { s.append(v); }
  void ch(char c) { s.push_back(c); }

  // A JSON string value, escaped.
  void str(std::string_view v) {
    s.push_back('"');
    escape(v);
    s.push_back('"');
  }
  // ,"key":"value"
  void kv(std::string_view key, std::string_view value) {
    key_(key);
    str(value);
  }
  // ,"key":123
  void kn(std::string_view key, std::int64_t n) {
    key_(key);
    num(n);
  }
  // ,"key":true|false
  void kb(std::string_view key, bool b) {
    key_(key);
    s.append(b ? "true" : "false");
  }
  void num(std::int64_t n) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    s.append(buf, static_cast<std::size_t>(r.ptr - buf));
  }
  // A decimal from a scaled integer: dec(9865, 2) -> 98.65; dec(-5, 1) -> -0.5.
  void dec(std::int64_t scaled, int decimals) {
    if (decimals <= 0) return num(scaled);
    if (scaled < 0) {
      s.push_back('-');
      scaled = -scaled;
    }
    std::int64_t p = 1;
    for (int i = 0; i < decimals; ++i) p *= 10;
    num(scaled / p);
    s.push_back('.');
    padded(scaled % p, decimals);
  }
  // Zero-padded unsigned integer of at least `width` digits.
  void padded(std::int64_t n, int width) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, n);
    for (int i = static_cast<int>(r.ptr - buf); i < width; ++i) s.push_back('0');
    s.append(buf, static_cast<std::size_t>(r.ptr - buf));
  }

  // Unquoted date text "YYYY-MM-DD" of a day.
  void date_text(Days d) {
    const Civil c = civil_from_days(d);
    padded(c.year, 4);
    s.push_back('-');
    two(c.month);
    s.push_back('-');
    two(c.day);
  }
  // Unquoted dateTime text with seconds and the fixed local offset: 2019-03-04T09:15:00-05:00.
  void date_time_text(Seconds t) {
    const Seconds local = t + kOffset;
    const Days d = day_of(local);
    const Seconds sod = local - d * kDay;
    date_text(d);
    s.push_back('T');
    two(static_cast<unsigned>(sod / 3600));
    s.push_back(':');
    two(static_cast<unsigned>(sod / 60 % 60));
    s.push_back(':');
    two(static_cast<unsigned>(sod % 60));
    s.append("-05:00");
  }
  // ,"key":"YYYY-MM-DD"
  void kdate(std::string_view key, Days d) {
    key_(key);
    s.push_back('"');
    date_text(d);
    s.push_back('"');
  }
  // ,"key":"<dateTime>" (also valid as an instant: it has seconds and an offset)
  void kdt(std::string_view key, Seconds t) {
    key_(key);
    s.push_back('"');
    date_time_text(t);
    s.push_back('"');
  }
  // ,"key":{"start":...,"end":...}; end omitted when < 0.
  void kperiod(std::string_view key, Seconds start, Seconds end) {
    key_(key);
    s.append("{\"start\":\"");
    date_time_text(start);
    s.push_back('"');
    if (end >= 0) {
      s.append(",\"end\":\"");
      date_time_text(end);
      s.push_back('"');
    }
    s.push_back('}');
  }
  // ,"key":{"reference":"Type/id"}
  void kref(std::string_view key, std::string_view type, std::string_view id) {
    key_(key);
    ref(type, id);
  }
  // {"reference":"Type/id"}
  void ref(std::string_view type, std::string_view id) {
    s.append("{\"reference\":\"");
    s.append(type);
    s.push_back('/');
    s.append(id);
    s.append("\"}");
  }
  // {"system":..,"code":..,"display":..}; display omitted when empty.
  void coding(std::string_view system, std::string_view code, std::string_view display) {
    s.append("{\"system\":");
    str(system);
    s.append(",\"code\":");
    str(code);
    if (!display.empty()) {
      s.append(",\"display\":");
      str(display);
    }
    s.push_back('}');
  }
  // {"coding":[<coding>],"text":display}
  void cc(std::string_view system, std::string_view code, std::string_view display) {
    s.append("{\"coding\":[");
    coding(system, code, display);
    s.push_back(']');
    if (!display.empty()) {
      s.append(",\"text\":");
      str(display);
    }
    s.push_back('}');
  }
  // ,"key":{"coding":[..],"text":..}
  void kcc(std::string_view key, std::string_view system, std::string_view code, std::string_view display) {
    key_(key);
    cc(system, code, display);
  }
  // ,"key":[{"coding":[..],"text":..}]
  void kcc_list(std::string_view key, std::string_view system, std::string_view code, std::string_view display) {
    key_(key);
    s.push_back('[');
    cc(system, code, display);
    s.push_back(']');
  }
  // {"value":v,"unit":u,"system":"http://unitsofmeasure.org","code":c}
  void quantity(std::int64_t scaled, int decimals, std::string_view unit, std::string_view code) {
    s.append("{\"value\":");
    dec(scaled, decimals);
    s.append(",\"unit\":");
    str(unit);
    s.append(",\"system\":\"http://unitsofmeasure.org\",\"code\":");
    str(code);
    s.push_back('}');
  }
  void kquantity(std::string_view key, std::int64_t scaled, int decimals, std::string_view unit,
                 std::string_view code) {
    key_(key);
    quantity(scaled, decimals, unit, code);
  }
  // ,"meta":{"profile":["url"]}
  void profile(std::string_view url) {
    s.append(",\"meta\":{\"profile\":[\"");
    s.append(url);
    s.append("\"]}");
  }
  void profile2(std::string_view url, std::string_view url2) {
    s.append(",\"meta\":{\"profile\":[\"");
    s.append(url);
    s.append("\",\"");
    s.append(url2);
    s.append("\"]}");
  }
  // ,"key":
  void key_(std::string_view key) {
    s.push_back(',');
    s.push_back('"');
    s.append(key);
    s.append("\":");
  }

 private:
  void two(unsigned v) {
    s.push_back(static_cast<char>('0' + v / 10));
    s.push_back(static_cast<char>('0' + v % 10));
  }
  void escape(std::string_view v) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(v[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      s.append(v.data() + start, i - start);
      start = i + 1;
      switch (c) {
        case '"': s.append("\\\""); break;
        case '\\': s.append("\\\\"); break;
        case '\n': s.append("\\n"); break;
        case '\r': s.append("\\r"); break;
        case '\t': s.append("\\t"); break;
        default: {
          static const char hex[] = "0123456789abcdef";
          s.append("\\u00");
          s.push_back(hex[c >> 4]);
          s.push_back(hex[c & 15]);
        }
      }
    }
    s.append(v.data() + start, v.size() - start);
  }
};

// A short identifier held by value (ids are up to 64 characters in FHIR; ours are ~20).
struct Id {
  char buf[48];
  unsigned char len = 0;
  std::string_view view() const { return {buf, len}; }
  operator std::string_view() const { return view(); }  // NOLINT(implicit)
};

// "p000123", "p000123-obs-0042", "prac-0007".
Id make_id(std::string_view prefix, std::int64_t n, int width);
Id make_id(std::string_view patient_id, std::string_view kind, std::int64_t n, int width);

}  // namespace synth
