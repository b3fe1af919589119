#include "rest/errors.hpp"

#include "base/uuid.hpp"
#include "model/operation_outcome.hpp"
#include "rest/fhir_io.hpp"

namespace rest {

int http_status(base::ErrorCode code) {
  using base::ErrorCode;
  switch (code) {
    case ErrorCode::invalid: return 400;
    case ErrorCode::unauthorized: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::not_acceptable: return 406;
    case ErrorCode::conflict: return 409;
    case ErrorCode::gone: return 410;
    case ErrorCode::precondition_failed: return 412;
    case ErrorCode::payload_too_large: return 413;
    case ErrorCode::unsupported_media_type: return 415;
    case ErrorCode::unprocessable: return 422;
    case ErrorCode::unavailable: return 503;
    case ErrorCode::internal: return 500;
  }
  return 500;
}

std::string_view status_text(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

Response error_response(const Services& services, const base::Error& error) {
  Response res;
  res.status = http_status(error.code);
  res.content_type = std::string(kFhirJson);
  if (error.code == base::ErrorCode::internal) {
    const std::string ref = base::new_uuid();
    if (services.log_error) services.log_error("internal error " + ref + ": " + error.message);
    res.body = model::operation_outcome(
        "error", "exception", "The server failed to process the request (reference " + ref + ")");
  } else {
    res.body = model::operation_outcome(error);
  }
  if (!error.allow.empty()) res.set_header("Allow", error.allow);
  return res;
}

}  // namespace rest
