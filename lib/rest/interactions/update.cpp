#include <nlohmann/json.hpp>

#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
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
  std::optional<store::WriteResult> written;
  auto stored = ctx.services.resources->write([&](store::WriteTx& tx) -> base::Status {
    FHIR_CHECK(check_before_write(ctx, ctx.access, tx, ctx.type, ctx.id));
    FHIR_TRY(auto w, tx.update(ctx.type, ctx.id, std::move(resource), expected));
    FHIR_CHECK(check_after_write(ctx, ctx.access, tx, w.resource));
    written = std::move(w);
    return {};
  });
  if (!stored) return std::move(stored).error();
  return write_response(ctx, *written, written->created ? 201 : 200);
}

}  // namespace rest::interactions
