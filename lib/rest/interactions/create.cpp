#include <nlohmann/json.hpp>

#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> create(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_TRY(auto resource, read_resource_body(ctx, ctx.type));
  FHIR_TRY(auto written, ctx.services.resources->create(ctx.type, std::move(resource)));
  return write_response(ctx, written, 201);
}

}  // namespace rest::interactions
