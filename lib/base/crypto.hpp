#pragma once
// Small cryptographic helpers over OpenSSL: HMAC and digests, base64url. For signing opaque
// values the server hands out (paging cursors now, tokens later).
#include <optional>
#include <string>
#include <string_view>

namespace base {

// HMAC-SHA256 of `data` under `key`, raw 32 bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);
// SHA-256 digest, raw 32 bytes.
std::string sha256(std::string_view data);
// Lowercase hex of raw bytes.
std::string to_hex(std::string_view bytes);
// base64url without padding (RFC 4648 section 5).
std::string base64url_encode(std::string_view bytes);
// Decodes base64url (padding optional); nullopt on any invalid character or length.
std::optional<std::string> base64url_decode(std::string_view text);
// Compares in time independent of where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace base
