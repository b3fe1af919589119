#include "base/error.hpp"

namespace base {

Error make_error(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

const char* issue_type_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid: return "invalid";
    case ErrorCode::unauthorized: return "login";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not-found";
    case ErrorCode::method_not_allowed: return "not-supported";
    case ErrorCode::not_acceptable: return "not-supported";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::gone: return "deleted";
    case ErrorCode::precondition_failed: return "conflict";
    case ErrorCode::payload_too_large: return "too-costly";
    case ErrorCode::unsupported_media_type: return "not-supported";
    case ErrorCode::unprocessable: return "processing";
    case ErrorCode::unavailable: return "transient";
    case ErrorCode::internal: return "exception";
  }
  return "exception";
}

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid: return "invalid";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::not_acceptable: return "not_acceptable";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::gone: return "gone";
    case ErrorCode::precondition_failed: return "precondition_failed";
    case ErrorCode::payload_too_large: return "payload_too_large";
    case ErrorCode::unsupported_media_type: return "unsupported_media_type";
    case ErrorCode::unprocessable: return "unprocessable";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

}  // namespace base
