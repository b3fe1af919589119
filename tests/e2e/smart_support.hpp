#pragma once
// Helpers for the SMART end-to-end tests: an HTTPS client, form encoding, the authorize pages
// driven like a script would (hidden request_id field, DESIGN.md field names), PKCE, and client
// keys made with OpenSSL that sign private_key_jwt assertions (RS384, ES384). Header-only.
#include <httplib.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "base/crypto.hpp"

namespace smart {

using json = nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

inline std::unique_ptr<httplib::SSLClient> https(int port) {
  auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  c->enable_server_certificate_verification(false);  // the --dev certificate is self-signed
  c->set_connection_timeout(5);
  c->set_read_timeout(30);
  c->set_follow_location(false);
  return c;
}

inline std::string pct(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

inline std::string form(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + pct(k) + "=" + pct(v);
  return out;
}

inline std::string unpct(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Query parameters of a URL.
inline std::map<std::string, std::string> query_of(const std::string& url) {
  std::map<std::string, std::string> out;
  const auto q = url.find('?');
  if (q == std::string::npos) return out;
  std::string_view rest = std::string_view(url).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    out[unpct(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : unpct(pair.substr(eq + 1));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return out;
}

inline std::string request_id(const std::string& html) {
  static const std::regex re(R"re(name="request_id" value="([^"]+)")re");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

inline std::string random_token(std::size_t bytes = 32) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  return base::base64url_encode(raw);
}

inline std::string s256(const std::string& verifier) { return base::base64url_encode(base::sha256(verifier)); }

inline json parse(const httplib::Result& r) {
  return r ? json::parse(r->body, nullptr, false) : json();
}

inline httplib::Result post_form(httplib::SSLClient& c, const std::string& path, const Fields& fields,
                                 httplib::Headers headers = {}) {
  return c.Post(path.c_str(), headers, form(fields), "application/x-www-form-urlencoded");
}

inline httplib::Result post_json(httplib::SSLClient& c, const std::string& path, const json& body,
                                 httplib::Headers headers = {}) {
  return c.Post(path.c_str(), headers, body.dump(), "application/json");
}

inline std::string basic(const std::string& id, const std::string& secret) {
  std::string b64 = base::base64url_encode(pct(id) + ":" + pct(secret));
  for (char& ch : b64) ch = ch == '-' ? '+' : ch == '_' ? '/' : ch;
  while (b64.size() % 4) b64 += '=';
  return "Basic " + b64;
}

// --- private_key_jwt client keys ---

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

class ClientKey {
 public:
  // alg RS384 (RSA 2048) or ES384 (P-384).
  ClientKey(std::string alg, std::string kid) : alg_(std::move(alg)), kid_(std::move(kid)) {
    EVP_PKEY* p = alg_ == "RS384" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                                  : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
    if (!p) throw std::runtime_error("key generation failed");
    key_.reset(p);
  }

  const std::string& kid() const { return kid_; }
  const std::string& alg() const { return alg_; }

  // The public JWK.
  json jwk() const {
    json j = {{"kid", kid_}, {"alg", alg_}, {"use", "sig"}};
    if (alg_ == "RS384") {
      j["kty"] = "RSA";
      j["n"] = bn_param(OSSL_PKEY_PARAM_RSA_N);
      j["e"] = bn_param(OSSL_PKEY_PARAM_RSA_E);
    } else {
      unsigned char point[256];
      size_t len = 0;
      EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
      if (len != 97 || point[0] != 0x04) throw std::runtime_error("unexpected EC point encoding");
      j["kty"] = "EC";
      j["crv"] = "P-384";
      j["x"] = base::base64url_encode(std::string(reinterpret_cast<char*>(point + 1), 48));
      j["y"] = base::base64url_encode(std::string(reinterpret_cast<char*>(point + 49), 48));
    }
    return j;
  }

  json jwks() const { return {{"keys", json::array({jwk()})}}; }

  // A compact JWS of `payload` with `header` (alg and kid added unless present).
  std::string sign(json header, const json& payload) const {
    if (!header.contains("alg")) header["alg"] = alg_;
    if (!header.contains("kid")) header["kid"] = kid_;
    const std::string input = base::base64url_encode(header.dump()) + "." + base::base64url_encode(payload.dump());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    std::string sig;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha384(), nullptr, key_.get()) == 1 &&
        EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1) {
      sig.resize(len);
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size());
      sig.resize(len);
    }
    EVP_MD_CTX_free(ctx);
    if (alg_ == "ES384") sig = der_to_raw(sig);
    return input + "." + base::base64url_encode(sig);
  }

  // A client authentication assertion (SMART Backend Services).
  std::string assertion(const std::string& client_id, const std::string& token_url, std::string jti = {},
                        long exp_in_s = 240) const {
    if (jti.empty()) jti = random_token(16);
    const long now = static_cast<long>(time(nullptr));
    return sign({{"typ", "JWT"}}, {{"iss", client_id}, {"sub", client_id}, {"aud", token_url},
                                   {"exp", now + exp_in_s}, {"iat", now}, {"jti", jti}});
  }

 private:
  std::string bn_param(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &bn);
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return base::base64url_encode(out);
  }

  static std::string der_to_raw(const std::string& der) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    if (!s) return {};
    std::string raw(96, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(s), reinterpret_cast<unsigned char*>(raw.data()), 48);
    BN_bn2binpad(ECDSA_SIG_get0_s(s), reinterpret_cast<unsigned char*>(raw.data()) + 48, 48);
    ECDSA_SIG_free(s);
    return raw;
  }

  std::string alg_, kid_;
  std::unique_ptr<EVP_PKEY, PkeyFree> key_;
};

// The parts of a compact JWT, decoded (header, payload), and the signature part as sent.
struct JwtParts {
  json header, payload;
  std::string header_b64, payload_b64, signature_b64;
};

inline JwtParts split_jwt(const std::string& jwt) {
  JwtParts p;
  const auto a = jwt.find('.');
  const auto b = jwt.find('.', a + 1);
  p.header_b64 = jwt.substr(0, a);
  p.payload_b64 = jwt.substr(a + 1, b - a - 1);
  p.signature_b64 = jwt.substr(b + 1);
  p.header = json::parse(base::base64url_decode(p.header_b64).value_or("{}"), nullptr, false);
  p.payload = json::parse(base::base64url_decode(p.payload_b64).value_or("{}"), nullptr, false);
  return p;
}

}  // namespace smart
