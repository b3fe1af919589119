#include "model/operation_outcome.hpp"
#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

// Delete is idempotent: deleting a missing or already deleted resource succeeds and changes
// nothing. A read afterwards answers 410 Gone.
base::Result<Response> remove(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  FHIR_TRY(auto expected, if_match_version(ctx));
  FHIR_TRY(auto w, ctx.services.resources->remove(ctx.type, ctx.id, expected));
  Response res;
  if (w.resource.version > 0) res.set_header("ETag", etag_for(w.resource.version));
  const auto prefer = ctx.req.header("prefer");
  if (prefer && prefer->find("return=OperationOutcome") != std::string_view::npos) {
    res.status = 200;
    res.content_type = std::string(kFhirJson);
    res.body = model::operation_outcome(
        "information", "informational",
        ctx.type + "/" + ctx.id + (w.changed ? " deleted" : " was already deleted or never existed"));
  } else {
    res.status = 204;
  }
  return res;
}

}  // namespace rest::interactions
