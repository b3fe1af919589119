#pragma once
// Internal to lib/auth (crypto_key, jwt, jwk): the OpenSSL key behind PublicKey / PrivateKey.
#include <openssl/evp.h>

#include <memory>

#include "auth/crypto_key.hpp"

namespace auth {

struct KeyImpl {
  EVP_PKEY* pkey = nullptr;  // owned
  explicit KeyImpl(EVP_PKEY* k) : pkey(k) {}
  KeyImpl(const KeyImpl&) = delete;
  KeyImpl& operator=(const KeyImpl&) = delete;
  ~KeyImpl() { EVP_PKEY_free(pkey); }
};

// Takes ownership of `pkey` (non-null).
inline std::shared_ptr<const KeyImpl> wrap_key(EVP_PKEY* pkey) { return std::make_shared<const KeyImpl>(pkey); }

// Checks a loaded key is one we support (RSA >= 2048 bits, EC P-384). Errors: invalid.
base::Status check_supported(EVP_PKEY* pkey);

}  // namespace auth
