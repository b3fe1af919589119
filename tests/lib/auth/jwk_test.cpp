#include "auth/jwk.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "base/json.hpp"

namespace auth {
namespace {

TEST(Jwk, RsaRoundTripVerifiesSignatures) {
  auto key = generate_rsa_key(2048);
  ASSERT_TRUE(key.ok());
  auto text = jwk_json(key->public_key(), "r1", "RS384");
  ASSERT_TRUE(text.ok());
  auto j = base::parse_json(*text);
  EXPECT_EQ((*j)["kty"], "RSA");
  EXPECT_EQ((*j)["e"], "AQAB");
  EXPECT_FALSE(j->contains("d"));
  auto parsed = parse_jwk(*text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->kid, "r1");
  EXPECT_EQ(parsed->alg, "RS384");
  EXPECT_EQ(parsed->key.type(), KeyType::rsa);
  auto token = sign_jws(JwsAlg::RS384, *key, "r1", "{\"a\":1}");
  EXPECT_TRUE(verify_jws(*token, parsed->key, {JwsAlg::RS384}).ok());
}

TEST(Jwk, EcRoundTripVerifiesSignatures) {
  auto key = generate_ec_p384_key();
  ASSERT_TRUE(key.ok());
  auto set = jwks_json({Jwk{"e1", "ES384", "sig", key->public_key()}});
  ASSERT_TRUE(set.ok());
  auto parsed = parse_jwks(*set);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].key.type(), KeyType::ec_p384);
  auto j = base::parse_json(*set);
  EXPECT_EQ((*j)["keys"][0]["crv"], "P-384");
  EXPECT_EQ((*j)["keys"][0]["x"].get<std::string>().size(), 64u);  // 48 bytes
  auto token = sign_jws(JwsAlg::ES384, *key, "e1", "{\"a\":1}");
  EXPECT_TRUE(verify_jws(*token, (*parsed)[0].key, {JwsAlg::ES384}).ok());
}

TEST(Jwk, PrivateMembersAreRefused) {
  auto key = generate_ec_p384_key();
  auto text = jwk_json(key->public_key(), "e1", "ES384");
  auto j = *base::parse_json(*text);
  j["d"] = "AAAA";
  EXPECT_FALSE(parse_jwk(base::dump_compact(j)).ok());
  base::Json set = base::Json::object();
  set["keys"] = base::Json::array({j});
  auto r = parse_jwks(base::dump_compact(set));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("private"), std::string::npos);
}

TEST(Jwk, BadKeysAreRefused) {
  EXPECT_FALSE(parse_jwk("{\"kty\":\"oct\",\"k\":\"AAAA\"}").ok());
  EXPECT_FALSE(parse_jwk("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}").ok());  // tiny modulus
  EXPECT_FALSE(parse_jwk("{\"kty\":\"RSA\",\"e\":\"AQAB\"}").ok());
  EXPECT_FALSE(parse_jwk("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}").ok());
  // A P-384 point not on the curve.
  const std::string zeros = std::string(64, 'A');
  EXPECT_FALSE(parse_jwk("{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" + zeros + "\",\"y\":\"" + zeros + "\"}").ok());
  EXPECT_FALSE(parse_jwk("not json").ok());
  EXPECT_FALSE(parse_jwks("{\"keys\":[]}").ok());
  EXPECT_FALSE(parse_jwks("{}").ok());
  EXPECT_FALSE(parse_jwks("[]").ok());
}

TEST(Jwk, SetSkipsUnsupportedKeysAndRefusesDuplicateKids) {
  auto a = generate_rsa_key(2048);
  auto text = *jwk_json(a->public_key(), "same", "RS384");
  const std::string p256 = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}";
  const std::string enc = "{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"AQAB\",\"e\":\"AQAB\"}";
  auto ok = parse_jwks("{\"keys\":[" + p256 + "," + enc + "," + text + "]}");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->size(), 1u);
  EXPECT_FALSE(parse_jwks("{\"keys\":[" + text + "," + text + "]}").ok());
}

TEST(Jwk, PemRoundTrip) {
  auto key = generate_ec_p384_key();
  auto pem = private_key_to_pem(*key);
  ASSERT_TRUE(pem.ok());
  auto back = private_key_from_pem(*pem);
  ASSERT_TRUE(back.ok());
  auto token = sign_jws(JwsAlg::ES384, *back, "", "{}");
  EXPECT_TRUE(verify_jws(*token, key->public_key(), {JwsAlg::ES384}).ok());
  auto pub = public_key_from_pem(*public_key_to_pem(key->public_key()));
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(verify_jws(*token, *pub, {JwsAlg::ES384}).ok());
  EXPECT_FALSE(private_key_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
  EXPECT_FALSE(generate_rsa_key(1024).ok());
}

}  // namespace
}  // namespace auth
