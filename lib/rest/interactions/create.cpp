#include <nlohmann/json.hpp>

#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> create(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  FHIR_TRY(auto resource, read_resource_body(ctx, ctx.type));
  std::optional<store::WriteResult> written;
  auto stored = ctx.services.resources->write([&](store::WriteTx& tx) -> base::Status {
    FHIR_TRY(auto w, tx.create(ctx.type, std::move(resource)));
    FHIR_CHECK(check_after_write(ctx, ctx.access, tx, w.resource));
    written = std::move(w);
    return {};
  });
  if (!stored) return std::move(stored).error();
  return write_response(ctx, *written, 201);
}

}  // namespace rest::interactions
