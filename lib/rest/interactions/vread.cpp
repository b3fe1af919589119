#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> vread(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  const auto version = parse_etag_version(ctx.vid);
  if (!version || *version < 1) {
    return base::invalid("\"" + ctx.vid + "\" is not a version id (a positive integer)");
  }
  FHIR_TRY(auto r, ctx.services.resources->vread(ctx.type, ctx.id, *version));
  return resource_response(ctx, r, 200);
}

}  // namespace rest::interactions
