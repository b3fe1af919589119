#pragma once
// Password hashing with scrypt (OpenSSL EVP_PBE_scrypt) and a per-hash random 16-byte salt,
// encoded as a self-describing string "scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>", so
// parameters can change without invalidating stored hashes. Comparison is constant-time.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace auth {

struct ScryptParams {
  int log2_n = 15;  // N = 32768: ~32 MiB and tens of ms per hash. Tests may lower it.
  int r = 8;
  int p = 1;
};

// Hashes `password` with a fresh salt. Errors: invalid for an empty password; internal when OpenSSL
// fails (e.g. memory limit).
base::Result<std::string> hash_password(std::string_view password, const ScryptParams& params = {});

// True when `password` matches `encoded`. False for a mismatch and for a malformed or unsupported
// encoding (never throws, never crashes).
bool verify_password(std::string_view password, std::string_view encoded);

// A random password for one-time credentials: `length` characters from an unambiguous alphabet.
std::string random_password(std::size_t length = 16);

}  // namespace auth
