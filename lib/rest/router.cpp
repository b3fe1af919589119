#include "rest/router.hpp"

#include <chrono>
#include <exception>

#include "audit/api_log.hpp"
#include "base/fhir_time.hpp"
#include "rest/errors.hpp"
#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "store/settings.hpp"

namespace rest {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    if (i >= path.size()) break;
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

// The FHIR base prefixes, longest first. Returns the prefix used, or empty for a root path.
std::string_view fhir_prefix(std::string_view path) {
  for (std::string_view p : {"/fhir/r4", "/r4", "/fhir"}) {
    if (path.rfind(p, 0) == 0 && (path.size() == p.size() || path[p.size()] == '/')) return p;
  }
  return {};
}

bool segment_matches(std::string_view pattern, std::string_view seg) {
  if (pattern == "{type}") return !seg.empty() && seg[0] >= 'A' && seg[0] <= 'Z';
  if (pattern == "{id}") return !seg.empty() && seg[0] != '_' && seg[0] != '$';
  if (pattern == "{vid}") return !seg.empty();
  return pattern == seg;
}

bool mount_ok(Mount m, bool fhir) {
  return m == Mount::both || (fhir ? m == Mount::fhir : m == Mount::root);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decides the response media type from _format and Accept. Errors: not_acceptable.
base::Result<std::string> negotiate(const Request& req) {
  if (auto f = req.param("_format")) {
    const auto mt = trim(f->substr(0, f->find(';')));
    if (mt == "json" || mt == "application/fhir+json" || mt == "application/json+fhir") return std::string(kFhirJson);
    if (mt == "application/json") return std::string("application/json; charset=utf-8");
    return base::make_error(base::ErrorCode::not_acceptable,
                            "_format=" + std::string(*f) + " is not supported; this server speaks JSON only "
                            "(_format=json or application/fhir+json)");
  }
  const auto accept = req.header("accept");
  if (!accept || trim(*accept).empty()) return std::string(kFhirJson);
  bool fhir_json = false, plain_json = false, any = false;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto mt = trim(item.substr(0, item.find(';')));
    if (mt == "application/fhir+json" || mt == "application/json+fhir") fhir_json = true;
    else if (mt == "application/json") plain_json = true;
    else if (mt == "*/*" || mt == "application/*") any = true;
  }
  if (fhir_json || any) return std::string(kFhirJson);
  if (plain_json) return std::string("application/json; charset=utf-8");
  return base::make_error(base::ErrorCode::not_acceptable,
                          "Accept: " + std::string(*accept) +
                              " cannot be served; this server speaks JSON only (application/fhir+json)");
}

// With authentication on: the caller's scopes into ctx, and for type and instance routes the
// decision on {type} (403 when not granted). An unknown {type} is left to the handler (404).
base::Status guard_route(Context& ctx, const auth::Principal& principal) {
  ctx.principal = &principal;
  if (principal.scopes) {
    ctx.scopes = principal.scopes;  // parsed once by the verifier, shared by its cached verdict
  } else {
    auto scopes = auth::parse_scopes(principal.scope);
    if (!scopes) {
      return base::make_error(base::ErrorCode::forbidden,
                              "The access token's scopes cannot be read: " + scopes.error().message);
    }
    ctx.scopes = std::make_shared<const auth::ScopeSet>(std::move(*scopes));
  }
  const Route& route = ctx.route;
  if ((route.level == Level::type || route.level == Level::instance) && route.op != kNoOp &&
      check_type(ctx.type).ok()) {
    FHIR_TRY(ctx.access, restriction_for(ctx, ctx.type, route.op));
  }
  return {};
}

}  // namespace

bool Router::authorize(const Request& req, const Route& route, const std::string& realm,
                       std::optional<auth::Principal>& principal, Response& res) const {
  if (!services_.tokens || !route.needs_token) return true;
  std::string challenge;
  auto p = authenticate(services_, req, realm, challenge);
  if (!p) {
    res = error_response(services_, p.error());
    if (!challenge.empty()) res.set_header("WWW-Authenticate", challenge);
    return false;
  }
  principal = std::move(*p);
  return true;
}

Router::Router(const Services& services) : services_(services) {
  for (const Route& r : route_table()) routes_.push_back({&r, split_path(r.pattern)});
}

Response Router::handle(const Request& req) const {
  const auto started = std::chrono::steady_clock::now();
  const std::string_view prefix = fhir_prefix(req.path);
  const bool fhir = !prefix.empty();
  const auto segments = split_path(std::string_view(req.path).substr(prefix.size()));
  const Method method = req.method == Method::HEAD ? Method::GET : req.method;

  const Compiled* match = nullptr;
  std::string allow;
  for (const auto& c : routes_) {
    if (!mount_ok(c.route->mount, fhir) || c.segments.size() != segments.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; ok && i < segments.size(); ++i) ok = segment_matches(c.segments[i], segments[i]);
    if (!ok) continue;
    if (c.route->method == method) {
      match = &c;
      break;
    }
    if (allow.find(to_string(c.route->method)) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow += to_string(c.route->method);
    }
  }

  const auto settings = services_.settings_cache->get();
  Response res;
  std::string route_name = "unmatched";
  // Bodies are kept (api_log=full) only for FHIR routes: the root routes (/oauth2/*) carry
  // passwords, client secrets, codes and tokens, and an unmatched request may carry anything.
  bool body_loggable = false;
  std::optional<auth::Principal> principal;
  auto fail = [&](base::Error e) { res = error_response(services_, e); };

  if (!match) {
    if (!allow.empty()) {
      auto e = base::make_error(base::ErrorCode::method_not_allowed,
                                std::string(to_string(req.method)) + " is not allowed on " + req.path +
                                    "; allowed: " + allow);
      e.allow = allow;
      fail(std::move(e));
    } else {
      fail(base::not_found("No route for " + std::string(to_string(req.method)) + " " + req.path +
                           "; the FHIR base is /r4 (see /r4/metadata)"));
    }
  } else {
    const Route& route = *match->route;
    route_name = std::string(to_string(route.method)) + " " + std::string(route.pattern);
    const bool is_fhir_route = route.mount != Mount::root;
    body_loggable = is_fhir_route;
    std::string base_url = settings->site_address.empty() ? req.origin : settings->site_address;
    base_url += fhir ? prefix : std::string_view("/r4");
    std::optional<std::string> media;
    if (is_fhir_route && !settings->fhir_api_enabled) {
      fail(base::make_error(base::ErrorCode::unavailable,
                            "The Standard FHIR REST API is disabled on this server. An administrator can "
                            "enable it with: fhirctl settings set fhir_api_enabled true"));
    } else if (!authorize(req, route, base_url, principal, res)) {
      // res holds the 401 (with WWW-Authenticate)
    } else if (req.body.size() > services_.max_body_bytes) {
      fail(base::make_error(base::ErrorCode::payload_too_large,
                            "The request body (" + std::to_string(req.body.size()) + " bytes) is over the limit of " +
                                std::to_string(services_.max_body_bytes) + " bytes"));
    } else if (auto m = negotiate(req); !m) {
      fail(std::move(m).error());
    } else {
      media = std::move(*m);
    }
    if (media) {
      Context ctx{req, services_, *settings, route, std::move(base_url), {}, {}, {}};
      for (std::size_t i = 0; i < segments.size(); ++i) {
        if (match->segments[i] == "{type}") ctx.type = std::string(segments[i]);
        else if (match->segments[i] == "{id}") ctx.id = std::string(segments[i]);
        else if (match->segments[i] == "{vid}") ctx.vid = std::string(segments[i]);
      }
      try {
        auto r = principal ? guard_route(ctx, *principal) : base::Status();
        if (!r) {
          fail(std::move(r).error());
          if (res.status == 403) res.set_header("WWW-Authenticate", insufficient_scope_challenge(ctx.base_url));
        } else if (auto h = route.handler(ctx); h) {
          res = std::move(*h);
          if (res.content_type == kFhirJson) res.content_type = *media;
        } else {
          fail(std::move(h).error());
        }
      } catch (const std::exception& ex) {
        fail(base::internal_error(std::string("unhandled exception: ") + ex.what()));
      } catch (...) {
        fail(base::internal_error("unhandled non-standard exception"));
      }
      if (auto p = req.param("_pretty"); p && *p == "true" && !res.body.empty()) {
        if (auto pretty = base::prettify(res.body)) res.body = std::move(*pretty);
      }
    }
  }
  if (req.method == Method::HEAD) res.body.clear();

  if (services_.api_log && settings->api_log != "off") {
    audit::ApiLogEntry entry;
    entry.at_us = base::now_us();
    entry.method = std::string(to_string(req.method));
    entry.route = std::move(route_name);
    entry.path = req.path;
    entry.status = res.status;
    entry.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - started).count();
    entry.ip = req.remote_ip;
    if (principal) {
      entry.client_id = principal->client_id;
      entry.user_id = principal->user;
      entry.patient_id = principal->patient;
    }
    if (settings->api_log == "full" && body_loggable) {
      entry.request_body = req.body;
      entry.response_body = res.body;
    }
    services_.api_log->record(std::move(entry));
  }
  return res;
}

}  // namespace rest
