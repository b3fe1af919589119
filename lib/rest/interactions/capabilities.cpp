#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/fhir_time.hpp"
#include "auth/auth_service.hpp"
#include "model/resource_types.hpp"
#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"
#include "rest/oauth/discovery.hpp"
#include "rest/route_table.hpp"
#include "search/engine.hpp"

namespace rest::interactions {
namespace {

// US Core 3.1.1 profiles per resource type (share/fhir/us-core-profiles.json, embedded).
const base::Json& us_core_profiles() {
  static const base::Json profiles = [] {
    auto parsed = base::embedded_json("fhir/us-core-profiles.json");
    return parsed ? std::move(*parsed) : base::Json::object();
  }();
  return profiles;
}

// searchParam, searchInclude and searchRevInclude of one type, from the search registry.
void add_search(const search::Registry& registry, const std::string& type, base::Json& res) {
  base::Json params = base::Json::array();
  base::Json includes = base::Json::array();
  for (const search::SearchParam* p : registry.for_type(type)) {
    if (p->type == search::ParamType::composite || p->type == search::ParamType::special) continue;
    base::Json sp = {{"name", p->code}, {"type", search::to_string(p->type)}};
    if (!p->url.empty()) sp["definition"] = p->url;
    params.push_back(std::move(sp));
    if (p->type == search::ParamType::reference && p->resource_type == type) includes.push_back(type + ":" + p->code);
  }
  base::Json revincludes = base::Json::array();
  for (std::string_view other : model::resource_types()) {
    for (const search::SearchParam* p : registry.for_type(std::string(other))) {
      if (p->type != search::ParamType::reference || p->resource_type != other) continue;
      const bool targets_type = p->targets.empty() ||
          std::find(p->targets.begin(), p->targets.end(), type) != p->targets.end();
      if (targets_type) revincludes.push_back(std::string(other) + ":" + p->code);
    }
  }
  res["searchInclude"] = std::move(includes);
  res["searchRevInclude"] = std::move(revincludes);
  res["searchParam"] = std::move(params);
}

// The CapabilityStatement, generated from the route table: what is routed is what is declared.
base::Json build(const Context& ctx) {
  base::Json type_interactions = base::Json::array();
  base::Json system_interactions = base::Json::array();
  for (const Route& r : route_table()) {
    base::Json code = {{"code", r.interaction}};
    if (r.level == Level::type || r.level == Level::instance) {
      if (std::find(type_interactions.begin(), type_interactions.end(), code) == type_interactions.end()) {
        type_interactions.push_back(std::move(code));
      }
    } else if (r.level == Level::system) {
      if (std::find(system_interactions.begin(), system_interactions.end(), code) != system_interactions.end()) continue;
      system_interactions.push_back(std::move(code));
      if (r.interaction == "transaction") system_interactions.push_back({{"code", "batch"}});
    }
  }
  const auto& profiles = us_core_profiles();
  base::Json resources = base::Json::array();
  for (std::string_view type : model::resource_types()) {
    base::Json res = base::Json::object();
    res["type"] = type;
    res["profile"] = "http://hl7.org/fhir/StructureDefinition/" + std::string(type);
    if (auto p = profiles.find(std::string(type)); p != profiles.end()) res["supportedProfile"] = *p;
    res["interaction"] = type_interactions;
    res["versioning"] = "versioned-update";
    res["readHistory"] = true;
    res["updateCreate"] = true;
    res["conditionalCreate"] = false;
    res["conditionalRead"] = "not-supported";
    res["conditionalUpdate"] = false;
    res["conditionalDelete"] = "not-supported";
    if (ctx.services.search) add_search(ctx.services.search->registry(), std::string(type), res);
    resources.push_back(std::move(res));
  }

  base::Json cs = base::Json::object();
  cs["resourceType"] = "CapabilityStatement";
  cs["status"] = "active";
  cs["date"] = base::format_instant(base::now_us()).substr(0, 10);
  cs["publisher"] = "InPracSys";
  cs["kind"] = "instance";
  cs["software"] = {{"name", "InPracSys FHIR toolkit (fhir-serve)"}, {"version", ctx.services.software_version}};
  cs["implementation"] = {{"description", "InPracSys FHIR R4 server"}, {"url", ctx.base_url}};
  cs["fhirVersion"] = "4.0.1";
  cs["format"] = base::Json::array({"json", "application/fhir+json", "application/json"});
  cs["implementationGuide"] = base::Json::array({"http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core|3.1.1"});
  base::Json rest = base::Json::object();
  rest["mode"] = "server";
  // The SMART endpoints, from the same source as the discovery documents (rest/oauth/endpoints).
  if (ctx.services.auth) rest["security"] = oauth::capability_security(oauth::endpoints(ctx.services.auth->config));
  rest["resource"] = std::move(resources);
  rest["interaction"] = std::move(system_interactions);
  cs["rest"] = base::Json::array({std::move(rest)});
  return cs;
}

}  // namespace

base::Result<Response> capabilities(Context& ctx) {
  Response res;
  res.content_type = std::string(kFhirJson);
  res.body = base::dump_compact(build(ctx));
  return res;
}

}  // namespace rest::interactions
