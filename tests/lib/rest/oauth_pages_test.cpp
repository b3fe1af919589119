// The page templates: every value escaped, every template renders, the security headers.
#include <gtest/gtest.h>

#include "rest/oauth/pages.hpp"
#include "rest/oauth/scope_labels.hpp"

namespace rest::oauth {
namespace {

TEST(OAuthPages, EscapeCoversTheFiveCharacters) {
  EXPECT_EQ(html_escape(R"(<a href="x" onclick='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("plain"), "plain");
}

TEST(OAuthPages, StringValuesAreEscapedHtmlValuesAreNot) {
  auto inner = render_template("<b>{{v}}</b>", {{"v", std::string("<script>")}});
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(inner->text(), "<b>&lt;script&gt;</b>");
  auto outer = render_template("<p>{{inner}} {{text}}</p>", {{"inner", *inner}, {"text", std::string("\"q\"")}});
  ASSERT_TRUE(outer.ok());
  EXPECT_EQ(outer->text(), "<p><b>&lt;script&gt;</b> &quot;q&quot;</p>");
}

TEST(OAuthPages, TemplateBugsAreErrors) {
  EXPECT_FALSE(render_template("{{missing}}", {}).ok());
  EXPECT_FALSE(render_template("{{open", {}).ok());
  EXPECT_FALSE(render("no-such-template", {}).ok());
}

TEST(OAuthPages, EveryTemplateRendersWithItsVariables) {
  const std::string s = "<x>";
  const Html h;
  EXPECT_TRUE(render("login", {{"client_name", s}, {"error", s}, {"request_id", s}}).ok());
  EXPECT_TRUE(render("picker", {{"client_name", s}, {"username", s}, {"error", s}, {"request_id", s}, {"query", s},
                                {"rows", h}}).ok());
  EXPECT_TRUE(render("picker_row", {{"id", s}, {"name", s}, {"birth_date", s}, {"gender", s}}).ok());
  EXPECT_TRUE(render("picker_empty", {{"query", s}}).ok());
  auto consent = render("consent", {{"client_name", s}, {"redirect_host", s}, {"patient_line", s}, {"request_id", s},
                                    {"rows", h}, {"offline_notice", h}});
  ASSERT_TRUE(consent.ok());
  EXPECT_EQ(consent->text().find("<x>"), std::string::npos);
  EXPECT_NE(consent->text().find(R"(name="decision" value="allow")"), std::string::npos);
  EXPECT_NE(consent->text().find(R"(name="decision" value="deny")"), std::string::npos);
  EXPECT_TRUE(render("consent_scope", {{"scope", s}, {"label", s}}).ok());
  EXPECT_TRUE(render("offline_notice", {}).ok());
  EXPECT_TRUE(render("error", {{"heading", s}, {"message", s}, {"error", s}}).ok());
  auto page = render_page("T<", *consent);
  ASSERT_TRUE(page.ok());
  EXPECT_NE(page->text().find("<title>T&lt; · InPracSys</title>"), std::string::npos);
}

TEST(OAuthPages, HtmlResponsesCarryTheSecurityHeaders) {
  auto page = render_page("x", {});
  ASSERT_TRUE(page.ok());
  const Response r = html_response(200, *page);
  EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
  EXPECT_EQ(r.header("X-Frame-Options").value_or(""), "DENY");
  const std::string csp(r.header("Content-Security-Policy").value_or(""));
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
}

TEST(OAuthPages, ScopeLabels) {
  EXPECT_EQ(scope_label("patient/Observation.read"), "Read and search the patient's Observation records");
  EXPECT_EQ(scope_label("user/Patient.cruds"), "Read, search, create, change and delete Patient records you have access to");
  EXPECT_NE(scope_label("offline_access").find("3 months"), std::string::npos);
  EXPECT_EQ(scope_label("something-else"), "something-else");
}

}  // namespace
}  // namespace rest::oauth
