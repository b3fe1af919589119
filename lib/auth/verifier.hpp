#pragma once
// The TokenVerifier (principal.hpp) over our own access tokens. verify(): signature with a published
// KeyRing key chosen by kid, alg RS256 only, iss and aud = our FHIR base, exp (injected clock); then
// the state: token recorded and not revoked, client enabled, grant not revoked, user not disabled,
// patient API access on. Verdicts (good and bad) are cached by token string in a bounded cache; the
// cache is dropped whenever the revocation generation (revocation.hpp) moves, which this verifier
// polls at most every `recheck` — so revocations reach every node sharing the database within
// about `recheck` plus a query. Expiry is re-checked on every call. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "auth/clock.hpp"
#include "auth/keys.hpp"
#include "auth/principal.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

struct VerifierOptions {
  std::chrono::milliseconds recheck{250};  // revocation generation poll interval
  std::size_t max_entries = 10000;        // cached tokens (oldest dropped)
};

class JwtTokenVerifier final : public TokenVerifier {
 public:
  // `fhir_base`: the expected iss and aud.
  JwtTokenVerifier(sql::Database& db, Clock clock, const KeyRing& keys, std::string fhir_base,
                   VerifierOptions options = {});
  ~JwtTokenVerifier() override;

  // See TokenVerifier. Errors: unauthorized ("malformed token", "bad token signature", "token
  // expired", "token revoked", "client disabled", "authorization revoked", "patient API access
  // off", ...); internal when the database fails.
  base::Result<Principal> verify(std::string_view bearer) const override;

 private:
  struct Cache;
  base::Result<Principal> verify_uncached(std::string_view bearer, std::int64_t& exp_s) const;

  sql::Database& db_;
  Clock clock_;
  const KeyRing& keys_;
  std::string fhir_base_;
  VerifierOptions options_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace auth
