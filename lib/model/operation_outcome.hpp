#pragma once
// OperationOutcome: the body of every FHIR error, and of informational replies. The ONE place an
// Error becomes FHIR JSON.
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace model {

// Compact JSON of an OperationOutcome for `error`: one issue per Error::issues entry, or one issue
// built from the message (code from base::issue_type_for) when issues is empty.
std::string operation_outcome(const base::Error& error);

// A single-issue OperationOutcome, e.g. severity "information", code "informational".
std::string operation_outcome(std::string_view severity, std::string_view code,
                              std::string_view diagnostics);

}  // namespace model
