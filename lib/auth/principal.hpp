#pragma once
// Who is calling: what a verified bearer access token stands for, and the verifier contract the
// router's guard calls on every protected request.
#include <memory>
#include <string>
#include <string_view>

#include "auth/scopes.hpp"
#include "base/result.hpp"

namespace auth {

struct Principal {
  std::string token_id;   // jti of the access token
  std::string client_id;
  std::string user;       // user id (staff or patient user); empty for backend services
  std::string fhir_user;  // "Practitioner/123", "Patient/456", ... ; empty when none
  std::string patient;    // launch/patient context (a Patient id); empty when none
  std::string encounter;  // launch/encounter context; empty when none
  std::string scope;      // granted scopes, space-separated
  // `scope` parsed, when the verifier did it (shared: a cached verdict is parsed once); null
  // otherwise, and callers parse `scope` themselves.
  std::shared_ptr<const ScopeSet> scopes;
};

class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  // Verifies a bearer access token (the text after "Bearer "): signature with one of our published
  // keys, alg, iss, aud, expiry, and that the token, its client (enabled), the user's grant for that
  // client and the patient's API access are all still good. Revocation state may be at most ~500 ms
  // stale (so revocations take effect within 1 s). Errors: unauthorized with a message safe for the
  // client (never the token itself).
  virtual base::Result<Principal> verify(std::string_view bearer) const = 0;
};

}  // namespace auth
