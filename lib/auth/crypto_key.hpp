#pragma once
// Asymmetric key handles over OpenSSL EVP_PKEY, without OpenSSL in the header. Supported: RSA
// (>= 2048 bits) and EC P-384. Copies share the same immutable key.
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace auth {

struct KeyImpl;  // owns an EVP_PKEY (crypto_key.cpp)

enum class KeyType { rsa, ec_p384 };

class PublicKey {
 public:
  PublicKey() = default;
  explicit PublicKey(std::shared_ptr<const KeyImpl> impl) : impl_(std::move(impl)) {}
  bool empty() const { return !impl_; }
  KeyType type() const;   // precondition: !empty()
  int bits() const;       // RSA modulus bits or 384
  const KeyImpl* impl() const { return impl_.get(); }

 private:
  std::shared_ptr<const KeyImpl> impl_;
};

class PrivateKey {
 public:
  PrivateKey() = default;
  explicit PrivateKey(std::shared_ptr<const KeyImpl> impl) : impl_(std::move(impl)) {}
  bool empty() const { return !impl_; }
  KeyType type() const;    // precondition: !empty()
  PublicKey public_key() const;  // the public half (shares the EVP_PKEY)
  const KeyImpl* impl() const { return impl_.get(); }

 private:
  std::shared_ptr<const KeyImpl> impl_;
};

// A fresh RSA key (`bits` >= 2048). Errors: invalid for bits < 2048; internal when OpenSSL fails.
base::Result<PrivateKey> generate_rsa_key(int bits = 2048);
// A fresh EC P-384 key. Errors: internal when OpenSSL fails.
base::Result<PrivateKey> generate_ec_p384_key();

// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"; traditional RSA/EC PEM also read). Errors: invalid when
// the text is not such a key or the key is of an unsupported type / size (never echoes the text).
base::Result<PrivateKey> private_key_from_pem(std::string_view pem);
// Unencrypted PKCS#8 PEM. Errors: internal when OpenSSL fails.
base::Result<std::string> private_key_to_pem(const PrivateKey& key);
// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"). Errors: as private_key_from_pem.
base::Result<PublicKey> public_key_from_pem(std::string_view pem);
// SubjectPublicKeyInfo PEM. Errors: internal when OpenSSL fails.
base::Result<std::string> public_key_to_pem(const PublicKey& key);

}  // namespace auth
