#pragma once
// The revocation generation: one counter row (auth_state) bumped in the same transaction as every
// change that can make a live access token bad (token/grant revocation, client disable, user
// disable, patient opt-out, code replay). Verifiers on every node poll it cheaply and drop their
// cached verdicts when it moved.
#include <cstdint>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

// Increments the generation on `conn` (a writer, usually inside the caller's transaction).
// Errors: internal.
base::Status bump_revocation_generation(sql::Connection& conn);

// The current generation. Errors: internal.
base::Result<std::int64_t> revocation_generation(sql::Connection& conn);

}  // namespace auth
