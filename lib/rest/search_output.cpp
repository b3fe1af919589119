#include "rest/search_output.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "model/bundle.hpp"
#include "model/operation_outcome.hpp"
#include "rest/http.hpp"

namespace rest {
namespace {

std::string link(const Context& ctx, const std::string& path, const search::SearchRequest& request,
                 const std::optional<std::string>& cursor) {
  std::string url = ctx.base_url + path + "?";
  bool first = true;
  bool has_count = false;
  for (const auto& [k, v] : request.echo) {
    if (!first) url += "&";
    url += url_encode(k) + "=" + url_encode(v);
    first = false;
    has_count = has_count || k == "_count";
  }
  if (!has_count) {
    url += std::string(first ? "" : "&") + "_count=" + std::to_string(request.count);
    first = false;
  }
  if (cursor) url += std::string(first ? "" : "&") + "_cursor=" + url_encode(*cursor);
  return url;
}

base::Json load_table(const char* name) {
  auto parsed = base::embedded_json(name);
  return parsed ? std::move(*parsed) : base::Json::object();
}

// Summary elements per type (share/fhir/summary-elements.json: isSummary in the US Core
// profiles' snapshots). Types not listed fall back to the `data` view (everything but text).
const base::Json& summary_elements() {
  static const base::Json table = load_table("fhir/summary-elements.json");
  return table;
}

// Top-level mandatory elements per type (share/fhir/required-elements.json), kept by
// _summary=text.
const base::Json& required_elements() {
  static const base::Json table = load_table("fhir/required-elements.json");
  return table;
}

// True when `key` is `name` or a choice form of it (name followed by a type, e.g. deceasedBoolean).
bool is_element(const std::string& key, const std::string& name) {
  return key == name || (key.size() > name.size() && key.compare(0, name.size(), name) == 0 &&
                         std::isupper(static_cast<unsigned char>(key[name.size()])));
}

// _elements and _summary=true|data|text views: parse, trim, mark SUBSETTED.
std::string view(std::string json, const search::SearchRequest& request) {
  if (request.elements.empty() && request.summary != search::SummaryMode::data &&
      request.summary != search::SummaryMode::text && request.summary != search::SummaryMode::summary) {
    return json;  // moved, not copied
  }
  auto parsed = base::parse_json(json);
  if (!parsed || !parsed->is_object()) return json;
  base::Json& r = *parsed;
  base::Json out = base::Json::object();
  auto keep = [&](const std::string& key) {
    if (auto it = r.find(key); it != r.end()) out[key] = *it;
  };
  keep("resourceType");
  keep("id");
  keep("meta");
  const base::Json* summary = nullptr;
  if (request.summary == search::SummaryMode::summary) {
    const auto& table = summary_elements();
    if (auto it = table.find(r.value("resourceType", std::string())); it != table.end()) summary = &*it;
  }
  if (summary) {
    for (auto it = r.begin(); it != r.end(); ++it) {
      for (const auto& name : *summary) {
        if (is_element(it.key(), name.get<std::string>())) {
          out[it.key()] = it.value();
          break;
        }
      }
    }
  } else if (request.summary == search::SummaryMode::data || request.summary == search::SummaryMode::summary) {
    for (auto it = r.begin(); it != r.end(); ++it) {
      if (it.key() != "text" && !out.contains(it.key())) out[it.key()] = it.value();
    }
  } else if (request.summary == search::SummaryMode::text) {
    keep("text");
    const auto& table = required_elements();
    if (auto req = table.find(r.value("resourceType", std::string())); req != table.end()) {
      for (auto it = r.begin(); it != r.end(); ++it) {
        for (const auto& name : *req) {
          if (is_element(it.key(), name.get<std::string>())) out[it.key()] = it.value();
        }
      }
    }
  } else {
    for (auto it = r.begin(); it != r.end(); ++it) {
      for (const auto& e : request.elements) {
        if (is_element(it.key(), e)) out[it.key()] = it.value();
      }
    }
  }
  base::Json& meta = out["meta"];
  if (!meta.is_object()) meta = base::Json::object();
  base::Json& tags = meta["tag"];
  if (!tags.is_array()) tags = base::Json::array();
  tags.push_back({{"system", "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"},
                  {"code", "SUBSETTED"},
                  {"display", "Resource encoded in summary mode"}});
  return base::dump_compact(out);
}

}  // namespace

std::string search_bundle(const Context& ctx, const std::string& path, const search::SearchRequest& request,
                          search::SearchPage&& page) {
  model::BundleWriter bundle("searchset");
  if (page.total) bundle.set_total(*page.total);
  bundle.add_link("self", link(ctx, path, request, request.cursor.empty() ? std::nullopt
                                                                           : std::optional<std::string>(request.cursor)));
  bundle.add_link("first", link(ctx, path, request, std::nullopt));
  if (page.prev_cursor) bundle.add_link("previous", link(ctx, path, request, page.prev_cursor));
  if (page.next_cursor) bundle.add_link("next", link(ctx, path, request, page.next_cursor));
  std::size_t bytes = 1024;
  for (const auto& m : page.matches) bytes += m.json.size() + ctx.base_url.size() + m.type.size() + m.id.size() + 64;
  for (const auto& inc : page.included) bytes += inc.json.size() + ctx.base_url.size() + inc.type.size() + inc.id.size() + 64;
  bundle.reserve(bytes);
  for (auto& m : page.matches) bundle.add_match(ctx.base_url, m.type, m.id, view(std::move(m.json), request), "match");
  for (auto& inc : page.included) bundle.add_match(ctx.base_url, inc.type, inc.id, inc.json, "include");
  if (!request.ignored.empty()) {
    std::string text = "Ignored search parameters: ";
    for (std::size_t i = 0; i < request.ignored.size(); ++i) text += (i ? "; " : "") + request.ignored[i];
    model::BundleEntry e;
    e.resource_json = model::operation_outcome("warning", "not-supported", text);
    e.search_mode = "outcome";
    bundle.add_entry(e);
  }
  return bundle.finish();
}

}  // namespace rest
