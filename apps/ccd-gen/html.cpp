#include "html.hpp"

#include <libxml/parser.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include <cstdarg>
#include <cstdio>

#include "base/embedded.hpp"

namespace ccdgen {
namespace {

// libxml2 and libxslt report through callbacks; collect the text per thread instead of letting
// them print to stderr.
thread_local std::string t_messages;

void collect(void*, const char* format, ...) {
  if (t_messages.size() > 4096) return;
  char buf[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  t_messages += buf;
}

std::string take_messages() {
  std::string m;
  m.swap(t_messages);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  for (auto& c : m) {
    if (c == '\n') c = ' ';
  }
  return m.empty() ? "no details" : m;
}

void capture_errors() {
  xmlSetGenericErrorFunc(nullptr, collect);  // per thread in libxml2
  xsltSetGenericErrorFunc(nullptr, collect);
}

constexpr int kParseOptions = XML_PARSE_NONET | XML_PARSE_NOCDATA;

}  // namespace

std::string_view cda_xsl() {
  auto f = base::embedded_file("xsl/cda.xsl");
  return f ? *f : std::string_view();
}

base::Result<std::unique_ptr<HtmlRenderer>> HtmlRenderer::create() {
  xmlInitParser();
  xmlThrDefSetGenericErrorFunc(nullptr, collect);  // the default for threads started later
  capture_errors();
  const std::string_view text = cda_xsl();
  if (text.empty()) return base::internal_error("cda.xsl is missing from the build");
  xmlDocPtr doc = xmlReadMemory(text.data(), static_cast<int>(text.size()), "cda.xsl", nullptr, kParseOptions);
  if (doc == nullptr) return base::internal_error("cda.xsl is not well-formed: " + take_messages());
  auto r = std::unique_ptr<HtmlRenderer>(new HtmlRenderer());
  r->style_ = xsltParseStylesheetDoc(doc);  // owns doc from here on
  if (r->style_ == nullptr) {
    xmlFreeDoc(doc);
    return base::internal_error("cda.xsl does not compile: " + take_messages());
  }
  r->security_ = xsltNewSecurityPrefs();
  for (auto item : {XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY,
                    XSLT_SECPREF_READ_NETWORK, XSLT_SECPREF_WRITE_NETWORK}) {
    xsltSetSecurityPrefs(r->security_, item, xsltSecurityForbid);
  }
  take_messages();
  return r;
}

HtmlRenderer::~HtmlRenderer() {
  if (style_ != nullptr) xsltFreeStylesheet(style_);
  if (security_ != nullptr) xsltFreeSecurityPrefs(security_);
}

base::Result<std::string> HtmlRenderer::render(std::string_view cda_xml) const {
  capture_errors();
  t_messages.clear();
  xmlDocPtr doc = xmlReadMemory(cda_xml.data(), static_cast<int>(cda_xml.size()), "ccd.xml", nullptr, kParseOptions);
  if (doc == nullptr) return base::invalid("the CCD is not well-formed XML: " + take_messages());
  xsltTransformContextPtr ctxt = xsltNewTransformContext(style_, doc);
  if (ctxt == nullptr) {
    xmlFreeDoc(doc);
    return base::internal_error("cannot start the HTML transform: " + take_messages());
  }
  xsltSetCtxtSecurityPrefs(security_, ctxt);
  xmlDocPtr result = xsltApplyStylesheetUser(style_, doc, nullptr, nullptr, nullptr, ctxt);
  const bool failed = result == nullptr || ctxt->state == XSLT_STATE_ERROR || ctxt->state == XSLT_STATE_STOPPED;
  xsltFreeTransformContext(ctxt);
  xmlFreeDoc(doc);
  if (failed) {
    if (result != nullptr) xmlFreeDoc(result);
    return base::internal_error("the HTML transform failed: " + take_messages());
  }
  xmlChar* out = nullptr;
  int size = 0;
  const int rc = xsltSaveResultToString(&out, &size, result, style_);
  xmlFreeDoc(result);
  if (rc != 0 || out == nullptr) {
    if (out != nullptr) xmlFree(out);
    return base::internal_error("cannot serialise the HTML: " + take_messages());
  }
  std::string html(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
  xmlFree(out);
  t_messages.clear();
  return html;
}

}  // namespace ccdgen
