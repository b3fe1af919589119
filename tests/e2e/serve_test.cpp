// fhir-serve end to end: the real binary over real HTTPS (and plain HTTP on loopback).
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/server_process.hpp"

namespace {

using json = nlohmann::json;
const httplib::Headers kJson = {{"Content-Type", "application/fhir+json"}};

std::unique_ptr<httplib::SSLClient> client(int port) {
  auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  c->enable_server_certificate_verification(false);
  c->set_connection_timeout(5);
  c->set_read_timeout(10);
  return c;
}

TEST(ServeE2E, DevCertificateCrudAndHistoryOverHttps) {
  e2e::ServerProcess server({"--dev", "--no-auth"});  // tokens: smart_*_e2e_test.cpp
  ASSERT_TRUE(server.started()) << server.log();
  EXPECT_TRUE(std::filesystem::exists(server.data_dir() / "tls" / "cert.pem"));
  const auto key_perms = std::filesystem::status(server.data_dir() / "tls" / "key.pem").permissions();
  EXPECT_EQ(key_perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
  auto client_holder = client(server.port());
  auto& c = *client_holder;

  auto meta = c.Get("/metadata");
  ASSERT_TRUE(meta) << httplib::to_string(meta.error());
  EXPECT_EQ(meta->status, 200);
  EXPECT_EQ(json::parse(meta->body)["resourceType"], "CapabilityStatement");

  auto created = c.Post("/r4/Patient", kJson, R"({"resourceType":"Patient","name":[{"family":"Smith"}]})",
                        "application/fhir+json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const std::string id = json::parse(created->body)["id"];
  EXPECT_NE(created->get_header_value("Location").find("/r4/Patient/" + id + "/_history/1"), std::string::npos);

  auto read = c.Get(("/r4/Patient/" + id).c_str());
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200);
  EXPECT_EQ(read->body, created->body);
  EXPECT_EQ(read->get_header_value("ETag"), "W/\"1\"");

  auto updated = c.Put(("/r4/Patient/" + id).c_str(), kJson,
                       R"({"resourceType":"Patient","id":")" + id + R"(","active":true})", "application/fhir+json");
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->status, 200);
  auto deleted = c.Delete(("/r4/Patient/" + id).c_str());
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204);
  EXPECT_EQ(c.Get(("/r4/Patient/" + id).c_str())->status, 410);
  auto history = c.Get(("/r4/Patient/" + id + "/_history").c_str());
  EXPECT_EQ(json::parse(history->body)["total"], 3);
  auto health = c.Get("/healthz");
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(server.stop(), 0);
}

TEST(ServeE2E, Tls11IsRefused) {
  e2e::ServerProcess server({"--dev"});
  ASSERT_TRUE(server.started()) << server.log();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(ctx, 0);  // let the client offer TLS 1.1; the server must refuse it
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server.port()));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  EXPECT_NE(SSL_connect(ssl), 1) << "a TLS 1.1 handshake must fail";
  SSL_free(ssl);
  close(fd);

  // TLS 1.2 works.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  const int fd2 = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(fd2, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  SSL* ssl2 = SSL_new(ctx);
  SSL_set_fd(ssl2, fd2);
  EXPECT_EQ(SSL_connect(ssl2), 1);
  SSL_free(ssl2);
  close(fd2);
  SSL_CTX_free(ctx);
}

TEST(ServeE2E, WithoutCertificateItExplainsWhatToDo) {
  e2e::ServerProcess server({});
  EXPECT_FALSE(server.started());
  EXPECT_NE(server.log().find("--dev"), std::string::npos) << server.log();
}

TEST(ServeE2E, InsecureHttpOnlyOnLoopback) {
  auto refused = e2e::run_command({FHIR_SERVE_BIN, "--data-dir", "/tmp/fhir-e2e-never", "--insecure-http",
                                   "--listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("loopback"), std::string::npos);

  e2e::ServerProcess server({"--insecure-http"});
  ASSERT_TRUE(server.started()) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  auto res = c.Get("/r4/metadata");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST(ServeE2E, BodyOverMaxBodyIs413OperationOutcome) {
  e2e::ServerProcess server({"--insecure-http", "--no-auth", "--max-body", "1000"});
  ASSERT_TRUE(server.started()) << server.log();
  httplib::Client c("127.0.0.1", server.port());
  const std::string big = R"({"resourceType":"Patient","text":{"div":")" + std::string(5000, 'x') + "\"}}";
  auto res = c.Post("/r4/Patient", big, "application/fhir+json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(res->body.find("OperationOutcome"), std::string::npos) << res->body;
}

TEST(ServeE2E, FlagsBeatEnvironmentBeatConfigFile) {
  char tmpl[] = "/tmp/fhir-e2e-cfg-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  {
    std::ofstream cfg(dir + "/serve.conf");
    cfg << "# test config\nmax-body = 100\ninsecure-http = true\n";
  }
  // Config alone: max-body 100.
  setenv("FHIR_SERVE_CONFIG", (dir + "/serve.conf").c_str(), 1);
  {
    e2e::ServerProcess server({"--no-auth"});
    ASSERT_TRUE(server.started()) << server.log();
    httplib::Client c("127.0.0.1", server.port());
    EXPECT_EQ(c.Post("/r4/Patient", std::string(500, ' '), "application/fhir+json")->status, 413);
  }
  // Environment beats the config file.
  setenv("FHIR_SERVE_MAX_BODY", "100000", 1);
  {
    e2e::ServerProcess server({"--no-auth"});
    ASSERT_TRUE(server.started()) << server.log();
    httplib::Client c("127.0.0.1", server.port());
    EXPECT_EQ(c.Post("/r4/Patient", std::string(500, ' '), "application/fhir+json")->status, 400);
  }
  // A flag beats the environment.
  {
    e2e::ServerProcess server({"--max-body", "100", "--no-auth"});
    ASSERT_TRUE(server.started()) << server.log();
    httplib::Client c("127.0.0.1", server.port());
    EXPECT_EQ(c.Post("/r4/Patient", std::string(500, ' '), "application/fhir+json")->status, 413);
  }
  unsetenv("FHIR_SERVE_MAX_BODY");
  unsetenv("FHIR_SERVE_CONFIG");
  std::filesystem::remove_all(dir);
}

TEST(ServeE2E, FhirctlSettingsReachTheRunningServerWithinASecond) {
  e2e::ServerProcess server({"--insecure-http"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string dd = server.data_dir().string();
  auto off = e2e::run_command({FHIRCTL_BIN, "--data-dir", dd, "settings", "set", "fhir_api_enabled", "false"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  httplib::Client c("127.0.0.1", server.port());
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  while (std::chrono::steady_clock::now() < deadline) {
    status = c.Get("/r4/metadata")->status;
    if (status == 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 503);

  auto bad = e2e::run_command({FHIRCTL_BIN, "--data-dir", dd, "settings", "set", "api_log", "verbose"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("off, minimal or full"), std::string::npos);
  auto unknown = e2e::run_command({FHIRCTL_BIN, "--data-dir", dd, "settings", "get", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  auto json_out = e2e::run_command({FHIRCTL_BIN, "--data-dir", dd, "--json", "settings", "get", "fhir_api_enabled"});
  ASSERT_EQ(json_out.exit_code, 0);
  EXPECT_EQ(json::parse(json_out.out)["value"], "false");
}

TEST(ServeE2E, SigtermFinishesInFlightRequestsAndExitsZero) {
  e2e::ServerProcess server({"--insecure-http", "--no-auth"});
  ASSERT_TRUE(server.started()) << server.log();
  // A stream of requests on another thread while SIGTERM arrives: none may get a torn response.
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, bad{0};
  std::thread load([&] {
    httplib::Client c("127.0.0.1", server.port());
    while (!done) {
      auto res = c.Post("/r4/Patient", R"({"resourceType":"Patient"})", "application/fhir+json");
      if (!res) break;  // connection refused/closed after shutdown: fine
      if (res->status == 201) ++ok; else ++bad;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server.stop(), 0);
  done = true;
  load.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_NE(server.log().find("stopped"), std::string::npos);
}

}  // namespace
