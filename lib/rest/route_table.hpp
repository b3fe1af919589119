#pragma once
// THE route table: every endpoint once, with what routing, access checks, the
// CapabilityStatement and the OpenAPI document need to know about it.
#include <span>
#include <string_view>

#include "auth/scopes.hpp"
#include "base/result.hpp"
#include "rest/context.hpp"
#include "rest/http.hpp"

namespace rest {

using Handler = base::Result<Response> (*)(Context&);

// Where a route is mounted: under the FHIR base (/r4, /fhir/r4, /fhir), at the root, or both.
enum class Mount { fhir, root, both };

// The FHIR level an interaction works at, for the CapabilityStatement.
enum class Level { system, type, instance, none };

// No scope permission of its own: a public route, or a Bundle whose entries are checked one by one.
inline constexpr auth::Op kNoOp = static_cast<auth::Op>(0);

// One endpoint. With authentication on (Services::tokens), a route with needs_token requires a
// valid bearer token (401 otherwise), and rest/guard checks its `op` against the token's scopes:
// for type and instance routes on the {type} of the path, before the handler runs (403 when not
// granted); for system routes the handler applies `op` to every type it touches (_type of a
// system search, the types of system history); a Bundle (op kNoOp) is checked entry by entry.
struct Route {
  Method method;
  std::string_view pattern;      // segments: literals, {type}, {id}, {vid}; e.g. "/{type}/{id}"
  std::string_view interaction;  // FHIR interaction code (read, vread, create, ...) or a name
  Level level;
  Mount mount;
  Handler handler;
  bool needs_token;              // false for public routes: the CapabilityStatement, /healthz, discovery
  auth::Op op;                   // the SMART permission the interaction needs (kNoOp: none or per entry)
};

std::span<const Route> route_table();

}  // namespace rest
