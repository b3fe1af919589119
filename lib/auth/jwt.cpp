#include "auth/jwt.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "auth/key_impl.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"

namespace auth {
namespace {

constexpr std::size_t kEs384Half = 48;
constexpr std::size_t kMaxTokenSize = 16 * 1024;

base::Error malformed() { return base::make_error(base::ErrorCode::unauthorized, "malformed token"); }
base::Error bad_signature() { return base::make_error(base::ErrorCode::unauthorized, "bad token signature"); }

const EVP_MD* digest_for(JwsAlg alg) { return alg == JwsAlg::RS256 ? EVP_sha256() : EVP_sha384(); }

bool is_b64url(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

struct Parts {
  std::string_view header, payload, signature, signing_input;
};

std::optional<Parts> split(std::string_view compact) {
  if (compact.size() > kMaxTokenSize) return std::nullopt;
  const auto d1 = compact.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  const auto d2 = compact.find('.', d1 + 1);
  if (d2 == std::string_view::npos || compact.find('.', d2 + 1) != std::string_view::npos) return std::nullopt;
  Parts p{compact.substr(0, d1), compact.substr(d1 + 1, d2 - d1 - 1), compact.substr(d2 + 1), compact.substr(0, d2)};
  if (p.header.empty() || p.payload.empty() || p.signature.empty()) return std::nullopt;
  if (!is_b64url(p.header) || !is_b64url(p.payload) || !is_b64url(p.signature)) return std::nullopt;
  return p;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

// DER ECDSA-Sig-Value -> R||S (48 bytes each).
std::optional<std::string> der_to_raw(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (!sig) return std::nullopt;
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig, &r, &s);
  std::string out(2 * kEs384Half, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  const bool ok = BN_bn2binpad(r, o, kEs384Half) == static_cast<int>(kEs384Half) &&
                  BN_bn2binpad(s, o + kEs384Half, kEs384Half) == static_cast<int>(kEs384Half);
  ECDSA_SIG_free(sig);
  if (!ok) return std::nullopt;
  return out;
}

// R||S -> DER.
std::optional<std::string> raw_to_der(std::string_view raw) {
  if (raw.size() != 2 * kEs384Half) return std::nullopt;
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(in, kEs384Half, nullptr);
  BIGNUM* s = BN_bin2bn(in + kEs384Half, kEs384Half, nullptr);
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!r || !s || !sig || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (len <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool verify_signature(JwsAlg alg, const PublicKey& key, std::string_view input, std::string_view sig) {
  std::string der;
  if (alg == JwsAlg::ES384) {
    auto d = raw_to_der(sig);
    if (!d) return false;
    der = std::move(*d);
    sig = der;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, digest_for(alg), nullptr, key.impl()->pkey) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

base::Result<JwsHeader> decode_header(std::string_view b64) {
  auto text = base::base64url_decode(b64);
  if (!text) return malformed();
  auto j = base::parse_json(*text);
  if (!j || !j->is_object()) return malformed();
  JwsHeader h;
  auto alg = j->find("alg");
  if (alg == j->end() || !alg->is_string()) return malformed();
  h.alg = alg->get<std::string>();
  if (auto kid = j->find("kid"); kid != j->end()) {
    if (!kid->is_string()) return malformed();
    h.kid = kid->get<std::string>();
  }
  if (auto typ = j->find("typ"); typ != j->end()) {
    if (!typ->is_string()) return malformed();
    h.typ = typ->get<std::string>();
  }
  if (j->contains("crit")) return base::make_error(base::ErrorCode::unauthorized, "unsupported critical token header");
  return h;
}

}  // namespace

std::string_view alg_name(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::RS256: return "RS256";
    case JwsAlg::RS384: return "RS384";
    case JwsAlg::ES384: return "ES384";
  }
  return "RS256";
}

std::optional<JwsAlg> parse_alg(std::string_view name) {
  if (name == "RS256") return JwsAlg::RS256;
  if (name == "RS384") return JwsAlg::RS384;
  if (name == "ES384") return JwsAlg::ES384;
  return std::nullopt;
}

bool key_fits_alg(const PublicKey& key, JwsAlg alg) {
  if (key.empty()) return false;
  return alg == JwsAlg::ES384 ? key.type() == KeyType::ec_p384 : key.type() == KeyType::rsa;
}

base::Result<std::string> sign_jws(JwsAlg alg, const PrivateKey& key, std::string_view kid,
                                   std::string_view payload_json, std::string_view typ) {
  if (key.empty() || !key_fits_alg(key.public_key(), alg)) return base::invalid("the key does not fit the algorithm");
  auto payload = base::parse_json(payload_json);
  if (!payload || !payload->is_object()) return base::invalid("a JWT payload must be a JSON object");
  base::Json header = base::Json::object();
  header["alg"] = std::string(alg_name(alg));
  if (!typ.empty()) header["typ"] = std::string(typ);
  if (!kid.empty()) header["kid"] = std::string(kid);
  std::string input = base::base64url_encode(base::dump_compact(header)) + "." + base::base64url_encode(payload_json);

  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest_for(alg), nullptr, key.impl()->pkey) != 1) {
    return base::internal_error("signing setup failed");
  }
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(input.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size()) != 1) return base::internal_error("signing failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, input.size()) != 1) {
    return base::internal_error("signing failed");
  }
  sig.resize(len);
  if (alg == JwsAlg::ES384) {
    auto raw = der_to_raw(sig);
    if (!raw) return base::internal_error("ECDSA signature conversion failed");
    sig = std::move(*raw);
  }
  return input + "." + base::base64url_encode(sig);
}

base::Result<JwsHeader> peek_header(std::string_view compact) {
  auto parts = split(compact);
  if (!parts) return malformed();
  return decode_header(parts->header);
}

base::Result<VerifiedJws> verify_jws(std::string_view compact, const KeyLookup& key_for,
                                     std::initializer_list<JwsAlg> allowed) {
  auto parts = split(compact);
  if (!parts) return malformed();
  FHIR_TRY(auto header, decode_header(parts->header));
  auto alg = parse_alg(header.alg);
  if (!alg || std::find(allowed.begin(), allowed.end(), *alg) == allowed.end()) {
    return base::make_error(base::ErrorCode::unauthorized, "token algorithm not allowed");
  }
  FHIR_TRY(PublicKey key, key_for(header));
  if (!key_fits_alg(key, *alg)) return base::make_error(base::ErrorCode::unauthorized, "token algorithm not allowed");
  auto sig = base::base64url_decode(parts->signature);
  auto payload = base::base64url_decode(parts->payload);
  if (!sig || !payload) return malformed();
  if (!verify_signature(*alg, key, parts->signing_input, *sig)) return bad_signature();
  return VerifiedJws{std::move(header), *alg, std::move(*payload)};
}

base::Result<VerifiedJws> verify_jws(std::string_view compact, const PublicKey& key,
                                     std::initializer_list<JwsAlg> allowed) {
  return verify_jws(compact, [&key](const JwsHeader&) -> base::Result<PublicKey> { return key; }, allowed);
}

bool JwtClaims::has_aud(std::string_view a) const { return std::find(aud.begin(), aud.end(), a) != aud.end(); }

base::Result<JwtClaims> parse_claims(std::string_view payload_json) {
  const auto bad = [] { return base::make_error(base::ErrorCode::unauthorized, "malformed token claims"); };
  auto j = base::parse_json(payload_json);
  if (!j || !j->is_object()) return bad();
  JwtClaims c;
  c.json = std::string(payload_json);
  for (auto [name, field] : {std::pair{"iss", &c.iss}, std::pair{"sub", &c.sub}, std::pair{"jti", &c.jti}}) {
    auto it = j->find(name);
    if (it == j->end()) continue;
    if (!it->is_string()) return bad();
    *field = it->get<std::string>();
  }
  if (auto it = j->find("aud"); it != j->end()) {
    if (it->is_string()) {
      c.aud.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const auto& a : *it) {
        if (!a.is_string()) return bad();
        c.aud.push_back(a.get<std::string>());
      }
    } else {
      return bad();
    }
  }
  for (auto [name, field] : {std::pair{"exp", &c.exp}, std::pair{"iat", &c.iat}, std::pair{"nbf", &c.nbf}}) {
    auto it = j->find(name);
    if (it == j->end()) continue;
    if (it->is_number_integer()) {
      *field = it->get<std::int64_t>();
    } else if (it->is_number_float()) {
      const double d = it->get<double>();
      if (!(d > -1e15 && d < 1e15)) return bad();
      *field = static_cast<std::int64_t>(d);
    } else {
      return bad();
    }
  }
  return c;
}

base::Status check_times(const JwtClaims& claims, std::int64_t now_s, std::int64_t leeway_s) {
  if (!claims.exp) return base::make_error(base::ErrorCode::unauthorized, "token has no exp");
  if (*claims.exp + leeway_s <= now_s) return base::make_error(base::ErrorCode::unauthorized, "token expired");
  if (claims.nbf && *claims.nbf > now_s + leeway_s) {
    return base::make_error(base::ErrorCode::unauthorized, "token not yet valid");
  }
  return {};
}

}  // namespace auth
