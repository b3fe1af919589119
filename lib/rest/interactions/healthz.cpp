#include "rest/interactions/interactions.hpp"
#include "store/resource_store.hpp"

namespace rest::interactions {

// 200 when the database answers; 503 otherwise. Load balancers poll it.
base::Result<Response> healthz(Context& ctx) {
  auto conn = ctx.services.resources->database().reader();
  if (!conn) return base::make_error(base::ErrorCode::unavailable, "database unavailable");
  sql::Query q(**conn, "SELECT 1");
  if (auto r = q.step(); !r || !*r) return base::make_error(base::ErrorCode::unavailable, "database unavailable");
  Response res;
  res.content_type = "application/json";
  res.body = "{\"status\":\"ok\"}";
  return res;
}

}  // namespace rest::interactions
