#pragma once
// PKCE (RFC 7636), S256 only: "plain" is refused.
#include <string>
#include <string_view>

#include "auth/oauth_error.hpp"

namespace auth {

// True when `verifier` is 43..128 characters of [A-Za-z0-9-._~].
bool valid_code_verifier(std::string_view verifier);

// True when `challenge` is a base64url SHA-256 (43 characters of [A-Za-z0-9-_]).
bool valid_code_challenge(std::string_view challenge);

// BASE64URL(SHA256(ASCII(verifier))).
std::string s256_challenge(std::string_view verifier);

// Checks authorize parameters: an empty method with a challenge means "plain" (refused); method must
// be "S256"; the challenge must be valid. Errors: invalid_request describing the problem.
OAuthStatus check_code_challenge(std::string_view challenge, std::string_view method);

// True when `verifier` is valid and its S256 challenge equals `challenge` (constant-time compare).
bool verify_code_verifier(std::string_view verifier, std::string_view challenge);

}  // namespace auth
