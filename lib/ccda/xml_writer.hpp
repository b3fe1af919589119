#pragma once
// XmlWriter: builds XML text into one std::string, indented two spaces per level. Elements are
// opened with start() (attributes follow with attr()), given text with text(), and closed with
// end() (an element with no content is written as <name .../>). Every text and attribute value is
// escaped, and bytes that cannot appear in XML 1.0 (control characters, invalid UTF-8, U+FFFE/F)
// become U+FFFD, so the output is always well-formed whatever the input strings hold.
#include <string>
#include <string_view>
#include <vector>

namespace ccda {

class XmlWriter {
 public:
  explicit XmlWriter(std::size_t reserve = 1 << 17) { out_.reserve(reserve); }

  // Raw text appended as is (the prolog; callers guarantee it is well-formed).
  XmlWriter& raw(std::string_view text);
  // Opens <name; `name` must outlive the element (use literals).
  XmlWriter& start(std::string_view name);
  // Adds name="value" to the element just started (value escaped). Ignored after content.
  XmlWriter& attr(std::string_view name, std::string_view value);
  // Escaped character content of the current element.
  XmlWriter& text(std::string_view value);
  // Closes the current element.
  XmlWriter& end();
  // start(name), text(value), end().
  XmlWriter& element(std::string_view name, std::string_view value);

  std::size_t depth() const { return stack_.size(); }
  // Closes every open element and returns the document.
  std::string finish();
  std::string& buffer() { return out_; }

 private:
  struct Frame {
    std::string_view name;
    bool children = false;
  };
  void close_start_tag();
  void newline();

  std::string out_;
  std::vector<Frame> stack_;
  bool pending_ = false;  // a start tag is open for attributes
};

// Appends `value` escaped for XML character content (attribute = true: for a "..." attribute
// value, where tab/newline/carriage return are kept as character references).
void append_escaped(std::string& out, std::string_view value, bool attribute);

}  // namespace ccda
