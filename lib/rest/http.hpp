#pragma once
// Transport-neutral HTTP request and response. apps/fhir-serve converts httplib's types to and
// from these; tests build them directly and call the Router.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rest {

enum class Method { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS };

std::string_view to_string(Method m);
std::optional<Method> parse_method(std::string_view s);

using Params = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::GET;
  std::string path;        // decoded path, no query string, e.g. "/r4/Patient/123"
  Params query;            // decoded query parameters, in order (repeats kept)
  Params headers;          // header names in lowercase
  std::string body;
  std::string remote_ip;
  std::string origin;      // scheme://host[:port] the client addressed, e.g. "https://localhost:8443"

  // First header with that (lowercase) name.
  std::optional<std::string_view> header(std::string_view lowercase_name) const;
  // First query parameter with that name.
  std::optional<std::string_view> param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty for no body
  std::string body;
  Params headers;            // extra headers (ETag, Location, ...)

  void set_header(std::string name, std::string value);
  std::optional<std::string_view> header(std::string_view name) const;
};

// Percent-decodes a URL component ('+' stays '+'); nullopt on a malformed escape.
std::optional<std::string> url_decode(std::string_view s);
// Percent-encodes a query component.
std::string url_encode(std::string_view s);

// Parses a query string or an application/x-www-form-urlencoded body ("a=1&b=x+y") into decoded
// pairs, in order; '+' reads as a space. Malformed escapes are kept as given.
Params parse_query_string(std::string_view text);

}  // namespace rest
