#include <nlohmann/json.hpp>

#include "rest/bundle_processor.hpp"
#include "rest/fhir_io.hpp"
#include "rest/interactions/interactions.hpp"

namespace rest::interactions {

base::Result<Response> batch_transaction(Context& ctx) {
  FHIR_TRY(auto bundle, read_resource_body(ctx, "Bundle"));
  FHIR_TRY(auto body, process_bundle(ctx, std::move(bundle)));
  Response res;
  res.content_type = std::string(kFhirJson);
  res.body = std::move(body);
  return res;
}

}  // namespace rest::interactions
