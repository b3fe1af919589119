#include "http_adapter.hpp"

#include <sys/socket.h>

#include <atomic>
#include <chrono>

#include "base/error.hpp"
#include "model/operation_outcome.hpp"

namespace serve {
namespace {

// Query parameters from the raw target, in order (httplib's multimap would lose the order).
rest::Params parse_query(const std::string& target) {
  const auto q = target.find('?');
  if (q == std::string::npos) return {};
  return rest::parse_query_string(std::string_view(target).substr(q + 1));
}

rest::Request to_rest(const httplib::Request& req, const AdapterConfig& config) {
  rest::Request r;
  r.method = rest::parse_method(req.method).value_or(rest::Method::GET);
  r.path = req.path;
  r.query = parse_query(req.target);
  r.headers.reserve(req.headers.size());
  for (const auto& [k, v] : req.headers) {
    std::string name = k;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), v);
  }
  r.body = req.body;
  r.remote_ip = req.remote_addr;
  const std::string host = req.get_header_value("Host");
  r.origin = config.scheme + "://" + (host.empty() ? std::string("localhost") : host);
  return r;
}

// True when a body follows the headers (httplib reads it only when routing to a handler).
bool has_body(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const auto length = req.get_header_value("Content-Length");
  return !length.empty() && length != "0";
}

// The listening socket, captured when httplib creates it (one server per process).
std::atomic<int> g_listen_fd{-1};

}  // namespace

void widen_listen_backlog() {
  const int fd = g_listen_fd.load();
  if (fd >= 0) ::listen(fd, SOMAXCONN);  // Linux updates the backlog of a listening socket
}

void mount_router(httplib::Server& server, const rest::Router& router, const AdapterConfig& config) {
  const int threads = config.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.set_keep_alive_timeout(config.keep_alive_timeout);
  server.set_payload_max_length(config.max_body);
  server.set_socket_options([](socket_t sock) {
    int yes = 1;  // httplib's default options, which this callback replaces
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
    g_listen_fd = static_cast<int>(sock);
  });

  auto handler = [&router, config](const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    if (!rest::parse_method(req.method)) {
      res.status = 405;
      return;
    }
    rest::Response out = router.handle(to_rest(req, config));
    res.status = out.status;
    for (auto& [k, v] : out.headers) res.set_header(k, v);
    if (!out.content_type.empty()) {
      // What set_content does, without its copy of the body (0.11 takes a const reference).
      res.body = std::move(out.body);
      res.set_header("Content-Type", out.content_type);
    }
    if (config.on_request) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started).count();
      config.on_request(req.method, req.path, out.status, us);
    }
  };
  // A request without a body goes to the router before httplib's own routing, which would match
  // the path against a std::regex per registered handler. httplib reads a body only after this
  // hook, so requests with one take the routes below.
  server.set_pre_routing_handler([handler](const httplib::Request& req, httplib::Response& res) {
    if (has_body(req)) return httplib::Server::HandlerResponse::Unhandled;
    handler(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Delete(".*", handler);
  server.Patch(".*", handler);
  server.Options(".*", handler);

  // Errors httplib answers itself (413 over the body limit, 400 malformed request, 405 unknown
  // method) get an OperationOutcome body too.
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    base::ErrorCode code = base::ErrorCode::invalid;
    std::string message = "The request could not be read";
    if (res.status == 413) {
      code = base::ErrorCode::payload_too_large;
      message = "The request body is over the server's size limit (fhir-serve --max-body)";
    } else if (res.status == 405) {
      code = base::ErrorCode::method_not_allowed;
      message = "This HTTP method is not supported";
    } else if (res.status == 414 || res.status == 431) {
      message = "The request line or headers are too long";
    } else if (res.status < 400 || res.status == 404 || res.status == 304) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    res.set_content(model::operation_outcome(base::make_error(code, message)), "application/fhir+json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }));
}

}  // namespace serve
