#include <nlohmann/json.hpp>

#include "model/bundle.hpp"
#include "model/operation_outcome.hpp"
#include "rest/fhir_io.hpp"
#include "rest/guard.hpp"
#include "rest/interactions/interactions.hpp"
#include "rest/search_output.hpp"
#include "search/engine.hpp"

namespace rest::interactions {
namespace {

bool strict_handling(const Context& ctx) {
  const auto prefer = ctx.req.header("prefer");
  return prefer && prefer->find("handling=strict") != std::string_view::npos;
}

// GET parameters, plus the form body of POST [type]/_search (which must give exactly what the
// GET gives).
base::Result<Params> search_params(const Context& ctx) {
  Params params = ctx.req.query;
  if (ctx.req.method == Method::POST) {
    const auto ct = ctx.req.header("content-type");
    if (!ct || ct->rfind("application/x-www-form-urlencoded", 0) != 0) {
      return base::make_error(base::ErrorCode::unsupported_media_type,
                              "POST _search takes its parameters as application/x-www-form-urlencoded");
    }
    auto form = parse_query_string(ctx.req.body);
    params.insert(params.end(), form.begin(), form.end());
  }
  return params;
}

base::Result<Response> run_search(Context& ctx, const std::string& type, const std::string& path) {
  if (!ctx.services.search) return base::make_error(base::ErrorCode::unavailable, "search is not available");
  FHIR_TRY(auto params, search_params(ctx));
  FHIR_TRY(auto request, search::parse_search(ctx.services.search->registry(), type, params, strict_handling(ctx),
                                              ctx.base_url));
  FHIR_CHECK(restrict_search(ctx, request));
  FHIR_TRY(auto page, ctx.services.search->search(request));
  Response res;
  res.content_type = std::string(kFhirJson);
  res.body = search_bundle(ctx, path, request, std::move(page));
  return res;
}

}  // namespace

base::Result<Response> search_type(Context& ctx) {
  FHIR_CHECK(check_type(ctx.type));
  return run_search(ctx, ctx.type, "/" + ctx.type);
}

base::Result<Response> search_system(Context& ctx) { return run_search(ctx, "", ""); }

}  // namespace rest::interactions
