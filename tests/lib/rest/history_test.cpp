// Instance, type and system history through the Router.
#include <nlohmann/json.hpp>

#include "lib/rest/router_fixture.hpp"

namespace {

using rest::Method;
using json = nlohmann::json;

class HistoryTest : public rest_test::RouterTest {};

TEST_F(HistoryTest, InstanceHistoryNewestFirstWithMethods) {
  ASSERT_EQ(call(Method::PUT, "/r4/Patient/p1", R"({"resourceType":"Patient","id":"p1"})").status, 201);
  ASSERT_EQ(call(Method::PUT, "/r4/Patient/p1", R"({"resourceType":"Patient","id":"p1","active":true})").status, 200);
  ASSERT_EQ(call(Method::DELETE, "/r4/Patient/p1").status, 204);
  auto res = get("/r4/Patient/p1/_history");
  ASSERT_EQ(res.status, 200) << res.body;
  auto b = json::parse(res.body);
  EXPECT_EQ(b["type"], "history");
  EXPECT_EQ(b["total"], 3);
  ASSERT_EQ(b["entry"].size(), 3u);
  EXPECT_EQ(b["entry"][0]["request"]["method"], "DELETE");
  EXPECT_FALSE(b["entry"][0].contains("resource"));
  EXPECT_EQ(b["entry"][1]["request"]["method"], "PUT");
  EXPECT_EQ(b["entry"][1]["resource"]["meta"]["versionId"], "2");
  EXPECT_EQ(b["entry"][2]["response"]["etag"], "W/\"1\"");
  EXPECT_EQ(b["entry"][2]["fullUrl"], "https://fhir.test:8443/r4/Patient/p1");
}

TEST_F(HistoryTest, UnknownInstanceIs404) { EXPECT_EQ(get("/r4/Patient/none/_history").status, 404); }

TEST_F(HistoryTest, TypeAndSystemLevelsAndPaging) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient"})").status, 201);
  }
  ASSERT_EQ(call(Method::POST, "/r4/Organization", R"({"resourceType":"Organization","name":"Acme"})").status, 201);
  auto type = json::parse(get("/r4/Patient/_history").body);
  EXPECT_EQ(type["total"], 5);
  auto system = json::parse(get("/r4/_history").body);
  EXPECT_EQ(system["total"], 6);
  EXPECT_EQ(system["entry"][0]["resource"]["resourceType"], "Organization");

  // Page through 2 at a time following the next links.
  std::string url = "/r4/Patient/_history?_count=2";
  int seen = 0, pages = 0;
  while (!url.empty() && pages < 10) {
    auto page = json::parse(get(url).body);
    seen += static_cast<int>(page["entry"].size());
    ++pages;
    url.clear();
    for (const auto& link : page["link"]) {
      if (link["relation"] == "next") {
        const std::string next = link["url"];
        url = next.substr(std::string("https://fhir.test:8443").size());
      }
    }
  }
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(pages, 3);
}

TEST_F(HistoryTest, SinceFilters) {
  ASSERT_EQ(call(Method::POST, "/r4/Patient", R"({"resourceType":"Patient"})").status, 201);
  auto all = json::parse(get("/r4/_history?_since=2000-01-01T00:00:00Z").body);
  EXPECT_EQ(all["total"], 1);
  auto none = json::parse(get("/r4/_history?_since=2999-01-01T00:00:00Z").body);
  EXPECT_EQ(none["total"], 0);
}

}  // namespace
