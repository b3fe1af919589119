#include "auth/jwt.hpp"

#include <gtest/gtest.h>

#include "auth/crypto_key.hpp"
#include "base/crypto.hpp"

namespace auth {
namespace {

constexpr const char* kPayload = "{\"iss\":\"me\",\"sub\":\"you\",\"aud\":[\"a\",\"b\"],\"exp\":2000000000,\"iat\":1000,\"jti\":\"j1\"}";

struct Keys {
  PrivateKey rsa = *generate_rsa_key(2048);
  PrivateKey ec = *generate_ec_p384_key();
};

const Keys& keys() {
  static const Keys k;
  return k;
}

std::string segment(std::string_view json) { return base::base64url_encode(json); }

std::vector<std::string> split(const std::string& t) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    auto j = t.find('.', i);
    out.push_back(t.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

TEST(Jwt, SignsAndVerifiesAllThreeAlgorithms) {
  for (auto [alg, key] : {std::pair{JwsAlg::RS256, keys().rsa}, std::pair{JwsAlg::RS384, keys().rsa},
                          std::pair{JwsAlg::ES384, keys().ec}}) {
    auto token = sign_jws(alg, key, "k1", kPayload);
    ASSERT_TRUE(token.ok()) << alg_name(alg);
    auto v = verify_jws(*token, key.public_key(), {alg});
    ASSERT_TRUE(v.ok()) << alg_name(alg) << ": " << v.error().message;
    EXPECT_EQ(v->payload, kPayload);
    EXPECT_EQ(v->header.kid, "k1");
    EXPECT_EQ(v->header.alg, alg_name(alg));
    EXPECT_EQ(v->alg, alg);
  }
}

TEST(Jwt, Es384SignatureIsRaw96Bytes) {
  auto token = sign_jws(JwsAlg::ES384, keys().ec, "", kPayload);
  ASSERT_TRUE(token.ok());
  auto sig = base::base64url_decode(split(*token)[2]);
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->size(), 96u);
}

TEST(Jwt, AlgorithmOutsideTheAllowListIsRefused) {
  auto token = sign_jws(JwsAlg::RS384, keys().rsa, "", kPayload);
  ASSERT_TRUE(token.ok());
  auto v = verify_jws(*token, keys().rsa.public_key(), {JwsAlg::RS256});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, base::ErrorCode::unauthorized);
  EXPECT_EQ(v.error().message, "token algorithm not allowed");
}

TEST(Jwt, KeyOfTheWrongTypeIsRefused) {
  // An "ES384" token checked against an RSA key, and the converse.
  auto es = sign_jws(JwsAlg::ES384, keys().ec, "", kPayload);
  ASSERT_TRUE(es.ok());
  EXPECT_FALSE(verify_jws(*es, keys().rsa.public_key(), {JwsAlg::ES384, JwsAlg::RS384}).ok());
  EXPECT_FALSE(sign_jws(JwsAlg::RS256, keys().ec, "", kPayload).ok());
}

TEST(Jwt, AlgNoneIsRefused) {
  const std::string token = segment("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + segment(kPayload) + ".";
  EXPECT_FALSE(verify_jws(token, keys().rsa.public_key(), {JwsAlg::RS256}).ok());
  // Even with some signature bytes after the dot.
  const std::string token2 = segment("{\"alg\":\"none\"}") + "." + segment(kPayload) + ".AAAA";
  auto v = verify_jws(token2, keys().rsa.public_key(), {JwsAlg::RS256, JwsAlg::RS384, JwsAlg::ES384});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "token algorithm not allowed");
}

TEST(Jwt, Hs256SignedWithThePublicKeyIsRefused) {
  auto pem = public_key_to_pem(keys().rsa.public_key());
  ASSERT_TRUE(pem.ok());
  const std::string input = segment("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + segment(kPayload);
  const std::string token = input + "." + base::base64url_encode(base::hmac_sha256(*pem, input));
  auto v = verify_jws(token, keys().rsa.public_key(), {JwsAlg::RS256, JwsAlg::RS384, JwsAlg::ES384});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "token algorithm not allowed");
}

TEST(Jwt, TamperedPayloadOrHeaderFails) {
  auto token = sign_jws(JwsAlg::RS256, keys().rsa, "k1", kPayload);
  ASSERT_TRUE(token.ok());
  auto parts = split(*token);
  const std::string evil_payload = segment("{\"iss\":\"me\",\"sub\":\"admin\",\"exp\":2000000000}");
  auto v = verify_jws(parts[0] + "." + evil_payload + "." + parts[2], keys().rsa.public_key(), {JwsAlg::RS256});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "bad token signature");
  const std::string other_header = segment("{\"alg\":\"RS256\",\"kid\":\"k2\"}");
  EXPECT_FALSE(verify_jws(other_header + "." + parts[1] + "." + parts[2], keys().rsa.public_key(), {JwsAlg::RS256}).ok());
  // A flipped signature bit.
  std::string sig = *base::base64url_decode(parts[2]);
  sig[10] ^= 1;
  EXPECT_FALSE(verify_jws(parts[0] + "." + parts[1] + "." + base::base64url_encode(sig), keys().rsa.public_key(),
                          {JwsAlg::RS256})
                   .ok());
  // Another key.
  auto other = generate_rsa_key(2048);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(verify_jws(*token, other->public_key(), {JwsAlg::RS256}).ok());
}

TEST(Jwt, MalformedCompactFormsFail) {
  auto token = sign_jws(JwsAlg::RS256, keys().rsa, "", kPayload);
  ASSERT_TRUE(token.ok());
  auto p = split(*token);
  const std::vector<std::string> bad = {
      "",
      "abc",
      p[0] + "." + p[1],
      p[0] + "." + p[1] + "." + p[2] + ".x",
      p[0] + ".." + p[2],
      "." + p[1] + "." + p[2],
      p[0] + "." + p[1] + "=." + p[2],       // padding
      p[0] + "." + p[1] + "." + p[2] + "=",  // padding
      p[0] + "." + p[1] + "!" + "." + p[2],  // not base64url
      segment("[1,2]") + "." + p[1] + "." + p[2],
      segment("{\"alg\":5}") + "." + p[1] + "." + p[2],
      segment("not json") + "." + p[1] + "." + p[2],
      segment("{\"alg\":\"RS256\",\"crit\":[\"x\"],\"x\":1}") + "." + p[1] + "." + p[2],
      std::string(20000, 'a'),
  };
  for (const auto& t : bad) {
    auto v = verify_jws(t, keys().rsa.public_key(), {JwsAlg::RS256});
    EXPECT_FALSE(v.ok()) << t.substr(0, 80);
    if (!v.ok()) {
      EXPECT_EQ(v.error().code, base::ErrorCode::unauthorized);
    }
  }
}

TEST(Jwt, KeyLookupByKidAndUnknownKid) {
  auto token = sign_jws(JwsAlg::RS256, keys().rsa, "known", kPayload);
  ASSERT_TRUE(token.ok());
  auto lookup = [](const JwsHeader& h) -> base::Result<PublicKey> {
    if (h.kid == "known") return keys().rsa.public_key();
    return base::make_error(base::ErrorCode::unauthorized, "unknown signing key");
  };
  EXPECT_TRUE(verify_jws(*token, lookup, {JwsAlg::RS256}).ok());
  auto other = sign_jws(JwsAlg::RS256, keys().rsa, "stranger", kPayload);
  auto v = verify_jws(*other, lookup, {JwsAlg::RS256});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "unknown signing key");
  auto h = peek_header(*other);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->kid, "stranger");
  EXPECT_EQ(h->typ, "JWT");
}

TEST(Jwt, PayloadMustBeAnObject) {
  EXPECT_FALSE(sign_jws(JwsAlg::RS256, keys().rsa, "", "[1]").ok());
  EXPECT_FALSE(sign_jws(JwsAlg::RS256, keys().rsa, "", "nope").ok());
}

TEST(Jwt, ClaimsAndTimes) {
  auto c = parse_claims(kPayload);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->iss, "me");
  EXPECT_EQ(c->sub, "you");
  EXPECT_TRUE(c->has_aud("a"));
  EXPECT_TRUE(c->has_aud("b"));
  EXPECT_FALSE(c->has_aud("c"));
  EXPECT_EQ(*c->exp, 2000000000);
  EXPECT_TRUE(check_times(*c, 1999999999).ok());
  auto expired = check_times(*c, 2000000000);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().message, "token expired");
  EXPECT_FALSE(check_times(*parse_claims("{\"iss\":\"x\"}"), 0).ok());  // no exp
  EXPECT_FALSE(check_times(*parse_claims("{\"exp\":100,\"nbf\":50}"), 10).ok());
  EXPECT_TRUE(parse_claims("{\"aud\":\"one\"}")->has_aud("one"));
  EXPECT_FALSE(parse_claims("{\"exp\":\"soon\"}").ok());
  EXPECT_FALSE(parse_claims("{\"aud\":[1]}").ok());
  EXPECT_FALSE(parse_claims("{\"iss\":3}").ok());
  EXPECT_FALSE(parse_claims("[]").ok());
}

TEST(Jwt, AlgNames) {
  EXPECT_EQ(parse_alg("RS256"), JwsAlg::RS256);
  EXPECT_EQ(parse_alg("ES384"), JwsAlg::ES384);
  EXPECT_FALSE(parse_alg("none"));
  EXPECT_FALSE(parse_alg("HS256"));
  EXPECT_FALSE(parse_alg("rs256"));
}

}  // namespace
}  // namespace auth
