// fhirctl as a client of a real fhir-serve over HTTPS: `token get` with client credentials (ES384
// private JWK, RS384 PEM) and the native-app authorization-code flow (PKCE, loopback redirect,
// --save, --refresh), and the admin commands' revocations taking effect at the server within 1 s
// (token revoke, client disable, client revoke-user: that user's tokens refused, others not).
// Skipped when the server has no token endpoint (a build without rest/oauth).
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "base/crypto.hpp"
#include "e2e/server_process.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string pct(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return out;
}

std::string form(const Fields& f) {
  std::string out;
  for (const auto& [k, v] : f) out += (out.empty() ? "" : "&") + pct(k) + "=" + pct(v);
  return out;
}

// A free TCP port on 127.0.0.1 (bound and released).
int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

// A program running in the background with stdout and stderr in files.
class Background {
 public:
  Background(const std::vector<std::string>& argv, const fs::path& dir) {
    static int n = 0;  // fresh files each time: never read an earlier run's output
    ++n;
    out_ = dir / ("bg" + std::to_string(n) + ".out");
    err_ = dir / ("bg" + std::to_string(n) + ".err");
    pid_ = fork();
    if (pid_ == 0) {
      (void)!freopen(out_.c_str(), "w", stdout);
      (void)!freopen(err_.c_str(), "w", stderr);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0 && !done_) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  // Waits until stderr matches `re`; returns the first group, or "" after `timeout`.
  std::string wait_for(const std::regex& re, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch m;
      const std::string text = read_text(err_);
      if (std::regex_search(text, m, re)) return m[1];
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {};
  }
  // Waits for the exit; returns the exit code (-1 on a signal or after `timeout`).
  int wait(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        done_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  fs::path out_, err_;
};

// A client key pair made with OpenSSL: the private key as a JWK or PEM file, the public one as a JWKS.
struct KeyPair {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{nullptr, EVP_PKEY_free};
  std::string kid;

  static KeyPair make(bool ec, std::string kid) {
    KeyPair k;
    k.kid = std::move(kid);
    k.key.reset(ec ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384")
                   : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
    return k;
  }
  bool ec() const { return EVP_PKEY_is_a(key.get(), "EC"); }
  std::string bn(const char* name, int pad = 0) const {
    BIGNUM* b = nullptr;
    EVP_PKEY_get_bn_param(key.get(), name, &b);
    std::string out(static_cast<std::size_t>(pad ? pad : BN_num_bytes(b)), '\0');
    BN_bn2binpad(b, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
    BN_free(b);
    return base::base64url_encode(out);
  }
  json public_jwk() const {
    json j = {{"kid", kid}, {"use", "sig"}};
    if (ec()) {
      unsigned char point[128];
      size_t len = 0;
      EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
      j.update({{"kty", "EC"}, {"crv", "P-384"}, {"alg", "ES384"},
                {"x", base::base64url_encode(std::string(reinterpret_cast<char*>(point + 1), 48))},
                {"y", base::base64url_encode(std::string(reinterpret_cast<char*>(point + 49), 48))}});
    } else {
      j.update({{"kty", "RSA"}, {"alg", "RS384"}, {"n", bn(OSSL_PKEY_PARAM_RSA_N)}, {"e", bn(OSSL_PKEY_PARAM_RSA_E)}});
    }
    return j;
  }
  json private_jwk() const {
    json j = public_jwk();
    if (ec()) {
      j["d"] = bn(OSSL_PKEY_PARAM_PRIV_KEY, 48);
    } else {
      j.update({{"d", bn(OSSL_PKEY_PARAM_RSA_D)},
                {"p", bn(OSSL_PKEY_PARAM_RSA_FACTOR1)},
                {"q", bn(OSSL_PKEY_PARAM_RSA_FACTOR2)},
                {"dp", bn(OSSL_PKEY_PARAM_RSA_EXPONENT1)},
                {"dq", bn(OSSL_PKEY_PARAM_RSA_EXPONENT2)},
                {"qi", bn(OSSL_PKEY_PARAM_RSA_COEFFICIENT1)}});
    }
    return j;
  }
  std::string pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
  }
};

class FhirctlTokenGet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new e2e::ServerProcess({"--dev"});
    if (!server_->started()) return;
    auto c = https();
    auto r = c->Post("/oauth2/token", "", "application/x-www-form-urlencoded");
    has_oauth_ = r && r->status != 404;
    auto p = c->Get("/r4/Patient");
    guarded_ = p && p->status == 401;
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_ && server_->started()) << (server_ ? server_->log() : "");
    if (!has_oauth_) GTEST_SKIP() << "this fhir-serve has no /oauth2/token";
    char tmpl[] = "/tmp/fhirctl-token-get-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    for (const char* v : {"FHIRCTL_DATA_DIR", "FHIR_DATA_DIR", "FHIRCTL_SERVER", "FHIRCTL_TOKEN"}) unsetenv(v);
    setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("XDG_CONFIG_HOME");
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  static std::unique_ptr<httplib::SSLClient> https() {
    auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    c->enable_server_certificate_verification(false);
    c->set_read_timeout(30);
    c->set_follow_location(false);
    c->set_url_encode(false);  // paths are sent exactly as fhirctl printed them
    return c;
  }
  std::string server_url() const { return "https://127.0.0.1:" + std::to_string(server_->port()); }
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return (dir_ / name).string();
  }

  // fhirctl on the server's data dir (admin commands).
  e2e::CommandResult admin(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--data-dir", server_->data_dir().string(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return e2e::run_command(argv);
  }
  json admin_json(const std::vector<std::string>& args) {
    auto r = admin(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  // fhirctl --server URL token get ... (trusting the --dev certificate through --ca)
  std::vector<std::string> get_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--server", server_url(), "token", "get", "--ca",
                                     (server_->data_dir() / "tls" / "cert.pem").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  std::string backend_client(const KeyPair& key) {
    const std::string jwks = write(key.kid + ".jwks", json{{"keys", json::array({key.public_jwk()})}}.dump());
    auto reg = admin_json({"client", "register", "--name", "svc " + key.kid, "--auth-method", "private_key_jwt",
                           "--grant-type", "client_credentials", "--scope", "system/Patient.read", "--jwks", jwks});
    const std::string id = reg.value("client_id", "");
    EXPECT_EQ(admin({"client", "enable", id}).exit_code, 0);
    return id;
  }

  // The status of a FHIR read with `token` (401 once refused), or of userinfo for user tokens.
  int use(const std::string& token, bool fhir) {
    auto c = https();
    auto r = c->Get(fhir ? "/r4/Patient?_count=1" : "/oauth2/userinfo", {{"Authorization", "Bearer " + token}});
    return r ? r->status : 0;
  }
  // Polls until `token` is refused (401); returns the time it took, or nullopt after 3 s.
  std::optional<std::chrono::milliseconds> refused_within(const std::string& token, bool fhir) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(3)) {
      if (use(token, fhir) == 401) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  // The native-app flow run by fhirctl, with this test as the browser; returns fhirctl's output.
  json native_flow(const std::string& client_id, int port, const std::string& username, const std::string& password,
                   const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--client-id", client_id, "--redirect-port", std::to_string(port), "--timeout", "60"};
    args.insert(args.end(), extra.begin(), extra.end());
    Background get(get_argv(args), dir_);
    const std::string url =
        get.wait_for(std::regex(R"((https://127\.0\.0\.1:\d+/oauth2/authorize\?\S+)\n)"), std::chrono::seconds(30));
    EXPECT_FALSE(url.empty()) << get.err();
    if (url.empty()) return {};
    const std::string path = url.substr(url.find("/oauth2/"));
    auto c = https();
    auto page = c->Get(path.c_str());
    EXPECT_TRUE(page && page->status == 200)
        << path << " -> " << (page ? std::to_string(page->status) + " " + page->get_header_value("Location") : "no answer");
    if (!page) return {};
    std::smatch m;
    std::regex_search(page->body, m, std::regex(R"re(name="request_id" value="([^"]+)")re"));
    const std::string rid = m[1];
    auto consent = c->Post("/oauth2/authorize", form({{"request_id", rid}, {"username", username}, {"password", password}}),
                           "application/x-www-form-urlencoded");
    EXPECT_TRUE(consent && consent->status == 200) << (consent ? consent->body : "no answer");
    if (!consent) return {};
    Fields allow = {{"request_id", rid}};
    static const std::regex scope_re(R"re(name="scope" value="([^"]+)")re");
    for (std::sregex_iterator it(consent->body.begin(), consent->body.end(), scope_re), end; it != end; ++it) {
      allow.emplace_back("scope", (*it)[1].str());
    }
    allow.emplace_back("decision", "allow");
    auto done = c->Post("/oauth2/authorize", form(allow), "application/x-www-form-urlencoded");
    EXPECT_TRUE(done && done->status == 302) << (done ? done->body : "no answer");
    if (!done) return {};
    const std::string location = done->get_header_value("Location");
    EXPECT_EQ(location.rfind("http://127.0.0.1:" + std::to_string(port) + "/callback?", 0), 0u) << location;
    httplib::Client browser("127.0.0.1", port);
    browser.set_url_encode(false);
    auto landed = browser.Get(location.substr(location.find("/callback")).c_str());
    EXPECT_TRUE(landed && landed->status == 200);
    EXPECT_EQ(get.wait(std::chrono::seconds(30)), 0) << get.err();
    return json::parse(get.out(), nullptr, false);
  }

  static e2e::ServerProcess* server_;
  static bool has_oauth_, guarded_;
  fs::path dir_;
};

e2e::ServerProcess* FhirctlTokenGet::server_ = nullptr;
bool FhirctlTokenGet::has_oauth_ = false;
bool FhirctlTokenGet::guarded_ = false;

TEST_F(FhirctlTokenGet, BackendServicesWithAnEs384JwkAndAnRs384PemThenRevokeAndDisable) {
  const auto ec = KeyPair::make(true, "ec-1");
  const auto rsa = KeyPair::make(false, "rsa-1");
  const std::string ec_client = backend_client(ec), rsa_client = backend_client(rsa);
  const std::string ec_key = write("ec.jwk", ec.private_jwk().dump());
  const std::string rsa_key = write("rsa.pem", rsa.pem());

  auto a = e2e::run_command(get_argv({"--client-id", ec_client, "--key", ec_key}));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const auto ta = json::parse(a.out);
  EXPECT_EQ(ta["token_type"], "Bearer");
  EXPECT_EQ(ta["scope"], "system/Patient.read");
  const std::string token_a = ta["access_token"];
  auto b = e2e::run_command(get_argv({"--client-id", rsa_client, "--key", rsa_key, "--scope", "system/Patient.read"}));
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string token_b = json::parse(b.out)["access_token"];

  auto pa = admin_json({"token", "parse", token_a});
  EXPECT_EQ(pa["status"], "active");
  EXPECT_EQ(pa["client_id"], ec_client);

  // Wrong key for the client: the server says why.
  auto wrong = e2e::run_command(get_argv({"--client-id", rsa_client, "--key", ec_key}));
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("invalid_client"), std::string::npos) << wrong.err;
  // Not trusting the --dev certificate fails with a hint; no server is a usage error.
  auto untrusted = e2e::run_command({FHIRCTL_BIN, "--server", server_url(), "token", "get", "--client-id", ec_client,
                                     "--key", ec_key});
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_NE(untrusted.err.find("--insecure"), std::string::npos) << untrusted.err;
  EXPECT_EQ(e2e::run_command({FHIRCTL_BIN, "token", "get", "--client-id", ec_client, "--key", ec_key}).exit_code, 2);

  if (!guarded_) GTEST_SKIP() << "this fhir-serve does not check tokens on FHIR requests";
  EXPECT_EQ(use(token_a, true), 200);
  EXPECT_EQ(use(token_b, true), 200);
  ASSERT_EQ(admin({"token", "revoke", pa["id"]}).exit_code, 0);
  auto took = refused_within(token_a, true);
  ASSERT_TRUE(took) << "a revoked token was still accepted after 3 s";
  EXPECT_LE(took->count(), 1000) << "token revoke took effect after " << took->count() << " ms";
  EXPECT_EQ(use(token_b, true), 200) << "other tokens keep working";

  ASSERT_EQ(admin({"client", "disable", rsa_client}).exit_code, 0);
  took = refused_within(token_b, true);
  ASSERT_TRUE(took) << "a disabled client's token was still accepted after 3 s";
  EXPECT_LE(took->count(), 1000) << "client disable took effect after " << took->count() << " ms";
}

TEST_F(FhirctlTokenGet, NativeAppFlowSavesAndRotatesTheRefreshTokenAndRevokeUserStopsOnlyThatUser) {
  const std::string patients = write("patients.ndjson",
                                     "{\"resourceType\":\"Patient\",\"id\":\"tg1\"}\n"
                                     "{\"resourceType\":\"Patient\",\"id\":\"tg2\"}\n");
  ASSERT_EQ(admin({"import", patients}).exit_code, 0);
  auto u1 = admin_json({"patient", "credentials", "create", "tg1"});
  auto u2 = admin_json({"patient", "credentials", "create", "tg2"});
  const int port = free_port();
  ASSERT_GT(port, 0);
  auto reg = admin_json({"client", "register", "--name", "native", "--auth-method", "none", "--redirect-uri",
                         "http://127.0.0.1:" + std::to_string(port) + "/callback", "--grant-type",
                         "authorization_code", "--grant-type", "refresh_token", "--scope",
                         "openid fhirUser launch/patient patient/Patient.read offline_access"});
  ASSERT_TRUE(reg.value("enabled", false)) << reg.dump();
  const std::string client = reg["client_id"];

  const fs::path saved = dir_ / "refresh-1";
  auto t1 = native_flow(client, port, u1["username"], u1["password"], {"--save", saved.string()});
  ASSERT_TRUE(t1.contains("access_token")) << t1.dump();
  EXPECT_EQ(t1["patient"], "tg1");
  EXPECT_FALSE(t1.contains("refresh_token")) << "with --save the refresh token goes to the file only";
  struct stat st {};
  ASSERT_EQ(stat(saved.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string refresh1 = read_text(saved);
  EXPECT_GT(refresh1.size(), 20u);
  EXPECT_EQ(admin_json({"token", "parse", refresh1})["type"], "refresh");

  auto t2 = native_flow(client, port, u2["username"], u2["password"], {});
  ASSERT_TRUE(t2.contains("refresh_token")) << "without --save it is printed";
  EXPECT_EQ(t2["patient"], "tg2");

  // --refresh: a new access token, and the file now holds the rotated refresh token.
  auto r = e2e::run_command(get_argv({"--client-id", client, "--refresh", saved.string()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string t1b = json::parse(r.out)["access_token"];
  EXPECT_NE(read_text(saved), refresh1);
  EXPECT_EQ(admin_json({"token", "parse", refresh1})["status"], "revoked") << "a used refresh token is dead";

  // revoke-user: that user's tokens are refused within 1 s; the other user's keep working.
  EXPECT_EQ(use(t1b, false), 200);
  EXPECT_EQ(use(t2["access_token"], false), 200);
  ASSERT_EQ(admin({"client", "revoke-user", client, u1["username"]}).exit_code, 0);
  auto took = refused_within(t1b, false);
  ASSERT_TRUE(took) << "a revoked user's token was still accepted after 3 s";
  EXPECT_LE(took->count(), 1000);
  EXPECT_EQ(use(t2["access_token"], false), 200) << "another user's token keeps working";
  auto again = e2e::run_command(get_argv({"--client-id", client, "--refresh", saved.string()}));
  EXPECT_EQ(again.exit_code, 1) << "the revoked grant's refresh token is dead too";
  EXPECT_NE(again.err.find("invalid_grant"), std::string::npos) << again.err;
}

}  // namespace
