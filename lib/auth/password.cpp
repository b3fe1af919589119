#include "auth/password.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <vector>

#include "base/crypto.hpp"

namespace auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::optional<std::string> scrypt(std::string_view password, std::string_view salt, int log2_n, int r, int p) {
  if (log2_n < 1 || log2_n > 22 || r < 1 || r > 32 || p < 1 || p > 16) return std::nullopt;
  const std::uint64_t n = std::uint64_t{1} << log2_n;
  const std::uint64_t maxmem = 128ULL * static_cast<std::uint64_t>(r) * (n + static_cast<std::uint64_t>(p) + 2) + (64ULL << 20);
  std::string out(kHashBytes, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                     n, static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(p), maxmem,
                     reinterpret_cast<unsigned char*>(out.data()), out.size()) != 1) {
    return std::nullopt;
  }
  return out;
}

std::vector<std::string_view> split_dollar(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (true) {
    const auto j = s.find('$', i);
    out.push_back(s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

base::Result<std::string> hash_password(std::string_view password, const ScryptParams& params) {
  if (password.empty()) return base::invalid("the password is empty");
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1) {
    return base::internal_error("no random bytes");
  }
  auto hash = scrypt(password, salt, params.log2_n, params.r, params.p);
  if (!hash) return base::internal_error("password hashing failed");
  return "scrypt$" + std::to_string(params.log2_n) + "$" + std::to_string(params.r) + "$" + std::to_string(params.p) +
         "$" + base::base64url_encode(salt) + "$" + base::base64url_encode(*hash);
}

bool verify_password(std::string_view password, std::string_view encoded) {
  const auto parts = split_dollar(encoded);
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  auto log2_n = to_int(parts[1]);
  auto r = to_int(parts[2]);
  auto p = to_int(parts[3]);
  auto salt = base::base64url_decode(parts[4]);
  auto expected = base::base64url_decode(parts[5]);
  if (!log2_n || !r || !p || !salt || !expected || expected->size() != kHashBytes) return false;
  auto actual = scrypt(password, *salt, *log2_n, *r, *p);
  if (!actual) return false;
  return base::constant_time_equal(*actual, *expected);
}

std::string random_password(std::size_t length) {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  constexpr unsigned kSize = sizeof(kAlphabet) - 1;  // 55
  constexpr unsigned kLimit = 256 - 256 % kSize;     // rejection sampling: no bias
  std::string out;
  out.reserve(length);
  unsigned char buf[64];
  while (out.size() < length) {
    if (RAND_bytes(buf, sizeof(buf)) != 1) continue;
    for (unsigned char b : buf) {
      if (b >= kLimit) continue;
      out.push_back(kAlphabet[b % kSize]);
      if (out.size() == length) break;
    }
  }
  return out;
}

}  // namespace auth
