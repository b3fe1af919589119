#include "rest/oauth/form.hpp"

#include <algorithm>
#include <cctype>

namespace rest::oauth {
namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

auth::OAuthResult<Params> read_form(const Request& req) {
  const auto ct = req.header("content-type");
  std::string_view mt = ct ? trim(ct->substr(0, ct->find(';'))) : std::string_view();
  if (!iequals_prefix(mt, "application/x-www-form-urlencoded") ||
      mt.size() != std::string_view("application/x-www-form-urlencoded").size()) {
    return auth::invalid_request("the body must be application/x-www-form-urlencoded");
  }
  return parse_query_string(req.body);
}

auth::OAuthResult<std::string> single(const Params& params, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : params) {
    if (k != name) continue;
    if (found) return auth::invalid_request("parameter " + std::string(name) + " is given more than once");
    found = &v;
  }
  return found ? *found : std::string();
}

std::vector<std::string> all(const Params& params, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : params) {
    if (k == name) out.push_back(v);
  }
  return out;
}

auth::OAuthResult<auth::ClientCredentials> client_credentials(const Request& req, const Params& form) {
  auth::ClientCredentials c;
  if (auto a = req.header("authorization")) c.authorization = std::string(*a);
  struct Field {
    std::string_view name;
    std::string* out;
  };
  for (const Field& f : {Field{"client_id", &c.client_id}, Field{"client_secret", &c.client_secret},
                         Field{"client_assertion_type", &c.client_assertion_type},
                         Field{"client_assertion", &c.client_assertion}}) {
    auto v = single(form, f.name);
    if (!v) return std::move(v).error();
    *f.out = std::move(*v);
  }
  return c;
}

auth::OAuthResult<TokenForm> read_token_form(const Request& req) {
  FHIR_TRY(Params form, read_form(req));
  TokenForm out;
  FHIR_TRY(out.token, single(form, "token"));
  FHIR_TRY(out.hint, single(form, "token_type_hint"));
  FHIR_TRY(out.credentials, client_credentials(req, form));
  return out;
}

bool uses_basic_auth(const Request& req) {
  const auto a = req.header("authorization");
  return a && iequals_prefix(trim(*a), "basic ");
}

std::string bearer_token(const Request& req) {
  const auto a = req.header("authorization");
  if (!a) return {};
  const auto v = trim(*a);
  if (!iequals_prefix(v, "bearer ")) return {};
  return std::string(trim(v.substr(7)));
}

bool same_origin_post(const Request& req, std::string_view own_origin) {
  if (auto site = req.header("sec-fetch-site")) {
    const auto v = trim(*site);
    if (v != "same-origin" && v != "none") return false;  // same-site or cross-site
  }
  if (auto origin = req.header("origin")) {
    const auto o = trim(*origin);
    // Our own origin as the client addressed it, or the configured public one.
    return o == req.origin || o == own_origin;
  }
  return true;
}

}  // namespace rest::oauth
