#include "commands/token_get.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "auth/jwt.hpp"
#include "auth/pkce.hpp"
#include "base/crypto.hpp"
#include "base/fhir_time.hpp"
#include "base/uuid.hpp"
#include "commands/output.hpp"
#include "commands/private_key.hpp"

namespace fhirctl {
namespace {

constexpr const char* kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr const char* kDefaultScope = "openid fhirUser launch/patient patient/Patient.read offline_access";

struct GetOptions {
  std::string client_id;
  std::string key_file;
  std::string scope;
  int redirect_port = 0;
  int timeout_s = 300;
  std::string save_file;
  std::string refresh_file;
  std::string ca_file;
  bool insecure = false;
};

std::string random_b64(std::size_t bytes) {
  std::string raw;
  const std::string hex = base::random_hex(bytes);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return base::base64url_encode(raw);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Writes `content` to `path` with mode 0600: a temporary file in the same directory, renamed over.
base::Status write_private(const std::string& path, const std::string& content) {
  const std::filesystem::path target(path);
  const std::filesystem::path tmp = target.string() + ".tmp-" + base::random_hex(4);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return base::make_error(base::ErrorCode::internal, "cannot write " + path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t done = 0;
  while (ok && done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) ok = false;
    else done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(tmp, target, ec);
  if (!ok || ec) {
    std::filesystem::remove(tmp, ec);
    return base::make_error(base::ErrorCode::internal, "cannot write " + path);
  }
  return {};
}

// The token endpoint's answer: the response object, or an error naming the OAuth error.
base::Result<base::Json> token_request(const ServerEndpoints& ep, const Form& form, const HttpOptions& http) {
  FHIR_TRY(auto res, http_post_form(ep.token, form, http));
  auto j = base::parse_json(res.body);
  if (res.status != 200) {
    std::string why = "HTTP " + std::to_string(res.status);
    if (j && j->is_object() && j->contains("error")) {
      why = j->value("error", "") + (j->contains("error_description") ? ": " + j->value("error_description", "") : "");
    }
    return base::make_error(base::ErrorCode::unauthorized, "the token endpoint refused: " + why);
  }
  if (!j || !j->is_object() || !j->contains("access_token")) {
    return base::make_error(base::ErrorCode::internal, "the token endpoint answered something that is not a token response");
  }
  return std::move(*j);
}

// A signed client assertion for `client_id` at `token_url` (RFC 7523, SMART Backend Services).
base::Result<std::string> client_assertion(const ClientKey& key, const std::string& client_id,
                                           const std::string& token_url) {
  const std::int64_t now = base::now_us() / 1000000;
  base::Json claims{{"iss", client_id}, {"sub", client_id}, {"aud", token_url},
                    {"exp", now + 300},  {"iat", now},       {"jti", base::new_uuid()}};
  return auth::sign_jws(key.alg, key.key, key.kid, claims.dump(), "JWT");
}

// Waits for one GET /callback on 127.0.0.1 and returns its query parameters.
class LoopbackRedirect {
 public:
  base::Status start(int port) {
    server_.Get("/callback", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!done_) {
        for (const auto& [k, v] : req.params) params_[k] = v;
        done_ = true;
        cv_.notify_all();
      }
      res.set_content("<!doctype html><title>fhirctl</title><p>fhirctl received the answer; you can close this "
                      "window.</p>",
                      "text/html; charset=utf-8");
    });
    port_ = port == 0 ? server_.bind_to_any_port("127.0.0.1") : (server_.bind_to_port("127.0.0.1", port) ? port : -1);
    if (port_ <= 0) return base::make_error(base::ErrorCode::unavailable, "cannot listen on 127.0.0.1:" + std::to_string(port));
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    return {};
  }
  int port() const { return port_; }
  // The query parameters of the redirect, or nullopt after `timeout`.
  std::optional<std::map<std::string, std::string>> wait(std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return done_; })) return std::nullopt;
    return params_;
  }
  ~LoopbackRedirect() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::map<std::string, std::string> params_;
};

base::Result<base::Json> authorization_code(const ServerEndpoints& ep, const GetOptions& o, const HttpOptions& http) {
  LoopbackRedirect loopback;
  FHIR_CHECK(loopback.start(o.redirect_port));
  const std::string redirect_uri = "http://127.0.0.1:" + std::to_string(loopback.port()) + "/callback";
  const std::string verifier = random_b64(32);
  const std::string state = random_b64(16);
  const Form query = {{"response_type", "code"},
                      {"client_id", o.client_id},
                      {"redirect_uri", redirect_uri},
                      {"scope", o.scope.empty() ? kDefaultScope : o.scope},
                      {"state", state},
                      {"aud", ep.fhir_base},
                      {"code_challenge", auth::s256_challenge(verifier)},
                      {"code_challenge_method", "S256"}};
  const std::string url = ep.authorization + (ep.authorization.find('?') == std::string::npos ? "?" : "&") +
                          query_encode(query);
  std::cerr << "Open this address in a browser and sign in (waiting " << o.timeout_s << " s for "
            << redirect_uri << "):\n\n  " << url << "\n\n";
  auto answer = loopback.wait(std::chrono::seconds(o.timeout_s));
  if (!answer) return base::make_error(base::ErrorCode::unavailable, "no answer from the browser within " + std::to_string(o.timeout_s) + " s");
  if ((*answer)["state"] != state) return base::make_error(base::ErrorCode::forbidden, "the redirect's state does not match; ignored");
  if (answer->count("error")) {
    return base::make_error(base::ErrorCode::forbidden, "authorization refused: " + (*answer)["error"] +
                                                            (answer->count("error_description") ? ": " + (*answer)["error_description"] : ""));
  }
  if ((*answer)["code"].empty()) return base::make_error(base::ErrorCode::invalid, "the redirect carries no code");
  return token_request(ep,
                       {{"grant_type", "authorization_code"},
                        {"code", (*answer)["code"]},
                        {"redirect_uri", redirect_uri},
                        {"code_verifier", verifier},
                        {"client_id", o.client_id}},
                       http);
}

int run(const GlobalOptions& global, const GetOptions& o) {
  if (global.server.empty()) return usage("token get needs a server: --server URL (or FHIRCTL_SERVER)");
  if (!o.key_file.empty() && !o.refresh_file.empty()) return usage("--key and --refresh go separately");
  std::optional<ClientKey> key;
  if (!o.key_file.empty()) {
    auto text = read_file_or_stdin(o.key_file);
    if (!text) return usage(text.error().message);
    auto k = load_client_key(*text);
    if (!k) return fail(k.error());
    key = std::move(*k);
  }
  std::string refresh;
  if (!o.refresh_file.empty()) {
    auto text = read_file_or_stdin(o.refresh_file);
    if (!text) return usage(text.error().message);
    refresh = trim(*text);
    if (refresh.empty()) return fail(o.refresh_file + " holds no refresh token");
  }
  const HttpOptions http{o.ca_file, o.insecure, 30};
  auto ep = discover(global.server, http);
  if (!ep) return fail(ep.error());

  base::Result<base::Json> response = base::internal_error("no grant");
  if (key) {
    auto assertion = client_assertion(*key, o.client_id, ep->token);
    if (!assertion) return fail(assertion.error());
    Form form = {{"grant_type", "client_credentials"},
                 {"client_assertion_type", kAssertionType},
                 {"client_assertion", *assertion}};
    if (!o.scope.empty()) form.emplace_back("scope", o.scope);
    response = token_request(*ep, form, http);
  } else if (!refresh.empty()) {
    Form form = {{"grant_type", "refresh_token"}, {"refresh_token", refresh}, {"client_id", o.client_id}};
    if (!o.scope.empty()) form.emplace_back("scope", o.scope);
    response = token_request(*ep, form, http);
  } else {
    response = authorization_code(*ep, o, http);
  }
  if (!response) return fail(response.error());

  // Keep the refresh token: back into the --refresh file (it rotated) and/or the --save file.
  auto& j = *response;
  const std::string new_refresh = j.value("refresh_token", "");
  std::vector<std::string> files;
  if (!o.refresh_file.empty() && o.refresh_file != "-") files.push_back(o.refresh_file);
  if (!o.save_file.empty() && o.save_file != o.refresh_file) files.push_back(o.save_file);
  if (!files.empty()) {
    if (new_refresh.empty()) {
      std::cerr << "fhirctl: the server issued no refresh token (ask for offline_access); nothing saved\n";
    } else {
      for (const auto& f : files) {
        if (auto s = write_private(f, new_refresh + "\n"); !s.ok()) return fail(s.error());
        std::cerr << "refresh token saved in " << f << " (mode 0600)\n";
      }
      j.erase("refresh_token");
    }
  }
  print_json(j);
  return kOk;
}

}  // namespace

base::Result<ServerEndpoints> discover(const std::string& server, const HttpOptions& http) {
  ServerEndpoints ep;
  ep.fhir_base = fhir_base_url(server);
  const std::string root = site_root_url(ep.fhir_base);
  ep.authorization = root + "/oauth2/authorize";
  ep.token = root + "/oauth2/token";
  ep.registration = root + "/oauth2/register";
  FHIR_TRY(auto res, http_get(ep.fhir_base + "/.well-known/smart-configuration", http));
  if (res.status != 200) return ep;
  auto j = base::parse_json(res.body);
  if (!j || !j->is_object()) return ep;
  const auto take = [&](const char* name, std::string& out) {
    auto it = j->find(name);
    if (it != j->end() && it->is_string() && !it->get<std::string>().empty()) out = it->get<std::string>();
  };
  take("authorization_endpoint", ep.authorization);
  take("token_endpoint", ep.token);
  take("registration_endpoint", ep.registration);
  return ep;
}

void setup_token_get(CLI::App& token_cmd, const GlobalOptions& global, int& exit_code) {
  auto o = std::make_shared<GetOptions>();
  auto* cmd = token_cmd.add_subcommand("get", "Get a token from the server (--server) and print the token response");
  cmd->add_option("--client-id", o->client_id, "The client id registered at the server")->required();
  cmd->add_option("--key", o->key_file, "Private key (JWK or PEM) for client_credentials (backend services)");
  cmd->add_option("--scope", o->scope, "Scopes to ask for");
  cmd->add_option("--redirect-port", o->redirect_port, "Loopback port for the browser's redirect (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--timeout", o->timeout_s, "Seconds to wait for the browser's redirect")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd->add_option("--save", o->save_file, "Keep the refresh token in this file (mode 0600) instead of printing it");
  cmd->add_option("--refresh", o->refresh_file, "Use the refresh token in this file, and keep the new one there");
  cmd->add_option("--ca", o->ca_file, "CA certificates (PEM) to trust for the server instead of the system's");
  cmd->add_flag("--insecure", o->insecure, "Do not verify the server's certificate (development only)");
  cmd->callback([&global, &exit_code, o] { exit_code = run(global, *o); });
}

}  // namespace fhirctl
