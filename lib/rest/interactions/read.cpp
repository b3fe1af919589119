#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> read(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  FHIR_CHECK(check_visible(ctx, ctx.access, ctx.type, ctx.id));
  FHIR_TRY(auto r, ctx.services.resources->read(ctx.type, ctx.id));
  if (auto inm = ctx.req.header("if-none-match")) {
    if (parse_etag_version(*inm) == r.version) {
      Response not_modified;
      not_modified.status = 304;
      not_modified.set_header("ETag", etag_for(r.version));
      return not_modified;
    }
  }
  return resource_response(ctx, r, 200);
}

}  // namespace rest::interactions
