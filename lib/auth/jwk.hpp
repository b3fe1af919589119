#pragma once
// JSON Web Keys (RFC 7517/7518): public RSA (n, e) and EC P-384 (crv, x, y) keys, JWK Sets, and
// exporting our own public keys as a JWKS document.
#include <string>
#include <string_view>
#include <vector>

#include "auth/crypto_key.hpp"
#include "base/result.hpp"

namespace auth {

struct Jwk {
  std::string kid;  // may be empty in a client's set (then only a set of one key can be used)
  std::string alg;  // as declared, may be empty
  std::string use;  // "sig" or empty
  PublicKey key;
};

// One public JWK (a JSON object as text). Errors: invalid when it is not JSON, kty is not RSA/EC,
// crv is not P-384, a member is missing or not base64url, the RSA modulus is under 2048 bits, the
// EC point is not on the curve, or private members (d, p, q, ...) are present.
base::Result<Jwk> parse_jwk(std::string_view json);

// A JWK Set {"keys": [...]}. Keys with use other than "sig" or of an unsupported kty/crv are
// skipped; a key that is malformed or carries private members fails the whole set. Errors: invalid
// (not a set, a bad key, no usable key, two keys with the same kid).
base::Result<std::vector<Jwk>> parse_jwks(std::string_view json);

// A public key as a JWK object text: {"kty","kid","use":"sig","alg", n/e or crv/x/y}.
// Errors: internal when OpenSSL cannot export the key.
base::Result<std::string> jwk_json(const PublicKey& key, std::string_view kid, std::string_view alg);

// A JWK Set document {"keys": [...]} for `keys` (each with kid and alg). Errors: as jwk_json.
base::Result<std::string> jwks_json(const std::vector<Jwk>& keys);

}  // namespace auth
