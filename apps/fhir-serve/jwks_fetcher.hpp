#pragma once
// The jwks_uri fetcher lib/auth uses for private_key_jwt clients that registered a jwks_uri: HTTPS
// only, the server certificate verified against the system trust store, no redirects, a bounded
// time and size. (lib/ has no HTTP client; this is the app's.)
#include <chrono>
#include <cstddef>

#include "auth/client_auth.hpp"

namespace serve {

struct FetchLimits {
  std::chrono::seconds timeout{5};        // connect, each read, and the whole transfer (x2)
  std::size_t max_bytes = 64 * 1024;      // a JWK Set larger than this is refused
};

// Errors the returned function gives: invalid (not an https URL), unavailable (connection, TLS or
// certificate failure, timeout, status other than 200, body over the limit).
auth::JwksFetcher make_jwks_fetcher(FetchLimits limits = {});

}  // namespace serve
