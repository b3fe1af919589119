#include "base/uuid.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace base {
namespace {

void fill_random(unsigned char* p, std::size_t n) {
  if (RAND_bytes(p, static_cast<int>(n)) != 1) {
    // The CSPRNG failing is not recoverable: ids and secrets must never be predictable.
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
}

constexpr char kHex[] = "0123456789abcdef";

// 16 bytes from the CSPRNG, drawn from a per-thread block of RAND_bytes output: one RAND_bytes call
// (locks, DRBG bookkeeping) per 32 ids instead of one per id. The bytes are the CSPRNG's own,
// used once, and never shared between threads.
void fill_uuid_bytes(unsigned char* out) {
  thread_local std::array<unsigned char, 512> pool{};
  thread_local std::size_t used = pool.size();
  if (used + 16 > pool.size()) {
    fill_random(pool.data(), pool.size());
    used = 0;
  }
  std::memcpy(out, pool.data() + used, 16);
  std::memset(pool.data() + used, 0, 16);
  used += 16;
}

}  // namespace

std::string new_uuid() {
  std::array<unsigned char, 16> b{};
  fill_uuid_bytes(b.data());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

std::string random_hex(std::size_t n) {
  std::vector<unsigned char> b(n);
  fill_random(b.data(), n);
  std::string out;
  out.reserve(2 * n);
  for (unsigned char c : b) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0x0f]);
  }
  return out;
}

}  // namespace base
