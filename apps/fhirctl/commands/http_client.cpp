#include "commands/http_client.hpp"

#include <httplib.h>

#include <filesystem>
#include <regex>

namespace fhirctl {
namespace {

struct Target {
  std::string origin;  // scheme://host[:port]
  std::string path;    // path and query, "/" at least
};

base::Result<Target> split(const std::string& url) {
  static const std::regex re(R"(^(https?://[^/?#\s]+)([^#\s]*)$)", std::regex::icase);
  std::smatch m;
  if (!std::regex_match(url, m, re)) return base::invalid("not an absolute http(s) URL: " + url);
  Target t{m[1], m[2]};
  if (t.path.empty()) t.path = "/";
  return t;
}

std::string tls_hint(httplib::Error e) {
  if (e == httplib::Error::SSLServerVerification) {
    return " (the server's certificate is not trusted: --ca FILE names its CA, --insecure skips the check)";
  }
  return {};
}

using Send = std::function<httplib::Result(httplib::Client&, const std::string& path)>;

base::Result<HttpResponse> send(const std::string& url, const HttpOptions& o, const Send& fn) {
  FHIR_TRY(auto t, split(url));
  if (!o.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.ca_file, ec)) return base::invalid("--ca " + o.ca_file + ": no such file");
  }
  httplib::Client client(t.origin);
  client.set_connection_timeout(o.timeout_s, 0);
  client.set_read_timeout(o.timeout_s, 0);
  client.set_write_timeout(o.timeout_s, 0);
  client.enable_server_certificate_verification(!o.insecure);
  if (!o.ca_file.empty()) client.set_ca_cert_path(o.ca_file.c_str());
  auto res = fn(client, t.path);
  if (!res) {
    return base::make_error(base::ErrorCode::unavailable,
                            t.origin + ": " + httplib::to_string(res.error()) + tls_hint(res.error()));
  }
  return HttpResponse{res->status, res->body, res->get_header_value("Content-Type")};
}

httplib::Headers headers(const std::string& bearer) {
  httplib::Headers h = {{"Accept", "application/json"}};
  if (!bearer.empty()) h.emplace("Authorization", "Bearer " + bearer);
  return h;
}

}  // namespace

std::string fhir_base_url(const std::string& server) {
  std::string base = server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/r4") == 0) return base;
  return base + "/r4";
}

std::string site_root_url(const std::string& fhir_base) {
  if (fhir_base.size() >= 3 && fhir_base.compare(fhir_base.size() - 3, 3, "/r4") == 0) {
    return fhir_base.substr(0, fhir_base.size() - 3);
  }
  return fhir_base;
}

std::string form_encode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string query_encode(const Form& form) {
  std::string out;
  for (const auto& [k, v] : form) {
    std::string value = form_encode(v);
    for (std::size_t i = 0; (i = value.find('+', i)) != std::string::npos;) value.replace(i, 1, "%20");
    out += (out.empty() ? "" : "&") + form_encode(k) + "=" + value;
  }
  return out;
}

std::string form_encode(const Form& form) {
  std::string out;
  for (const auto& [k, v] : form) out += (out.empty() ? "" : "&") + form_encode(k) + "=" + form_encode(v);
  return out;
}

base::Result<HttpResponse> http_get(const std::string& url, const HttpOptions& options, const std::string& bearer) {
  return send(url, options, [&](httplib::Client& c, const std::string& path) { return c.Get(path, headers(bearer)); });
}

base::Result<HttpResponse> http_post_form(const std::string& url, const Form& form, const HttpOptions& options) {
  const std::string body = form_encode(form);
  return send(url, options, [&](httplib::Client& c, const std::string& path) {
    return c.Post(path, headers({}), body, "application/x-www-form-urlencoded");
  });
}

base::Result<HttpResponse> http_post_json(const std::string& url, const std::string& json, const HttpOptions& options,
                                          const std::string& bearer) {
  return send(url, options, [&](httplib::Client& c, const std::string& path) {
    return c.Post(path, headers(bearer), json, "application/json");
  });
}

}  // namespace fhirctl
