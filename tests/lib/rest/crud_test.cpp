// read, vread, create, update, delete through the Router on real SQLite.
#include <nlohmann/json.hpp>

#include "lib/rest/router_fixture.hpp"

namespace {

using rest::Method;
using json = nlohmann::json;

class CrudTest : public rest_test::RouterTest {
 protected:
  std::string create_patient(const std::string& family = "Smith") {
    auto res = call(Method::POST, "/r4/Patient",
                    R"({"resourceType":"Patient","name":[{"family":")" + family + R"("}],"birthDate":"1980-02-03"})");
    EXPECT_EQ(res.status, 201) << res.body;
    return json::parse(res.body)["id"].get<std::string>();
  }
};

TEST_F(CrudTest, CreateAnswers201WithLocationEtagAndLastModified) {
  auto res = call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient","id":"client-id","active":true})");
  ASSERT_EQ(res.status, 201) << res.body;
  auto body = json::parse(res.body);
  const std::string id = body["id"];
  EXPECT_NE(id, "client-id") << "create assigns a server id";
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(body["meta"]["versionId"], "1");
  EXPECT_EQ(*res.header("Location"), "https://fhir.test:8443/r4/Patient/" + id + "/_history/1");
  EXPECT_EQ(*res.header("ETag"), "W/\"1\"");
  EXPECT_TRUE(res.header("Last-Modified").has_value());
  EXPECT_EQ(res.content_type, "application/fhir+json; charset=utf-8");
}

TEST_F(CrudTest, ReadReturnsTheStoredBytes) {
  const auto id = create_patient();
  auto stored = resources_->read("Patient", id);
  ASSERT_TRUE(stored.ok());
  auto res = get("/r4/Patient/" + id);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, stored->json);
  EXPECT_EQ(*res.header("ETag"), "W/\"1\"");
}

TEST_F(CrudTest, AliasesServeTheSameRoutes) {
  const auto id = create_patient();
  for (const std::string prefix : {"/r4", "/fhir/r4", "/fhir"}) {
    EXPECT_EQ(get(prefix + "/Patient/" + id).status, 200) << prefix;
  }
}

TEST_F(CrudTest, ReadUnknownIs404AndUnknownTypeIs404) {
  EXPECT_EQ(get("/r4/Patient/nope").status, 404);
  auto res = get("/r4/Patientz/1");
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("not a FHIR R4 resource type"), std::string::npos);
}

TEST_F(CrudTest, IfNoneMatchGives304) {
  const auto id = create_patient();
  EXPECT_EQ(get("/r4/Patient/" + id, {{"if-none-match", "W/\"1\""}}).status, 304);
  EXPECT_EQ(get("/r4/Patient/" + id, {{"if-none-match", "W/\"2\""}}).status, 200);
}

TEST_F(CrudTest, UpdateIncrementsVersionAndHonoursIfMatch) {
  const auto id = create_patient();
  const std::string body = R"({"resourceType":"Patient","id":")" + id + R"(","active":false})";
  auto ok = call(Method::PUT, "/r4/Patient/" + id, body, {{"if-match", "W/\"1\""}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["meta"]["versionId"], "2");
  auto stale = call(Method::PUT, "/r4/Patient/" + id, body, {{"if-match", "W/\"1\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(json::parse(get("/r4/Patient/" + id).body)["meta"]["versionId"], "2") << "nothing stored on 412";
  EXPECT_EQ(call(Method::PUT, "/r4/Patient/" + id, body, {{"if-match", "garbage"}}).status, 400);
}

TEST_F(CrudTest, PutWithClientIdCreates) {
  auto res = call(Method::PUT, "/r4/Patient/chosen-1", R"({"resourceType":"Patient","id":"chosen-1"})");
  EXPECT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(get("/r4/Patient/chosen-1").status, 200);
}

TEST_F(CrudTest, DeleteThenReadIsGoneAndVreadStillWorks) {
  const auto id = create_patient();
  auto del = call(Method::DELETE, "/r4/Patient/" + id);
  EXPECT_EQ(del.status, 204);
  auto gone = get("/r4/Patient/" + id);
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(json::parse(gone.body)["issue"][0]["code"], "deleted");
  EXPECT_EQ(get("/r4/Patient/" + id + "/_history/1").status, 200);
  EXPECT_EQ(get("/r4/Patient/" + id + "/_history/2").status, 410);
  EXPECT_EQ(get("/r4/Patient/" + id + "/_history/9").status, 404);
  EXPECT_EQ(call(Method::DELETE, "/r4/Patient/" + id).status, 204) << "delete is idempotent";
}

TEST_F(CrudTest, PreferReturnMinimalAndOperationOutcome) {
  auto minimal = call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient"})", {{"prefer", "return=minimal"}});
  EXPECT_EQ(minimal.status, 201);
  EXPECT_TRUE(minimal.body.empty());
  EXPECT_TRUE(minimal.header("Location").has_value());
  auto oo = call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient"})",
                 {{"prefer", "return=OperationOutcome"}});
  EXPECT_EQ(oo.status, 201);
  EXPECT_EQ(json::parse(oo.body)["resourceType"], "OperationOutcome");
}

TEST_F(CrudTest, PrettyAndFormat) {
  const auto id = create_patient();
  auto pretty = get("/r4/Patient/" + id + "?_pretty=true");
  EXPECT_NE(pretty.body.find("\n  \"resourceType\""), std::string::npos);
  EXPECT_EQ(get("/r4/Patient/" + id + "?_format=json").status, 200);
  auto plain = get("/r4/Patient/" + id + "?_format=application/json");
  EXPECT_EQ(plain.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(get("/r4/Patient/" + id + "?_format=xml").status, 406);
  EXPECT_EQ(get("/r4/Patient/" + id, {{"accept", "application/fhir+xml"}}).status, 406);
  EXPECT_EQ(get("/r4/Patient/" + id, {{"accept", "text/html,application/xml;q=0.9,*/*;q=0.8"}}).status, 200);
}

}  // namespace
