#include "tls.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/bn.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

namespace serve {
namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;

std::string openssl_error(std::string_view what) {
  std::string msg(what);
  if (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    msg += ": ";
    msg += buf;
  }
  return msg;
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

bool write_pem(const std::filesystem::path& path, mode_t mode, bool (*write)(FILE*, void*), void* obj) {
  const mode_t old = umask(0077);
  FILE* f = std::fopen(path.c_str(), "wx");
  umask(old);
  if (!f) return false;
  const bool ok = write(f, obj);
  std::fclose(f);
  chmod(path.c_str(), mode);
  return ok;
}

}  // namespace

base::Result<TlsFiles> ensure_dev_certificate(const std::filesystem::path& data_dir) {
  TlsFiles files{data_dir / "tls" / "cert.pem", data_dir / "tls" / "key.pem"};
  std::error_code ec;
  if (std::filesystem::exists(files.cert, ec) && std::filesystem::exists(files.key, ec)) return files;
  std::filesystem::create_directories(files.cert.parent_path(), ec);
  if (ec) return base::internal_error("cannot create " + files.cert.parent_path().string() + ": " + ec.message());

  PKey key(EVP_EC_gen("P-256"));
  if (!key) return base::internal_error(openssl_error("cannot generate a P-256 key"));
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 825L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("InPracSys FHIR dev"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth")) {
    return base::internal_error(openssl_error("cannot add certificate extensions"));
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return base::internal_error(openssl_error("cannot sign the development certificate"));
  }
  std::filesystem::remove(files.key, ec);
  std::filesystem::remove(files.cert, ec);
  const bool key_ok = write_pem(files.key, 0600, [](FILE* f, void* k) {
    return PEM_write_PrivateKey(f, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  }, key.get());
  const bool cert_ok = write_pem(files.cert, 0644, [](FILE* f, void* c) {
    return PEM_write_X509(f, static_cast<X509*>(c)) == 1;
  }, cert.get());
  if (!key_ok || !cert_ok) return base::internal_error("cannot write " + files.cert.parent_path().string() + "/*.pem");
  return files;
}

bool configure_server_context(SSL_CTX& ctx, const TlsFiles& files, std::string& error) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_cipher_list(&ctx, "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL:!MD5:!RC4:!3DES");
  if (SSL_CTX_use_certificate_chain_file(&ctx, files.cert.c_str()) != 1) {
    error = openssl_error("cannot load certificate " + files.cert.string());
    return false;
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = openssl_error("cannot load private key " + files.key.string());
    return false;
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    error = "the private key " + files.key.string() + " does not match the certificate " + files.cert.string();
    return false;
  }
  return true;
}

}  // namespace serve
