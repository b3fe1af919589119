#pragma once
// Batch and transaction Bundles (POST to the FHIR base).
#include <string>

#include "base/json.hpp"
#include "base/result.hpp"
#include "rest/context.hpp"

namespace rest {

// Processes a batch or transaction Bundle and returns the response Bundle's JSON.
// Transaction: every entry in one database transaction, processed in the FHIR order (DELETE,
// POST, PUT, GET); `urn:uuid:` fullUrls of created resources get server ids and every reference to
// them in the Bundle is rewritten; any failing entry fails the whole Bundle with that entry's
// error (its index in the message) and nothing is stored.
// Batch: entries are independent; a failing entry gets its own status and OperationOutcome.
// Errors: invalid for a Bundle that is not a batch or transaction or has a malformed entry.
base::Result<std::string> process_bundle(Context& ctx, base::Json bundle);

}  // namespace rest
