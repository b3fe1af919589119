#include "model/operation_outcome.hpp"
#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

// Delete is idempotent: deleting a missing or already deleted resource succeeds and changes
// nothing. A read afterwards answers 410 Gone. Under a patient restriction or scope filters only a
// resource the token can see may be deleted (else 404, as for a missing one: rest/guard.hpp).
base::Result<Response> remove(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_CHECK(check_id(ctx.id));
  FHIR_TRY(auto expected, if_match_version(ctx));
  std::optional<store::WriteResult> removed;
  auto stored = ctx.services.resources->write([&](store::WriteTx& tx) -> base::Status {
    FHIR_CHECK(check_before_write(ctx, ctx.access, tx, ctx.type, ctx.id));
    FHIR_TRY(auto r, tx.remove(ctx.type, ctx.id, expected));
    removed = std::move(r);
    return {};
  });
  if (!stored) return std::move(stored).error();
  const auto& w = *removed;
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
