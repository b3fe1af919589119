#include "rest/bundle_processor.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "base/fhir_time.hpp"
#include "base/uuid.hpp"
#include "model/bundle.hpp"
#include "model/operation_outcome.hpp"
#include "model/resource_types.hpp"
#include "rest/errors.hpp"
#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "store/resource_store.hpp"

namespace rest {
namespace {

struct EntryRequest {
  std::size_t index = 0;
  Method method = Method::GET;
  std::string url;  // as given, for messages
  std::string type;
  std::string id;
  std::optional<std::int64_t> vid;
  std::optional<std::int64_t> if_match;
  std::string full_url;
  base::Json resource;
};

std::string entry_label(std::size_t index, std::string_view method, std::string_view url) {
  return "Bundle entry #" + std::to_string(index) + " (" + std::string(method) + " " + std::string(url) + ")";
}

base::Error entry_error(std::size_t index, std::string_view method, std::string_view url, base::Error e) {
  e.message = entry_label(index, method, url) + ": " + e.message;
  for (auto& issue : e.issues) {
    issue.diagnostics = entry_label(index, method, url) + ": " + issue.diagnostics;
    if (!issue.expression.empty()) issue.expression = "Bundle.entry[" + std::to_string(index) + "].resource." + issue.expression;
  }
  return e;
}

// Parses entry.request.url: "Type", "Type/id" or "Type/id/_history/vid", relative or on our base.
base::Status parse_url(const Context& ctx, EntryRequest& e) {
  std::string_view url = e.url;
  if (url.rfind(ctx.base_url + "/", 0) == 0) url.remove_prefix(ctx.base_url.size() + 1);
  while (!url.empty() && url.front() == '/') url.remove_prefix(1);
  if (url.find('?') != std::string_view::npos) {
    return base::invalid("conditional operations and searches inside a Bundle are not supported yet");
  }
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start <= url.size();) {
    auto slash = url.find('/', start);
    if (slash == std::string_view::npos) slash = url.size();
    parts.push_back(url.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.empty() || parts[0].empty()) return base::invalid("request.url is empty");
  e.type = std::string(parts[0]);
  FHIR_CHECK(check_type(e.type));
  if (parts.size() >= 2) {
    e.id = std::string(parts[1]);
    FHIR_CHECK(check_id(e.id));
  }
  if (parts.size() == 4 && parts[2] == "_history") {
    e.vid = parse_etag_version(parts[3]);
    if (!e.vid) return base::invalid("\"" + std::string(parts[3]) + "\" is not a version id");
  } else if (parts.size() > 2) {
    return base::invalid("request.url \"" + e.url + "\" is not Type, Type/id or Type/id/_history/vid");
  }
  const bool needs_id = e.method == Method::PUT || e.method == Method::DELETE || e.method == Method::GET;
  if (needs_id && e.id.empty()) return base::invalid(std::string(to_string(e.method)) + " needs Type/id in request.url");
  if (e.method == Method::POST && !e.id.empty()) return base::invalid("POST request.url must be just the type");
  return {};
}

base::Result<EntryRequest> parse_entry(const Context& ctx, base::Json& entry, std::size_t index) {
  EntryRequest e;
  e.index = index;
  if (!entry.is_object()) return base::invalid("Bundle entry #" + std::to_string(index) + " is not an object");
  const auto req = entry.find("request");
  if (req == entry.end() || !req->is_object()) {
    return base::invalid("Bundle entry #" + std::to_string(index) + " has no request (method and url)");
  }
  const std::string method = req->value("method", std::string());
  e.url = req->value("url", std::string());
  auto m = parse_method(method);
  if (!m || (*m != Method::GET && *m != Method::POST && *m != Method::PUT && *m != Method::DELETE)) {
    return base::invalid("Bundle entry #" + std::to_string(index) + " has request.method \"" + method +
                         "\"; expected GET, POST, PUT or DELETE");
  }
  e.method = *m;
  if (auto s = parse_url(ctx, e); !s.ok()) return entry_error(index, method, e.url, std::move(s).error());
  if (auto im = req->find("ifMatch"); im != req->end() && im->is_string()) {
    e.if_match = parse_etag_version(im->get<std::string>());
    if (!e.if_match) return entry_error(index, method, e.url, base::invalid("request.ifMatch is not an ETag"));
  }
  e.full_url = entry.value("fullUrl", std::string());
  if (e.method == Method::POST || e.method == Method::PUT) {
    auto res = entry.find("resource");
    if (res == entry.end() || !res->is_object()) {
      return entry_error(index, method, e.url, base::invalid("the entry has no resource"));
    }
    e.resource = std::move(*res);
    const std::string rtype = e.resource.value("resourceType", std::string());
    if (rtype != e.type) {
      return entry_error(index, method, e.url,
                         base::invalid("resourceType \"" + rtype + "\" does not match request.url type \"" + e.type + "\""));
    }
    if (e.method == Method::PUT) {
      auto id = e.resource.find("id");
      if (id == e.resource.end() || !id->is_string() || id->get<std::string>() != e.id) {
        return entry_error(index, method, e.url, base::invalid("the resource's id does not match request.url's id"));
      }
    }
  }
  return e;
}

// Rewrites every {"reference": "urn:uuid:..."} found in `j` using `ids`.
void rewrite_references(base::Json& j, const std::map<std::string, std::string>& ids) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "reference" && it.value().is_string()) {
        auto found = ids.find(it.value().get<std::string>());
        if (found != ids.end()) it.value() = found->second;
      } else {
        rewrite_references(it.value(), ids);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) rewrite_references(v, ids);
  }
}

std::string status_line(int status) { return std::to_string(status) + " " + std::string(status_text(status)); }

model::BundleEntry written_entry(const Context& ctx, const store::WriteResult& w, int status, bool minimal) {
  model::BundleEntry out;
  out.full_url = ctx.base_url + "/" + w.resource.type + "/" + w.resource.id;
  if (!minimal) out.resource_json = w.resource.json;
  out.response_status = status_line(status);
  if (status == 201) out.response_location = w.resource.type + "/" + w.resource.id + "/_history/" + std::to_string(w.resource.version);
  if (w.resource.version > 0) out.response_etag = etag_for(w.resource.version);
  if (w.resource.last_updated_us > 0) out.response_last_modified = base::format_instant(w.resource.last_updated_us);
  return out;
}

auth::Op op_of(Method m) {
  switch (m) {
    case Method::POST: return auth::kCreate;
    case Method::PUT: return auth::kUpdate;
    case Method::DELETE: return auth::kRemove;
    default: return auth::kRead;
  }
}

// Runs one entry inside `tx`, under the same access rules as the single interactions
// (rest/guard.hpp): not granted -> forbidden; not visible -> not_found; a write that would leave
// the caller's compartment -> forbidden.
base::Result<model::BundleEntry> execute(const Context& ctx, store::WriteTx& tx, EntryRequest& e,
                                         const std::string& assigned_id, bool minimal) {
  FHIR_TRY(const AccessRestriction access, restriction_for(ctx, e.type, op_of(e.method)));
  switch (e.method) {
    case Method::POST: {
      FHIR_TRY(auto w, tx.create(e.type, std::move(e.resource), assigned_id));
      FHIR_CHECK(check_after_write(ctx, access, tx, w.resource));
      return written_entry(ctx, w, 201, minimal);
    }
    case Method::PUT: {
      FHIR_CHECK(check_before_write(ctx, access, tx, e.type, e.id));
      FHIR_TRY(auto w, tx.update(e.type, e.id, std::move(e.resource), e.if_match));
      FHIR_CHECK(check_after_write(ctx, access, tx, w.resource));
      return written_entry(ctx, w, w.created ? 201 : 200, minimal);
    }
    case Method::DELETE: {
      FHIR_CHECK(check_before_write(ctx, access, tx, e.type, e.id));
      FHIR_TRY(auto w, tx.remove(e.type, e.id, e.if_match));
      model::BundleEntry out;
      out.response_status = status_line(204);
      if (w.changed) out.response_etag = etag_for(w.resource.version);
      return out;
    }
    default: {
      FHIR_CHECK(check_visible(ctx, access, e.type, e.id, &tx.connection()));
      store::StoredResource r;
      if (e.vid) {
        std::int64_t current_version = 0;
        if (access.restricted) {
          FHIR_TRY(auto current, tx.read(e.type, e.id));
          current_version = current.version;
        }
        FHIR_TRY(auto v, ctx.services.resources->vread(e.type, e.id, *e.vid));
        if (!version_visible(ctx, access, v, current_version)) {
          return base::not_found(e.type + "/" + e.id + " has no version " + std::to_string(*e.vid));
        }
        r = std::move(v);
      } else {
        FHIR_TRY(auto v, tx.read(e.type, e.id));
        r = std::move(v);
      }
      model::BundleEntry out;
      out.full_url = ctx.base_url + "/" + r.type + "/" + r.id;
      out.resource_json = r.json;
      out.response_status = status_line(200);
      out.response_etag = etag_for(r.version);
      out.response_last_modified = base::format_instant(r.last_updated_us);
      return out;
    }
  }
}

int method_order(Method m) {
  switch (m) {
    case Method::DELETE: return 0;
    case Method::POST: return 1;
    case Method::PUT: return 2;
    default: return 3;
  }
}

}  // namespace

base::Result<std::string> process_bundle(Context& ctx, base::Json bundle) {
  const std::string type = bundle.value("type", std::string());
  if (type != "batch" && type != "transaction") {
    return base::invalid("POST to the FHIR base takes a Bundle of type batch or transaction, not \"" + type + "\"");
  }
  const bool transaction = type == "transaction";
  auto entries_it = bundle.find("entry");
  std::vector<EntryRequest> requests;
  std::vector<std::optional<base::Error>> parse_errors;
  if (entries_it != bundle.end()) {
    if (!entries_it->is_array()) return base::invalid("Bundle.entry must be an array");
    for (std::size_t i = 0; i < entries_it->size(); ++i) {
      auto e = parse_entry(ctx, (*entries_it)[i], i);
      if (!e) {
        if (transaction) return std::move(e).error();
        parse_errors.emplace_back(std::move(e).error());
        requests.emplace_back();
        continue;
      }
      parse_errors.emplace_back();
      requests.push_back(std::move(*e));
    }
  }
  const auto prefer = ctx.req.header("prefer");
  const bool minimal = prefer && prefer->find("return=minimal") != std::string_view::npos;

  // Server ids for created resources, and the urn:uuid: -> Type/id map for references.
  std::vector<std::string> assigned(requests.size());
  std::map<std::string, std::string> ids;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto& e = requests[i];
    if (parse_errors[i]) continue;
    if (e.method == Method::POST) assigned[i] = base::new_uuid();
    const std::string& final_id = e.method == Method::POST ? assigned[i] : e.id;
    if (e.full_url.rfind("urn:uuid:", 0) == 0 && !final_id.empty()) ids[e.full_url] = e.type + "/" + final_id;
  }
  if (!ids.empty()) {
    for (auto& e : requests) rewrite_references(e.resource, ids);
  }

  std::vector<model::BundleEntry> responses(requests.size());
  model::BundleWriter out(transaction ? "transaction-response" : "batch-response");
  if (transaction) {
    std::vector<std::size_t> order(requests.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return method_order(requests[a].method) < method_order(requests[b].method);
    });
    // Every resource was validated with the Bundle (read_resource_body) before this point.
    FHIR_CHECK(ctx.services.resources->write([&](store::WriteTx& tx) -> base::Status {
      for (std::size_t i : order) {
        auto& e = requests[i];
        auto r = execute(ctx, tx, e, assigned[i], minimal);
        if (!r) return entry_error(i, to_string(e.method), e.url, std::move(r).error());
        responses[i] = std::move(*r);
      }
      return {};
    }));
  } else {
    for (std::size_t i = 0; i < requests.size(); ++i) {
      auto& e = requests[i];
      std::optional<base::Error> err = parse_errors[i];
      if (!err) {
        auto s = ctx.services.resources->write([&](store::WriteTx& tx) -> base::Status {
          FHIR_TRY(auto r, execute(ctx, tx, e, assigned[i], minimal));
          responses[i] = std::move(r);
          return {};
        });
        if (!s.ok()) err = std::move(s).error();
      }
      if (err) {
        const auto rendered = error_response(ctx.services, *err);
        model::BundleEntry failed;
        failed.response_status = status_line(rendered.status);
        failed.response_outcome_json = rendered.body;
        responses[i] = std::move(failed);
      }
    }
  }
  for (const auto& r : responses) out.add_entry(r);
  return out.finish();
}

}  // namespace rest
