#pragma once
// TLS for fhir-serve: the development certificate and the OpenSSL context settings.
#include <openssl/ssl.h>

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace serve {

struct TlsFiles {
  std::filesystem::path cert;  // PEM certificate chain
  std::filesystem::path key;   // PEM private key
};

// Makes DATA_DIR/tls/cert.pem and key.pem when missing: a self-signed P-256 certificate for
// localhost, 127.0.0.1 and ::1, valid 825 days; the key file is mode 0600. Existing files are kept.
base::Result<TlsFiles> ensure_dev_certificate(const std::filesystem::path& data_dir);

// Configures an SSL_CTX for serving: TLS 1.2 minimum (older versions refused), strong ciphers,
// no compression or renegotiation, and the certificate + key (checked to match).
// Returns false and fills `error` when the files cannot be used.
bool configure_server_context(SSL_CTX& ctx, const TlsFiles& files, std::string& error);

}  // namespace serve
