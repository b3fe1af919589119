#pragma once
// THE route table: every endpoint once, with what routing, access checks, the
// CapabilityStatement and the OpenAPI document need to know about it.
#include <span>
#include <string_view>

#include "base/result.hpp"
#include "rest/context.hpp"
#include "rest/http.hpp"

namespace rest {

using Handler = base::Result<Response> (*)(Context&);

// Where a route is mounted: under the FHIR base (/r4, /fhir/r4, /fhir), at the root, or both.
enum class Mount { fhir, root, both };

// The FHIR level an interaction works at, for the CapabilityStatement.
enum class Level { system, type, instance, none };

struct Route {
  Method method;
  std::string_view pattern;      // segments: literals, {type}, {id}, {vid}; e.g. "/{type}/{id}"
  std::string_view interaction;  // FHIR interaction code (read, vread, create, ...) or a name
  Level level;
  Mount mount;
  Handler handler;
  bool needs_token;              // false only for the CapabilityStatement and /healthz
};

std::span<const Route> route_table();

}  // namespace rest
