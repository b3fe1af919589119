#include "base/json.hpp"

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/embedded.hpp"

namespace base {

namespace {

// Builds the same Json as nlohmann's DOM parser (same members in the same order; a repeated key
// keeps its first position and its last value; the same error messages), from the parser's SAX
// events. Faster: objects and arrays are built once with their final size, instead of growing
// member by member with a linear search for each key, and the stacks are reused from one parse to
// the next on the same thread.
class DomBuilder {
 public:
  void reset() {
    frames_.clear();
    keys_.clear();
    values_.clear();
    error_.clear();
  }
  Json take_root() {
    Json root = std::move(values_.back());
    values_.clear();
    return root;
  }
  const std::string& error() const { return error_; }

  bool null() { return value(Json(nullptr)); }
  bool boolean(bool v) { return value(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return value(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return value(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return value(Json(v)); }
  bool string(Json::string_t& v) { return value(Json(std::move(v))); }
  bool binary(Json::binary_t& v) { return value(Json::binary(std::move(v))); }
  bool start_object(std::size_t) {
    frames_.push_back({true, keys_.size(), values_.size()});
    return true;
  }
  bool key(Json::string_t& k) {
    keys_.push_back(std::move(k));
    return true;
  }
  bool end_object() {
    const Frame f = frames_.back();
    frames_.pop_back();
    const std::size_t n = values_.size() - f.values;
    Json obj(Json::value_t::object);
    auto& members = static_cast<Json::object_t::Container&>(*obj.get_ptr<Json::object_t*>());
    members.reserve(n);
    const bool large = n > 32;
    if (large) seen_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      std::string& k = keys_[f.keys + i];
      Json& v = values_[f.values + i];
      if (Json* same = find(members, k, large)) {
        *same = std::move(v);  // a repeated key: its last value, at its first position
        continue;
      }
      members.emplace_back(std::move(k), std::move(v));
      // reserve(n) above: members never move, so views of their keys stay valid
      if (large) seen_.emplace(std::string_view(members.back().first), members.size() - 1);
    }
    keys_.resize(f.keys);
    values_.resize(f.values);
    return value(std::move(obj));
  }
  bool start_array(std::size_t) {
    frames_.push_back({false, keys_.size(), values_.size()});
    return true;
  }
  bool end_array() {
    const Frame f = frames_.back();
    frames_.pop_back();
    const std::size_t n = values_.size() - f.values;
    Json arr(Json::value_t::array);
    auto& items = *arr.get_ptr<Json::array_t*>();
    items.reserve(n);
    for (std::size_t i = 0; i < n; ++i) items.push_back(std::move(values_[f.values + i]));
    values_.resize(f.values);
    return value(std::move(arr));
  }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& ex) {
    error_ = ex.what();
    return false;
  }

 private:
  struct Frame {
    bool object;
    std::size_t keys;    // where this object's keys start in keys_
    std::size_t values;  // where its values start in values_
  };

  bool value(Json v) {
    values_.push_back(std::move(v));
    return true;
  }

  // The member named `k` already in `members`, or nullptr. Small objects (nearly all) are searched
  // linearly; large ones through a hash map, so that a hostile body with many keys costs linear
  // time, not quadratic.
  Json* find(Json::object_t::Container& members, const std::string& k, bool large) {
    if (large) {
      auto it = seen_.find(std::string_view(k));
      return it == seen_.end() ? nullptr : &members[it->second].second;
    }
    for (auto& m : members) {
      if (m.first == k) return &m.second;
    }
    return nullptr;
  }

  std::vector<Frame> frames_;
  std::vector<std::string> keys_;
  std::vector<Json> values_;
  std::unordered_map<std::string_view, std::size_t> seen_;  // keys of the large object being built
  std::string error_;
};

// The common case without nlohmann's lexer (which appends every character of every token to a
// buffer one at a time): well-formed JSON whose strings have no \u escapes and valid UTF-8, and
// whose numbers are integers of at most 18 digits or decimals. It sends `builder` the events
// nlohmann's SAX parser would, with the same values. It gives up (false) on anything else, valid
// or not; parse_json then starts over with nlohmann, whose results and error messages stay the
// reference (tests/lib/base/json_test.cpp compares the two).
class FastParser {
 public:
  FastParser(std::string_view text, DomBuilder& builder)
      : p_(text.data()), end_(text.data() + text.size()), b_(builder) {}

  bool parse() {
    skip_ws();
    if (!value(0)) return false;
    skip_ws();
    return p_ == end_;
  }

 private:
  static constexpr int kMaxDepth = 200;  // deeper documents go to nlohmann (no recursion there)

  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': {
        std::string s;
        return string(s) && b_.string(s);
      }
      case 't': return literal("true") && b_.boolean(true);
      case 'f': return literal("false") && b_.boolean(false);
      case 'n': return literal("null") && b_.null();
      default: return number();
    }
  }

  bool object(int depth) {
    if (depth >= kMaxDepth) return false;
    ++p_;  // {
    b_.start_object(static_cast<std::size_t>(-1));
    skip_ws();
    if (p_ != end_ && *p_ == '}') {
      ++p_;
      return b_.end_object();
    }
    while (true) {
      if (p_ == end_ || *p_ != '"') return false;
      std::string key;
      if (!string(key)) return false;
      b_.key(key);
      skip_ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_ws();
      if (!value(depth + 1)) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == '}') {
        ++p_;
        return b_.end_object();
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_ws();
    }
  }

  bool array(int depth) {
    if (depth >= kMaxDepth) return false;
    ++p_;  // [
    b_.start_array(static_cast<std::size_t>(-1));
    skip_ws();
    if (p_ != end_ && *p_ == ']') {
      ++p_;
      return b_.end_array();
    }
    while (true) {
      if (!value(depth + 1)) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == ']') {
        ++p_;
        return b_.end_array();
      }
      if (*p_ != ',') return false;
      ++p_;
      skip_ws();
    }
  }

  // The length of the UTF-8 sequence at p (RFC 3629, as nlohmann checks it), 0 when invalid.
  std::size_t utf8_length(const char* p) const {
    auto at = [&](std::size_t i) -> int {
      return p + i < end_ ? static_cast<unsigned char>(p[i]) : -1;
    };
    auto cont = [&](std::size_t i, int lo = 0x80, int hi = 0xBF) {
      const int c = at(i);
      return c >= lo && c <= hi;
    };
    const int c = at(0);
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
  }

  bool string(std::string& out) {
    ++p_;  // "
    const char* run = p_;
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.append(run, p_);
        ++p_;
        return true;
      }
      if (c == '\\') {
        out.append(run, p_);
        if (++p_ == end_) return false;
        switch (*p_) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          default: return false;  // \u (and anything invalid): nlohmann's
        }
        run = ++p_;
        continue;
      }
      if (c < 0x20) return false;
      if (c < 0x80) {
        ++p_;
        continue;
      }
      const std::size_t n = utf8_length(p_);
      if (n == 0) return false;
      p_ += n;
    }
    return false;
  }

  bool number() {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    auto digit = [&] { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; };
    if (!digit()) return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (digit()) ++p_;
    }
    bool decimal = false;
    if (p_ != end_ && *p_ == '.') {
      decimal = true;
      ++p_;
      if (!digit()) return false;
      while (digit()) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      decimal = true;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit()) return false;
      while (digit()) ++p_;
    }
    const std::size_t length = static_cast<std::size_t>(p_ - start);
    if (!decimal) {
      const std::size_t digits = length - (negative ? 1 : 0);
      if (digits > 18) return false;  // whether it fits is nlohmann's call
      std::int64_t v = 0;
      for (const char* d = start + (negative ? 1 : 0); d != p_; ++d) v = v * 10 + (*d - '0');
      // As nlohmann: a minus sign makes a signed integer (also "-0"), none an unsigned one.
      return negative ? b_.number_integer(-v) : b_.number_unsigned(static_cast<std::uint64_t>(v));
    }
    // nlohmann converts with strtod in the C locale's notation; give up on anything unusual.
    if (length >= 64 || *std::localeconv()->decimal_point != '.') return false;
    char buffer[64];
    std::memcpy(buffer, start, length);
    buffer[length] = '\0';
    char* stop = nullptr;
    const double v = std::strtod(buffer, &stop);
    if (stop != buffer + length || !std::isfinite(v)) return false;
    static const Json::string_t kNoText;
    return b_.number_float(v, kNoText);
  }

  const char* p_;
  const char* end_;
  DomBuilder& b_;
};

}  // namespace

bool parse_json_fast_path(std::string_view text, Json& out) {
  thread_local DomBuilder builder;
  builder.reset();
  if (!FastParser(text, builder).parse()) {
    builder.reset();
    return false;
  }
  out = builder.take_root();
  return true;
}

bool identical_json(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
      if (i.key() != j.key() || !identical_json(i.value(), j.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (!identical_json(a[k], b[k])) return false;
    }
    return true;
  }
  if (a.is_number_float()) {
    return a.get<double>() == b.get<double>() && std::signbit(a.get<double>()) == std::signbit(b.get<double>());
  }
  return a == b;
}

Result<Json> parse_json(std::string_view text) {
  if (Json fast; parse_json_fast_path(text, fast)) return Result<Json>(std::move(fast));
  thread_local DomBuilder builder;
  builder.reset();
  const bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (!ok) {
    // The message carries "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
    const std::string& what = builder.error();
    auto pos = what.find("] ");
    std::string message =
        "The body is not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2));
    builder.reset();
    return invalid(std::move(message));
  }
  return builder.take_root();
}

std::string dump_compact(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string dump_pretty(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::string> prettify(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return std::move(parsed).error();
  return dump_pretty(*parsed);
}

Result<Json> embedded_json(std::string_view name) {
  auto text = embedded_file(name);
  if (!text) return internal_error("embedded file missing from the build: " + std::string(name));
  auto parsed = parse_json(*text);
  if (!parsed) return internal_error("embedded file " + std::string(name) + ": " + parsed.error().message);
  return parsed;
}

}  // namespace base
