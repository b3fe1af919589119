// Text helpers for narratives: base64 attachments, XHTML narrative to plain text, paragraphs.
#include "ccda/internal.hpp"

namespace ccda::detail {

std::string base64_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 3 / 4);
  unsigned buf = 0;
  int bits = 0;
  for (char ch : in) {
    int v;
    if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z') v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9') v = ch - '0' + 52;
    else if (ch == '+' || ch == '-') v = 62;
    else if (ch == '/' || ch == '_') v = 63;
    else if (ch == '=' || ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') continue;
    else return {};
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

namespace {

void append_utf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF) return;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string xhtml_text(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool space = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char ch = in[i];
    if (ch == '<') {
      const auto e = in.find('>', i);
      if (e == std::string_view::npos) break;
      space = true;  // tags separate words
      i = e;
      continue;
    }
    if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    if (ch == '&') {
      const auto semi = in.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const std::string_view ent = in.substr(i + 1, semi - i - 1);
        std::size_t before = out.size();
        if (ent == "amp") out += '&';
        else if (ent == "lt") out += '<';
        else if (ent == "gt") out += '>';
        else if (ent == "quot") out += '"';
        else if (ent == "apos") out += '\'';
        else if (ent == "nbsp") out += ' ';
        else if (ent.size() > 1 && ent[0] == '#') {
          unsigned long cp = 0;
          const bool hex = ent[1] == 'x' || ent[1] == 'X';
          for (char d : ent.substr(hex ? 2 : 1)) {
            int v = d >= '0' && d <= '9' ? d - '0' : hex && d >= 'a' && d <= 'f' ? d - 'a' + 10
                                                   : hex && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
            if (v < 0 || cp > 0x10FFFF) {
              cp = 0;
              break;
            }
            cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(v);
          }
          append_utf8(out, cp);
        }
        if (out.size() != before || ent == "nbsp") {
          i = semi;
          continue;
        }
      }
    }
    out += ch;
  }
  return out;
}

void write_paragraphs(XmlWriter& x, std::string_view text, std::string_view id) {
  std::size_t start = 0;
  bool first_line = true;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() || (first_line && nl == text.size())) {
      x.start("paragraph");
      if (first_line && !id.empty()) x.attr("ID", id);
      x.text(line).end();
      first_line = false;
    }
    start = nl + 1;
  }
}

void write_note_activity(Ctx& c, const Json& resource, std::string_view type_code, std::string_view type_display,
                         std::string_view ref, std::string_view time, const Json* author, const Json* encounter) {
  XmlWriter& x = c.x;
  x.start("entry").attr("typeCode", "DRIV");
  x.start("act").attr("classCode", "ACT").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.202", "2016-11-01");
  entry_id(c, resource, "#note");
  x.start("code").attr("code", "34109-9").attr("codeSystem", "2.16.840.1.113883.6.1")
      .attr("codeSystemName", "LOINC").attr("displayName", "Note");
  if (!type_code.empty()) write_code(x, "translation", type_code, "2.16.840.1.113883.6.1", type_display);
  x.end();
  text_ref(x, ref);
  status_code(x, "completed");
  write_ts(x, "effectiveTime", time);
  write_author(c, time, author);
  if (const Json* enc = c.rec.resolve(encounter)) {
    x.start("entryRelationship").attr("typeCode", "COMP").attr("inversionInd", "true");
    x.start("encounter").attr("classCode", "ENC").attr("moodCode", "EVN");
    entry_id(c, *enc);
    x.end().end();
  }
  x.end().end();
}

}  // namespace ccda::detail
