#include "auth/pkce.hpp"

#include <algorithm>

#include "base/crypto.hpp"

namespace auth {
namespace {
bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}
}  // namespace

bool valid_code_verifier(std::string_view v) {
  return v.size() >= 43 && v.size() <= 128 && std::all_of(v.begin(), v.end(), unreserved);
}

bool valid_code_challenge(std::string_view c) {
  return c.size() == 43 && std::all_of(c.begin(), c.end(), [](char ch) {
           return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                  ch == '_';
         });
}

std::string s256_challenge(std::string_view verifier) { return base::base64url_encode(base::sha256(verifier)); }

OAuthStatus check_code_challenge(std::string_view challenge, std::string_view method) {
  if (challenge.empty()) {
    if (!method.empty()) return invalid_request("code_challenge_method given without code_challenge");
    return {};
  }
  if (method.empty() || method == "plain") {
    return invalid_request("code_challenge_method must be S256 (plain is not supported)");
  }
  if (method != "S256") return invalid_request("code_challenge_method must be S256");
  if (!valid_code_challenge(challenge)) return invalid_request("code_challenge is not a base64url SHA-256 value");
  return {};
}

bool verify_code_verifier(std::string_view verifier, std::string_view challenge) {
  if (!valid_code_verifier(verifier)) return false;
  return base::constant_time_equal(s256_challenge(verifier), challenge);
}

}  // namespace auth
