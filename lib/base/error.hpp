#pragma once
// Errors as values. One Error type crosses every module line; rest/ maps its code to an HTTP status
// (rest/http_status.cpp) and model/ turns it into an OperationOutcome (model/operation_outcome.cpp).
#include <string>
#include <utility>
#include <vector>

namespace base {

// What went wrong, independent of transport. Keep this list short; each maps to one HTTP status.
enum class ErrorCode {
  invalid,                 // malformed request or resource (400)
  unauthorized,            // no or bad credentials (401)
  forbidden,               // authenticated but not allowed (403)
  not_found,               // no such resource or route (404)
  method_not_allowed,      // route exists, method does not (405)
  not_acceptable,          // cannot produce the requested format (406)
  conflict,                // version or state conflict (409)
  gone,                    // deleted (410)
  precondition_failed,     // If-Match and friends (412)
  payload_too_large,       // body over the limit (413)
  unsupported_media_type,  // cannot read the body's format (415)
  unprocessable,           // well-formed but violates rules (422)
  unavailable,             // feature switched off or overloaded (503)
  internal,                // our fault (500); message never reaches a client verbatim
};

// One problem, in FHIR OperationOutcome.issue terms.
struct Issue {
  std::string severity = "error";  // fatal | error | warning | information
  std::string code;                // FHIR IssueType: invalid, structure, value, not-found, ...
  std::string diagnostics;         // what a person can act on
  std::string expression;          // FHIRPath of the offending element, when known
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;        // human-readable summary (safe to show a client unless code==internal)
  std::vector<Issue> issues;  // optional detail; when empty, one issue is derived from message

  // Extra HTTP-level detail some errors carry (e.g. the Allow header for 405).
  std::string allow;
};

// Short constructors for the common cases.
Error make_error(ErrorCode code, std::string message);
inline Error invalid(std::string m) { return make_error(ErrorCode::invalid, std::move(m)); }
inline Error not_found(std::string m) { return make_error(ErrorCode::not_found, std::move(m)); }
inline Error internal_error(std::string m) { return make_error(ErrorCode::internal, std::move(m)); }

// FHIR IssueType code for an ErrorCode (e.g. not_found -> "not-found").
const char* issue_type_for(ErrorCode code);

// Stable lowercase name of an ErrorCode, for logs and tests.
const char* to_string(ErrorCode code);

}  // namespace base
