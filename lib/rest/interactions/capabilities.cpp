#include <nlohmann/json.hpp>

#include "base/embedded.hpp"
#include "base/fhir_time.hpp"
#include "model/resource_types.hpp"
#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"
#include "rest/route_table.hpp"

namespace rest::interactions {
namespace {

// US Core 3.1.1 profiles per resource type (share/fhir/us-core-profiles.json, embedded).
const base::Json& us_core_profiles() {
  static const base::Json profiles = [] {
    auto text = base::embedded_file("fhir/us-core-profiles.json");
    if (!text) return base::Json::object();
    auto parsed = base::parse_json(*text);
    return parsed ? std::move(*parsed) : base::Json::object();
  }();
  return profiles;
}

// The CapabilityStatement, generated from the route table: what is routed is what is declared.
base::Json build(const Context& ctx) {
  base::Json type_interactions = base::Json::array();
  base::Json system_interactions = base::Json::array();
  for (const Route& r : route_table()) {
    if (r.level == Level::type || r.level == Level::instance) {
      type_interactions.push_back({{"code", r.interaction}});
    } else if (r.level == Level::system) {
      system_interactions.push_back({{"code", r.interaction}});
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
