// The arena JSON parser: recursive descent with shared scratch stacks; a container's elements are
// copied into the arena once it closes.
#include "ccda/json_view.hpp"

#include <cstring>

namespace ccda::detail {

const JsonValue::Member* JsonValue::members_begin() const {
  return kind_ == Kind::object ? static_cast<const Member*>(p_) : nullptr;
}
const JsonValue::Member* JsonValue::members_end() const {
  return kind_ == Kind::object ? static_cast<const Member*>(p_) + n_ : nullptr;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (kind_ != Kind::object) return nullptr;
  const Member* m = static_cast<const Member*>(p_);
  for (std::uint32_t i = 0; i < n_; ++i) {
    if (m[i].key.size() == key.size() && !key.empty() && m[i].key[0] == key[0] &&
        std::memcmp(m[i].key.data(), key.data(), key.size()) == 0) {
      return &m[i].value;
    }
  }
  return nullptr;
}

std::int64_t JsonValue::as_int() const {
  if (!is_number_integer()) return 0;
  const std::string_view t = number_text();
  std::int64_t v = 0;
  std::size_t i = t[0] == '-' ? 1 : 0;
  if (t.size() - i > 18) return 0;
  for (; i < t.size(); ++i) v = v * 10 + (t[i] - '0');
  return t[0] == '-' ? -v : v;
}

void* JsonArena::allocate(std::size_t bytes) {
  bytes = (bytes + 7) & ~std::size_t{7};
  if (used_ + bytes > capacity_) {
    const std::size_t size = bytes > (1u << 16) ? bytes : (1u << 16);
    blocks_.push_back(std::unique_ptr<char[]>(new char[size]));  // not zeroed
    if (blocks_.size() == 1) first_capacity_ = size;
    used_ = 0;
    capacity_ = size;
  }
  void* p = blocks_.back().get() + used_;
  used_ += bytes;
  return p;
}

void JsonArena::reset() {
  if (blocks_.size() > 1) blocks_.resize(1);
  used_ = 0;
  capacity_ = blocks_.empty() ? 0 : first_capacity_;
}

class JsonParser {
 public:
  JsonParser(std::string_view text, JsonArena& arena, std::vector<JsonValue>& values,
             std::vector<JsonValue::Member>& members)
      : s_(text), arena_(arena), values_(values), members_(members) {
    values_.clear();
    members_.clear();
  }

  std::string run(JsonValue& out) {
    skip_ws();
    if (!value(out, 0)) return error_;
    skip_ws();
    if (i_ != s_.size()) return fail("unexpected text after the JSON value");
    return {};
  }

 private:
  bool fail_bool(const char* what) {
    if (error_.empty()) error_ = std::string(what) + " at byte " + std::to_string(i_);
    return false;
  }
  std::string fail(const char* what) {
    fail_bool(what);
    return error_;
  }
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return fail_bool("invalid literal");
    i_ += word.size();
    return true;
  }

  bool value(JsonValue& v, int depth) {
    if (depth > 256) return fail_bool("nesting too deep");
    if (i_ >= s_.size()) return fail_bool("unexpected end");
    switch (s_[i_]) {
      case '{': return object(v, depth);
      case '[': return array(v, depth);
      case '"': {
        std::string_view str;
        if (!string(str)) return false;
        v.kind_ = JsonValue::Kind::string;
        v.p_ = str.data();
        v.n_ = static_cast<std::uint32_t>(str.size());
        return true;
      }
      case 't': v.kind_ = JsonValue::Kind::boolean; v.n_ = 1; return literal("true");
      case 'f': v.kind_ = JsonValue::Kind::boolean; v.n_ = 0; return literal("false");
      case 'n': v.kind_ = JsonValue::Kind::null; return literal("null");
      default: return number(v);
    }
  }

  bool number(JsonValue& v) {
    const std::size_t start = i_;
    bool integer = true;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size()) return fail_bool("invalid number");
    if (s_[i_] == '0') {
      ++i_;
    } else if (s_[i_] >= '1' && s_[i_] <= '9') {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    } else {
      return fail_bool("invalid value");
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      integer = false;
      ++i_;
      const std::size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == d) return fail_bool("invalid number");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      integer = false;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      const std::size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == d) return fail_bool("invalid number");
    }
    v.kind_ = JsonValue::Kind::number;
    v.integer_ = integer;
    v.p_ = s_.data() + start;
    v.n_ = static_cast<std::uint32_t>(i_ - start);
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool hex4(std::size_t at, unsigned& out) {
    if (at + 4 > s_.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const int h = hex(s_[at + k]);
      if (h < 0) return false;
      out = out * 16 + static_cast<unsigned>(h);
    }
    return true;
  }

  // A string starting at s_[i_] == '"'; escapes decoded into the arena when there are any.
  bool string(std::string_view& out) {
    const std::size_t start = ++i_;
    bool escaped = false;
    // Skip 8 plain bytes at a time (no '"', '\\' or control character among them).
    while (i_ + 8 <= s_.size()) {
      std::uint64_t w;
      std::memcpy(&w, s_.data() + i_, 8);
      constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
      const std::uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
      const std::uint64_t special = ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((w - ones * 0x20) & ~w);
      if (special & highs) break;
      i_ += 8;
    }
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return fail_bool("control character in string");
      if (c == '\\') {
        escaped = true;
        ++i_;
        if (i_ >= s_.size()) return fail_bool("unterminated string");
      }
      ++i_;
    }
    if (i_ >= s_.size()) return fail_bool("unterminated string");
    const std::size_t end = i_++;
    if (!escaped) {
      out = s_.substr(start, end - start);
      return true;
    }
    char* buf = static_cast<char*>(arena_.allocate(end - start));
    std::size_t n = 0;
    for (std::size_t k = start; k < end; ++k) {
      if (s_[k] != '\\') {
        buf[n++] = s_[k];
        continue;
      }
      const char e = s_[++k];
      switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u': {
          unsigned cp;
          if (!hex4(k + 1, cp)) {
            i_ = k;
            return fail_bool("invalid \\u escape");
          }
          k += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && k + 6 < end && s_[k + 1] == '\\' && s_[k + 2] == 'u') {
            unsigned lo;
            if (hex4(k + 3, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              k += 6;
            }
          }
          // A lone surrogate is written as U+FFFD.
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          if (cp < 0x80) {
            buf[n++] = static_cast<char>(cp);
          } else if (cp < 0x800) {
            buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
            buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
            buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
            buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          i_ = k;
          return fail_bool("invalid escape");
      }
    }
    out = std::string_view(buf, n);
    return true;
  }

  bool object(JsonValue& v, int depth) {
    ++i_;  // {
    const std::size_t base = members_.size();
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
    } else {
      for (;;) {
        skip_ws();
        if (i_ >= s_.size() || s_[i_] != '"') return fail_bool("expected a member name");
        std::string_view key;
        if (!string(key)) return false;
        skip_ws();
        if (i_ >= s_.size() || s_[i_] != ':') return fail_bool("expected ':'");
        ++i_;
        skip_ws();
        JsonValue::Member m{key, {}};
        if (!value(m.value, depth + 1)) return false;
        members_.push_back(m);
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          break;
        }
        return fail_bool("expected ',' or '}'");
      }
    }
    const std::size_t n = members_.size() - base;
    v.kind_ = JsonValue::Kind::object;
    v.n_ = static_cast<std::uint32_t>(n);
    if (n) {
      auto* dst = static_cast<JsonValue::Member*>(arena_.allocate(n * sizeof(JsonValue::Member)));
      for (std::size_t k = 0; k < n; ++k) new (dst + k) JsonValue::Member(members_[base + k]);
      v.p_ = dst;
    }
    members_.resize(base);
    return true;
  }

  bool array(JsonValue& v, int depth) {
    ++i_;  // [
    const std::size_t base = values_.size();
    skip_ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
    } else {
      for (;;) {
        skip_ws();
        JsonValue e;
        if (!value(e, depth + 1)) return false;
        values_.push_back(e);
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          break;
        }
        return fail_bool("expected ',' or ']'");
      }
    }
    const std::size_t n = values_.size() - base;
    v.kind_ = JsonValue::Kind::array;
    v.n_ = static_cast<std::uint32_t>(n);
    if (n) {
      auto* dst = static_cast<JsonValue*>(arena_.allocate(n * sizeof(JsonValue)));
      for (std::size_t k = 0; k < n; ++k) new (dst + k) JsonValue(values_[base + k]);
      v.p_ = dst;
    }
    values_.resize(base);
    return true;
  }

  std::string_view s_;
  JsonArena& arena_;
  std::size_t i_ = 0;
  std::vector<JsonValue>& values_;  // scratch stacks, reused from parse to parse
  std::vector<JsonValue::Member>& members_;
  std::string error_;
};

std::string parse_json(std::string_view text, JsonArena& arena, JsonValue& out) {
  if (text.size() > 0xFFFFFFF0u) return "text too large";
  thread_local std::vector<JsonValue> values;
  thread_local std::vector<JsonValue::Member> members;
  JsonParser p(text, arena, values, members);
  return p.run(out);
}

}  // namespace ccda::detail
