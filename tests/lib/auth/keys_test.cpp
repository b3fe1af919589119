#include "auth/keys.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "auth_fixture.hpp"
#include "base/json.hpp"

namespace auth_test {
namespace {

class KeyRingTest : public AuthFixture {
 protected:
  bool seed_signing_key() const override { return false; }  // the ring makes its own first key
};

std::vector<std::string> published_kids(const auth::KeyRing& ring) {
  auto jwks = ring.jwks_json();
  EXPECT_TRUE(jwks.ok());
  std::vector<std::string> out;
  auto doc = base::parse_json(*jwks);
  for (const auto& k : (*doc)["keys"]) out.push_back(k["kid"].get<std::string>());
  return out;
}

TEST_F(KeyRingTest, FirstKeyIsMadeOnceAndKeptAcrossRestarts) {
  auto kids = published_kids(*auth_->keys);
  ASSERT_EQ(kids.size(), 1u);
  auto again = open_service();
  ASSERT_TRUE(again);
  EXPECT_EQ(published_kids(*again->keys), kids);
  auto jwks = base::parse_json(*auth_->keys->jwks_json());
  const auto& k = (*jwks)["keys"][0];
  EXPECT_EQ(k["kty"], "RSA");
  EXPECT_EQ(k["alg"], "RS256");
  EXPECT_EQ(k["use"], "sig");
  EXPECT_FALSE(k.contains("d"));
}

TEST_F(KeyRingTest, SignsRs256WithKid) {
  auto token = auth_->keys->sign("{\"x\":1}");
  ASSERT_TRUE(token.ok());
  auto h = auth::peek_header(*token);
  EXPECT_EQ(h->alg, "RS256");
  EXPECT_EQ(h->kid, published_kids(*auth_->keys)[0]);
  auto v = auth::verify_jws(
      *token, [&](const auth::JwsHeader& hd) { return auth_->keys->public_key(hd.kid); }, {auth::JwsAlg::RS256});
  EXPECT_TRUE(v.ok());
}

TEST_F(KeyRingTest, RotationKeepsTheOldKeyPublishedUntilItsTokensExpire) {
  const std::string old_kid = published_kids(*auth_->keys)[0];
  auto old_token = auth_->keys->sign("{\"x\":1}");
  auto new_kid = auth_->keys->rotate();
  ASSERT_TRUE(new_kid.ok());
  EXPECT_NE(*new_kid, old_kid);
  auto kids = published_kids(*auth_->keys);
  EXPECT_EQ(kids.size(), 2u);
  EXPECT_EQ(auth::peek_header(*auth_->keys->sign("{}"))->kid, *new_kid);
  EXPECT_TRUE(auth_->keys->public_key(old_kid).ok());

  // Another node (a second ring on the same database) finds the new key by kid.
  auto other = open_service();
  EXPECT_TRUE(other->keys->public_key(*new_kid).ok());

  advance(auth::kAccessTokenLifeS + 61);
  EXPECT_FALSE(auth_->keys->public_key(old_kid).ok());
  EXPECT_EQ(published_kids(*auth_->keys), std::vector<std::string>{*new_kid});
  // The next rotation prunes it from the table.
  ASSERT_TRUE(auth_->keys->rotate().ok());
  auto list = auth_->keys->list();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].active);
  EXPECT_FALSE((*list)[1].active);
}

}  // namespace
}  // namespace auth_test
