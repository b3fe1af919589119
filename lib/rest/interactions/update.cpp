#include <nlohmann/json.hpp>

#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> update(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  FHIR_TRY(auto resource, read_resource_body(ctx, ctx.type));
  const auto body_id = resource.find("id");
  if (body_id == resource.end()) {
    return base::invalid("The resource has no id; PUT " + ctx.type + "/" + ctx.id +
                         " needs \"id\": \"" + ctx.id + "\" in the body");
  }
  if (!body_id->is_string() || body_id->get<std::string>() != ctx.id) {
    return base::invalid("The body's id " + body_id->dump() + " does not match the URL's id \"" + ctx.id + "\"");
  }
  FHIR_TRY(auto expected, if_match_version(ctx));
  FHIR_TRY(auto written, ctx.services.resources->update(ctx.type, ctx.id, std::move(resource), expected));
  return write_response(ctx, written, written.created ? 201 : 200);
}

}  // namespace rest::interactions
