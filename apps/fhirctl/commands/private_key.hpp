#pragma once
// A client's private key for `fhirctl token get --key FILE`: a private JWK (RSA with n, e, d, p, q,
// dp, dq, qi; or EC P-384 with crv, x, y, d) or a PEM private key, loaded into lib/auth's PrivateKey
// with the JWS algorithm it signs client assertions with (RS384 for RSA, ES384 for EC P-384).
#include <string>

#include "auth/crypto_key.hpp"
#include "auth/jwt.hpp"
#include "base/result.hpp"

namespace fhirctl {

struct ClientKey {
  auth::PrivateKey key;
  auth::JwsAlg alg = auth::JwsAlg::RS384;
  std::string kid;  // from the JWK; empty for PEM (the server then needs a key set of one key)
};

// Parses the text of a key file. Errors: invalid when it is neither a private JWK nor a PEM private
// key, or the key is unsupported (RSA under 2048 bits, an EC curve other than P-384); the message
// never quotes the key.
base::Result<ClientKey> load_client_key(const std::string& text);

}  // namespace fhirctl
