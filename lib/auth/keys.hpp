#pragma once
// Our signing keys: RSA 2048, RS256, stored in the database (auth_keys) so every node sharing it
// signs and verifies with the same keys. The first key is made on first open. rotate() makes a new
// active key; a retired key's public half stays published (JWKS, verification) until every token it
// signed has expired (retired_at + kAccessTokenLifeS + 60 s), after which it is deleted. Private keys
// never leave this class. Thread-safe.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/clock.hpp"
#include "auth/crypto_key.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

struct KeyInfo {
  std::string kid;
  std::int64_t created_s = 0;
  std::optional<std::int64_t> retired_s;  // nullopt for the active key
  bool active = false;
};

class KeyRing {
 public:
  // Loads the keys, creating the first one when there is none. `reload_every` bounds how stale this
  // node's view is after another process (fhirctl keys rotate) rotates. Errors: internal (database,
  // OpenSSL, a stored key that does not load).
  static base::Result<std::unique_ptr<KeyRing>> open(sql::Database& db, Clock clock,
                                                     std::chrono::milliseconds reload_every = std::chrono::seconds(5));

  // Signs a JWT payload (JSON object text) with the active key: RS256, typ JWT, kid set.
  // Errors: invalid (payload not a JSON object), internal.
  base::Result<std::string> sign(std::string_view payload_json) const;

  // The published public key with this kid (active or retired and still published). Reloads from the
  // database (rate limited) when the kid is unknown, so a key rotated on another node is found.
  // Errors: unauthorized "unknown signing key".
  base::Result<PublicKey> public_key(std::string_view kid) const;

  // The JWKS document of every published key. Errors: internal.
  base::Result<std::string> jwks_json() const;

  // Makes a new active key and retires the current one; prunes keys past their publication window.
  // Returns the new kid. Errors: internal.
  base::Result<std::string> rotate();

  // Every stored key, newest first. Errors: internal.
  base::Result<std::vector<KeyInfo>> list() const;

  ~KeyRing();

 private:
  struct State;
  KeyRing(sql::Database& db, Clock clock, std::chrono::milliseconds reload_every);
  base::Status reload_locked() const;
  base::Status maybe_reload() const;

  sql::Database& db_;
  Clock clock_;
  std::chrono::milliseconds reload_every_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const State> state_;
  mutable std::chrono::steady_clock::time_point loaded_at_{};
};

}  // namespace auth
