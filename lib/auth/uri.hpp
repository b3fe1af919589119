#pragma once
// Internal to lib/auth: the small URL checks registration and authorize need.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace auth {

struct UrlParts {
  std::string scheme;  // lowercased
  std::string host;    // lowercased, without brackets for IPv6
  bool has_fragment = false;
  bool has_query = false;
};

// Splits an absolute URL "scheme://host[:port][/path][?query][#fragment]"; false when it is not one
// (no scheme, empty host, whitespace or control characters, userinfo).
bool split_url(std::string_view url, UrlParts& out);

// True for localhost, 127.0.0.0/8 and ::1.
bool is_loopback_host(std::string_view host);

// True for an absolute https URL, or an http URL on a loopback host; no fragment, no '*'.
bool is_safe_url(std::string_view url);

// application/x-www-form-urlencoded value encoding (RFC 3986 unreserved kept, space as %20).
std::string form_encode(std::string_view value);

// Percent-decoding of a form value ('+' as space). nullopt-free: invalid escapes are kept as is.
std::string form_decode(std::string_view value);

// url + ("?" or "&" when it already has a query) + the encoded pairs.
std::string append_query(std::string_view url, std::initializer_list<std::pair<std::string_view, std::string_view>> params);

}  // namespace auth
