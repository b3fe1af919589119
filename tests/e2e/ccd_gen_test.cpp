// ccd-gen end to end: the real binary over a data directory made by fhirctl (data generate +
// import) and over FHIR files; exit codes, messages, outputs (XML, HTML, cda.xsl, one file per
// patient, the JSON summary). The documents' content is lib/ccda's (tests/lib/ccda); their
// validity is checked by the schematron test (tests/ccda_schematron).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "e2e/server_process.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::testing::HasSubstr;

fs::path repo_root() { return fs::path(FHIR_SOURCE_DIR); }

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One data directory with 4 generated patients for the whole suite (generating and importing
// takes a moment); each test writes into its own directory.
class CcdGen : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/ccd-gen-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    shared_ = tmpl;
    auto gen = e2e::run_command({FHIRCTL_BIN, "data", "generate", "--patients", "4", "--seed", "5", "--out",
                                 (shared_ / "ndjson").string()});
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    auto imp = e2e::run_command({FHIRCTL_BIN, "--data-dir", (shared_ / "data").string(), "import",
                                 (shared_ / "ndjson").string()});
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(shared_, ec);
  }
  void SetUp() override {
    char tmpl[] = "/tmp/ccd-gen-out-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static e2e::CommandResult ccd_gen(std::vector<std::string> args) {
    args.insert(args.begin(), CCD_GEN_BIN);
    return e2e::run_command(args);
  }
  static std::string data_dir() { return (shared_ / "data").string(); }
  static std::vector<std::string> ndjson_files() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(shared_ / "ndjson")) {
      if (e.path().extension() == ".ndjson") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string write(const std::string& name, const std::string& content) {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  static void expect_ccd(const std::string& xml, const std::string& patient) {
    EXPECT_EQ(xml.rfind("<?xml", 0), 0u) << xml.substr(0, 200);
    EXPECT_THAT(xml, HasSubstr("<?xml-stylesheet type=\"text/xsl\" href=\"cda.xsl\"?>"));
    EXPECT_THAT(xml, HasSubstr("<ClinicalDocument"));
    EXPECT_THAT(xml, HasSubstr("root=\"2.16.840.1.113883.10.20.22.1.2\" extension=\"2015-08-01\""));
    EXPECT_THAT(xml, HasSubstr("Patient/" + patient));
    EXPECT_THAT(xml, HasSubstr("</ClinicalDocument>"));
  }

  static fs::path shared_;
  fs::path dir_;
};

fs::path CcdGen::shared_;

TEST_F(CcdGen, OnePatientToStdoutAndToAFileWithTheStylesheet) {
  auto r = ccd_gen({"--data-dir", data_dir(), "--patient", "p000002"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  expect_ccd(r.out, "p000002");

  const auto out = dir_ / "sub" / "p2.xml";
  fs::create_directories(out.parent_path());
  auto f = ccd_gen({"--data-dir", data_dir(), "--patient", "p000002", "-o", out.string(), "--with-xsl"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(f.out, "");
  expect_ccd(read_text(out), "p000002");
  EXPECT_TRUE(read_text(out.parent_path() / "cda.xsl") == read_text(repo_root() / "share/xsl/cda.xsl"))
      << "cda.xsl beside the output differs from share/xsl/cda.xsl";
  for (const auto& e : fs::directory_iterator(out.parent_path())) {
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr(".tmp"))) << "temporary file left behind";
  }
}

TEST_F(CcdGen, HtmlIsRenderedThroughTheStylesheet) {
  auto r = ccd_gen({"--data-dir", data_dir(), "--patient", "p000001", "--html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("<!DOCTYPE html"));
  EXPECT_THAT(r.out, HasSubstr("<nav class=\"toc\""));
  EXPECT_THAT(r.out, HasSubstr("(LOINC 48765-2)"));  // allergies
  EXPECT_THAT(r.out, HasSubstr("(LOINC 8716-3)"));   // vital signs
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("<ClinicalDocument")));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("<script")));
}

TEST_F(CcdGen, AllWritesOneFilePerPatientAndASummary) {
  const auto out = dir_ / "ccds";
  auto r = ccd_gen({"--data-dir", data_dir(), "--all", "-o", out.string(), "-j", "2", "--json", "--with-xsl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = json::parse(r.out);
  EXPECT_EQ(summary["written"], 4);
  EXPECT_EQ(summary["failed"], 0);
  EXPECT_EQ(summary["jobs"], 2);
  EXPECT_EQ(summary["complete"], true);
  EXPECT_GT(summary["per_second"].get<double>(), 0);
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(out)) names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"cda.xsl", "p000001.xml", "p000002.xml", "p000003.xml", "p000004.xml"}));
  for (const char* p : {"p000001", "p000004"}) expect_ccd(read_text(out / (std::string(p) + ".xml")), p);

  // Without --json: the summary line on stderr, nothing on stdout (stderr is no terminal: no bar).
  auto text = ccd_gen({"--data-dir", data_dir(), "--all", "-o", (dir_ / "html").string(), "--html", "-j", "1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "");
  EXPECT_THAT(text.err, ::testing::MatchesRegex("ccd-gen: 4 written, 0 failed, [0-9.]+ s, [0-9.]+ CCDs/s \\(1 jobs\\) in .*\n"));
  EXPECT_TRUE(fs::exists(dir_ / "html" / "p000003.html"));
}

TEST_F(CcdGen, UnknownPatientAndMissingDataDirectoryFail) {
  auto r = ccd_gen({"--data-dir", data_dir(), "--patient", "nobody"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("no Patient with id 'nobody'"));

  const auto missing = dir_ / "missing";
  auto m = ccd_gen({"--data-dir", missing.string(), "--patient", "p000001"});
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_THAT(m.err, HasSubstr("no data directory"));
  EXPECT_FALSE(fs::exists(missing)) << "ccd-gen must not create a data directory";

  fs::create_directories(dir_ / "empty");
  auto e = ccd_gen({"--data-dir", (dir_ / "empty").string(), "--patient", "p000001"});
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_THAT(e.err, HasSubstr("fhir.db is missing"));
  EXPECT_FALSE(fs::exists(dir_ / "empty" / "fhir.db"));
}

TEST_F(CcdGen, UsageErrorsExitTwo) {
  const std::string d = data_dir();
  const std::vector<std::vector<std::string>> cases = {
      {"--data-dir", d},                                                  // neither --patient nor --all
      {"--data-dir", d, "--patient", "p000001", "--all", "-o", "x"},      // both
      {"--data-dir", d, "--all"},                                         // --all without -o
      {"--data-dir", d, "--patient", "p000001", "--with-xsl"},            // --with-xsl without -o
      {"--data-dir", d, "--patient", "p000001", "--json"},                // --json with one document
      {"--data-dir", d, "--patient", "p000001", "--start", "2024-13"},    // bad month
      {"--data-dir", d, "--patient", "p000001", "--end", "yesterday"},    // not a date
      {"--data-dir", d, "--patient", "p000001", "--start", "2024", "--end", "2023"},  // end before start
      {"--data-dir", d, "--patient", "p000001", "-j", "0"},
      {"--data-dir", d, "--from", ndjson_files().front(), "--patient", "p000001"},  // both sources
      {"--patient", "p000001", "--bogus"},
      {"--from", "/nonexistent/file.ndjson"},
  };
  for (const auto& args : cases) {
    auto r = ccd_gen(args);
    std::string line;
    for (const auto& a : args) line += " " + a;
    EXPECT_EQ(r.exit_code, 2) << line << "\n" << r.err;
    EXPECT_EQ(r.out, "") << line;
    EXPECT_FALSE(r.err.empty()) << line;
  }
  auto help = ccd_gen({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--data-dir"));
}

TEST_F(CcdGen, DateWindowLeavesTheDatedSectionsEmpty) {
  auto all = ccd_gen({"--data-dir", data_dir(), "--patient", "p000001"});
  auto none = ccd_gen({"--data-dir", data_dir(), "--patient", "p000001", "--start", "1901", "--end", "1901"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  ASSERT_EQ(none.exit_code, 0) << none.err;
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
    return n;
  };
  // Encounters (46240-8) are windowed: every one falls outside 1901.
  EXPECT_GT(count(all.out, "<encounter "), 0u);
  EXPECT_EQ(count(none.out, "<encounter "), 0u);
  EXPECT_GT(count(none.out, "nullFlavor=\"NI\""), count(all.out, "nullFlavor=\"NI\""));
  EXPECT_THAT(none.out, HasSubstr("19010101"));  // serviceEvent low
}

TEST_F(CcdGen, FromNdjsonFilesWithoutADatabase) {
  auto files = ndjson_files();
  std::vector<std::string> args = {"--from"};
  args.insert(args.end(), files.begin(), files.end());
  auto one = args;
  one.insert(one.end(), {"--patient", "p000003"});
  auto r = ccd_gen(one);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_ccd(r.out, "p000003");
  // The same sections and entries as from the database (ids and times of the document differ).
  auto db = ccd_gen({"--data-dir", data_dir(), "--patient", "p000003"});
  ASSERT_EQ(db.exit_code, 0);
  static const std::regex volatile_parts(R"(<id root="[^"]*"/>|<effectiveTime value="[0-9+-]*"/>|<setId[^>]*/>)");
  const std::string a = std::regex_replace(r.out, volatile_parts, "");
  const std::string b = std::regex_replace(db.out, volatile_parts, "");
  EXPECT_EQ(a.size(), b.size());
  EXPECT_EQ(std::count(a.begin(), a.end(), '<'), std::count(b.begin(), b.end(), '<'));

  // Without --patient: every patient, one file each.
  auto many = args;
  many.insert(many.end(), {"-o", (dir_ / "from").string()});
  auto m = ccd_gen(many);
  ASSERT_EQ(m.exit_code, 0) << m.err;
  EXPECT_TRUE(fs::exists(dir_ / "from" / "p000004.xml"));
  // ... and without -o there is no single document to print.
  auto no_out = ccd_gen(args);
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_THAT(no_out.err, HasSubstr("4 patients"));

  auto unknown = args;
  unknown.insert(unknown.end(), {"--patient", "p999999"});
  auto u = ccd_gen(unknown);
  EXPECT_EQ(u.exit_code, 1);
  EXPECT_THAT(u.err, HasSubstr("no Patient with id 'p999999' in the input files"));
}

TEST_F(CcdGen, FromABundleAndAPatientWithoutData) {
  const std::string bundle = write("bundle.json", R"({
    "resourceType": "Bundle", "type": "collection",
    "entry": [
      {"fullUrl": "urn:x", "resource": {"resourceType": "Patient", "id": "solo",
        "name": [{"family": "O'Brien & <Sons>", "given": ["Ann"]}], "gender": "female", "birthDate": "1970-01-01"}},
      {"resource": {"resourceType": "AllergyIntolerance", "id": "al1", "patient": {"reference": "Patient/solo"},
        "code": {"text": "peanuts \"roasted\" <b>"}}}
    ]})");
  // One patient in the files: its document may go to stdout.
  auto r = ccd_gen({"--from", bundle});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_ccd(r.out, "solo");
  EXPECT_THAT(r.out, HasSubstr("Brien &amp; &lt;Sons&gt;"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("<b>")));
  auto html = ccd_gen({"--from", bundle, "--html"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_THAT(html.out, ::testing::Not(HasSubstr("<b>")));
  EXPECT_THAT(html.out, ::testing::Not(HasSubstr("<Sons>")));

  const std::string bare = write("bare.json", R"({"resourceType":"Patient","id":"bare"})");
  auto b = ccd_gen({"--from", bare, "--patient", "bare"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  expect_ccd(b.out, "bare");
  EXPECT_THAT(b.out, HasSubstr("nullFlavor=\"NI\""));
}

TEST_F(CcdGen, MalformedInputFilesAreClearErrors) {
  struct Case {
    std::string content, expected;
  };
  const std::vector<Case> cases = {
      {"{\"resourceType\":\"Patient\",\"id\":\"a\"}\nnot json\n", ":2: not JSON"},
      {"{\"resourceType\":\"Patient\"}\n", "without an id"},
      {"{\"id\":\"x\"}\n", "no resourceType"},
      {"{ \"resourceType\": \"Bundle\",\n  \"entry\": [ {\"resource\": {\"resourceType\":\"Patient\"", "neither NDJSON nor"},
      {"", "empty file"},
      {"{\"resourceType\":\"Bundle\",\"entry\":{}}", "Bundle.entry is not an array"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::string f = write("bad" + std::to_string(++n) + ".ndjson", c.content);
    auto r = ccd_gen({"--from", f, "--patient", "a"});
    EXPECT_EQ(r.exit_code, 1) << c.content;
    EXPECT_THAT(r.err, HasSubstr(c.expected)) << c.content;
    EXPECT_THAT(r.err, HasSubstr(f)) << "the message names the file";
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
