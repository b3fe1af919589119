#pragma once
// CCD XML to HTML through the embedded share/xsl/cda.xsl, with libxslt. The compiled stylesheet is
// shared: render() may run on several threads at once.
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

struct _xsltStylesheet;
struct _xsltSecurityPrefs;

namespace ccdgen {

// The stylesheet's text (share/xsl/cda.xsl as embedded in the binary).
std::string_view cda_xsl();

class HtmlRenderer {
 public:
  // Initialises libxml2/libxslt (call on the main thread, before workers start) and compiles
  // the stylesheet. Errors: internal when the embedded stylesheet is missing or does not compile.
  static base::Result<std::unique_ptr<HtmlRenderer>> create();
  ~HtmlRenderer();
  HtmlRenderer(const HtmlRenderer&) = delete;
  HtmlRenderer& operator=(const HtmlRenderer&) = delete;

  // The HTML page for one CDA document. The document is parsed without network access or
  // external entities; the transform may not read or write files. Errors: invalid when the XML
  // is not well-formed (with libxml2's message); internal when the transform fails.
  base::Result<std::string> render(std::string_view cda_xml) const;

 private:
  HtmlRenderer() = default;
  _xsltStylesheet* style_ = nullptr;
  _xsltSecurityPrefs* security_ = nullptr;
};

}  // namespace ccdgen
