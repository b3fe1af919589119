#pragma once
// Shared request/response plumbing for FHIR handlers: body parsing and checks, resource responses
// with ETag/Last-Modified/Location, and Prefer handling.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/json.hpp"
#include "base/result.hpp"
#include "rest/context.hpp"
#include "store/resource_store.hpp"

namespace rest {

inline constexpr std::string_view kFhirJson = "application/fhir+json; charset=utf-8";

// not_found when `type` is not an R4 resource type.
base::Status check_type(std::string_view type);
// invalid when `id` does not match [A-Za-z0-9\-\.]{1,64}.
base::Status check_id(std::string_view id);

// The request body as a resource: requires a JSON content type (415 otherwise), a non-empty body,
// a JSON object with a known resourceType that equals `expected_type` when given, and passes
// model::validate_resource. Errors: unsupported_media_type, invalid.
base::Result<base::Json> read_resource_body(const Context& ctx, std::string_view expected_type);

// 200/201 response carrying a stored resource, with ETag, Last-Modified and (for 201) Location.
Response resource_response(const Context& ctx, const store::StoredResource& r, int status);

// Response to a write, honouring `Prefer: return=minimal|representation|OperationOutcome`.
Response write_response(const Context& ctx, const store::WriteResult& w, int status);

// W/"3" (or "3", or 3) -> 3; nullopt when malformed.
std::optional<std::int64_t> parse_etag_version(std::string_view etag);
std::string etag_for(std::int64_t version);

// The If-Match header's version. Errors: invalid when present but not an ETag.
base::Result<std::optional<std::int64_t>> if_match_version(const Context& ctx);

// Absolute URL of a resource version: {base}/{type}/{id}/_history/{version}.
std::string version_url(const Context& ctx, const store::StoredResource& r);

}  // namespace rest
