// fhirctl's authorization commands end to end: the real fhirctl binary on a temporary data dir
// (users, patients, clients, keys, launches, tokens), with tokens minted through lib/auth in this
// process on the same database (the way the token endpoint mints them), and exit codes 0/1/2.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "auth/jwt.hpp"
#include "base/crypto.hpp"
#include "base/fhir_time.hpp"
#include "e2e/server_process.hpp"
#include "rest/backend.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kSite = "https://fhir.test:8443";
constexpr const char* kBase = "https://fhir.test:8443/r4";
constexpr const char* kRedirect = "https://app.example/cb";

// Runs fhirctl with `input` on standard input (through a file and /bin/sh).
e2e::CommandResult run_with_stdin(const std::vector<std::string>& argv, const std::string& input,
                                  const fs::path& scratch) {
  const fs::path in = scratch / "stdin.txt";
  std::ofstream(in, std::ios::binary) << input;
  std::vector<std::string> sh = {"/bin/sh", "-c", "exec \"$@\" < \"$0\"", in.string()};
  sh.insert(sh.end(), argv.begin(), argv.end());
  return e2e::run_command(sh);
}

// lib/auth over a data dir, as the server would open it; `offset_s` moves its clock.
struct Authority {
  std::unique_ptr<rest::Backend> backend;
  std::unique_ptr<auth::AuthService> auth;

  static std::unique_ptr<Authority> open(const fs::path& data_dir, std::int64_t offset_s = 0) {
    auto a = std::make_unique<Authority>();
    auto b = rest::open_backend(data_dir);
    if (!b) return nullptr;
    a->backend = std::move(*b);
    auth::AuthConfig config;
    config.fhir_base = kBase;
    config.token_endpoint = std::string(kSite) + "/oauth2/token";
    config.clock = [offset_s] { return base::now_us() + offset_s * 1000000; };
    config.scrypt.log2_n = 10;
    auto s = auth::AuthService::open(*a->backend->db, a->backend->settings.get(), std::move(config));
    if (!s) return nullptr;
    a->auth = std::move(*s);
    return a;
  }

  // The authorization-code flow for `username`, as the authorize pages and token endpoint run it:
  // an EHR launch for staff users when `launch_patient` is set. Returns the token response JSON.
  json authorize(const std::string& client_id, const std::string& secret, const std::string& scope,
                 const std::string& username, const std::string& password, const std::string& launch_patient = {}) {
    auth::AuthorizeParams p;
    p.response_type = "code";
    p.client_id = client_id;
    p.redirect_uri = kRedirect;
    p.scope = scope;
    p.state = "st";
    p.aud = kBase;
    if (!launch_patient.empty()) {
      auto l = auth->flow->create_launch(client_id, username, launch_patient, "");
      EXPECT_TRUE(l.ok()) << (l.ok() ? "" : l.error().message);
      if (!l) return {};
      p.launch = l->launch;
    }
    auto req = auth->flow->begin(p);
    EXPECT_TRUE(req.ok()) << (req.ok() ? "" : req.error().error.description);
    if (!req) return {};
    auto logged = auth->flow->login(req->id, username, password);
    EXPECT_TRUE(logged.ok()) << (logged.ok() ? "" : logged.error().message);
    if (!logged) return {};
    std::vector<std::string> consented;
    std::stringstream ss(logged->scope);
    for (std::string s; ss >> s;) consented.push_back(s);
    auto code = auth->flow->approve(req->id, consented);
    EXPECT_TRUE(code.ok()) << (code.ok() ? "" : code.error().error.description);
    if (!code) return {};
    auth::TokenRequest t;
    t.grant_type = "authorization_code";
    t.code = code->code;
    t.redirect_uri = kRedirect;
    t.credentials.client_id = client_id;
    t.credentials.client_secret = secret;
    auto r = auth->tokens->token(t);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().description);
    if (!r) return {};
    return json::parse(r->to_json());
  }
};

class FhirctlAuth : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fhirctl-auth-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    data_ = dir_ / "data";
    // The children inherit this environment: no config file, no FHIRCTL_* of the developer.
    for (const char* v : {"FHIRCTL_DATA_DIR", "FHIR_DATA_DIR", "FHIRCTL_SERVER", "FHIRCTL_TOKEN"}) unsetenv(v);
    setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
    write("seed.ndjson",
          "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"One\"}]}\n"
          "{\"resourceType\":\"Patient\",\"id\":\"p2\",\"name\":[{\"family\":\"Two\"}]}\n"
          "{\"resourceType\":\"Practitioner\",\"id\":\"pr1\",\"name\":[{\"family\":\"Doc\"}]}\n"
          "{\"resourceType\":\"Encounter\",\"id\":\"e1\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
          "\"subject\":{\"reference\":\"Patient/p1\"}}\n");
    auto r = ctl({"import", (dir_ / "seed.ndjson").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override {
    unsetenv("XDG_CONFIG_HOME");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string write(const std::string& name, const std::string& content) {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  // fhirctl --data-dir DATA [--json] ARGS...
  e2e::CommandResult ctl(const std::vector<std::string>& args, bool json_out = false, const fs::path& data = {}) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--data-dir", (data.empty() ? data_ : data).string()};
    if (json_out) argv.push_back("--json");
    argv.insert(argv.end(), args.begin(), args.end());
    return e2e::run_command(argv);
  }
  json ctl_json(const std::vector<std::string>& args, const fs::path& data = {}) {
    auto r = ctl(args, true, data);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }
  e2e::CommandResult ctl_stdin(const std::vector<std::string>& args, const std::string& input, bool json_out = false) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--data-dir", data_.string()};
    if (json_out) argv.push_back("--json");
    argv.insert(argv.end(), args.begin(), args.end());
    return run_with_stdin(argv, input, dir_);
  }

  // A clinician "alice" (password known) and a confidential EHR-launch client, enabled.
  struct Setup {
    std::string password = "alice-password-1";
    std::string client_id, secret;
  };
  Setup ehr_setup(const fs::path& data = {}) {
    Setup s;
    std::vector<std::string> prefix = {FHIRCTL_BIN, "--data-dir", (data.empty() ? data_ : data).string()};
    auto add = run_with_stdin({prefix[0], prefix[1], prefix[2], "user", "add", "alice", "--role", "clinician",
                               "--practitioner", "pr1", "--password-stdin"},
                              s.password + "\n", dir_);
    EXPECT_EQ(add.exit_code, 0) << add.err;
    auto reg = ctl_json({"client", "register", "--name", "Chart App", "--redirect-uri", kRedirect, "--scope",
                         "launch openid fhirUser offline_access patient/Patient.read user/Observation.read",
                         "--auth-method", "client_secret_post", "--grant-type", "authorization_code",
                         "--grant-type", "refresh_token", "--launch-uri", "https://app.example/launch"},
                        data);
    s.client_id = reg.value("client_id", "");
    s.secret = reg.value("client_secret", "");
    EXPECT_FALSE(reg.value("enabled", true)) << "EHR apps wait for an admin";
    auto en = ctl({"client", "enable", s.client_id}, false, data);
    EXPECT_EQ(en.exit_code, 0) << en.err;
    return s;
  }

  json parse_token(const std::string& token, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"token", "parse", token};
    args.insert(args.end(), extra.begin(), extra.end());
    return ctl_json(args);
  }

  fs::path dir_, data_;
};

// ---- users ----------------------------------------------------------------------------------

TEST_F(FhirctlAuth, UserAddListDisableEnablePasswd) {
  auto added = ctl_json({"user", "add", "bob", "--role", "admin", "--name", "Bob Admin"});
  EXPECT_EQ(added["username"], "bob");
  EXPECT_EQ(added["role"], "admin");
  const std::string generated = added.value("password", "");
  EXPECT_GE(generated.size(), 12u) << "a generated password is printed once";

  auto text = ctl({"user", "add", "carol", "--role", "clinician", "--practitioner", "pr1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("password: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("username: carol"), std::string::npos) << text.out;

  auto piped = ctl_stdin({"user", "add", "dave", "--role", "clinician", "--password-stdin"}, "dave-secret-pw\n", true);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_FALSE(json::parse(piped.out).contains("password")) << "a password given is never printed";

  auto list = ctl_json({"user", "list"});
  ASSERT_EQ(list.size(), 3u) << list.dump();
  std::map<std::string, json> by_name;
  for (const auto& u : list) by_name[u["username"]] = u;
  EXPECT_EQ(by_name["carol"]["fhir_user"], "Practitioner/pr1");
  EXPECT_EQ(by_name["bob"]["role"], "admin");
  for (const auto& u : list) EXPECT_FALSE(u.contains("password")) << "list never shows secrets";
  auto table = ctl({"user", "list"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("USERNAME"), std::string::npos);
  EXPECT_NE(table.out.find("dave"), std::string::npos);

  {
    auto a = Authority::open(data_);
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->auth->users->authenticate("bob", generated).ok());
    EXPECT_TRUE(a->auth->users->authenticate("dave", "dave-secret-pw").ok());
  }

  EXPECT_EQ(ctl({"user", "disable", "dave"}).exit_code, 0);
  for (const auto& u : ctl_json({"user", "list"})) EXPECT_EQ(u["disabled"], u["username"] == "dave");
  {
    auto a = Authority::open(data_);
    EXPECT_FALSE(a->auth->users->authenticate("dave", "dave-secret-pw").ok()) << "a disabled user cannot log in";
  }
  EXPECT_EQ(ctl({"user", "enable", "dave"}).exit_code, 0);

  auto pw = ctl_stdin({"user", "passwd", "dave", "--password-stdin"}, "a-new-password\n");
  ASSERT_EQ(pw.exit_code, 0) << pw.err;
  auto regen = ctl_json({"user", "passwd", "bob"});
  const std::string bob_new = regen.value("password", "");
  EXPECT_FALSE(bob_new.empty());
  {
    auto a = Authority::open(data_);
    EXPECT_TRUE(a->auth->users->authenticate("dave", "a-new-password").ok());
    EXPECT_FALSE(a->auth->users->authenticate("dave", "dave-secret-pw").ok());
    EXPECT_TRUE(a->auth->users->authenticate("bob", bob_new).ok());
  }

  // Failures (1) and usage errors (2).
  auto dup = ctl({"user", "add", "bob", "--role", "admin"});
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_FALSE(dup.err.empty());
  EXPECT_EQ(ctl({"user", "disable", "nobody"}).exit_code, 1);
  EXPECT_EQ(ctl({"user", "add", "erin", "--role", "patient"}).exit_code, 2);
  EXPECT_EQ(ctl({"user", "add", "erin"}).exit_code, 2) << "--role is required";
  EXPECT_EQ(ctl({"user", "add", "erin", "--role", "clinician", "--practitioner", "nope"}).exit_code, 1);
  EXPECT_EQ(ctl_stdin({"user", "add", "frank", "--role", "clinician", "--password-stdin"}, "short\n").exit_code, 1);
  EXPECT_EQ(ctl({"user"}).exit_code, 2);
  EXPECT_EQ(ctl({"user", "list", "--bogus"}).exit_code, 2);
}

// ---- patients -------------------------------------------------------------------------------

TEST_F(FhirctlAuth, PatientCredentialsAndApiAccess) {
  auto c = ctl_json({"patient", "credentials", "create", "p1"});
  EXPECT_EQ(c["patient"], "p1");
  const std::string username = c.value("username", ""), password = c.value("password", "");
  ASSERT_FALSE(username.empty());
  ASSERT_FALSE(password.empty());
  EXPECT_TRUE(c["created"].get<bool>());
  auto text = ctl({"patient", "credentials", "create", "p2"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("username: "), std::string::npos);
  EXPECT_NE(text.out.find("password: "), std::string::npos);
  {
    auto a = Authority::open(data_);
    auto u = a->auth->users->authenticate(username, password);
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->patient_id, "p1");
  }
  auto again = ctl_json({"patient", "credentials", "create", "p1"});
  EXPECT_EQ(again["username"], username) << "the same login, a new one-time password";
  EXPECT_FALSE(again["created"].get<bool>());
  EXPECT_NE(again["password"], password);

  auto missing = ctl({"patient", "credentials", "create", "nobody"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("Patient/nobody"), std::string::npos) << missing.err;

  EXPECT_EQ(ctl_json({"patient", "api-access", "off", "p1"})["api_access"], false);
  {
    auto a = Authority::open(data_);
    EXPECT_FALSE(*a->auth->users->patient_api_access("p1"));
    EXPECT_TRUE(*a->auth->users->patient_api_access("p2"));
  }
  EXPECT_EQ(ctl({"patient", "api-access", "on", "p1"}).exit_code, 0);
  {
    auto a = Authority::open(data_);
    EXPECT_TRUE(*a->auth->users->patient_api_access("p1"));
  }
  EXPECT_EQ(ctl({"patient", "api-access", "maybe", "p1"}).exit_code, 2);
  EXPECT_EQ(ctl({"patient", "api-access", "off", "nobody"}).exit_code, 1);
  EXPECT_EQ(ctl({"patient", "credentials"}).exit_code, 2);
}

// ---- clients --------------------------------------------------------------------------------

TEST_F(FhirctlAuth, ClientRegisterEnableShowDisable) {
  auto wildcard = ctl({"client", "register", "--name", "Greedy", "--redirect-uri", kRedirect, "--scope",
                       "launch patient/*.read", "--auth-method", "client_secret_basic"});
  EXPECT_EQ(wildcard.exit_code, 1);
  EXPECT_NE(wildcard.err.find("invalid_client_metadata"), std::string::npos) << wildcard.err;
  EXPECT_NE(wildcard.err.find("wildcard"), std::string::npos) << wildcard.err;
  EXPECT_TRUE(ctl_json({"client", "list"}).empty()) << "nothing registered";

  auto reg = ctl_json({"client", "register", "--name", "Chart App", "--redirect-uri", kRedirect, "--redirect-uri",
                       "https://app.example/cb2", "--scope", "launch openid fhirUser user/Observation.read",
                       "--auth-method", "client_secret_basic", "--launch-uri", "https://app.example/launch"});
  const std::string id = reg.value("client_id", "");
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(reg.value("client_secret", "").empty()) << "a confidential client's secret, shown once";
  EXPECT_FALSE(reg.value("registration_access_token", "").empty());
  EXPECT_FALSE(reg["enabled"].get<bool>());

  auto shown = ctl_json({"client", "show", id});
  EXPECT_FALSE(shown["enabled"].get<bool>());
  EXPECT_EQ(shown["client_name"], "Chart App");
  EXPECT_EQ(shown["redirect_uris"].size(), 2u);
  EXPECT_EQ(shown["scope"], "launch openid fhirUser user/Observation.read");
  EXPECT_EQ(shown["token_endpoint_auth_method"], "client_secret_basic");
  EXPECT_EQ(shown["live_tokens"], 0);
  EXPECT_FALSE(shown.contains("client_secret")) << "show never prints secrets";

  EXPECT_EQ(ctl({"client", "enable", id}).exit_code, 0);
  EXPECT_TRUE(ctl_json({"client", "show", id})["enabled"].get<bool>());
  auto text = ctl({"client", "show", id});
  EXPECT_NE(text.out.find("enabled"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("https://app.example/cb2"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find(reg.value("client_secret", "")), std::string::npos);

  EXPECT_EQ(ctl({"client", "disable", id}).exit_code, 0);
  EXPECT_FALSE(ctl_json({"client", "show", id})["enabled"].get<bool>());

  // A patient standalone app, from RFC 7591 JSON on stdin, is enabled at once.
  auto meta = ctl_stdin({"client", "register", "--metadata", "-"},
                        R"({"client_name":"My Health","redirect_uris":["http://127.0.0.1:7000/cb"],)"
                        R"("token_endpoint_auth_method":"none","scope":"patient/Observation.read openid fhirUser"})",
                        true);
  ASSERT_EQ(meta.exit_code, 0) << meta.err;
  auto mj = json::parse(meta.out);
  EXPECT_TRUE(mj["enabled"].get<bool>());
  EXPECT_FALSE(mj.contains("client_secret")) << "public clients get no secret";
  auto list = ctl_json({"client", "list"});
  EXPECT_EQ(list.size(), 2u);
  auto table = ctl({"client", "list"});
  EXPECT_NE(table.out.find("My Health"), std::string::npos);

  EXPECT_EQ(ctl({"client", "show", "no-such-client"}).exit_code, 1);
  EXPECT_EQ(ctl({"client", "enable", "no-such-client"}).exit_code, 1);
  EXPECT_EQ(ctl({"client", "register", "--metadata", "-", "--name", "x"}).exit_code, 2);
  EXPECT_EQ(ctl({"client", "register", "--auth-method", "magic"}).exit_code, 2);
  auto no_scope = ctl({"client", "register", "--name", "x", "--redirect-uri", kRedirect});
  EXPECT_EQ(no_scope.exit_code, 1);
  EXPECT_NE(no_scope.err.find("scope"), std::string::npos) << no_scope.err;
  EXPECT_EQ(ctl({"client", "register", "--metadata", (dir_ / "missing.json").string()}).exit_code, 2);
}

TEST_F(FhirctlAuth, ClientRegisterWorksWhateverTheRegistrationPolicy) {
  for (const char* policy : {"initial-access-token", "closed"}) {
    ASSERT_EQ(ctl({"settings", "set", "oauth_registration", policy}).exit_code, 0);
    auto reg = ctl({"client", "register", "--name", "A", "--redirect-uri", kRedirect, "--scope", "patient/Patient.read"});
    EXPECT_EQ(reg.exit_code, 0) << policy << ": " << reg.err;
  }
  EXPECT_EQ(ctl_json({"client", "list"}).size(), 2u);
}

// ---- keys -----------------------------------------------------------------------------------

TEST_F(FhirctlAuth, KeysRotateKeepsTheOldKeyPublished) {
  auto before = ctl_json({"keys", "list"});
  ASSERT_EQ(before.size(), 1u);
  const std::string old_kid = before[0]["kid"];
  EXPECT_EQ(before[0]["status"], "active");
  auto s = ehr_setup();
  std::string token;
  {
    auto a = Authority::open(data_);
    token = a->authorize(s.client_id, s.secret, "launch patient/Patient.read", "alice", s.password, "p1")
                .value("access_token", "");
    ASSERT_FALSE(token.empty());
  }
  auto rotated = ctl_json({"keys", "rotate"});
  const std::string new_kid = rotated.value("kid", "");
  EXPECT_NE(new_kid, old_kid);
  EXPECT_EQ(rotated["retired"], old_kid);
  auto after = ctl_json({"keys", "list"});
  ASSERT_EQ(after.size(), 2u);
  {
    auto a = Authority::open(data_);
    auto jwks = json::parse(*a->auth->keys->jwks_json());
    std::vector<std::string> kids;
    for (const auto& k : jwks["keys"]) kids.push_back(k["kid"]);
    EXPECT_NE(std::find(kids.begin(), kids.end(), old_kid), kids.end()) << "old key still published";
    EXPECT_NE(std::find(kids.begin(), kids.end(), new_kid), kids.end());
    auto fresh = a->authorize(s.client_id, s.secret, "launch patient/Patient.read", "alice", s.password, "p1");
    EXPECT_EQ(auth::peek_header(fresh.value("access_token", "")).value().kid, new_kid) << "new tokens use the new key";
  }
  EXPECT_EQ(parse_token(token)["status"], "active") << "a token signed by the retired key still verifies";
  auto table = ctl({"keys", "list"});
  EXPECT_NE(table.out.find("retired"), std::string::npos) << table.out;
}

// ---- launch ---------------------------------------------------------------------------------

TEST_F(FhirctlAuth, LaunchCreatePrintsTheAppsLaunchUrl) {
  auto s = ehr_setup();
  auto no_site = ctl({"launch", "create", "--client", s.client_id, "--user", "alice", "--patient", "p1"});
  EXPECT_EQ(no_site.exit_code, 1) << "the issuer is unknown without site_address";
  EXPECT_NE(no_site.err.find("site_address"), std::string::npos) << no_site.err;
  ASSERT_EQ(ctl({"settings", "set", "site_address", kSite}).exit_code, 0);

  auto r = ctl({"launch", "create", "--client", s.client_id, "--user", "alice", "--patient", "p1", "--encounter", "e1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(^https://app\.example/launch\?iss=([^&\s]+)&launch=([A-Za-z0-9_-]+)\s*$)")))
      << r.out;
  EXPECT_EQ(m[1].str(), "https%3A%2F%2Ffhir.test%3A8443%2Fr4");
  const std::string launch = m[2];

  // The launch value carries its context into authorize.
  {
    auto a = Authority::open(data_);
    auth::AuthorizeParams p;
    p.response_type = "code";
    p.client_id = s.client_id;
    p.redirect_uri = kRedirect;
    p.scope = "launch patient/Patient.read";
    p.aud = kBase;
    p.launch = launch;
    auto req = a->auth->flow->begin(p);
    ASSERT_TRUE(req.ok()) << req.error().error.description;
    EXPECT_EQ(req->launch_patient, "p1");
    EXPECT_EQ(req->launch_encounter, "e1");
  }
  auto j = ctl_json({"launch", "create", "--client", s.client_id, "--user", "alice", "--patient", "p2"});
  EXPECT_EQ(j["iss"], kBase);
  EXPECT_NE(j.value("url", "").find("launch="), std::string::npos);

  EXPECT_EQ(ctl({"launch", "create", "--client", s.client_id, "--user", "alice", "--patient", "nobody"}).exit_code, 1);
  EXPECT_EQ(ctl({"launch", "create", "--client", s.client_id, "--user", "alice", "--patient", "p2", "--encounter",
                 "e1"}).exit_code,
            1)
      << "e1 is p1's encounter";
  EXPECT_EQ(ctl({"launch", "create", "--client", "nope", "--user", "alice", "--patient", "p1"}).exit_code, 1);
  EXPECT_EQ(ctl({"launch", "create", "--client", s.client_id, "--patient", "p1"}).exit_code, 2);
  ASSERT_EQ(ctl({"client", "disable", s.client_id}).exit_code, 0);
  EXPECT_EQ(ctl({"launch", "create", "--client", s.client_id, "--user", "alice", "--patient", "p1"}).exit_code, 1);
}

// ---- tokens ---------------------------------------------------------------------------------

TEST_F(FhirctlAuth, TokenListRevokeAndParseStatuses) {
  auto s = ehr_setup();
  auto creds = ctl_json({"patient", "credentials", "create", "p2"});
  auto standalone = ctl_json({"client", "register", "--name", "Patient App", "--redirect-uri", kRedirect, "--scope",
                              "patient/Patient.read offline_access", "--auth-method", "client_secret_post",
                              "--grant-type", "authorization_code", "--grant-type", "refresh_token"});
  ASSERT_TRUE(standalone["enabled"].get<bool>());

  json t1, t2, t3, expired;
  {
    auto a = Authority::open(data_);
    t1 = a->authorize(s.client_id, s.secret, "launch patient/Patient.read offline_access", "alice", s.password, "p1");
    t2 = a->authorize(s.client_id, s.secret, "launch patient/Patient.read", "alice", s.password, "p1");
    t3 = a->authorize(standalone["client_id"], standalone["client_secret"], "patient/Patient.read offline_access",
                      creds["username"], creds["password"]);
    auto past = Authority::open(data_, -2 * 3600);
    expired = past->authorize(s.client_id, s.secret, "launch patient/Patient.read", "alice", s.password, "p1");
  }
  const std::string a1 = t1.value("access_token", ""), a2 = t2.value("access_token", ""),
                    a3 = t3.value("access_token", ""), ax = expired.value("access_token", "");
  ASSERT_FALSE(a1.empty());
  ASSERT_FALSE(a3.empty());
  ASSERT_TRUE(t1.contains("refresh_token"));

  // list and its filters
  auto all = ctl_json({"token", "list"});
  int access = 0, refresh = 0;
  for (const auto& t : all) (t["type"] == "access" ? access : refresh)++;
  EXPECT_EQ(access, 4);
  EXPECT_EQ(refresh, 2);
  EXPECT_EQ(ctl_json({"token", "list", "--active"}).size(), 5u) << "the expired one is left out";
  EXPECT_EQ(ctl_json({"token", "list", "--client", standalone["client_id"]}).size(), 2u);
  EXPECT_EQ(ctl_json({"token", "list", "--user", creds["username"]}).size(), 2u);
  EXPECT_EQ(ctl_json({"token", "list", "--patient", "p1"}).size(), 4u);
  EXPECT_EQ(ctl_json({"token", "list", "--patient", "p1", "--active"}).size(), 3u);
  EXPECT_EQ(all.dump().find(a1), std::string::npos) << "list never prints tokens";
  EXPECT_EQ(all.dump().find(t1.value("refresh_token", "")), std::string::npos);
  auto table = ctl({"token", "list", "--client", s.client_id});
  EXPECT_NE(table.out.find("alice"), std::string::npos) << table.out;
  EXPECT_EQ(ctl({"token", "list", "--client", "nope"}).exit_code, 1);
  EXPECT_EQ(ctl({"token", "list", "--user", "nobody"}).exit_code, 1);

  // parse: active, expired, refresh
  auto p1 = parse_token(a1);
  EXPECT_EQ(p1["status"], "active");
  EXPECT_EQ(p1["type"], "access");
  EXPECT_EQ(p1["client_id"], s.client_id);
  EXPECT_EQ(p1["username"], "alice");
  EXPECT_EQ(p1["patient"], "p1");
  EXPECT_EQ(p1["scope"], "launch patient/Patient.read offline_access");
  const std::string jti1 = p1["id"];
  EXPECT_EQ(p1["revoke_command"], "fhirctl token revoke " + jti1);
  auto text = ctl({"token", "parse", a1});
  EXPECT_NE(text.out.find("fhirctl token revoke " + jti1), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find(a1), std::string::npos) << "parse does not echo the token";
  EXPECT_EQ(parse_token(ax)["status"], "expired");
  auto pr = parse_token(t1["refresh_token"]);
  EXPECT_EQ(pr["type"], "refresh");
  EXPECT_EQ(pr["status"], "active");
  EXPECT_EQ(pr["client_id"], s.client_id);
  // From stdin, with a Bearer prefix.
  auto piped = ctl_stdin({"token", "parse", "-"}, "Bearer " + a1 + "\n", true);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(json::parse(piped.out)["id"], jti1);

  // parse: a tampered signature, a changed payload, another server's key, our key but unrecorded, garbage
  std::string tampered = a1;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(parse_token(tampered)["status"], "invalid-signature");
  {
    const auto d1 = a1.find('.'), d2 = a1.find('.', d1 + 1);
    auto payload = json::parse(*base::base64url_decode(a1.substr(d1 + 1, d2 - d1 - 1)));
    payload["patient"] = "p2";
    const std::string forged = a1.substr(0, d1 + 1) + base::base64url_encode(payload.dump()) + a1.substr(d2);
    auto pf = parse_token(forged);
    EXPECT_EQ(pf["status"], "invalid-signature");
    EXPECT_EQ(pf["patient"], "p2") << "claims are shown decoded, untrusted";
  }
  const fs::path other = dir_ / "other";
  {
    ASSERT_EQ(ctl({"import", (dir_ / "seed.ndjson").string()}, false, other).exit_code, 0);
    auto os = ehr_setup(other);
    auto oa = Authority::open(other);
    auto foreign = oa->authorize(os.client_id, os.secret, "launch patient/Patient.read", "alice", os.password, "p1");
    auto pf = parse_token(foreign.value("access_token", ""));
    EXPECT_EQ(pf["status"], "invalid-signature") << pf.dump();
    EXPECT_EQ(pf["revoke_command"], "");
  }
  {
    auto a = Authority::open(data_);
    const auto now = base::now_us() / 1000000;
    auto unrecorded = a->auth->keys->sign(json{{"iss", kBase}, {"aud", kBase}, {"sub", "x"}, {"jti", "not-recorded"},
                                               {"iat", now}, {"exp", now + 600}}.dump());
    ASSERT_TRUE(unrecorded.ok());
    EXPECT_EQ(parse_token(*unrecorded)["status"], "unknown");
  }
  EXPECT_EQ(parse_token("certainly-not-a-token")["status"], "unknown");
  EXPECT_EQ(ctl({"token", "parse", ""}).exit_code, 2);

  // revoke by id; parse --revoke
  auto rv = ctl({"token", "revoke", jti1});
  EXPECT_EQ(rv.exit_code, 0) << rv.err;
  auto after = parse_token(a1);
  EXPECT_EQ(after["status"], "revoked");
  EXPECT_EQ(after["revoke_command"], "");
  {
    auto a = Authority::open(data_);
    EXPECT_FALSE(a->auth->verifier->verify(a1).ok()) << "the server refuses a revoked token";
    EXPECT_TRUE(a->auth->verifier->verify(a2).ok());
  }
  auto pr2 = parse_token(a2, {"--revoke"});
  EXPECT_EQ(pr2["status"], "revoked");
  EXPECT_TRUE(pr2["revoked_now"].get<bool>());
  EXPECT_EQ(parse_token(a2)["status"], "revoked");
  EXPECT_EQ(ctl({"token", "revoke", "no-such-id"}).exit_code, 1);
  EXPECT_EQ(ctl({"token", "revoke"}).exit_code, 2);

  // client users / revoke-user; patient revoke-all; client disable
  auto users = ctl_json({"client", "users", s.client_id});
  ASSERT_FALSE(users.empty());
  EXPECT_EQ(users[0]["username"], "alice");
  EXPECT_EQ(ctl_json({"client", "show", s.client_id})["users"], json::array({"alice"}));
  EXPECT_EQ(parse_token(a3)["status"], "active");
  ASSERT_EQ(ctl({"patient", "revoke-all", "p2"}).exit_code, 0);
  auto p3 = parse_token(a3);
  EXPECT_EQ(p3["status"], "revoked") << p3.dump();
  EXPECT_EQ(parse_token(t3["refresh_token"])["status"], "revoked");
  EXPECT_EQ(ctl_json({"token", "list", "--patient", "p2", "--active"}).size(), 0u);

  json t4;
  {
    auto a = Authority::open(data_);
    t4 = a->authorize(s.client_id, s.secret, "launch patient/Patient.read offline_access", "alice", s.password, "p1");
  }
  EXPECT_EQ(parse_token(t4["access_token"])["status"], "active");
  // Opted out: refused (with the reason) while off, good again when on.
  ASSERT_EQ(ctl({"patient", "api-access", "off", "p1"}).exit_code, 0);
  auto off_access = parse_token(t4["access_token"]);
  EXPECT_EQ(off_access["status"], "revoked");
  EXPECT_EQ(off_access["reason"], "patient API access off");
  EXPECT_EQ(parse_token(t4["refresh_token"])["reason"], "patient API access off");
  ASSERT_EQ(ctl({"patient", "api-access", "on", "p1"}).exit_code, 0);
  EXPECT_EQ(parse_token(t4["access_token"])["status"], "active");
  EXPECT_EQ(parse_token(t4["refresh_token"])["status"], "active");
  ASSERT_EQ(ctl({"client", "revoke-user", s.client_id, "alice"}).exit_code, 0);
  EXPECT_EQ(parse_token(t4["access_token"])["status"], "revoked");
  EXPECT_EQ(parse_token(t4["refresh_token"])["status"], "revoked");
  EXPECT_EQ(ctl({"client", "revoke-user", s.client_id, "nobody"}).exit_code, 1);

  json t5;
  {
    auto a = Authority::open(data_);
    t5 = a->authorize(s.client_id, s.secret, "launch patient/Patient.read", "alice", s.password, "p1");
  }
  EXPECT_EQ(ctl_json({"client", "show", s.client_id})["live_tokens"], 1);
  ASSERT_EQ(ctl({"client", "disable", s.client_id}).exit_code, 0);
  auto p5 = parse_token(t5["access_token"]);
  EXPECT_EQ(p5["status"], "revoked");
  EXPECT_EQ(p5["reason"], "client disabled");
}

// ---- global configuration -------------------------------------------------------------------

TEST_F(FhirctlAuth, ConfigFileEnvironmentAndFlagsInThatPrecedence) {
  const fs::path a = dir_ / "a", b = dir_ / "b", c = dir_ / "c";
  fs::create_directories(dir_ / "config" / "fhirctl");
  std::ofstream(dir_ / "config" / "fhirctl" / "config") << "# fhirctl settings\ndata-dir = " << a.string()
                                                         << "\nserver = https://example.test\n";
  auto site = [](const e2e::CommandResult& r) { return r.out; };
  // config file only
  ASSERT_EQ(e2e::run_command({FHIRCTL_BIN, "settings", "set", "site_address", "https://a.test"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(a / "fhir.db"));
  // environment beats the file
  setenv("FHIRCTL_DATA_DIR", b.c_str(), 1);
  ASSERT_EQ(e2e::run_command({FHIRCTL_BIN, "settings", "set", "site_address", "https://b.test"}).exit_code, 0);
  EXPECT_TRUE(fs::exists(b / "fhir.db"));
  // the flag beats both
  ASSERT_EQ(e2e::run_command({FHIRCTL_BIN, "--data-dir", c.string(), "settings", "set", "site_address", "https://c.test"})
                .exit_code,
            0);
  unsetenv("FHIRCTL_DATA_DIR");
  EXPECT_EQ(site(e2e::run_command({FHIRCTL_BIN, "settings", "get", "site_address"})), "https://a.test\n");
  EXPECT_EQ(site(e2e::run_command({FHIRCTL_BIN, "--data-dir", b.string(), "settings", "get", "site_address"})),
            "https://b.test\n");
  EXPECT_EQ(site(e2e::run_command({FHIRCTL_BIN, "--data-dir", c.string(), "settings", "get", "site_address"})),
            "https://c.test\n");

  // An unknown key is a warning, not an error; a token in a file others can read is warned about.
  std::ofstream(dir_ / "config" / "fhirctl" / "config", std::ios::app) << "colour = blue\ntoken = abc\n";
  fs::permissions(dir_ / "config" / "fhirctl" / "config", fs::perms(0644));
  auto warned = e2e::run_command({FHIRCTL_BIN, "settings", "get", "site_address"});
  EXPECT_EQ(warned.exit_code, 0);
  EXPECT_NE(warned.err.find("colour"), std::string::npos) << warned.err;
  EXPECT_NE(warned.err.find("chmod 600"), std::string::npos) << warned.err;
  EXPECT_EQ(warned.err.find("abc"), std::string::npos) << "never print the token";
}

TEST_F(FhirctlAuth, UsageErrorsExitTwo) {
  EXPECT_EQ(e2e::run_command({FHIRCTL_BIN}).exit_code, 2);
  EXPECT_EQ(ctl({"token"}).exit_code, 2);
  EXPECT_EQ(ctl({"client", "show"}).exit_code, 2);
  EXPECT_EQ(ctl({"keys", "spin"}).exit_code, 2);
  EXPECT_EQ(ctl({"launch", "create"}).exit_code, 2);
  EXPECT_EQ(ctl({"keys", "list"}).exit_code, 0);
  EXPECT_EQ(ctl({"keys", "--help"}).exit_code, 0);
  // Global options may follow the command too.
  auto after = e2e::run_command({FHIRCTL_BIN, "keys", "list", "--data-dir", data_.string(), "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_TRUE(json::parse(after.out, nullptr, false).is_array()) << after.out;
}

}  // namespace
