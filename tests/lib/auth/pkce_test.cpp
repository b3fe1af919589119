#include "auth/pkce.hpp"

#include <gtest/gtest.h>

namespace auth {
namespace {

// RFC 7636 appendix B.
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(Pkce, Rfc7636AppendixB) {
  EXPECT_EQ(s256_challenge(kVerifier), kChallenge);
  EXPECT_TRUE(verify_code_verifier(kVerifier, kChallenge));
  EXPECT_FALSE(verify_code_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj", kChallenge));
}

TEST(Pkce, VerifierSyntax) {
  EXPECT_TRUE(valid_code_verifier(std::string(43, 'a')));
  EXPECT_TRUE(valid_code_verifier(std::string(128, '~')));
  EXPECT_FALSE(valid_code_verifier(std::string(42, 'a')));
  EXPECT_FALSE(valid_code_verifier(std::string(129, 'a')));
  EXPECT_FALSE(valid_code_verifier(std::string(42, 'a') + "+"));
  EXPECT_FALSE(valid_code_verifier(std::string(42, 'a') + " "));
  // A too-short verifier never matches, even against its own challenge.
  EXPECT_FALSE(verify_code_verifier("short", s256_challenge("short")));
}

TEST(Pkce, PlainAndUnknownMethodsAreRefused) {
  EXPECT_TRUE(check_code_challenge(kChallenge, "S256").ok());
  EXPECT_TRUE(check_code_challenge("", "").ok());
  auto plain = check_code_challenge(kVerifier, "plain");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().error, "invalid_request");
  EXPECT_FALSE(check_code_challenge(kChallenge, "").ok());  // no method means plain
  EXPECT_FALSE(check_code_challenge(kChallenge, "s256").ok());
  EXPECT_FALSE(check_code_challenge("tooshort", "S256").ok());
  EXPECT_FALSE(check_code_challenge("", "S256").ok());
}

}  // namespace
}  // namespace auth
