#pragma once
// fhirctl's HTTPS client for the commands that talk to a server (--server): GET, POST of a form
// and of JSON over httplib's SSL client, with the server's certificate verified against the
// system's CAs, a given CA file, or not at all (--insecure). httplib stays in the .cpp.
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace fhirctl {

struct HttpOptions {
  std::string ca_file;    // PEM CA certificates to trust instead of the system's; empty: system
  bool insecure = false;  // do not verify the server's certificate
  int timeout_s = 30;     // connect, read and write timeouts
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
};

using Form = std::vector<std::pair<std::string, std::string>>;

// The FHIR base of a server address given as its root ("https://host:8443") or as its FHIR base
// ("https://host:8443/r4"): trailing slashes dropped, "/r4" added when missing.
std::string fhir_base_url(const std::string& server);
// The site root of a FHIR base: the base without its final "/r4".
std::string site_root_url(const std::string& fhir_base);

// Form encoding (application/x-www-form-urlencoded: a space is "+") of one value, and of a form.
std::string form_encode(const std::string& value);
std::string form_encode(const Form& form);
// A URL query string: as form_encode, but a space is "%20" (what every URL consumer reads alike).
std::string query_encode(const Form& form);

// One request to an absolute http(s) URL. `bearer`, when not empty, is sent as
// "Authorization: Bearer ..." (never printed). Errors: invalid for a URL that is not absolute
// http(s), or a CA file that does not exist; unavailable when the server cannot be reached or the
// TLS handshake fails (the message says why, e.g. an untrusted certificate, and how to proceed).
base::Result<HttpResponse> http_get(const std::string& url, const HttpOptions& options,
                                    const std::string& bearer = {});
base::Result<HttpResponse> http_post_form(const std::string& url, const Form& form, const HttpOptions& options);
base::Result<HttpResponse> http_post_json(const std::string& url, const std::string& json, const HttpOptions& options,
                                          const std::string& bearer = {});

}  // namespace fhirctl
