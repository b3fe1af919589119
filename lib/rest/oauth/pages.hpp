#pragma once
// The authorize pages: plain server-rendered HTML from templates in share/web/ (embedded in the
// binary), with one tiny substitution function that HTML-escapes every value. `{{name}}` in a
// template is replaced by a variable: a string is escaped; an Html value (only ever the output of
// render()) is inserted as it is, so markup cannot come from data.
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "rest/http.hpp"

namespace rest::oauth {

// Markup made by render() (or empty). Data never becomes Html without going through escaping.
class Html {
 public:
  Html() = default;
  const std::string& text() const { return text_; }
  Html& operator+=(const Html& other) {
    text_ += other.text_;
    return *this;
  }

 private:
  friend base::Result<Html> render_template(std::string_view, const std::vector<std::pair<std::string_view, std::variant<std::string, Html>>>&);
  explicit Html(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

using TemplateValue = std::variant<std::string, Html>;
using TemplateVars = std::vector<std::pair<std::string_view, TemplateValue>>;

// & < > " ' escaped as entities.
std::string html_escape(std::string_view s);

// Substitutes `{{name}}` placeholders in `text`. Errors: internal for an unclosed `{{` or a name
// missing from `vars` (a template bug, caught by the tests).
base::Result<Html> render_template(std::string_view text, const TemplateVars& vars);

// Renders share/web/<name>.html (embedded as web/<name>.html). Errors: internal (no such template,
// or as render_template).
base::Result<Html> render(std::string_view name, const TemplateVars& vars);

// A whole page: share/web/layout.html around `content`, with its title.
base::Result<Html> render_page(std::string_view title, const Html& content);

// An HTML response with the headers every page carries: Cache-Control: no-store, Pragma: no-cache,
// X-Frame-Options: DENY, a strict Content-Security-Policy (no scripts, styles from this server
// only, no framing), X-Content-Type-Options: nosniff, Referrer-Policy: same-origin (so form posts keep
// their Origin header).
Response html_response(int status, const Html& page);

// The stylesheet the pages link to (share/web/pages.css), publicly cacheable.
Response pages_css();

}  // namespace rest::oauth
