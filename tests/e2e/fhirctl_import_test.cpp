// fhirctl import and data generate, end to end: real binaries, real files, real SQLite.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/server_process.hpp"
#include "e2e/smart_support.hpp"

namespace {

using json = nlohmann::json;

class FhirctlImport : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fhir-import-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    for (const char* v : {"FHIRCTL_DATA_DIR", "FHIR_DATA_DIR", "FHIRCTL_SERVER", "FHIRCTL_TOKEN"}) unsetenv(v);
    setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);  // no user's config file
  }
  void TearDown() override {
    unsetenv("XDG_CONFIG_HOME");
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& content) {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  e2e::CommandResult import(const std::vector<std::string>& inputs) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--data-dir", (dir_ / "data").string(), "--json", "import"};
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    return e2e::run_command(argv);
  }
  std::filesystem::path dir_;
};

TEST_F(FhirctlImport, GeneratedDataImportsCompletelyAndIdempotently) {
  auto gen = e2e::run_command({FHIRCTL_BIN, "--json", "data", "generate", "--patients", "5", "--seed", "3", "--out",
                               (dir_ / "synthetic").string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto total = json::parse(gen.out)["total"].get<std::int64_t>();
  EXPECT_GT(total, 5 * 150);
  auto first = import({(dir_ / "synthetic").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto s1 = json::parse(first.out);
  EXPECT_EQ(s1["created"], total);
  EXPECT_EQ(s1["rejected"], 0);
  auto again = import({(dir_ / "synthetic").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto s2 = json::parse(again.out);
  EXPECT_EQ(s2["created"], 0) << "same ids update";
  EXPECT_EQ(s2["updated"], total);
}

TEST_F(FhirctlImport, BadLinesAreReportedWithFileAndLineAndTheRestLoads) {
  const std::string f = write("mixed.ndjson",
                              "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"
                              "this is not json\n"
                              "{\"resourceType\":\"Pateint\",\"id\":\"b\"}\n"
                              "\n"
                              "{\"resourceType\":\"Patient\",\"id\":\"c\",\"birthDate\":\"1990-02-30\"}\n"
                              "{\"resourceType\":\"Patient\",\"id\":\"d\"}\n"
                              "{\"resourceType\":\"Patient\",\"id\":\"e\",\"name\":[{\"fam");  // truncated
  auto r = import({f});
  EXPECT_EQ(r.exit_code, 1) << "something was rejected";
  auto s = json::parse(r.out);
  EXPECT_EQ(s["created"], 2);
  EXPECT_EQ(s["rejected"], 4);
  EXPECT_NE(r.err.find(f + ":2: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(f + ":3: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Pateint"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(f + ":5: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(f + ":7: "), std::string::npos) << r.err;
}

TEST_F(FhirctlImport, BundlesLoadTheirEntriesAndReportBrokenOnes) {
  const std::string f = write("bundle.json", R"({
    "resourceType": "Bundle", "type": "collection",
    "entry": [
      {"resource": {"resourceType": "Patient", "id": "b1"}},
      {"fullUrl": "urn:uuid:x"},
      {"resource": {"resourceType": "Observation", "id": "o1", "status": "final", "code": {"text": "x"},
                    "issued": "yesterday"}},
      {"resource": {"resourceType": "Organization", "id": "org1", "name": "Acme"}}
    ]})");
  auto r = import({f});
  auto s = json::parse(r.out);
  EXPECT_EQ(s["created"], 2);
  EXPECT_EQ(s["rejected"], 2);
  EXPECT_NE(r.err.find("#entry2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("#entry3"), std::string::npos) << r.err;
}

TEST_F(FhirctlImport, AHugeLineIsSkippedWithoutKillingTheProcess) {
  {
    std::ofstream out(dir_ / "huge.ndjson", std::ios::binary);
    out << "{\"resourceType\":\"Patient\",\"id\":\"before\"}\n";
    out << "{\"resourceType\":\"Patient\",\"id\":\"big\",\"text\":{\"div\":\"";
    const std::string chunk(1 << 20, 'x');
    for (int i = 0; i < 70; ++i) out << chunk;  // 70 MiB: over the 64 MiB line limit
    out << "\"}}\n";
    out << "{\"resourceType\":\"Patient\",\"id\":\"after\"}\n";
  }
  auto r = import({(dir_ / "huge.ndjson").string()});
  auto s = json::parse(r.out);
  EXPECT_EQ(s["created"], 2);
  EXPECT_EQ(s["rejected"], 1);
  EXPECT_NE(r.err.find(":2: line longer than 64 MiB"), std::string::npos) << r.err;
}

TEST_F(FhirctlImport, MissingInputIsAUsageError) {
  auto r = import({(dir_ / "nope.ndjson").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no such file"), std::string::npos);
}

TEST_F(FhirctlImport, ServerFromTheEnvironmentDoesNotRedirectAnImport) {
  // Only --server on the command line sends an import to a server; FHIRCTL_SERVER (or the config
  // file) is for client commands and must not turn a database import into a network one.
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  setenv("FHIRCTL_SERVER", "https://127.0.0.1:1", 1);
  auto r = import({f});
  unsetenv("FHIRCTL_SERVER");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["created"], 1);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data"));
}

TEST_F(FhirctlImport, ServerOnlyFlagsWithoutServerAreAUsageError) {
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  for (const char* flag : {"--insecure", "--ca"}) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--data-dir", (dir_ / "data").string(), "import", flag};
    if (std::string(flag) == "--ca") argv.push_back(f);
    argv.push_back(f);
    auto r = e2e::run_command(argv);
    EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.err;
    EXPECT_NE(r.err.find("need --server"), std::string::npos) << r.err;
  }
}

// --- fhirctl import --server: transaction Bundles over HTTPS to a real fhir-serve --dev ----------

class FhirctlImportServer : public FhirctlImport {
 protected:
  // fhirctl --json import --server URL FLAGS... INPUTS... (--server after the command, as documented).
  e2e::CommandResult import_to(const std::string& url, const std::vector<std::string>& flags,
                               const std::vector<std::string>& inputs) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--json", "import", "--server", url};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    return e2e::run_command(argv);
  }
  static std::string root(const e2e::ServerProcess& s) { return "https://127.0.0.1:" + std::to_string(s.port()); }
  static std::string base(const e2e::ServerProcess& s) { return root(s) + "/r4"; }

  // A backend-services access token from the server's own authorization server: a
  // private_key_jwt client registered and enabled with fhirctl on the data directory, then the
  // client_credentials grant. Scopes: write for `write_types`, read for Patient and Observation.
  std::string system_token(const e2e::ServerProcess& s, const std::vector<std::string>& write_types) {
    smart::ClientKey key("ES384", "importer");
    const std::string jwks = write("importer.jwks", key.jwks().dump());
    std::string scope = "system/Patient.read system/Observation.read";
    for (const auto& t : write_types) scope += " system/" + t + ".write";
    const std::string dd = s.data_dir().string();
    auto reg = e2e::run_command({FHIRCTL_BIN, "--data-dir", dd, "--json", "client", "register", "--name", "importer",
                                 "--auth-method", "private_key_jwt", "--grant-type", "client_credentials", "--scope",
                                 scope, "--jwks", jwks});
    EXPECT_EQ(reg.exit_code, 0) << reg.err;
    const std::string id = json::parse(reg.out, nullptr, false).value("client_id", "");
    EXPECT_EQ(e2e::run_command({FHIRCTL_BIN, "--data-dir", dd, "client", "enable", id}).exit_code, 0);
    auto c = smart::https(s.port());
    auto tok = smart::post_form(*c, "/oauth2/token",
                                {{"grant_type", "client_credentials"},
                                 {"scope", scope},
                                 {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                                 {"client_assertion", key.assertion(id, root(s) + "/oauth2/token")}});
    EXPECT_TRUE(tok && tok->status == 200) << (tok ? tok->body : "no answer");
    return tok ? json::parse(tok->body, nullptr, false).value("access_token", "") : "";
  }
};

TEST_F(FhirctlImportServer, GeneratedDataOverHttpsWithATokenIsIdempotent) {
  e2e::ServerProcess server({"--dev"});  // checks tokens
  ASSERT_TRUE(server.started()) << server.log();
  auto gen = e2e::run_command({FHIRCTL_BIN, "--json", "data", "generate", "--patients", "2", "--seed", "5", "--out",
                               (dir_ / "synthetic").string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto total = json::parse(gen.out)["total"].get<std::int64_t>();
  std::vector<std::string> types;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "synthetic")) {
    if (e.path().extension() == ".ndjson") types.push_back(e.path().stem().string());
  }
  ASSERT_FALSE(types.empty());
  const std::string token = system_token(server, types);
  ASSERT_FALSE(token.empty());

  // The token from the environment, the server given as its site root ("/r4" is added).
  setenv("FHIRCTL_TOKEN", token.c_str(), 1);
  auto first = import_to(root(server), {"--insecure", "--batch", "100"}, {(dir_ / "synthetic").string()});
  unsetenv("FHIRCTL_TOKEN");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto s1 = json::parse(first.out);
  EXPECT_EQ(s1["created"], total);
  EXPECT_EQ(s1["updated"], 0);
  EXPECT_EQ(s1["rejected"], 0);
  EXPECT_EQ(first.err.find(token), std::string::npos) << "the token is never printed";

  // Again, the token as --token after the command, verifying the development certificate with
  // --ca: every resource is updated (PUT by id).
  auto again = import_to(base(server), {"--token", token, "--ca", (server.data_dir() / "tls" / "cert.pem").string()},
                         {(dir_ / "synthetic").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto s2 = json::parse(again.out);
  EXPECT_EQ(s2["created"], 0);
  EXPECT_EQ(s2["updated"], total);

  auto c = smart::https(server.port());
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto patients = c->Get("/r4/Patient?_summary=count", auth);
  ASSERT_TRUE(patients);
  EXPECT_EQ(json::parse(patients->body)["total"], 2);
  auto obs = c->Get("/r4/Observation?_summary=count", auth);
  ASSERT_TRUE(obs);
  EXPECT_GT(json::parse(obs->body)["total"].get<int>(), 50);
}

TEST_F(FhirctlImportServer, WithoutAnAcceptedTokenTheImportStopsAtTheFirst401) {
  e2e::ServerProcess server({"--dev"});
  ASSERT_TRUE(server.started()) << server.log();
  std::string lines;
  for (int i = 0; i < 5; ++i) lines += "{\"resourceType\":\"Patient\",\"id\":\"p" + std::to_string(i) + "\"}\n";
  const std::string f = write("five.ndjson", lines);
  auto none = import_to(base(server), {"--insecure", "--batch", "1"}, {f});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("401"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("--token or FHIRCTL_TOKEN"), std::string::npos) << none.err;
  const std::string bogus = "not-a-token-" + smart::random_token(8);
  auto bad = import_to(base(server), {"--insecure", "--batch", "1", "--token", bogus}, {f});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("did not accept the token"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find(bogus), std::string::npos) << "the token is never printed: " << bad.err;
}

TEST_F(FhirctlImportServer, ARefusedBundleIsReportedWithItsLinesAndTheRestLoads) {
  e2e::ServerProcess server({"--dev", "--no-auth", "--max-body", "4000"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string big(6000, 'x');
  const std::string f = write("mixed.ndjson",
                              "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n"
                              "{\"resourceType\":\"Patient\",\"id\":\"b\"}\n"
                              "not json\n"
                              "{\"resourceType\":\"Patient\",\"id\":\"c\",\"text\":{\"status\":\"generated\",\"div\":\"" +
                                  big + "\"}}\n"
                              "{\"resourceType\":\"Patient\",\"id\":\"d\"}\n"
                              "{\"resourceType\":\"Patient\"}\n");
  auto r = import_to(base(server), {"--insecure", "--batch", "2"}, {f});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto s = json::parse(r.out);
  EXPECT_EQ(s["created"], 3) << r.err << "a, b and the Patient without id";
  EXPECT_EQ(s["rejected"], 3) << r.err << "line 3 locally, lines 4-5 by the server";
  EXPECT_NE(r.err.find(f + ":3: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(f + ":4-5: 2 resources not loaded: the server answered 413"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("size limit"), std::string::npos) << "the OperationOutcome text: " << r.err;
}

TEST_F(FhirctlImportServer, AnUntrustedCertificateIsRefusedWithAHint) {
  e2e::ServerProcess server({"--dev", "--no-auth"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  auto r = import_to(base(server), {}, {f});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(json::parse(r.out)["rejected"], 1);
  EXPECT_NE(r.err.find("--insecure"), std::string::npos) << r.err;
}

TEST_F(FhirctlImportServer, TheBearerTokenComesFromTheFlagTheEnvironmentOrTheConfigFile) {
  // A stand-in server (plain HTTP on loopback) that records the Authorization header.
  httplib::Server fake;
  std::mutex mu;
  std::vector<std::string> auth;
  fake.Post("/fhir", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mu);
      auth.push_back(req.get_header_value("Authorization"));
    }
    const auto bundle = json::parse(req.body);
    json out = {{"resourceType", "Bundle"}, {"type", "transaction-response"}, {"entry", json::array()}};
    for (std::size_t i = 0; i < bundle["entry"].size(); ++i) out["entry"].push_back({{"response", {{"status", "201 Created"}}}});
    res.set_content(out.dump(), "application/fhir+json");
  });
  const int port = fake.bind_to_any_port("127.0.0.1");
  std::thread t([&] { fake.listen_after_bind(); });
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  // A FHIR base with a path is used as it is (another server's base, not ours + "/r4").
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/fhir";
  auto r1 = import_to(url, {"--token", "flag-token"}, {f});
  auto r2 = e2e::run_command({FHIRCTL_BIN, "--token", "flag-before", "--server", url, "--json", "import", f});
  std::filesystem::create_directories(dir_ / "config" / "fhirctl");
  write("config/fhirctl/config", "token = config-token\n");
  std::filesystem::permissions(dir_ / "config" / "fhirctl" / "config", std::filesystem::perms::owner_read |
                                                                           std::filesystem::perms::owner_write);
  auto r3 = import_to(url, {}, {f});
  setenv("FHIRCTL_TOKEN", "env-token", 1);
  auto r4 = import_to(url, {}, {f});
  auto r5 = import_to(url, {"--token", "flag-wins"}, {f});
  unsetenv("FHIRCTL_TOKEN");
  std::filesystem::remove(dir_ / "config" / "fhirctl" / "config");
  auto r6 = import_to(url, {}, {f});
  fake.stop();
  t.join();
  for (const auto* r : {&r1, &r2, &r3, &r4, &r5, &r6}) {
    EXPECT_EQ(r->exit_code, 0) << r->err;
    EXPECT_EQ(r->err.find("token"), std::string::npos) << "the token is never printed: " << r->err;
  }
  ASSERT_EQ(auth.size(), 6u);
  EXPECT_EQ(auth[0], "Bearer flag-token");
  EXPECT_EQ(auth[1], "Bearer flag-before");
  EXPECT_EQ(auth[2], "Bearer config-token");
  EXPECT_EQ(auth[3], "Bearer env-token");
  EXPECT_EQ(auth[4], "Bearer flag-wins");
  EXPECT_EQ(auth[5], "");
}

TEST_F(FhirctlImportServer, ABadUrlIsAUsageError) {
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  auto r = import_to("ftp://example.org/fhir", {}, {f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("https://"), std::string::npos) << r.err;
}

}  // namespace
