#include "commands/private_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/crypto.hpp"
#include "base/json.hpp"

namespace fhirctl {
namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Bn = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_clear_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

base::Error bad(const std::string& why) { return base::invalid("the key file is not a usable private key: " + why); }

// A base64url member's bytes.
base::Result<std::string> member(const base::Json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return bad(std::string("the JWK has no \"") + name + "\"");
  auto bytes = base::base64url_decode(it->get<std::string>());
  if (!bytes || bytes->empty()) return bad(std::string("the JWK member \"") + name + "\" is not base64url");
  return *bytes;
}

base::Result<Bn> bignum(const base::Json& jwk, const char* name) {
  FHIR_TRY(auto bytes, member(jwk, name));
  Bn bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
  if (!bn) return bad("out of memory");
  return bn;
}

// Builds an EVP_PKEY key pair of `type` ("RSA" or "EC") from params.
base::Result<Pkey> from_params(const char* type, OSSL_PARAM_BLD* bld) {
  Params params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) <= 0) {
    return bad("OpenSSL refused the key");
  }
  return Pkey(raw);
}

base::Result<Pkey> rsa_from_jwk(const base::Json& jwk) {
  ParamBld bld(OSSL_PARAM_BLD_new());
  std::vector<Bn> keep;
  const std::pair<const char*, const char*> members[] = {
      {"n", OSSL_PKEY_PARAM_RSA_N},          {"e", OSSL_PKEY_PARAM_RSA_E},
      {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
  };
  for (const auto& [name, param] : members) {
    FHIR_TRY(auto bn, bignum(jwk, name));
    if (!OSSL_PARAM_BLD_push_BN(bld.get(), param, bn.get())) return bad("OpenSSL refused the key");
    keep.push_back(std::move(bn));
  }
  return from_params("RSA", bld.get());
}

base::Result<Pkey> ec_from_jwk(const base::Json& jwk) {
  if (jwk.value("crv", "") != "P-384") return bad("only the EC curve P-384 is supported");
  FHIR_TRY(auto x, member(jwk, "x"));
  FHIR_TRY(auto y, member(jwk, "y"));
  FHIR_TRY(auto d, bignum(jwk, "d"));
  if (x.size() != 48 || y.size() != 48) return bad("x and y of a P-384 key are 48 bytes");
  const std::string point = std::string(1, '\x04') + x + y;
  ParamBld bld(OSSL_PARAM_BLD_new());
  if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "secp384r1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get())) {
    return bad("OpenSSL refused the key");
  }
  return from_params("EC", bld.get());
}

base::Result<std::string> to_pem(EVP_PKEY* pkey) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return bad("OpenSSL could not export the key");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(n));
  return pem;
}

}  // namespace

base::Result<ClientKey> load_client_key(const std::string& text) {
  ClientKey out;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    auto jwk = base::parse_json(text);
    if (!jwk || !jwk->is_object()) return bad("not a JSON object");
    const std::string kty = jwk->value("kty", "");
    base::Result<Pkey> pkey = bad("kty must be RSA or EC");
    if (kty == "RSA") pkey = rsa_from_jwk(*jwk);
    else if (kty == "EC") pkey = ec_from_jwk(*jwk);
    if (!pkey) return pkey.error();
    FHIR_TRY(auto pem, to_pem(pkey->get()));
    auto key = auth::private_key_from_pem(pem);
    OPENSSL_cleanse(pem.data(), pem.size());
    if (!key) return bad(key.error().message);
    out.key = *key;
    out.kid = jwk->value("kid", "");
  } else {
    auto key = auth::private_key_from_pem(text);
    if (!key) return bad(key.error().message);
    out.key = *key;
  }
  out.alg = out.key.type() == auth::KeyType::rsa ? auth::JwsAlg::RS384 : auth::JwsAlg::ES384;
  return out;
}

}  // namespace fhirctl
