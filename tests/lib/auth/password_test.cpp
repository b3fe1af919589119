#include "auth/password.hpp"

#include <gtest/gtest.h>

#include <set>

namespace auth {
namespace {

const ScryptParams kFast{10, 8, 1};

TEST(Password, HashesAndVerifies) {
  auto h = hash_password("s3cret passphrase", kFast);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("scrypt$10$8$1$", 0), 0u);
  EXPECT_EQ(h->find("s3cret"), std::string::npos);
  EXPECT_TRUE(verify_password("s3cret passphrase", *h));
  EXPECT_FALSE(verify_password("s3cret passphrasE", *h));
  EXPECT_FALSE(verify_password("", *h));
}

TEST(Password, SaltMakesEveryHashDifferent) {
  auto a = hash_password("same", kFast);
  auto b = hash_password("same", kFast);
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(verify_password("same", *a));
  EXPECT_TRUE(verify_password("same", *b));
}

TEST(Password, DefaultParametersWork) {
  auto h = hash_password("default cost");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("scrypt$15$8$1$", 0), 0u);
  EXPECT_TRUE(verify_password("default cost", *h));
}

TEST(Password, MalformedHashesNeverMatch) {
  auto h = *hash_password("pw", kFast);
  for (std::string bad : {std::string(""), std::string("scrypt"), std::string("bcrypt$10$8$1$AAAA$AAAA"),
                          std::string("scrypt$99$8$1$AAAA$AAAA"), std::string("scrypt$x$8$1$AAAA$AAAA"),
                          h.substr(0, h.size() - 3), h + "$extra", std::string("scrypt$10$8$1$!!$AAAA")}) {
    EXPECT_FALSE(verify_password("pw", bad)) << bad;
  }
  EXPECT_FALSE(hash_password("", kFast).ok());
}

TEST(Password, RandomPasswords) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto p = random_password(16);
    EXPECT_EQ(p.size(), 16u);
    EXPECT_EQ(p.find_first_of("0O1lI"), std::string::npos);
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace auth
