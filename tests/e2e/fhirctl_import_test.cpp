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

namespace {

using json = nlohmann::json;

class FhirctlImport : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fhir-import-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
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

// --- fhirctl import --server: transaction Bundles over HTTPS to a real fhir-serve --dev ----------

class FhirctlImportServer : public FhirctlImport {
 protected:
  e2e::CommandResult import_to(const std::string& url, const std::vector<std::string>& flags,
                               const std::vector<std::string>& inputs) {
    std::vector<std::string> argv = {FHIRCTL_BIN, "--json", "import", "--server", url};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    return e2e::run_command(argv);
  }
  static std::string base(const e2e::ServerProcess& s) { return "https://127.0.0.1:" + std::to_string(s.port()) + "/r4"; }
};

TEST_F(FhirctlImportServer, GeneratedDataOverHttpsIsIdempotent) {
  e2e::ServerProcess server({"--dev"});
  ASSERT_TRUE(server.started()) << server.log();
  auto gen = e2e::run_command({FHIRCTL_BIN, "--json", "data", "generate", "--patients", "2", "--seed", "5", "--out",
                               (dir_ / "synthetic").string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto total = json::parse(gen.out)["total"].get<std::int64_t>();

  auto first = import_to(base(server), {"--insecure", "--batch", "100"}, {(dir_ / "synthetic").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto s1 = json::parse(first.out);
  EXPECT_EQ(s1["created"], total);
  EXPECT_EQ(s1["updated"], 0);
  EXPECT_EQ(s1["rejected"], 0);

  // Again, verifying the development certificate with --ca: every resource is updated (PUT by id).
  auto again = import_to(base(server), {"--ca", (server.data_dir() / "tls" / "cert.pem").string()},
                         {(dir_ / "synthetic").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto s2 = json::parse(again.out);
  EXPECT_EQ(s2["created"], 0);
  EXPECT_EQ(s2["updated"], total);

  httplib::SSLClient c("127.0.0.1", server.port());
  c.enable_server_certificate_verification(false);
  auto patients = c.Get("/r4/Patient?_summary=count");
  ASSERT_TRUE(patients);
  EXPECT_EQ(json::parse(patients->body)["total"], 2);
  auto obs = c.Get("/r4/Observation?_summary=count");
  ASSERT_TRUE(obs);
  EXPECT_GT(json::parse(obs->body)["total"].get<int>(), 50);
}

TEST_F(FhirctlImportServer, ARefusedBundleIsReportedWithItsLinesAndTheRestLoads) {
  e2e::ServerProcess server({"--dev", "--max-body", "4000"});
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
  e2e::ServerProcess server({"--dev"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  auto r = import_to(base(server), {}, {f});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(json::parse(r.out)["rejected"], 1);
  EXPECT_NE(r.err.find("--insecure"), std::string::npos) << r.err;
}

TEST_F(FhirctlImportServer, TheBearerTokenComesFromTheFlagOrTheEnvironment) {
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
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/fhir";
  auto r1 = import_to(url, {"--token", "flag-token"}, {f});
  setenv("FHIRCTL_TOKEN", "env-token", 1);
  auto r2 = import_to(url, {}, {f});
  auto r3 = import_to(url, {"--token", "flag-wins"}, {f});
  unsetenv("FHIRCTL_TOKEN");
  auto r4 = import_to(url, {}, {f});
  fake.stop();
  t.join();
  for (const auto* r : {&r1, &r2, &r3, &r4}) {
    EXPECT_EQ(r->exit_code, 0) << r->err;
    EXPECT_EQ(r->err.find("token"), std::string::npos) << "the token is never printed: " << r->err;
  }
  ASSERT_EQ(auth.size(), 4u);
  EXPECT_EQ(auth[0], "Bearer flag-token");
  EXPECT_EQ(auth[1], "Bearer env-token");
  EXPECT_EQ(auth[2], "Bearer flag-wins");
  EXPECT_EQ(auth[3], "");
}

TEST_F(FhirctlImportServer, ABadUrlIsAUsageError) {
  const std::string f = write("one.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
  auto r = import_to("ftp://example.org/fhir", {}, {f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("https://"), std::string::npos) << r.err;
}

}  // namespace
