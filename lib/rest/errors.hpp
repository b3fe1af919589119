#pragma once
// The ONE place an ErrorCode becomes an HTTP status, and an Error becomes an error Response.
#include <string_view>

#include "base/error.hpp"
#include "rest/http.hpp"
#include "rest/services.hpp"

namespace rest {

int http_status(base::ErrorCode code);
// Reason phrase, e.g. 404 -> "Not Found".
std::string_view status_text(int status);

// An OperationOutcome response for `error`. Internal errors are logged through
// services.log_error and the client sees a generic message with a reference id only.
Response error_response(const Services& services, const base::Error& error);

}  // namespace rest
