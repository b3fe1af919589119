// fhirctl import and data generate, end to end: real binaries, real files, real SQLite.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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

}  // namespace
