#pragma once
// Revocations fhirctl composes from lib/auth's TokenService.
#include <string>

#include "base/result.hpp"
#include "commands/auth_context.hpp"

namespace fhirctl {

struct RevokeCounts {
  int grants = 0;  // grants revoked (with their refresh and access tokens)
  int tokens = 0;  // further live access tokens revoked by id
};

// Every grant and live access token bound to `patient_id`, across clients. A grant for the patient
// is revoked with TokenService::revoke_user(client, user): for a staff user that also ends their
// other grants of that client (lib/auth has no per-patient grant revocation yet; over-revoking is
// the safe side). Errors: invalid (empty id), internal.
base::Result<RevokeCounts> revoke_patient(AuthContext& ctx, const std::string& patient_id);

}  // namespace fhirctl
