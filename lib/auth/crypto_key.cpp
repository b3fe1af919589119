#include "auth/crypto_key.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstring>

#include "auth/key_impl.hpp"

namespace auth {
namespace {

bool is_p384(EVP_PKEY* pkey) {
  char name[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) != 1) return false;
  return std::strcmp(name, "secp384r1") == 0 || std::strcmp(name, "P-384") == 0;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

base::Status check_supported(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    if (EVP_PKEY_get_bits(pkey) < 2048) return base::invalid("RSA keys must have at least 2048 bits");
    return {};
  }
  if (EVP_PKEY_is_a(pkey, "EC")) {
    if (!is_p384(pkey)) return base::invalid("only the P-384 curve is supported for EC keys");
    return {};
  }
  return base::invalid("unsupported key type (RSA or EC P-384 expected)");
}

KeyType PublicKey::type() const { return EVP_PKEY_is_a(impl_->pkey, "RSA") ? KeyType::rsa : KeyType::ec_p384; }
int PublicKey::bits() const { return EVP_PKEY_get_bits(impl_->pkey); }
KeyType PrivateKey::type() const { return EVP_PKEY_is_a(impl_->pkey, "RSA") ? KeyType::rsa : KeyType::ec_p384; }
PublicKey PrivateKey::public_key() const { return PublicKey(impl_); }

base::Result<PrivateKey> generate_rsa_key(int bits) {
  if (bits < 2048) return base::invalid("RSA keys must have at least 2048 bits");
  EVP_PKEY* pkey = EVP_RSA_gen(static_cast<unsigned>(bits));
  if (!pkey) return base::internal_error("RSA key generation failed");
  return PrivateKey(wrap_key(pkey));
}

base::Result<PrivateKey> generate_ec_p384_key() {
  EVP_PKEY* pkey = EVP_EC_gen("P-384");
  if (!pkey) return base::internal_error("EC key generation failed");
  return PrivateKey(wrap_key(pkey));
}

base::Result<PrivateKey> private_key_from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return base::internal_error("out of memory");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!pkey) return base::invalid("not a PEM private key");
  auto key = wrap_key(pkey);
  FHIR_CHECK(check_supported(pkey));
  return PrivateKey(std::move(key));
}

base::Result<std::string> private_key_to_pem(const PrivateKey& key) {
  if (key.empty()) return base::internal_error("empty key");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.impl()->pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return base::internal_error("cannot write private key");
  }
  return bio_text(bio.get());
}

base::Result<PublicKey> public_key_from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return base::internal_error("out of memory");
  EVP_PKEY* pkey = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!pkey) return base::invalid("not a PEM public key");
  auto key = wrap_key(pkey);
  FHIR_CHECK(check_supported(pkey));
  return PublicKey(std::move(key));
}

base::Result<std::string> public_key_to_pem(const PublicKey& key) {
  if (key.empty()) return base::internal_error("empty key");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.impl()->pkey) != 1) {
    return base::internal_error("cannot write public key");
  }
  return bio_text(bio.get());
}

}  // namespace auth
