#pragma once
#include <string>

namespace base {

// A random (version 4) UUID in lowercase 8-4-4-4-12 form, from OpenSSL's CSPRNG.
std::string new_uuid();

// `n` random bytes from OpenSSL's CSPRNG, hex-encoded (2n characters). For secrets and tokens.
std::string random_hex(std::size_t n);

}  // namespace base
