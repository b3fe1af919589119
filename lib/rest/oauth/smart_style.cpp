// GET /oauth2/smart-style.json: the style SMART apps may use to blend in (smart_style_url of token
// responses; SMART App Launch "context-style").
#include "base/embedded.hpp"
#include "rest/oauth/oauth.hpp"
#include "rest/oauth/oauth_response.hpp"
#include "rest/oauth/pages.hpp"

namespace rest::oauth {

base::Result<Response> smart_style(Context&) {
  return public_json_response(std::string(base::embedded_file("web/smart-style.json").value_or("{}")), 3600);
}

base::Result<Response> pages_stylesheet(Context&) { return pages_css(); }

}  // namespace rest::oauth
