#include "base/crypto.hpp"

#include <algorithm>
#include <initializer_list>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace base {

namespace {

// SHA-256 fetched once: OpenSSL 3 looks an implicit EVP_sha256() up in its provider store on
// every use (locks and a hash lookup), which cost more than hashing a paging cursor.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return m;
  }();
  return md;
}

constexpr std::size_t kSha256Block = 64;

// One SHA-256 over the concatenation of `parts`; false when OpenSSL fails.
bool sha256_of(std::initializer_list<std::string_view> parts, unsigned char* out) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return false;
  const EVP_MD* md = sha256_md();
  bool ok = md && EVP_DigestInit_ex(ctx, md, nullptr) == 1;
  for (auto p : parts) ok = ok && EVP_DigestUpdate(ctx, p.data(), p.size()) == 1;
  unsigned int len = 0;
  ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 32;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace

// HMAC-SHA256 as RFC 2104 defines it, over the pre-fetched digest (tests: RFC 4231 vectors).
std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char key_block[kSha256Block] = {0};
  if (key.size() > kSha256Block) {
    if (!sha256_of({key}, key_block)) return {};
  } else {
    std::copy(key.begin(), key.end(), key_block);
  }
  unsigned char ipad[kSha256Block], opad[kSha256Block];
  for (std::size_t i = 0; i < kSha256Block; ++i) {
    ipad[i] = static_cast<unsigned char>(key_block[i] ^ 0x36);
    opad[i] = static_cast<unsigned char>(key_block[i] ^ 0x5c);
  }
  unsigned char inner[32], outer[32];
  auto view = [](const unsigned char* p, std::size_t n) { return std::string_view(reinterpret_cast<const char*>(p), n); };
  if (!sha256_of({view(ipad, sizeof ipad), data}, inner)) return {};
  if (!sha256_of({view(opad, sizeof opad), view(inner, sizeof inner)}, outer)) return {};
  OPENSSL_cleanse(key_block, sizeof key_block);
  OPENSSL_cleanse(ipad, sizeof ipad);
  OPENSSL_cleanse(opad, sizeof opad);
  return std::string(reinterpret_cast<const char*>(outer), sizeof outer);
}

std::string sha256(std::string_view data) {
  unsigned char out[32];
  if (!sha256_of({data}, out)) return {};
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
int decode_char(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (rest == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = decode_char(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace base
