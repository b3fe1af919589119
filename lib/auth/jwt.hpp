#pragma once
// Compact JWS (RFC 7515) / JWT (RFC 7519) with OpenSSL EVP: RS256, RS384, ES384. ES384 signatures
// are the raw R||S form (96 bytes) JWS requires, converted to and from DER inside. Verification
// takes an explicit allow-list of algorithms: `none`, HS256/HS384/HS512 (including HMAC "signed"
// with a public key), unknown algs, algs outside the list, a key of the wrong type, malformed
// segments and bad base64url are all refused. JSON stays in the .cpp: payloads cross as JSON text.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/crypto_key.hpp"
#include "base/result.hpp"

namespace auth {

enum class JwsAlg { RS256, RS384, ES384 };

// "RS256", "RS384", "ES384".
std::string_view alg_name(JwsAlg alg);
// The alg for a name; nullopt for anything else (including "none", "HS256").
std::optional<JwsAlg> parse_alg(std::string_view name);
// True when `key` can make/check `alg` signatures (RS* needs RSA, ES384 needs EC P-384).
bool key_fits_alg(const PublicKey& key, JwsAlg alg);

struct JwsHeader {
  std::string alg;  // as written (may be an alg we refuse)
  std::string kid;  // empty when absent
  std::string typ;  // empty when absent
};

// Signs `payload_json` (a JSON object as text, used verbatim) into a compact JWS with header
// {"alg","typ","kid"} (typ/kid omitted when empty). Errors: invalid when the key does not fit the
// alg or the payload is not a JSON object; internal when OpenSSL fails.
base::Result<std::string> sign_jws(JwsAlg alg, const PrivateKey& key, std::string_view kid,
                                   std::string_view payload_json, std::string_view typ = "JWT");

// The decoded header without checking anything else (to pick a key by kid). Errors: unauthorized
// "malformed token" when the text is not three base64url segments or the header is not a JSON
// object with a string alg.
base::Result<JwsHeader> peek_header(std::string_view compact);

struct VerifiedJws {
  JwsHeader header;
  JwsAlg alg = JwsAlg::RS256;
  std::string payload;  // the payload JSON text (verified)
};

// Checks the signature of `compact` with `key`. Errors: unauthorized with a safe message
// ("malformed token", "token algorithm not allowed", "bad token signature") — never the token.
base::Result<VerifiedJws> verify_jws(std::string_view compact, const PublicKey& key,
                                     std::initializer_list<JwsAlg> allowed);

// As above, with the key chosen from the header (by kid) by `key_for`; its errors pass through
// (return unauthorized "unknown signing key" for an unknown kid).
using KeyLookup = std::function<base::Result<PublicKey>(const JwsHeader&)>;
base::Result<VerifiedJws> verify_jws(std::string_view compact, const KeyLookup& key_for,
                                     std::initializer_list<JwsAlg> allowed);

// The registered claims of a JWT payload (RFC 7519 section 4.1). `aud` may be a string or an array.
struct JwtClaims {
  std::string iss, sub, jti;
  std::vector<std::string> aud;
  std::optional<std::int64_t> exp, iat, nbf;  // NumericDate, seconds
  std::string json;                           // the whole payload, for private claims

  bool has_aud(std::string_view a) const;
};

// Parses a payload. Errors: unauthorized "malformed token claims" when it is not a JSON object or a
// registered claim has the wrong JSON type.
base::Result<JwtClaims> parse_claims(std::string_view payload_json);

// Time checks: exp required and > now (with `leeway_s`), nbf (if any) <= now + leeway.
// Errors: unauthorized "token expired" / "token not yet valid" / "token has no exp".
base::Status check_times(const JwtClaims& claims, std::int64_t now_s, std::int64_t leeway_s = 0);

}  // namespace auth
