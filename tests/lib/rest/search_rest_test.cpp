// Search through the Router: the searchset Bundle (fullUrl, modes, total, links), _total,
// _summary, _elements, system-level search, POST _search, and bad input: every invalid value is a
// 400 OperationOutcome (never a 500), SQL metacharacters in any value are harmless, and paging
// cursors that are tampered with or replayed on another query are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/search/search_router_fixture.hpp"
#include "rest/http.hpp"

namespace {

using search_rest_test::kBase;
using search_rest_test::SearchRouterTest;

class RestSearch : public SearchRouterTest {
 protected:
  void SetUp() override {
    env().wipe();
    env().logged_errors.clear();
    put(R"({"resourceType":"Patient","id":"pa","meta":{"tag":[{"system":"urn:tags","code":"vip"}]},
            "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Ann Alpha</div>"},
            "name":[{"family":"Alpha","given":["Ann"]}],"gender":"female","birthDate":"1980-01-01",
            "identifier":[{"system":"urn:ids","value":"A1"}]})");
    put(R"({"resourceType":"Patient","id":"pb","name":[{"family":"Beta"}],"gender":"male","birthDate":"1990-01-01"})");
    put(R"({"resourceType":"Observation","id":"pa","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
            "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">obs</div>"},
            "subject":{"reference":"Patient/pa"},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":5,"unit":"mg"}})");
    put(R"({"resourceType":"Observation","id":"ob","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
            "subject":{"reference":"Patient/pb"},"effectiveDateTime":"2021-01-01"})");
  }

  void TearDown() override { EXPECT_EQ(env().logged_errors, ""); }

  // "name=value" with the value percent-encoded.
  static std::string q(const std::string& name, const std::string& value) { return name + "=" + rest::url_encode(value); }

  void expect_400(const std::string& target, rest::Params headers = {}) {
    auto res = get(target, std::move(headers));
    EXPECT_EQ(res.status, 400) << target << "\n" << res.body;
    auto b = body(res);
    EXPECT_EQ(b.value("resourceType", ""), "OperationOutcome") << target;
  }

  std::size_t stored() {
    auto b = body(get("/r4?_summary=count"));
    return b.value("total", 0);
  }
};

TEST_F(RestSearch, SearchsetBundle) {
  auto res = get("/r4/Patient?family=alpha&_include=Patient:organization");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.content_type.find("application/fhir+json"), std::string::npos);
  auto b = body(res);
  EXPECT_EQ(b["resourceType"], "Bundle");
  EXPECT_EQ(b["type"], "searchset");
  EXPECT_TRUE(b.contains("id"));
  EXPECT_EQ(b["total"], 1);
  ASSERT_EQ(b["entry"].size(), 1u);
  EXPECT_EQ(b["entry"][0]["fullUrl"], std::string(kBase) + "/Patient/pa");
  EXPECT_EQ(b["entry"][0]["search"]["mode"], "match");
  EXPECT_EQ(b["entry"][0]["resource"]["id"], "pa");
  const std::string self = link(b, "self");
  EXPECT_EQ(self.rfind(std::string(kBase) + "/Patient?", 0), 0u) << self;
  EXPECT_NE(self.find("family=alpha"), std::string::npos) << self;
  EXPECT_NE(self.find("_count=50"), std::string::npos) << self;
  EXPECT_NE(link(b, "first").find("family=alpha"), std::string::npos);
  EXPECT_TRUE(link(b, "next").empty());
  EXPECT_TRUE(link(b, "previous").empty());

  b = body(get("/r4/Observation?_id=pa&_include=Observation:patient"));
  EXPECT_EQ(entries(b, "include"), (Set{"Patient/pa"}));
  for (const auto& e : b["entry"]) {
    const auto& r = e["resource"];
    EXPECT_EQ(e["fullUrl"], std::string(kBase) + "/" + r["resourceType"].get<std::string>() + "/" + r["id"].get<std::string>());
  }
  EXPECT_EQ(b["total"], 1);  // matches only
}

TEST_F(RestSearch, TotalAndCount) {
  auto b = body(get("/r4/Patient?_total=none&_count=1"));
  EXPECT_FALSE(b.contains("total"));
  EXPECT_EQ(entries(b, "match").size(), 1u);
  EXPECT_FALSE(link(b, "next").empty());

  b = body(get("/r4/Patient?_summary=count"));
  EXPECT_EQ(b["total"], 2);
  EXPECT_TRUE(entries(b, "match").empty());

  b = body(get("/r4/Patient?_count=0"));
  EXPECT_EQ(b["total"], 2);
  EXPECT_TRUE(entries(b, "match").empty());

  b = body(get("/r4/Patient?_count=5000"));
  EXPECT_EQ(entries(b, "match").size(), 2u);
  // The links state the page size actually used (R4: the server returns the parameters it used).
  EXPECT_NE(link(b, "self").find("_count=1000"), std::string::npos) << link(b, "self");
  EXPECT_EQ(link(b, "self").find("_count=5000"), std::string::npos) << link(b, "self");

  expect_400("/r4/Patient?_count=-1");
  expect_400("/r4/Patient?_count=abc");
  expect_400("/r4/Patient?_total=all");
}

TEST_F(RestSearch, SummaryData) {
  auto b = body(get("/r4/Patient?_id=pa&_summary=data"));
  const auto& r = b["entry"][0]["resource"];
  EXPECT_FALSE(r.contains("text"));
  EXPECT_EQ(r["name"][0]["family"], "Alpha");
  EXPECT_NE(r["meta"].dump().find("SUBSETTED"), std::string::npos) << r.dump();
}

TEST_F(RestSearch, SummaryTextKeepsMandatoryElements) {
  auto b = body(get("/r4/Observation?_id=pa&_summary=text"));
  const auto& r = b["entry"][0]["resource"];
  EXPECT_TRUE(r.contains("text"));
  EXPECT_EQ(r["id"], "pa");
  EXPECT_FALSE(r.contains("valueQuantity"));
  EXPECT_NE(r["meta"].dump().find("SUBSETTED"), std::string::npos);
  // R4 (search.html#summary): "_summary=text: Return only the text, id, meta, and top-level
  // mandatory elements". Observation.status and Observation.code are mandatory (1..1).
  EXPECT_TRUE(r.contains("status")) << r.dump();
  EXPECT_TRUE(r.contains("code")) << r.dump();
}

TEST_F(RestSearch, SummaryTrueIsASubset) {
  // _summary=true: only the elements marked as summary; Patient.text (DomainResource.text) is
  // not one.
  auto b = body(get("/r4/Patient?_id=pa&_summary=true"));
  const auto& r = b["entry"][0]["resource"];
  EXPECT_FALSE(r.contains("text")) << r.dump();
  EXPECT_NE(r["meta"].dump().find("SUBSETTED"), std::string::npos) << r.dump();
}

TEST_F(RestSearch, Elements) {
  auto b = body(get("/r4/Patient?_id=pa&_elements=name,birthDate"));
  const auto& r = b["entry"][0]["resource"];
  EXPECT_EQ(r["resourceType"], "Patient");
  EXPECT_EQ(r["id"], "pa");
  EXPECT_TRUE(r.contains("name"));
  EXPECT_TRUE(r.contains("birthDate"));
  EXPECT_FALSE(r.contains("gender"));
  EXPECT_FALSE(r.contains("identifier"));
  EXPECT_FALSE(r.contains("text"));
  EXPECT_NE(r["meta"].dump().find("SUBSETTED"), std::string::npos);
  // Included resources are not trimmed.
  b = body(get("/r4/Observation?_id=pa&_elements=status&_include=Observation:patient"));
  for (const auto& e : b["entry"]) {
    if (e["search"]["mode"] == "include") {
      EXPECT_TRUE(e["resource"].contains("gender"));
    } else {
      EXPECT_FALSE(e["resource"].contains("code"));
    }
  }
}

TEST_F(RestSearch, SubsettedTagIsAddedToExistingTags) {
  // The resource's own tags (urn:tags|vip) stay next to SUBSETTED.
  auto b = body(get("/r4/Patient?_id=pa&_elements=name"));
  const auto tags = b["entry"][0]["resource"]["meta"]["tag"].dump();
  EXPECT_NE(tags.find("SUBSETTED"), std::string::npos) << tags;
  EXPECT_NE(tags.find("vip"), std::string::npos) << tags;
}

TEST_F(RestSearch, SystemLevelSearch) {
  auto b = body(get("/r4?_id=pa"));
  EXPECT_EQ(entries(b, "match"), (Set{"Patient/pa", "Observation/pa"}));
  EXPECT_EQ(b["total"], 2);
  EXPECT_EQ(link(b, "self").rfind(std::string(kBase) + "?", 0), 0u) << link(b, "self");

  b = body(get("/r4?_type=Observation&_id=pa"));
  EXPECT_EQ(entries(b, "match"), (Set{"Observation/pa"}));

  auto p = body(post_search("/r4", "_id=pa&_type=Patient"));
  EXPECT_EQ(entries(p, "match"), (Set{"Patient/pa"}));

  b = body(get("/r4?_tag=vip&_lastUpdated=gt2000"));
  EXPECT_EQ(entries(b, "match"), (Set{"Patient/pa"}));

  // family is not a parameter of every type: ignored with an outcome, or 400 when strict.
  b = body(get("/r4?family=alpha&_id=pb"));
  EXPECT_EQ(entries(b, "match"), (Set{"Patient/pb"}));
  int outcomes = 0;
  for (const auto& e : b["entry"]) outcomes += e["search"]["mode"] == "outcome";
  EXPECT_EQ(outcomes, 1);
  expect_400("/r4?family=alpha", {{"prefer", "handling=strict"}});
  expect_400("/r4?_type=Patient,Nope");
}

TEST_F(RestSearch, PostSearchNeedsAForm) {
  auto res = call(rest::Method::POST, "/r4/Patient/_search", R"({"family":"alpha"})", {}, "application/json");
  EXPECT_EQ(res.status, 415) << res.body;
  auto b = body(post_search("/r4/Patient", "family=alpha&gender=female"));
  EXPECT_EQ(entries(b, "match"), (Set{"Patient/pa"}));
  // '+' in a form body is a space.
  put(R"({"resourceType":"Patient","id":"pc","name":[{"family":"van der Berg"}]})");
  b = body(post_search("/r4/Patient", "family=van+der"));
  EXPECT_EQ(entries(b, "match"), (Set{"Patient/pc"}));
}

TEST_F(RestSearch, InvalidValuesAre400) {
  for (const char* t : {"/r4/Patient?birthdate=xx2020", "/r4/Patient?birthdate=2020-13-01", "/r4/Patient?birthdate=yesterday",
                        "/r4/Patient?birthdate=gt", "/r4/Patient?birthdate=2020-02-30", "/r4/Observation?date=le2020-01-01T25:00:00Z",
                        "/r4/Observation?value-quantity=abc", "/r4/Observation?value-quantity=zz5||mg",
                        "/r4/Observation?code=a|b|c", "/r4/Observation?code=", "/r4/Patient?family:foo=x",
                        "/r4/Patient?gender:contains=male", "/r4/Patient?_sort=nope", "/r4/Patient?_sort=family,-nope",
                        "/r4/Observation?code.name=x", "/r4/Observation?subject.name=x",
                        "/r4/Observation?patient.organization.name=x", "/r4/Patient?_include=Nope:x",
                        "/r4/Patient?_include=Patient:gender", "/r4/Patient?_has:Observation:patient=x",
                        "/r4/Patient?family:missing=perhaps", "/r4/Patient?_summary=some", "/r4/Patient?_id:missing=true",
                        "/r4/Observation?subject=not%20an%20id"}) {
    expect_400(t);
  }
  // Invalid values are refused whatever the handling preference.
  expect_400("/r4/Patient?birthdate=xx2020", {{"prefer", "handling=lenient"}});
}

TEST_F(RestSearch, SqlMetacharactersInEveryValue) {
  // Every value either matches nothing (200) or is refused (400); never a 500.
  // A NUL byte (%00) would end a LIKE pattern early in SQLite; search values with NUL are refused
  // with 400 (lib/search/query_parser.cpp), which the else-branch below accepts.
  const std::vector<std::string> values{"'; DROP TABLE resources; --", "%", "_", "\\", "%%", "\\%", "' OR '1'='1",
                                        "\"); DELETE FROM resources; --", "*", "?", std::string("a\0b", 3)};
  const std::vector<std::string> params{
      "family", "name:contains", "name:exact", "address", "identifier", "gender", "gender:not", "_id", "_tag",
      "_profile", "_profile:below", "_security", "telecom", "general-practitioner", "organization", "birthdate",
      "_lastUpdated", "link", "_has:Observation:patient:code", "general-practitioner:Practitioner.name",
      "organization.name", "identifier:of-type", "active:text"};
  for (const auto& p : params) {
    for (const auto& v : values) {
      auto res = get("/r4/Patient?" + q(p, v));
      ASSERT_NE(res.status, 500) << p << "=" << v << "\n" << res.body;
      if (res.status == 200) {
        // gender:not=<junk> is every patient; anything else matches nothing.
        EXPECT_EQ(entries(body(res), "match").size(), p == "gender:not" ? 2u : 0u) << p << "=" << v;
      } else {
        EXPECT_EQ(res.status, 400) << p << "=" << v << "\n" << res.body;
      }
    }
  }
  for (const auto& v : values) {
    for (const char* p : {"code", "value-quantity", "date", "patient", "code:text", "_sort"}) {
      auto res = get("/r4/Observation?" + q(p, v));
      ASSERT_NE(res.status, 500) << p << "=" << v << "\n" << res.body;
      if (res.status == 200) {
        EXPECT_TRUE(entries(body(res), "match").empty()) << p << "=" << v;
      }
    }
    auto res = get("/r4?" + q("_id", v));
    if (v.find('\0') != std::string::npos) {
      EXPECT_EQ(res.status, 400) << "NUL is refused";
    } else {
      ASSERT_EQ(res.status, 200) << v;
      EXPECT_TRUE(entries(body(res), "match").empty());
    }
    res = post_search("/r4/Patient", q("family", v));
    ASSERT_NE(res.status, 500);
  }
  EXPECT_EQ(stored(), 4u);
  // String and token searches with these values answer 200 with nothing (never an error).
  for (const char* p : {"family", "name:contains", "identifier", "_id", "_tag"}) {
    EXPECT_EQ(get("/r4/Patient?" + q(p, "'; DROP TABLE resources; --")).status, 200) << p;
    EXPECT_EQ(get("/r4/Patient?" + q(p, "%")).status, 200) << p;
  }
}

TEST_F(RestSearch, TamperedAndReplayedCursors) {
  auto first = body(get("/r4/Patient?_sort=family&_count=1"));
  const std::string next = link(first, "next");
  ASSERT_FALSE(next.empty());
  ASSERT_EQ(get(target_of(next)).status, 200);
  const auto pos = next.find("_cursor=");
  ASSERT_NE(pos, std::string::npos);
  const std::string base = target_of(next.substr(0, pos));
  const std::string cursor = next.substr(pos + 8);
  std::vector<std::string> bad{"garbage", "a.b", "%2E", "x%00y", std::string(10000, 'A'),
                               "'%3B%20DROP%20TABLE%20resources%3B%20--", cursor.substr(0, cursor.size() - 4),
                               "A" + cursor.substr(1), cursor + "A", cursor.substr(0, cursor.find('.'))};
  for (const auto& c : bad) {
    auto res = get(base + "_cursor=" + c);
    EXPECT_EQ(res.status, 400) << c << "\n" << res.body;
    EXPECT_EQ(body(res).value("resourceType", ""), "OperationOutcome");
  }
  // A valid cursor on a different query, type or level.
  for (const std::string other : {"/r4/Patient?_sort=-family&_count=1&_cursor=", "/r4/Patient?_sort=family&gender=male&_count=1&_cursor=",
                                  "/r4/Observation?_sort=family&_count=1&_cursor=", "/r4/Observation?_count=1&_cursor=",
                                  "/r4?_sort=_id&_count=1&_cursor=", "/r4/Patient?_count=1&_cursor="}) {
    auto res = get(other + cursor);
    EXPECT_EQ(res.status, 400) << other << "\n" << res.body;
  }
  EXPECT_EQ(stored(), 4u);
}

}  // namespace
