#pragma once
// Handlers, one file each under rest/interactions/. Each parses, calls one library function, and
// responds; errors are returned as values and rendered by the Router.
#include "base/result.hpp"
#include "rest/context.hpp"

namespace rest::interactions {

base::Result<Response> read(Context& ctx);              // GET /{type}/{id}
base::Result<Response> vread(Context& ctx);             // GET /{type}/{id}/_history/{vid}
base::Result<Response> create(Context& ctx);            // POST /{type}
base::Result<Response> update(Context& ctx);            // PUT /{type}/{id}
base::Result<Response> remove(Context& ctx);            // DELETE /{type}/{id}
base::Result<Response> history_instance(Context& ctx);  // GET /{type}/{id}/_history
base::Result<Response> history_type(Context& ctx);      // GET /{type}/_history
base::Result<Response> history_system(Context& ctx);    // GET /_history
base::Result<Response> batch_transaction(Context& ctx); // POST / (Bundle batch|transaction)
base::Result<Response> search_type(Context& ctx);       // GET /{type}, POST /{type}/_search
base::Result<Response> search_system(Context& ctx);     // GET /, POST /_search
base::Result<Response> capabilities(Context& ctx);      // GET /metadata
base::Result<Response> healthz(Context& ctx);           // GET /healthz

}  // namespace rest::interactions
