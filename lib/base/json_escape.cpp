#include "base/json_escape.hpp"

#include <array>
#include <cstdint>
#include <cstring>

namespace base {
namespace {

// True for the bytes JSON strings must escape: control characters, '"' and '\\'.
constexpr auto kEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = true;
  t['\\'] = true;
  return t;
}();

// The index of the first byte at or after `from` that JSON must escape, else s.size(). Eight bytes
// at a time: a word holds such a byte when one of its bytes is below 0x20, '"' or '\\' (the
// "has a zero byte" test on x - 0x20.., x ^ '"'.., x ^ '\\'..; `& ~x` leaves bytes >= 0x80 out).
// A borrow can flag a byte wrongly only above a byte that really is flagged, and the word is then
// scanned byte by byte, so the answer is exact.
std::size_t next_escape(std::string_view s, std::size_t from) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  std::size_t i = from;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    const std::uint64_t quote = x ^ (kOnes * '"'), slash = x ^ (kOnes * '\\');
    if ((((x - kOnes * 0x20) | (quote - kOnes) | (slash - kOnes)) & ~x & kHigh) == 0) continue;
    for (std::size_t j = i; j < i + 8; ++j) {
      if (kEscape[static_cast<unsigned char>(s[j])]) return j;
    }
  }
  for (; i < s.size(); ++i) {
    if (kEscape[static_cast<unsigned char>(s[i])]) return i;
  }
  return s.size();
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  std::size_t run = 0;
  for (std::size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, i + 1)) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace base
