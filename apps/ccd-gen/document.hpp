#pragma once
// One patient's document: the record (from a Reader) through lib/ccda, as XML or as HTML.
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "ccda/ccd.hpp"
#include "html.hpp"
#include "sources.hpp"

namespace ccdgen {

struct DocumentMaker {
  ccda::Window window;
  ccda::Options options;               // now_us fixed once per run: every document of a batch agrees
  const HtmlRenderer* html = nullptr;  // set: HTML instead of XML

  // Errors: not_found for an unknown patient; what ccda::build_ccd and the renderer return.
  base::Result<std::string> make(Reader& reader, std::string_view patient_id) const;
};

}  // namespace ccdgen
