#include "rest/oauth/oauth_response.hpp"

#include <nlohmann/json.hpp>

#include "base/json.hpp"

namespace rest::oauth {
namespace {

constexpr std::string_view kRealm = "fhir-serve";

// A quoted-string-safe copy: no quotes, backslashes or control characters (RFC 6750 3: the
// error_description uses %x20-21 / %x23-5B / %x5D-7E).
std::string header_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') continue;
    out.push_back(c);
  }
  return out;
}

void no_store(Response& r) {
  r.set_header("Cache-Control", "no-store");
  r.set_header("Pragma", "no-cache");
}

}  // namespace

std::string bearer_challenge(std::string_view error, std::string_view description) {
  std::string v = "Bearer realm=\"" + std::string(kRealm) + "\"";
  if (!error.empty()) v += ", error=\"" + header_safe(error) + "\"";
  if (!description.empty()) v += ", error_description=\"" + header_safe(description) + "\"";
  return v;
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  no_store(r);
  return r;
}

Response public_json_response(std::string body, int max_age_s) {
  Response r;
  r.content_type = "application/json";
  r.body = std::move(body);
  r.set_header("Cache-Control", "public, max-age=" + std::to_string(max_age_s));
  return r;
}

Response error_response(const auth::OAuthError& e, Challenge challenge) {
  std::string error = e.error.empty() ? std::string("server_error") : e.error;
  int status = e.http_status >= 400 && e.http_status <= 599 ? e.http_status : 400;
  std::string header;
  if (challenge == Challenge::basic && error == "invalid_client") {
    status = 401;
    header = "Basic realm=\"" + std::string(kRealm) + "\"";
  } else if (challenge == Challenge::bearer && (status == 401 || status == 403)) {
    if (status == 403 && error == "access_denied") error = "insufficient_scope";
    header = bearer_challenge(error, e.description);
  }
  base::Json j = base::Json::object();
  j["error"] = error;
  if (!e.description.empty()) j["error_description"] = e.description;
  Response r = json_response(status, base::dump_compact(j));
  if (!header.empty()) r.set_header("WWW-Authenticate", header);
  return r;
}

Response not_configured() {
  return error_response({"temporarily_unavailable", "this server runs without an authorization server", 503});
}

}  // namespace rest::oauth
