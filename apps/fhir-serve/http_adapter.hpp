#pragma once
// The only place httplib meets the router: converts httplib requests to rest::Request, responses
// back, and tunes the server for keep-alive throughput (TCP_NODELAY, a pool as large as the
// connections it must hold, long keep-alive).
#include <httplib.h>

#include <functional>
#include <string>

#include "rest/router.hpp"

namespace serve {

struct AdapterConfig {
  int threads = 256;
  int keep_alive_timeout = 5;
  std::size_t max_body = 16 * 1024 * 1024;
  std::string scheme = "https";
  // Called once per request with (method, path, status, microseconds) for the access log.
  std::function<void(const std::string&, const std::string&, int, long long)> on_request;
};

// Routes every method and path of `server` to `router`.
void mount_router(httplib::Server& server, const rest::Router& router, const AdapterConfig& config);

// httplib listens with a backlog of 5 (compiled into Debian's library): 64 clients connecting at
// once overflow it and wait 1-3 s for SYN retries. Call after bind_to_port to raise it to SOMAXCONN.
void widen_listen_backlog();

}  // namespace serve
