#pragma once
// The OAuth 2 / SMART endpoints, one file each under rest/oauth/. Each reads the request, calls
// lib/auth (Services::auth), and answers: JSON (oauth_response.hpp) or HTML pages (pages.hpp).
// They never return a base::Error for a client mistake, so no OperationOutcome reaches an OAuth
// client. Routes: the block at the end of rest/route_table.cpp.
#include "base/result.hpp"
#include "rest/context.hpp"

namespace rest::oauth {

base::Result<Response> smart_configuration(Context& ctx);   // GET [base]/.well-known/smart-configuration
base::Result<Response> openid_configuration(Context& ctx);  // GET /oauth2/.well-known/openid-configuration
                                                            //   (and [base]/.well-known/openid-configuration)
base::Result<Response> register_client(Context& ctx);       // POST /oauth2/register (RFC 7591)
base::Result<Response> authorize(Context& ctx);             // GET|POST /oauth2/authorize, and the pages' forms
base::Result<Response> token(Context& ctx);                 // POST /oauth2/token
base::Result<Response> introspect(Context& ctx);            // POST /oauth2/introspect (RFC 7662)
base::Result<Response> revoke(Context& ctx);                // POST /oauth2/revoke (RFC 7009)
base::Result<Response> userinfo(Context& ctx);              // GET|POST /oauth2/userinfo (bearer)
base::Result<Response> jwks(Context& ctx);                  // GET /oauth2/jwks
base::Result<Response> smart_style(Context& ctx);           // GET /oauth2/smart-style.json
base::Result<Response> pages_stylesheet(Context& ctx);      // GET /oauth2/pages.css

}  // namespace rest::oauth
