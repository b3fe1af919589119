#include <charconv>

#include "base/fhir_time.hpp"
#include "model/bundle.hpp"
#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {
namespace {

constexpr int kDefaultCount = 50;
constexpr int kMaxCount = 1000;

base::Result<std::int64_t> int_param(std::string_view name, std::string_view value, std::int64_t min,
                                     std::int64_t max) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size() || v < min || v > max) {
    return base::invalid(std::string(name) + "=" + std::string(value) + " is not a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max));
  }
  return v;
}

// Builds the page URL for a history request with the given cursor.
std::string page_url(const Context& ctx, std::string_view path, int count,
                     const std::optional<std::string>& since, std::optional<std::int64_t> cursor) {
  std::string url = ctx.base_url + std::string(path) + "?_count=" + std::to_string(count);
  if (since) url += "&_since=" + url_encode(*since);
  if (cursor) url += "&_cursor=" + std::to_string(*cursor);
  return url;
}

base::Result<Response> history(Context& ctx, std::string path) {
  store::HistoryQuery q;
  if (!ctx.type.empty()) q.type = ctx.type;
  if (!ctx.id.empty()) q.id = ctx.id;
  q.count = kDefaultCount;
  if (auto c = ctx.req.param("_count")) {
    FHIR_TRY(auto n, int_param("_count", *c, 0, kMaxCount));
    q.count = static_cast<int>(n);
  }
  std::optional<std::string> since_text;
  if (auto s = ctx.req.param("_since")) {
    FHIR_TRY(auto t, base::parse_instant(*s));
    q.since_us = t.low_us;
    since_text = std::string(*s);
  }
  if (auto c = ctx.req.param("_cursor")) {
    FHIR_TRY(auto n, int_param("_cursor", *c, 1, INT64_MAX));
    q.before_seq = n;
  }
  // Instance history under a restriction: the resource must be visible, and each version is
  // shown only when it may be (guard::version_visible); type and system history are restricted
  // or refused by restrict_history.
  std::int64_t current_version = 0;
  if (q.id && ctx.access.restricted) {
    FHIR_CHECK(check_visible(ctx, ctx.access, ctx.type, ctx.id));
    FHIR_TRY(auto current, ctx.services.resources->read(ctx.type, ctx.id));
    current_version = current.version;
  }
  FHIR_CHECK(restrict_history(ctx, q));
  FHIR_TRY(auto page, ctx.services.resources->history(q));

  model::BundleWriter bundle("history");
  bundle.set_total(page.total);
  bundle.add_link("self", page_url(ctx, path, q.count, since_text, q.before_seq));
  if (page.next_cursor) bundle.add_link("next", page_url(ctx, path, q.count, since_text, page.next_cursor));
  for (const auto& e : page.entries) {
    const auto& r = e.resource;
    if (q.id && !version_visible(ctx, ctx.access, r, current_version)) continue;
    model::BundleEntry entry;
    entry.full_url = ctx.base_url + "/" + r.type + "/" + r.id;
    entry.resource_json = r.json;
    entry.request_method = e.method;
    entry.request_url = e.method == "POST" ? r.type : r.type + "/" + r.id;
    entry.response_status = e.method == "POST" ? "201 Created" : e.method == "DELETE" ? "204 No Content" : "200 OK";
    entry.response_etag = etag_for(r.version);
    entry.response_last_modified = base::format_instant(r.last_updated_us);
    bundle.add_entry(entry);
  }
  Response res;
  res.content_type = std::string(kFhirJson);
  res.body = bundle.finish();
  return res;
}

}  // namespace

base::Result<Response> history_instance(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  return history(ctx, "/" + ctx.type + "/" + ctx.id + "/_history");
}

base::Result<Response> history_type(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  return history(ctx, "/" + ctx.type + "/_history");
}

base::Result<Response> history_system(Context& ctx) { return history(ctx, "/_history"); }

}  // namespace rest::interactions
