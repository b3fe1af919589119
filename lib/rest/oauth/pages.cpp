#include "rest/oauth/pages.hpp"

#include "base/embedded.hpp"

namespace rest::oauth {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

base::Result<Html> render_template(std::string_view text, const TemplateVars& vars) {
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return base::internal_error("template: unclosed {{");
    const std::string_view name = text.substr(open + 2, close - open - 2);
    const TemplateValue* value = nullptr;
    for (const auto& [k, v] : vars) {
      if (k == name) value = &v;
    }
    if (!value) return base::internal_error("template: no value for {{" + std::string(name) + "}}");
    if (const auto* s = std::get_if<std::string>(value)) {
      out += html_escape(*s);
    } else {
      out += std::get<Html>(*value).text();
    }
    i = close + 2;
  }
  return Html(std::move(out));
}

base::Result<Html> render(std::string_view name, const TemplateVars& vars) {
  const std::string file = "web/" + std::string(name) + ".html";
  const auto text = base::embedded_file(file);
  if (!text) return base::internal_error("template not embedded: " + file);
  return render_template(*text, vars);
}

base::Result<Html> render_page(std::string_view title, const Html& content) {
  return render("layout", {{"title", std::string(title)}, {"content", content}});
}

Response html_response(int status, const Html& page) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = page.text();
  r.set_header("Cache-Control", "no-store");
  r.set_header("Pragma", "no-cache");
  r.set_header("X-Frame-Options", "DENY");
  r.set_header("Content-Security-Policy",
               "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Referrer-Policy", "same-origin");
  return r;
}

Response pages_css() {
  Response r;
  r.content_type = "text/css; charset=utf-8";
  r.body = std::string(base::embedded_file("web/pages.css").value_or(""));
  r.set_header("Cache-Control", "public, max-age=3600");
  r.set_header("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace rest::oauth
