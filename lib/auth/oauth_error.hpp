#pragma once
// The OAuth error value every OAuth-facing function of lib/auth returns: an RFC 6749 / 6750 / 7591
// error code, a description safe to show the client (never a secret, token or SQL text), and the
// HTTP status the endpoint answers with. The HTTP layer maps it mechanically to
// {"error": ..., "error_description": ...} (or to a redirect / error page for authorize, see flow.hpp).
#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "base/error.hpp"

namespace auth {

struct OAuthError {
  std::string error;        // invalid_request, invalid_client, invalid_grant, unauthorized_client,
                            // unsupported_grant_type, invalid_scope, access_denied,
                            // unsupported_response_type, invalid_client_metadata,
                            // invalid_redirect_uri, invalid_token, server_error, ...
  std::string description;  // safe for the client
  int http_status = 400;
};

// Constructors with the status each code gets at the token/registration endpoints.
OAuthError invalid_request(std::string description);          // 400
OAuthError invalid_client(std::string description);           // 401 (client authentication failed)
OAuthError invalid_grant(std::string description);            // 400
OAuthError unauthorized_client(std::string description);      // 400
OAuthError unsupported_grant_type(std::string description);   // 400
OAuthError invalid_scope(std::string description);            // 400
OAuthError access_denied(std::string description);            // 403
OAuthError unsupported_response_type(std::string description);// 400
OAuthError invalid_client_metadata(std::string description);  // 400 (RFC 7591)
OAuthError invalid_redirect_uri(std::string description);     // 400 (RFC 7591)
OAuthError invalid_token(std::string description);            // 401 (RFC 6750)
OAuthError server_error();                                     // 500, generic description

// A base::Error from a lower layer as an OAuth error: internal/unavailable -> server_error (the
// message is dropped, it may name internals); anything else -> invalid_request with the message.
OAuthError from_error(const base::Error& e);

// An OAuth error as a base::Error (for callers on base::Result paths, e.g. fhirctl):
// 401 -> unauthorized, 403 -> forbidden, 5xx -> internal, else invalid; message "error: description".
base::Error to_base_error(const OAuthError& e);

// A T or an error E (the shape of base::Result with another error type).
template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const& { assert(!ok()); return std::get<1>(v_); }
  E&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, E> v_;
};

template <class E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  Expected(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const& { assert(!ok_); return error_; }
  E&& error() && { assert(!ok_); return std::move(error_); }

 private:
  E error_;
  bool ok_ = true;
};

// A T or an OAuthError.
template <class T>
using OAuthResult = Expected<T, OAuthError>;
using OAuthStatus = OAuthResult<void>;

}  // namespace auth
