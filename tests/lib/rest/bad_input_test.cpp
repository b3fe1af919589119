// Every kind of bad input gets a 4xx OperationOutcome a person can act on, and nothing is stored.
#include <nlohmann/json.hpp>

#include "lib/rest/router_fixture.hpp"

namespace {

using rest::Method;
using json = nlohmann::json;

class BadInputTest : public rest_test::RouterTest {
 protected:
  // Asserts an OperationOutcome with `status` whose diagnostics mention `needle`.
  void expect_outcome(const rest::Response& res, int status, const std::string& needle) {
    EXPECT_EQ(res.status, status) << res.body;
    auto body = json::parse(res.body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << res.body;
    EXPECT_EQ(body["resourceType"], "OperationOutcome");
    EXPECT_NE(res.body.find(needle), std::string::npos) << res.body;
  }
  std::int64_t stored_versions() {
    auto page = resources_->history({});
    return page.ok() ? page->total : -1;
  }
};

TEST_F(BadInputTest, MalformedJson) {
  expect_outcome(call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient",)"), 400, "not valid JSON");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, NotAnObject) {
  expect_outcome(call(Method::POST, "/r4/Patient", "[1,2]"), 400, "JSON object");
}

TEST_F(BadInputTest, MissingAndUnknownResourceType) {
  expect_outcome(call(Method::POST, "/r4/Patient", R"({"name":[]})"), 400, "resourceType");
  expect_outcome(call(Method::POST, "/r4/Patient", R"({"resourceType":"Pateint"})"), 400, "Pateint");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, ResourceTypeNotMatchingUrl) {
  expect_outcome(call(Method::POST, "/r4/Patient", R"({"resourceType":"Observation","status":"final"})"), 400,
                 "does not match");
  expect_outcome(call(Method::PUT, "/r4/Patient/a", R"({"resourceType":"Observation","id":"a"})"), 400,
                 "does not match");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, BodyIdDiffersFromUrlId) {
  expect_outcome(call(Method::PUT, "/r4/Patient/a", R"({"resourceType":"Patient","id":"b"})"), 400, "does not match");
  expect_outcome(call(Method::PUT, "/r4/Patient/a", R"({"resourceType":"Patient"})"), 400, "no id");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, InvalidIdSyntax) {
  expect_outcome(get("/r4/Patient/bad!id"), 400, "not a valid resource id");
  expect_outcome(call(Method::PUT, "/r4/Patient/" + std::string(65, 'a'),
                      R"({"resourceType":"Patient","id":")" + std::string(65, 'a') + "\"}"),
                 400, "not a valid resource id");
  expect_outcome(call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient","id":"no spaces"})"), 400, "id");
}

TEST_F(BadInputTest, InvalidDates) {
  expect_outcome(call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient","birthDate":"1980-13-01"})"), 400,
                 "Patient.birthDate");
  expect_outcome(call(Method::POST, "/r4/Observation",
                      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},"issued":"2020-01-01"})"),
                 400, "Observation.issued");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, BodyOverTheLimit) {
  const std::string big = R"({"resourceType":"Patient","text":{"div":")" + std::string(70 * 1024, 'x') + "\"}}";
  expect_outcome(call(Method::POST, "/r4/Patient", big), 413, "over the limit");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, UnknownRouteAndWrongMethod) {
  expect_outcome(get("/r4/Patient/1/_history/1/extra"), 404, "No route");
  expect_outcome(get("/nothing-here"), 404, "No route");
  auto res = call(Method::DELETE, "/r4/Patient");
  expect_outcome(res, 405, "not allowed");
  EXPECT_EQ(*res.header("Allow"), "POST, GET");
  expect_outcome(call(Method::POST, "/r4/metadata", "{}"), 405, "not allowed");
}

TEST_F(BadInputTest, XmlBodyIs415) {
  rest::Request req;
  req.method = Method::POST;
  req.path = "/r4/Patient";
  req.body = "<Patient xmlns=\"http://hl7.org/fhir\"/>";
  req.headers = {{"content-type", "application/fhir+xml"}};
  expect_outcome(router_->handle(req), 415, "application/fhir+json");
  EXPECT_EQ(stored_versions(), 0);
}

TEST_F(BadInputTest, EmptyBody) {
  rest::Request req;
  req.method = Method::POST;
  req.path = "/r4/Patient";
  expect_outcome(router_->handle(req), 400, "no body");
}

TEST_F(BadInputTest, BadVersionAndHistoryParameters) {
  expect_outcome(get("/r4/Patient/a/_history/x"), 400, "not a version id");
  expect_outcome(get("/r4/_history?_count=abc"), 400, "_count");
  expect_outcome(get("/r4/_history?_count=5000"), 400, "_count");
  expect_outcome(get("/r4/_history?_since=yesterday"), 400, "yesterday");
}

TEST_F(BadInputTest, InternalDetailsNeverReachTheClient) {
  // Dropping the table makes the store fail: the client gets a reference, the log gets the detail.
  {
    auto w = db_->writer();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("DROP TABLE resource_history").ok());
  }
  auto res = call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient"})");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("resource_history"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("reference"), std::string::npos);
  EXPECT_NE(logged_errors_.find("resource_history"), std::string::npos);
}

}  // namespace
