// XmlWriter and the XML escaping every value goes through.
#include "ccda/xml_writer.hpp"

namespace ccda {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i] that XML 1.0 allows, or 0 when it is invalid
// (bad lead or continuation byte, overlong form, surrogate, beyond U+10FFFF, U+FFFE, U+FFFF).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const auto cont = [&](std::size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    const unsigned cp = ((c & 0x0Fu) << 12) | ((b(i + 1) & 0x3Fu) << 6) | (b(i + 2) & 0x3Fu);
    if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    const unsigned cp = ((c & 0x07u) << 18) | ((b(i + 1) & 0x3Fu) << 12) | ((b(i + 2) & 0x3Fu) << 6) |
                        (b(i + 3) & 0x3Fu);
    if (cp < 0x10000 || cp > 0x10FFFF) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

void append_escaped(std::string& out, std::string_view v, bool attribute) {
  std::size_t run = 0;  // start of the pending run of bytes copied as they are
  std::size_t i = 0;
  while (i < v.size()) {
    const unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_length(v, i);
      if (n) {
        i += n;
        continue;
      }
    }
    out.append(v.data() + run, i - run);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\r': out += "&#13;"; break;
      default: out += kReplacement; break;  // control character or invalid UTF-8 byte
    }
    ++i;
    run = i;
  }
  out.append(v.data() + run, v.size() - run);
}

XmlWriter& XmlWriter::raw(std::string_view text) {
  close_start_tag();
  out_ += text;
  return *this;
}

void XmlWriter::close_start_tag() {
  if (pending_) {
    out_ += '>';
    pending_ = false;
  }
}

void XmlWriter::newline() {
  out_ += '\n';
  out_.append(stack_.size() * 2, ' ');
}

XmlWriter& XmlWriter::start(std::string_view name) {
  close_start_tag();
  if (!stack_.empty()) stack_.back().children = true;
  if (!out_.empty()) newline();
  out_ += '<';
  out_ += name;
  stack_.push_back({name, false});
  pending_ = true;
  return *this;
}

XmlWriter& XmlWriter::attr(std::string_view name, std::string_view value) {
  if (!pending_) return *this;
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  append_escaped(out_, value, true);
  out_ += '"';
  return *this;
}

XmlWriter& XmlWriter::text(std::string_view value) {
  if (stack_.empty()) return *this;  // no character data outside the root element
  close_start_tag();
  append_escaped(out_, value, false);
  return *this;
}

XmlWriter& XmlWriter::end() {
  if (stack_.empty()) return *this;
  const Frame f = stack_.back();
  stack_.pop_back();
  if (pending_) {
    out_ += "/>";
    pending_ = false;
    return *this;
  }
  if (f.children) newline();
  out_ += "</";
  out_ += f.name;
  out_ += '>';
  return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view value) {
  start(name);
  text(value);
  return end();
}

std::string XmlWriter::finish() {
  while (!stack_.empty()) end();
  out_ += '\n';
  return std::move(out_);
}

}  // namespace ccda
