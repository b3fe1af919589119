#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> vread(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  const auto version = parse_etag_version(ctx.vid);
  if (!version || *version < 1) {
    return base::invalid("\"" + ctx.vid + "\" is not a version id (a positive integer)");
  }
  std::int64_t current_version = 0;
  if (ctx.access.restricted) {
    FHIR_CHECK(check_visible(ctx, ctx.access, ctx.type, ctx.id));
    FHIR_TRY(auto current, ctx.services.resources->read(ctx.type, ctx.id));
    current_version = current.version;
  }
  FHIR_TRY(auto r, ctx.services.resources->vread(ctx.type, ctx.id, *version));
  if (!version_visible(ctx, ctx.access, r, current_version)) {
    return base::not_found(ctx.type + "/" + ctx.id + " has no version " + std::to_string(*version));
  }
  return resource_response(ctx, r, 200);
}

}  // namespace rest::interactions
