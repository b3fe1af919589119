#include "auth/jwk.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>
#include <set>

#include "auth/key_impl.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"

namespace auth {
namespace {

constexpr std::size_t kP384Bytes = 48;
constexpr const char* kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

base::Result<std::string> b64_member(const base::Json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return base::invalid(std::string("JWK member \"") + name + "\" missing");
  auto bytes = base::base64url_decode(it->get<std::string>());
  if (!bytes || bytes->empty()) return base::invalid(std::string("JWK member \"") + name + "\" is not base64url");
  return *bytes;
}

std::string opt_string(const base::Json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

base::Result<EVP_PKEY*> from_params(const char* type, OSSL_PARAM_BLD* bld) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* pkey = nullptr;
  const bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx) == 1 &&
                  EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (!ok || !pkey) return base::invalid("JWK does not describe a valid key");
  return pkey;
}

base::Result<PublicKey> rsa_from_jwk(const base::Json& j) {
  FHIR_TRY(auto n, b64_member(j, "n"));
  FHIR_TRY(auto e, b64_member(j, "e"));
  Bn bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr));
  Bn bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return base::internal_error("out of memory");
  if (BN_num_bits(bn_n.get()) < 2048) return base::invalid("RSA keys must have at least 2048 bits");
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return base::internal_error("out of memory");
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  auto pkey = from_params("RSA", bld);
  OSSL_PARAM_BLD_free(bld);
  if (!pkey) return std::move(pkey).error();
  auto impl = wrap_key(*pkey);
  FHIR_CHECK(check_supported(*pkey));
  return PublicKey(std::move(impl));
}

base::Result<PublicKey> ec_from_jwk(const base::Json& j) {
  if (opt_string(j, "crv") != "P-384") return base::invalid("only the P-384 curve is supported for EC keys");
  FHIR_TRY(auto x, b64_member(j, "x"));
  FHIR_TRY(auto y, b64_member(j, "y"));
  if (x.size() != kP384Bytes || y.size() != kP384Bytes) return base::invalid("EC P-384 coordinates must be 48 bytes");
  std::string point = "\x04" + x + y;
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  if (!bld) return base::internal_error("out of memory");
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  auto pkey = from_params("EC", bld);
  OSSL_PARAM_BLD_free(bld);
  if (!pkey) return std::move(pkey).error();
  auto impl = wrap_key(*pkey);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, *pkey, nullptr);
  const bool on_curve = ctx && EVP_PKEY_public_check(ctx) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!on_curve) return base::invalid("EC point is not on the P-384 curve");
  return PublicKey(std::move(impl));
}

base::Result<Jwk> jwk_from_json(const base::Json& j) {
  if (!j.is_object()) return base::invalid("a JWK must be a JSON object");
  for (const char* m : kPrivateMembers) {
    if (j.contains(m)) return base::invalid("a JWK with private key material was given; register public keys only");
  }
  Jwk out;
  out.kid = opt_string(j, "kid");
  out.alg = opt_string(j, "alg");
  out.use = opt_string(j, "use");
  const std::string kty = opt_string(j, "kty");
  if (kty == "RSA") {
    FHIR_TRY(out.key, rsa_from_jwk(j));
  } else if (kty == "EC") {
    FHIR_TRY(out.key, ec_from_jwk(j));
  } else {
    return base::invalid("unsupported JWK kty (RSA or EC expected)");
  }
  return out;
}

std::string bn_b64(const BIGNUM* bn, int pad) {
  std::string bytes(static_cast<std::size_t>(pad > 0 ? pad : BN_num_bytes(bn)), '\0');
  if (pad > 0) BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), pad);
  else BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  return base::base64url_encode(bytes);
}

base::Result<base::Json> jwk_object(const PublicKey& key, std::string_view kid, std::string_view alg) {
  if (key.empty()) return base::internal_error("empty key");
  EVP_PKEY* pkey = key.impl()->pkey;
  base::Json j = base::Json::object();
  if (key.type() == KeyType::rsa) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
      BN_free(n);
      return base::internal_error("cannot export RSA key");
    }
    j["kty"] = "RSA";
    j["kid"] = std::string(kid);
    j["use"] = "sig";
    j["alg"] = std::string(alg);
    j["n"] = bn_b64(n, 0);
    j["e"] = bn_b64(e, 0);
    BN_free(n);
    BN_free(e);
  } else {
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) != 1 ||
        EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) != 1) {
      BN_free(x);
      return base::internal_error("cannot export EC key");
    }
    j["kty"] = "EC";
    j["kid"] = std::string(kid);
    j["use"] = "sig";
    j["alg"] = std::string(alg);
    j["crv"] = "P-384";
    j["x"] = bn_b64(x, kP384Bytes);
    j["y"] = bn_b64(y, kP384Bytes);
    BN_free(x);
    BN_free(y);
  }
  return j;
}

}  // namespace

base::Result<Jwk> parse_jwk(std::string_view json) {
  auto j = base::parse_json(json);
  if (!j) return base::invalid("a JWK must be JSON");
  return jwk_from_json(*j);
}

base::Result<std::vector<Jwk>> parse_jwks(std::string_view json) {
  auto j = base::parse_json(json);
  if (!j || !j->is_object()) return base::invalid("a JWK Set must be a JSON object {\"keys\": [...]}");
  auto keys = j->find("keys");
  if (keys == j->end() || !keys->is_array()) return base::invalid("a JWK Set needs a \"keys\" array");
  std::vector<Jwk> out;
  std::set<std::string> kids;
  for (const auto& k : *keys) {
    if (!k.is_object()) return base::invalid("a JWK Set entry is not an object");
    for (const char* m : kPrivateMembers) {
      if (k.contains(m)) return base::invalid("a JWK with private key material was given; register public keys only");
    }
    const std::string use = opt_string(k, "use");
    const std::string kty = opt_string(k, "kty");
    if (!use.empty() && use != "sig") continue;
    if (kty != "RSA" && kty != "EC") continue;
    if (kty == "EC" && opt_string(k, "crv") != "P-384") continue;
    FHIR_TRY(auto jwk, jwk_from_json(k));
    if (!jwk.kid.empty() && !kids.insert(jwk.kid).second) return base::invalid("two keys share kid \"" + jwk.kid + "\"");
    out.push_back(std::move(jwk));
  }
  if (out.empty()) return base::invalid("the JWK Set has no usable signing key (RSA >= 2048 or EC P-384)");
  return out;
}

base::Result<std::string> jwk_json(const PublicKey& key, std::string_view kid, std::string_view alg) {
  FHIR_TRY(auto j, jwk_object(key, kid, alg));
  return base::dump_compact(j);
}

base::Result<std::string> jwks_json(const std::vector<Jwk>& keys) {
  base::Json arr = base::Json::array();
  for (const auto& k : keys) {
    FHIR_TRY(auto j, jwk_object(k.key, k.kid, k.alg));
    arr.push_back(std::move(j));
  }
  base::Json doc = base::Json::object();
  doc["keys"] = std::move(arr);
  return base::dump_compact(doc);
}

}  // namespace auth
