// The well-formedness checker the CCD tests rely on (ccd_fixture.hpp), and its own tests: it must
// reject what an XML parser rejects, or the other tests could not fail.
#include <gtest/gtest.h>

#include <vector>

#include "ccd_fixture.hpp"

namespace ccda_test {
namespace {

bool name_start(unsigned char c) { return std::isalpha(c) || c == '_' || c == ':' || c >= 0x80; }
bool name_char(unsigned char c) { return name_start(c) || std::isdigit(c) || c == '-' || c == '.'; }

// Length of a valid UTF-8 sequence of an XML Char at i, 0 when invalid.
std::size_t char_len(std::string_view s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
  auto cont = [&](std::size_t k) { return k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    unsigned cp = ((c & 0xFu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                  (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    unsigned cp = ((c & 7u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
                  ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
    return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::string well_formedness_error(std::string_view x) {
  std::vector<std::string_view> stack;
  bool root_seen = false;
  std::size_t i = 0;
  auto err = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  // Checks character data / attribute value text up to `end` for bad chars and entities.
  auto check_text = [&](std::size_t from, std::size_t end, bool attribute) -> std::string {
    for (std::size_t k = from; k < end;) {
      const char c = x[k];
      if (c == '<') return "'<' in " + std::string(attribute ? "attribute" : "text") + " at byte " + std::to_string(k);
      if (c == '&') {
        const auto semi = x.find(';', k);
        if (semi == std::string_view::npos || semi >= end) return "bare '&' at byte " + std::to_string(k);
        const std::string_view ent = x.substr(k + 1, semi - k - 1);
        bool ok = ent == "amp" || ent == "lt" || ent == "gt" || ent == "quot" || ent == "apos";
        if (!ok && ent.size() > 1 && ent[0] == '#') {
          ok = true;
          const bool hex = ent[1] == 'x';
          unsigned long v = 0;
          for (char d : ent.substr(hex ? 2 : 1)) {
            if (!(hex ? std::isxdigit(static_cast<unsigned char>(d)) : std::isdigit(static_cast<unsigned char>(d)))) ok = false;
            else v = v * (hex ? 16 : 10) + static_cast<unsigned long>(std::isdigit(static_cast<unsigned char>(d)) ? d - '0' : (std::tolower(d) - 'a' + 10));
          }
          if (ent.size() == (hex ? 2u : 1u)) ok = false;
          if (v < 0x20 && v != 9 && v != 10 && v != 13) ok = false;
        }
        if (!ok) return "bad entity &" + std::string(ent) + "; at byte " + std::to_string(k);
        k = semi + 1;
        continue;
      }
      const std::size_t n = char_len(x, k);
      if (!n) return "invalid character (byte 0x" + std::to_string(static_cast<unsigned char>(c)) + ") at byte " + std::to_string(k);
      k += n;
    }
    return {};
  };
  while (i < x.size()) {
    if (x[i] != '<') {
      auto next = x.find('<', i);
      if (next == std::string_view::npos) next = x.size();
      // Only whitespace outside the root element.
      if (stack.empty()) {
        for (std::size_t k = i; k < next; ++k) {
          if (!std::isspace(static_cast<unsigned char>(x[k]))) return "text outside the root element at byte " + std::to_string(k);
        }
      } else if (auto e = check_text(i, next, false); !e.empty()) {
        return e;
      }
      i = next;
      continue;
    }
    if (x.compare(i, 5, "<?xml") == 0 || x.compare(i, 2, "<?") == 0) {
      if (root_seen) return err("processing instruction after the root");
      const auto e = x.find("?>", i);
      if (e == std::string_view::npos) return err("unterminated processing instruction");
      i = e + 2;
      continue;
    }
    if (x.compare(i, 4, "<!--") == 0) {
      const auto e = x.find("-->", i);
      if (e == std::string_view::npos) return err("unterminated comment");
      i = e + 3;
      continue;
    }
    if (x.compare(i, 2, "</") == 0) {
      std::size_t k = i + 2;
      while (k < x.size() && name_char(static_cast<unsigned char>(x[k]))) ++k;
      const std::string_view name = x.substr(i + 2, k - i - 2);
      while (k < x.size() && std::isspace(static_cast<unsigned char>(x[k]))) ++k;
      if (k >= x.size() || x[k] != '>') return err("bad end tag");
      if (stack.empty() || stack.back() != name) {
        return err("end tag </" + std::string(name) + "> does not match <" + (stack.empty() ? "" : std::string(stack.back())) + ">");
      }
      stack.pop_back();
      i = k + 1;
      continue;
    }
    // Start tag.
    if (stack.empty() && root_seen) return err("second root element");
    std::size_t k = i + 1;
    if (k >= x.size() || !name_start(static_cast<unsigned char>(x[k]))) return err("bad tag name");
    while (k < x.size() && name_char(static_cast<unsigned char>(x[k]))) ++k;
    const std::string_view name = x.substr(i + 1, k - i - 1);
    std::vector<std::string_view> attrs;
    for (;;) {
      const std::size_t before = k;
      while (k < x.size() && std::isspace(static_cast<unsigned char>(x[k]))) ++k;
      if (k >= x.size()) return err("unterminated start tag");
      if (x[k] == '>' || x.compare(k, 2, "/>") == 0) break;
      if (k == before) return err("attributes must be separated by space");
      const std::size_t a = k;
      if (!name_start(static_cast<unsigned char>(x[k]))) return err("bad attribute name");
      while (k < x.size() && name_char(static_cast<unsigned char>(x[k]))) ++k;
      const std::string_view attr = x.substr(a, k - a);
      for (auto seen : attrs) {
        if (seen == attr) return err("duplicate attribute " + std::string(attr));
      }
      attrs.push_back(attr);
      if (k >= x.size() || x[k] != '=') return err("attribute without value");
      ++k;
      if (k >= x.size() || (x[k] != '"' && x[k] != '\'')) return err("unquoted attribute value");
      const char q = x[k];
      const auto e = x.find(q, k + 1);
      if (e == std::string_view::npos) return err("unterminated attribute value");
      if (auto bad = check_text(k + 1, e, true); !bad.empty()) return bad;
      k = e + 1;
    }
    root_seen = true;
    if (x[k] == '/') {
      i = k + 2;
    } else {
      stack.push_back(name);
      i = k + 1;
    }
  }
  if (!stack.empty()) return "unclosed element <" + std::string(stack.back()) + ">";
  if (!root_seen) return "no root element";
  return {};
}

namespace {

TEST(CcdaXmlCheck, AcceptsWellFormedDocuments) {
  EXPECT_EQ(well_formedness_error("<?xml version=\"1.0\"?>\n<a x=\"1\" y='2'><b/>t &amp; &#9; &#x4E2D;<c>\xE4\xB8\xAD</c></a>\n"),
            "");
}

TEST(CcdaXmlCheck, RejectsWhatAnXmlParserRejects) {
  for (const char* bad : {"<a><b></a></b>", "<a>", "<a x=1/>", "<a x=\"1\" x=\"2\"/>", "<a>&foo;</a>", "<a>a & b</a>",
                          "<a>1 < 2</a>", "<a x=\"<\"/>", "<a/><b/>", "text<a/>", "<a>\x01</a>", "<a>\xff</a>",
                          "<a>\xED\xA0\x80</a>", "<a>&#1;</a>", "<a x=\"1\"y=\"2\"/>", ""}) {
    EXPECT_NE(well_formedness_error(bad), "") << bad;
  }
}

}  // namespace
}  // namespace ccda_test
