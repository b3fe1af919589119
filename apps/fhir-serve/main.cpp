// fhir-serve: the FHIR R4 server. Reads like a table of contents: options, data directory,
// services, TLS, listen, shut down gracefully on SIGTERM/SIGINT.
#include <httplib.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "audit/api_log.hpp"
#include "audit/api_log_db.hpp"
#include "auth/auth_service.hpp"
#include "demo.hpp"
#include "demo_logins.hpp"
#include "http_adapter.hpp"
#include "logging.hpp"
#include "jwks_fetcher.hpp"
#include "options.hpp"
#include "rest/backend.hpp"
#include "rest/oauth/endpoints.hpp"
#include "rest/router.hpp"
#include "store/settings.hpp"
#include "tls.hpp"

namespace {

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The origin clients reach a listening address at: a wildcard address becomes localhost.
std::string listen_origin(const std::string& scheme, const std::string& host, int port) {
  std::string h = host;
  if (h == "0.0.0.0" || h == "::" || h.empty()) h = "localhost";
  else if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return scheme + "://" + h + ":" + std::to_string(port);
}

// Blocks SIGTERM/SIGINT in every thread; a dedicated thread waits for them and stops the server.
sigset_t block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  serve::Options opt;
  if (auto code = serve::parse_options(argc, argv, opt)) return *code;
  serve::setup_logging(opt.log_format, opt.log_level);
  const sigset_t signals = block_shutdown_signals();

  if (opt.insecure_http && !is_loopback(opt.host)) {
    std::cerr << "fhir-serve: --insecure-http is allowed only on a loopback address (127.0.0.1, ::1, localhost), "
                 "not \"" << opt.host << "\"\n";
    return 2;
  }
  if (opt.no_auth && !is_loopback(opt.host)) {
    std::cerr << "fhir-serve: --no-auth is allowed only on a loopback address (127.0.0.1, ::1, localhost), "
                 "not \"" << opt.host << "\"\n";
    return 2;
  }

  auto backend = rest::open_backend(opt.data_dir);
  if (!backend) {
    serve::log_error("cannot open data directory: " + backend.error().message);
    return 1;
  }
  rest::Backend& b = **backend;
  for (const auto& skipped : b.search.indexer->skipped()) serve::log_warn("search parameter not indexed: " + skipped);
  std::string demo_patient;
  if (opt.demo) {
    auto demo = serve::load_demo_data(b);
    if (!demo) {
      serve::log_error("cannot load demo data: " + demo.error().message);
      return 1;
    }
    if (demo->loaded) {
      serve::log_info("demo data: " + std::to_string(demo->patients) + " patients, " +
                      std::to_string(demo->resources) + " resources loaded in " +
                      std::to_string(static_cast<int>(demo->seconds * 1000)) + " ms");
      demo_patient = demo->first_patient;
    } else {
      serve::log_info("demo data: the data directory already holds resources; nothing loaded");
    }
  }
  store::SettingsCache settings_cache(*b.settings, std::chrono::milliseconds(1000));
  auto api_log_db = audit::open_api_log_db(opt.data_dir);
  if (!api_log_db) {
    serve::log_error("cannot open the API log: " + api_log_db.error().message);
    return 1;
  }
  audit::ApiLog api_log(**api_log_db);

  rest::Services services;
  services.resources = b.resources.get();
  services.settings = b.settings.get();
  services.settings_cache = &settings_cache;
  services.api_log = &api_log;
  services.search = b.search.engine.get();
  services.indexer = b.search.indexer.get();
  services.max_body_bytes = opt.max_body;
  services.log_error = [](std::string_view m) { serve::log_error(m); };
  rest::Router router(services);

  std::unique_ptr<httplib::Server> server;
  if (opt.insecure_http) {
    server = std::make_unique<httplib::Server>();
  } else {
    serve::TlsFiles files{opt.cert, opt.key};
    if (opt.dev) {
      auto dev = serve::ensure_dev_certificate(opt.data_dir);
      if (!dev) {
        serve::log_error(dev.error().message);
        return 1;
      }
      if (files.cert == opt.data_dir / "tls" / "cert.pem") files = *dev;
    }
    std::string tls_error;
    auto https = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
      return serve::configure_server_context(ctx, files, tls_error);
    });
    if (!https->is_valid()) {
      serve::log_error("TLS is not usable: " + tls_error +
                       " (start with --dev for a development certificate, or pass --cert and --key)");
      return 1;
    }
    server = std::move(https);
  }

  serve::AdapterConfig adapter;
  adapter.threads = opt.threads;
  adapter.keep_alive_timeout = opt.keep_alive_timeout;
  adapter.max_body = opt.max_body;
  adapter.scheme = opt.insecure_http ? "http" : "https";
  adapter.on_request = [](const std::string& method, const std::string& path, int status, long long us) {
    if (status >= 500) {
      serve::log_warn(method + " " + path + " -> " + std::to_string(status));
    } else if (serve::debug_enabled()) {
      serve::log_debug(method + " " + path + " -> " + std::to_string(status) + " in " + std::to_string(us) + "us");
    }
  };
  serve::mount_router(*server, router, adapter);

  int port = opt.port;
  if (port == 0) {
    port = server->bind_to_any_port(opt.host);  // --listen HOST:0: the kernel picks (tests use it)
  } else if (!server->bind_to_port(opt.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    serve::log_error("cannot listen on " + opt.listen + " (address in use or not permitted)");
    return 1;
  }
  serve::widen_listen_backlog();

  // The SMART authorization server: its URLs (issuer, audience, token endpoint) come from the site
  // address, or from the address listened on; a change of site_address needs a restart.
  const auto site = b.settings->load();
  if (!site) {
    serve::log_error("cannot read the site settings: " + site.error().message);
    return 1;
  }
  const std::string root = rest::oauth::public_root(site->site_address, listen_origin(adapter.scheme, opt.host, port));
  auth::AuthConfig auth_config;
  rest::oauth::set_urls(auth_config, root);
  auth_config.fetcher = serve::make_jwks_fetcher();
  auto auth_service = auth::AuthService::open(*b.db, b.settings.get(), auth_config);
  if (!auth_service) {
    serve::log_error("cannot start the authorization server: " + auth_service.error().message);
    return 1;
  }
  services.auth = auth_service->get();
  if (opt.no_auth) {
    serve::log_warn("--no-auth: the FHIR API is served WITHOUT access token checks; keep it on this machine");
  } else {
    services.tokens = (*auth_service)->verifier.get();  // the guard enforces tokens and scopes
  }
  std::optional<auth::DemoCredentials> demo_logins;
  if (opt.demo) {  // before "listening on" is logged: scripts read the file once they see it
    auto logins = serve::create_demo_logins(b, **auth_service, opt.data_dir);
    if (!logins) {
      serve::log_error("cannot create the demo logins: " + logins.error().message);
      return 1;
    }
    demo_logins = std::move(*logins);
  }
  if (site->site_address.empty()) {
    serve::log_info("OAuth issuer and audience: " + auth_config.fhir_base +
                    " (set site_address for the address clients use: fhirctl settings set site_address URL)");
  }
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    serve::log_info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                    "; finishing in-flight requests");
    server->stop();
  });
  serve::log_info(std::string("fhir-serve listening on ") + adapter.scheme + "://" + opt.host + ":" +
                  std::to_string(port) +
                  " (FHIR base /r4, data dir " + opt.data_dir.string() + ")");
  if (opt.demo) {
    const std::string base = auth_config.fhir_base;
    const std::string k = opt.insecure_http ? "" : "-k ";
    std::cout << "\nDemo server ready.\n"
              << serve::describe_demo_logins(*demo_logins, opt.data_dir / "demo-credentials.json", base)
              << "Try:\n"
              << "  curl " << k << base << "/metadata\n"
              << "  curl " << k << base << "/.well-known/smart-configuration\n";
    if (!demo_patient.empty()) {
      std::cout << "  curl " << k << "-H 'Authorization: Bearer TOKEN' '" << base << "/Observation?patient="
                << demo_patient << "&category=vital-signs&_sort=-date&_count=5'\n";
    }
    if (opt.no_auth) std::cout << "Access tokens are NOT checked (--no-auth): keep it on this machine.\n";
    std::cout << std::flush;
  }
  const bool ok = server->listen_after_bind();
  if (stopper.joinable()) {
    if (ok) {
      stopper.join();
    } else {
      pthread_kill(stopper.native_handle(), SIGTERM);
      stopper.join();
    }
  }
  api_log.flush();
  serve::log_info("fhir-serve stopped");
  return ok ? 0 : 1;
}
