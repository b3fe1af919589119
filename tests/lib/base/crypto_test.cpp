// base::sha256 and base::hmac_sha256 against published vectors (FIPS 180-2, RFC 4231) and against
// OpenSSL's own one-shot HMAC() for keys and messages of every length around the block size.
#include "base/crypto.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace {

std::string openssl_hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(base::to_hex(base::sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(base::to_hex(base::sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256, Rfc4231Vectors) {
  EXPECT_EQ(base::to_hex(base::hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(base::to_hex(base::hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(base::to_hex(base::hmac_sha256(std::string(131, '\xaa'),
                                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256, AgreesWithOpenSslForEveryLengthAroundTheBlock) {
  for (std::size_t k = 0; k <= 130; k += 13) {
    for (std::size_t m : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 200u}) {
      std::string key(k, '\0'), msg(m, '\0');
      for (std::size_t i = 0; i < k; ++i) key[i] = static_cast<char>(i * 7 + 1);
      for (std::size_t i = 0; i < m; ++i) msg[i] = static_cast<char>(i * 13 + 5);
      EXPECT_EQ(base::hmac_sha256(key, msg), openssl_hmac(key, msg)) << "key " << k << " msg " << m;
    }
  }
}

}  // namespace
