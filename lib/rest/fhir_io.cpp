#include "rest/fhir_io.hpp"

#include <nlohmann/json.hpp>

#include "base/fhir_time.hpp"
#include "model/operation_outcome.hpp"
#include "model/resource_types.hpp"
#include "model/resource_validator.hpp"

namespace rest {

base::Status check_type(std::string_view type) {
  if (model::is_resource_type(type)) return {};
  return base::not_found("\"" + std::string(type) + "\" is not a FHIR R4 resource type");
}

base::Status check_id(std::string_view id) {
  if (model::is_valid_id(id)) return {};
  return base::invalid("\"" + std::string(id) +
                       "\" is not a valid resource id (1-64 characters of A-Z, a-z, 0-9, '-' and '.')");
}

namespace {

bool is_json_media_type(std::string_view ct) {
  const auto semi = ct.find(';');
  std::string_view mt = ct.substr(0, semi);
  while (!mt.empty() && mt.back() == ' ') mt.remove_suffix(1);
  return mt == "application/fhir+json" || mt == "application/json" || mt == "application/json+fhir";
}

}  // namespace

base::Result<base::Json> read_resource_body(const Context& ctx, std::string_view expected_type) {
  const auto ct = ctx.req.header("content-type");
  if (ct && !is_json_media_type(*ct)) {
    return base::make_error(base::ErrorCode::unsupported_media_type,
                            "Content-Type \"" + std::string(*ct) +
                                "\" is not supported; send the resource as application/fhir+json");
  }
  if (ctx.req.body.empty()) return base::invalid("The request has no body; send a FHIR resource as JSON");
  FHIR_TRY(base::Json resource, base::parse_json(ctx.req.body));
  if (!resource.is_object()) return base::invalid("The body must be a JSON object (a FHIR resource)");
  FHIR_CHECK(model::validate_resource(resource));
  const std::string type = resource.value("resourceType", std::string());
  if (!expected_type.empty() && type != expected_type) {
    return base::invalid("The resource's resourceType \"" + type + "\" does not match the URL's type \"" +
                         std::string(expected_type) + "\"");
  }
  return resource;
}

std::string etag_for(std::int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

std::optional<std::int64_t> parse_etag_version(std::string_view etag) {
  if (etag.rfind("W/", 0) == 0) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  if (etag.empty() || etag.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : etag) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

base::Result<std::optional<std::int64_t>> if_match_version(const Context& ctx) {
  const auto h = ctx.req.header("if-match");
  if (!h) return std::optional<std::int64_t>{};
  auto v = parse_etag_version(*h);
  if (!v) return base::invalid("If-Match \"" + std::string(*h) + "\" is not a version ETag such as W/\"3\"");
  return std::optional<std::int64_t>(*v);
}

std::string version_url(const Context& ctx, const store::StoredResource& r) {
  return ctx.base_url + "/" + r.type + "/" + r.id + "/_history/" + std::to_string(r.version);
}

Response resource_response(const Context& ctx, const store::StoredResource& r, int status) {
  Response res;
  res.status = status;
  res.content_type = std::string(kFhirJson);
  res.body = r.json;
  res.set_header("ETag", etag_for(r.version));
  res.set_header("Last-Modified", base::format_http_date(r.last_updated_us));
  if (status == 201) res.set_header("Location", version_url(ctx, r));
  return res;
}

Response write_response(const Context& ctx, const store::WriteResult& w, int status) {
  Response res = resource_response(ctx, w.resource, status);
  const auto prefer = ctx.req.header("prefer");
  if (prefer && prefer->find("return=minimal") != std::string_view::npos) {
    res.body.clear();
    res.content_type.clear();
  } else if (prefer && prefer->find("return=OperationOutcome") != std::string_view::npos) {
    const char* verb = status == 201 ? "created" : "updated";
    res.body = model::operation_outcome("information", "informational",
                                        w.resource.type + "/" + w.resource.id + " " + verb + " (version " +
                                            std::to_string(w.resource.version) + ")");
  }
  return res;
}

}  // namespace rest
