// CapabilityStatement, the FHIR API switch, the API log and /healthz.
#include <nlohmann/json.hpp>

#include "rest/route_table.hpp"
#include "lib/rest/router_fixture.hpp"
#include "sql/database.hpp"

namespace {

using rest::Method;
using json = nlohmann::json;

class ServerFeaturesTest : public rest_test::RouterTest {};

TEST_F(ServerFeaturesTest, CapabilityStatementComesFromTheRouteTable) {
  for (const std::string path : {"/metadata", "/r4/metadata", "/fhir/metadata"}) {
    auto res = get(path);
    ASSERT_EQ(res.status, 200) << path;
    auto cs = json::parse(res.body);
    EXPECT_EQ(cs["resourceType"], "CapabilityStatement");
    EXPECT_EQ(cs["fhirVersion"], "4.0.1");
    EXPECT_EQ(cs["kind"], "instance");
  }
  auto cs = json::parse(get("/r4/metadata").body);
  const auto& resources = cs["rest"][0]["resource"];
  EXPECT_GE(resources.size(), 140u);
  json patient;
  for (const auto& r : resources) {
    if (r["type"] == "Patient") patient = r;
  }
  ASSERT_FALSE(patient.is_null());
  EXPECT_EQ(patient["supportedProfile"][0], "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
  std::set<std::string> declared;
  for (const auto& i : patient["interaction"]) declared.insert(i["code"]);
  for (const auto& route : rest::route_table()) {
    if (route.level == rest::Level::type || route.level == rest::Level::instance) {
      EXPECT_TRUE(declared.count(std::string(route.interaction))) << route.interaction;
    }
  }
  EXPECT_TRUE(declared.count("search-type"));
  std::set<std::string> params;
  for (const auto& p : patient["searchParam"]) params.insert(p["name"]);
  for (const char* p : {"_id", "birthdate", "family", "given", "identifier", "name", "gender", "race", "ethnicity"}) {
    EXPECT_TRUE(params.count(p)) << p;
  }
  bool provenance = false;
  for (const auto& r : patient["searchRevInclude"]) provenance = provenance || r == "Provenance:target";
  EXPECT_TRUE(provenance);
}

TEST_F(ServerFeaturesTest, DisabledApiAnswers503WithHowToEnable) {
  ASSERT_TRUE(settings_->set("fhir_api_enabled", "false").ok());
  auto res = get("/r4/Patient/x");
  EXPECT_EQ(res.status, 503);
  EXPECT_NE(res.body.find("fhirctl settings set fhir_api_enabled true"), std::string::npos);
  EXPECT_EQ(get("/healthz").status, 200) << "health stays up";
  ASSERT_TRUE(settings_->set("fhir_api_enabled", "true").ok());
  EXPECT_EQ(get("/r4/Patient/x").status, 404);
}

TEST_F(ServerFeaturesTest, SiteAddressIsThePublicBase) {
  ASSERT_TRUE(settings_->set("site_address", "https://ehr.example.org:8443").ok());
  auto res = call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient"})");
  EXPECT_EQ(res.header("Location")->rfind("https://ehr.example.org:8443/r4/Patient/", 0), 0u);
}

std::vector<std::vector<std::string>> api_log_rows(sql::Database& db) {
  std::vector<std::vector<std::string>> rows;
  auto conn = db.reader();
  sql::Query q(**conn, "SELECT method, route, path, status, COALESCE(request_body, ''), COALESCE(ip, '') FROM api_log ORDER BY seq");
  while (true) {
    auto r = q.step();
    if (!r.ok() || !*r) break;
    rows.push_back({q.string_at(0), q.string_at(1), q.string_at(2), std::to_string(q.int_at(3)), q.string_at(4), q.string_at(5)});
  }
  return rows;
}

TEST_F(ServerFeaturesTest, ApiLogRecordsRequestsWithoutBodiesUnlessFull) {
  get("/r4/Patient/nobody", {{"authorization", "Bearer secret-token-value"}});
  api_log_->flush();
  auto rows = api_log_rows(*api_log_db_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "GET");
  EXPECT_EQ(rows[0][1], "GET /{type}/{id}");
  EXPECT_EQ(rows[0][2], "/r4/Patient/nobody");
  EXPECT_EQ(rows[0][3], "404");
  EXPECT_EQ(rows[0][5], "127.0.0.1");

  ASSERT_TRUE(settings_->set("api_log", "full").ok());
  call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient","active":true})");
  ASSERT_TRUE(settings_->set("api_log", "off").ok());
  get("/r4/Patient/nobody");
  api_log_->flush();
  rows = api_log_rows(*api_log_db_);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[1][4].find("\"active\":true"), std::string::npos);

  // No token anywhere in the log.
  auto conn = api_log_db_->reader();
  sql::Query q(**conn, "SELECT COUNT(*) FROM api_log WHERE path LIKE '%secret-token%' OR request_body LIKE '%secret-token%'");
  ASSERT_TRUE(q.step().ok());
  EXPECT_EQ(q.int_at(0), 0);
}

TEST_F(ServerFeaturesTest, ApiLogNeverKeepsOAuthOrUnmatchedBodies) {
  ASSERT_TRUE(settings_->set("api_log", "full").ok());
  const std::string form = "grant_type=password&username=alice&password=hunter2-secret&client_secret=cs-secret";
  call(Method::POST, "/oauth2/token", form, {{"content-type", "application/x-www-form-urlencoded"}});
  call(Method::POST, "/oauth2/revoke", "token=tok-secret", {{"content-type", "application/x-www-form-urlencoded"}});
  call(Method::POST, "/no/such/route", "password=unmatched-secret");
  call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient","active":true})");
  api_log_->flush();
  auto rows = api_log_rows(*api_log_db_);
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(rows[i][4], "") << rows[i][2];
  EXPECT_NE(rows[3][4].find("\"active\":true"), std::string::npos) << "FHIR bodies are still kept";
  auto conn = api_log_db_->reader();
  sql::Query q(**conn, "SELECT COUNT(*) FROM api_log WHERE COALESCE(request_body, '') || COALESCE(response_body, '') "
                       "LIKE '%secret%'");
  ASSERT_TRUE(q.step().ok());
  EXPECT_EQ(q.int_at(0), 0);
}

}  // namespace
