// search::Access (search/access.hpp) in the engine: make_access's reaches and errors,
// SearchEngine::visible, scope filters as ORed alternatives with paging, and the any-type
// condition of system-level searches. (Through the Router with tokens: tests/lib/rest/guard_test.cpp.)
#include <gtest/gtest.h>

#include "lib/search/engine_fixture.hpp"
#include "search/access.hpp"

namespace {

using search_test::EngineTest;
using Set = std::set<std::string>;

class AccessTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"Patient","id":"pa"})");
    put(R"({"resourceType":"Patient","id":"pb"})");
    put(R"({"resourceType":"Practitioner","id":"dr1"})");
    put(R"({"resourceType":"Practitioner","id":"dr2"})");
    for (const char* cat : {"vital-signs", "laboratory", "survey"}) {
      for (const char* p : {"pa", "pb"}) {
        put(std::string(R"({"resourceType":"Observation","id":")") + p + "-" + cat +
            R"(","status":"final","code":{"text":"x"},"category":[{"coding":[{"code":")" + cat +
            R"("}]}],"subject":{"reference":"Patient/)" + p + R"("},"performer":[{"reference":"Practitioner/)" +
            (std::string(p) == "pa" ? "dr1" : "dr2") + R"("}]})");
      }
    }
    put(R"({"resourceType":"Provenance","id":"prov-a","target":[{"reference":"Observation/pa-survey"}],"recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/dr2"}}]})");
    put(R"({"resourceType":"Provenance","id":"prov-none","recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/dr1"}}]})");
    put(R"({"resourceType":"Group","id":"g-ab","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/pa"}},{"entity":{"reference":"Patient/pb"}}]})");
  }

  std::shared_ptr<const search::Access> access(const std::vector<search::Grant>& grants, const std::string& patient = "pa") {
    auto a = search::make_access(*registry_, patient, grants, search_test::kBase);
    EXPECT_TRUE(a.ok()) << a.error().message;
    return std::make_shared<const search::Access>(std::move(*a));
  }

  // Every match over all pages of `type`?`query` under `a`.
  Set all(const std::string& type, const std::string& query, const std::shared_ptr<const search::Access>& a) {
    Set out;
    auto p = params(query);
    for (int n = 0; n < 50; ++n) {
      auto req = parse(type, p);
      EXPECT_TRUE(req.ok());
      if (!req.ok()) break;
      req->access = a;
      auto page = engine_->search(*req);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      for (const auto& m : page->matches) out.insert(m.type + "/" + m.id);
      if (!page->next_cursor) break;
      p = params(query);
      p.emplace_back("_cursor", *page->next_cursor);
    }
    return out;
  }

  bool visible(const std::string& type, const std::string& id, const std::shared_ptr<const search::Access>& a) {
    auto v = engine_->visible(type, id, *a);
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() && *v;
  }
};

TEST_F(AccessTest, ReachesFollowTheCompartment) {
  const auto a = access({{"Patient", true, {}}, {"Observation", true, {}}, {"Practitioner", true, {}},
                         {"Provenance", true, {}}, {"Group", true, {}}});
  EXPECT_EQ(a->find("Patient")->reach, search::Reach::patient_self);
  EXPECT_EQ(a->find("Observation")->reach, search::Reach::compartment);
  EXPECT_EQ(a->find("Group")->reach, search::Reach::compartment_sole);
  EXPECT_EQ(a->find("Practitioner")->reach, search::Reach::referenced);
  EXPECT_EQ(a->find("Provenance")->via.size(), 1u);
  EXPECT_EQ(a->find("Condition"), nullptr);

  EXPECT_TRUE(visible("Patient", "pa", a));
  EXPECT_FALSE(visible("Patient", "pb", a));
  EXPECT_TRUE(visible("Observation", "pa-survey", a));
  EXPECT_FALSE(visible("Observation", "pb-survey", a));
  EXPECT_TRUE(visible("Practitioner", "dr1", a));
  EXPECT_FALSE(visible("Practitioner", "dr2", a));  // referenced only by pb's data (and pa's Provenance's agent)
  EXPECT_TRUE(visible("Provenance", "prov-a", a));
  EXPECT_FALSE(visible("Provenance", "prov-none", a));
  EXPECT_FALSE(visible("Group", "g-ab", a));
  EXPECT_FALSE(visible("Observation", "nonexistent", a));

  EXPECT_EQ(all("Observation", "_count=1", a), (Set{"Observation/pa-vital-signs", "Observation/pa-laboratory",
                                                    "Observation/pa-survey"}));
  EXPECT_EQ(all("", "_count=2", a), (Set{"Patient/pa", "Observation/pa-vital-signs", "Observation/pa-laboratory",
                                         "Observation/pa-survey", "Practitioner/dr1", "Provenance/prov-a"}));
}

TEST_F(AccessTest, UnrestrictedGrantsAndMissingTypes) {
  const auto a = access({{"Observation", false, {}}}, "");
  EXPECT_EQ(all("Observation", "", a).size(), 6u);
  EXPECT_EQ(all("Patient", "", a), Set{});
  EXPECT_EQ(all("", "_count=3", a).size(), 6u);
  EXPECT_TRUE(visible("Observation", "pb-survey", a));
  EXPECT_FALSE(visible("Patient", "pa", a));
}

TEST_F(AccessTest, FiltersAreAlternativesAndPageRight) {
  const auto one = access({{"Observation", true, {{{"category", "vital-signs"}}}}});
  EXPECT_EQ(all("Observation", "_count=1", one), Set{"Observation/pa-vital-signs"});
  const auto two = access({{"Observation", true, {{{"category", "vital-signs"}}, {{"category", "laboratory"}}}}});
  EXPECT_EQ(all("Observation", "_count=1", two), (Set{"Observation/pa-vital-signs", "Observation/pa-laboratory"}));
  EXPECT_EQ(all("", "_count=1", two), (Set{"Observation/pa-vital-signs", "Observation/pa-laboratory"}));
  EXPECT_TRUE(visible("Observation", "pa-laboratory", two));
  EXPECT_FALSE(visible("Observation", "pa-survey", two));
  // ANDed filters within one alternative.
  const auto both = access({{"Observation", false, {{{"category", "survey"}, {"subject", "Patient/pb"}}}}}, "");
  EXPECT_EQ(all("Observation", "", both), Set{"Observation/pb-survey"});

  auto req = parse("Observation", params("_total=accurate&_count=1"));
  ASSERT_TRUE(req.ok());
  req->access = two;
  auto page = engine_->search(*req);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2);
}

TEST_F(AccessTest, MakeAccessErrors) {
  auto no_patient = search::make_access(*registry_, "", {{"Observation", true, {}}}, search_test::kBase);
  ASSERT_FALSE(no_patient.ok());
  EXPECT_EQ(no_patient.error().code, base::ErrorCode::forbidden);
  for (const auto& filter : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {{"nope", "1"}}, {{"_count", "5"}}, {{"_include", "Observation:subject"}}, {{"date", "notadate"}}}) {
    auto bad = search::make_access(*registry_, "pa", {{"Observation", true, {filter}}}, search_test::kBase);
    ASSERT_FALSE(bad.ok()) << filter[0].first;
    EXPECT_EQ(bad.error().code, base::ErrorCode::forbidden);
  }
}

TEST_F(AccessTest, CursorsAreBoundToTheRestriction) {
  const auto a = access({{"Observation", true, {}}});
  auto req = parse("Observation", params("_count=1"));
  ASSERT_TRUE(req.ok());
  req->access = a;
  auto page = engine_->search(*req);
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(page->next_cursor);
  req->cursor = *page->next_cursor;
  req->access = access({{"Observation", true, {}}}, "pb");
  auto other = engine_->search(*req);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, base::ErrorCode::invalid);
}

}  // namespace
