#include "search/normalize.hpp"

namespace search {
namespace {

// Base letters for U+00C0..U+00FF ('\0': keep as is).
constexpr char kLatin1[64] = {
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // C0-CF
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   's',  // D0-DF
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // E0-EF
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y',  // F0-FF
};

// Base letters for U+0100..U+017F (Latin Extended-A), in pairs of upper/lower case.
constexpr char kLatinExtA[128] = {
    'a', 'a', 'a', 'a', 'a', 'a', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'd', 'd',  // 0100
    'd', 'd', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'g', 'g', 'g', 'g',  // 0110
    'g', 'g', 'g', 'g', 'h', 'h', 'h', 'h', 'i', 'i', 'i', 'i', 'i', 'i', 'i', 'i',  // 0120
    'i', 'i', 0,   0,   'j', 'j', 'k', 'k', 'k', 'l', 'l', 'l', 'l', 'l', 'l', 'l',  // 0130
    'l', 'l', 'l', 'n', 'n', 'n', 'n', 'n', 'n', 'n', 0,   0,   'o', 'o', 'o', 'o',  // 0140
    'o', 'o', 0,   0,   'r', 'r', 'r', 'r', 'r', 'r', 's', 's', 's', 's', 's', 's',  // 0150
    's', 's', 't', 't', 't', 't', 't', 't', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',  // 0160
    'u', 'u', 'u', 'u', 'w', 'w', 'y', 'y', 'y', 'z', 'z', 'z', 'z', 'z', 'z', 's',  // 0170
};

}  // namespace

std::string normalize_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
      continue;
    }
    if (i + 1 < text.size()) {
      const auto c2 = static_cast<unsigned char>(text[i + 1]);
      const unsigned cp = ((c & 0x1fu) << 6) | (c2 & 0x3fu);
      if ((c & 0xe0) == 0xc0 && (c2 & 0xc0) == 0x80) {
        char base = 0;
        if (cp >= 0xc0 && cp <= 0xff) base = kLatin1[cp - 0xc0];
        else if (cp >= 0x100 && cp <= 0x17f) base = kLatinExtA[cp - 0x100];
        if (base) {
          out.push_back(base);
          ++i;
          continue;
        }
      }
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string prefix_upper_bound(std::string_view prefix) {
  std::string out(prefix);
  out += "\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf";  // above any UTF-8 continuation of the prefix
  return out;
}

}  // namespace search
