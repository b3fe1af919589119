// fhir-serve's authorization modes end to end: --no-auth (refused off loopback, serves without
// tokens on loopback) and client keys fetched from a jwks_uri over verified HTTPS.
#include "e2e/smart_e2e_fixture.hpp"

using smart::json;
using smart_e2e::admin;

namespace {

TEST(SmartE2ENoAuth, RefusedOffLoopbackAndServesWithoutTokensOnLoopback) {
  auto refused = e2e::run_command({FHIR_SERVE_BIN, "--data-dir", "/tmp/fhir-e2e-never", "--no-auth", "--dev",
                                   "--listen", "0.0.0.0:0"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--no-auth"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists("/tmp/fhir-e2e-never"));

  e2e::ServerProcess server({"--dev", "--no-auth"});
  ASSERT_TRUE(server.started()) << server.log();
  EXPECT_NE(server.log().find("WITHOUT access token checks"), std::string::npos);
  auto c = smart::https(server.port());
  auto r = c->Get("/r4/Patient?_count=1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // The authorization server still answers.
  auto cfg = c->Get("/r4/.well-known/smart-configuration");
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->status, 200);
}

}  // namespace

namespace {

// private_key_jwt with a jwks_uri: fhir-serve fetches the client's keys over HTTPS (its own fetcher,
// certificate verified against the trust store: here the test's server certificate, given to
// fhir-serve as SSL_CERT_FILE), caches them, and refuses documents over its size limit.
TEST(SmartE2EJwksUri, KeysFetchedOverVerifiedHttpsWithASizeLimit) {
  // A certificate for 127.0.0.1: the one fhir-serve --dev makes.
  std::filesystem::path cert, key;
  e2e::ServerProcess minter({"--dev"});
  ASSERT_TRUE(minter.started()) << minter.log();
  cert = minter.data_dir() / "tls" / "cert.pem";
  key = minter.data_dir() / "tls" / "key.pem";

  smart::ClientKey client_key("ES384", "jwks-uri-key");
  const std::string jwks = client_key.jwks().dump();
  httplib::SSLServer keys_server(cert.c_str(), key.c_str());
  ASSERT_TRUE(keys_server.is_valid());
  std::atomic<int> fetches{0};
  keys_server.Get("/jwks.json", [&](const httplib::Request&, httplib::Response& res) {
    ++fetches;
    res.set_content(jwks, "application/json");
  });
  keys_server.Get("/big.json", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(200 * 1024, ' ') + jwks, "application/json");
  });
  const int keys_port = keys_server.bind_to_any_port("127.0.0.1");
  std::thread keys_thread([&] { keys_server.listen_after_bind(); });

  setenv("SSL_CERT_FILE", cert.c_str(), 1);
  e2e::ServerProcess server({"--dev"});
  unsetenv("SSL_CERT_FILE");
  ASSERT_TRUE(server.started()) << server.log();
  const std::string root = "https://127.0.0.1:" + std::to_string(server.port());
  auto c = smart::https(server.port());
  const std::string keys_base = "https://127.0.0.1:" + std::to_string(keys_port);

  auto register_with = [&](const std::string& uri) {
    auto r = smart::post_json(*c, "/oauth2/register",
                              {{"token_endpoint_auth_method", "private_key_jwt"},
                               {"grant_types", {"client_credentials"}},
                               {"jwks_uri", uri},
                               {"scope", "system/Patient.read"}});
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    const std::string id = smart::parse(r)["client_id"];
    admin(server.data_dir(), root, [&](auth::AuthService& s) { ASSERT_TRUE(s.clients->enable(id).ok()); });
    return id;
  };
  auto token = [&](const std::string& id) {
    return smart::post_form(*c, "/oauth2/token",
                            {{"grant_type", "client_credentials"},
                             {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                             {"client_assertion", client_key.assertion(id, root + "/oauth2/token")}});
  };

  const std::string good = register_with(keys_base + "/jwks.json");
  auto first = token(good);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body << "\n" << server.log();
  auto second = token(good);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(fetches.load(), 1) << "the JWKS document should come from the cache the second time";

  const std::string big = register_with(keys_base + "/big.json");
  auto refused = token(big);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(smart::parse(refused)["error"], "invalid_client");

  keys_server.stop();
  keys_thread.join();
}

}  // namespace
