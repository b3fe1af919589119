#include "jwks_fetcher.hpp"

#include <httplib.h>

namespace serve {
namespace {

struct Target {
  std::string host;
  int port = 443;
  std::string path = "/";
};

// https://host[:port][/path]; nullopt for anything else.
std::optional<Target> parse_https_url(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  Target t;
  const auto slash = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) t.path = std::string(url.substr(slash));
  if (t.path.front() != '/') t.path = "/" + t.path;
  if (const auto hash = t.path.find('#'); hash != std::string::npos) t.path.erase(hash);
  if (authority.find('@') != std::string_view::npos || authority.empty()) return std::nullopt;
  std::string_view port;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    t.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    t.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (!port.empty()) {
    int p = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || p > 65535) return std::nullopt;
      p = p * 10 + (c - '0');
    }
    if (p <= 0 || p > 65535) return std::nullopt;
    t.port = p;
  }
  if (t.host.empty()) return std::nullopt;
  return t;
}

}  // namespace

auth::JwksFetcher make_jwks_fetcher(FetchLimits limits) {
  return [limits](const std::string& url) -> base::Result<std::string> {
    const auto target = parse_https_url(url);
    if (!target) return base::invalid("jwks_uri is not an https URL");
    httplib::SSLClient client(target->host, target->port);
    client.enable_server_certificate_verification(true);
    client.set_follow_location(false);
    client.set_connection_timeout(limits.timeout);
    client.set_read_timeout(limits.timeout);
    client.set_write_timeout(limits.timeout);
    client.set_keep_alive(false);
    const auto deadline = std::chrono::steady_clock::now() + 2 * limits.timeout;
    std::string body;
    bool too_big = false, too_slow = false;
    auto res = client.Get(target->path.c_str(), [&](const char* data, std::size_t len) {
      if (std::chrono::steady_clock::now() > deadline) {
        too_slow = true;
        return false;
      }
      if (body.size() + len > limits.max_bytes) {
        too_big = true;
        return false;
      }
      body.append(data, len);
      return true;
    });
    const auto unavailable = [](std::string m) { return base::make_error(base::ErrorCode::unavailable, std::move(m)); };
    if (too_big) return unavailable("jwks_uri document is over " + std::to_string(limits.max_bytes) + " bytes");
    if (too_slow) return unavailable("jwks_uri fetch took too long");
    if (!res) return unavailable("cannot fetch jwks_uri: " + httplib::to_string(res.error()));
    if (res->status != 200) return unavailable("jwks_uri answered HTTP " + std::to_string(res->status));
    return body;
  };
}

}  // namespace serve
