// Parameters stored as others (SearchParam::stored_as): Observation combo-code and
// combo-value-quantity keep no rows of their own and search those of code / component-code and
// value-quantity / component-value-quantity, on real SQLite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/search/engine_fixture.hpp"
#include "search/indexer.hpp"

namespace {

using search_test::EngineTest;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ComboSearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    // o1: a blood-pressure panel; its systolic and diastolic codes and values are components.
    put(R"({"resourceType":"Observation","id":"o1","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
            "component":[
              {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
               "valueQuantity":{"value":120,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
              {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},
               "valueQuantity":{"value":80,"unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]})");
    // o2: a heart rate, code and value at the top level.
    put(R"({"resourceType":"Observation","id":"o2","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
            "valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})");
    // o3: neither a value nor components.
    put(R"({"resourceType":"Observation","id":"o3","status":"final",
            "code":{"coding":[{"system":"http://loinc.org","code":"72166-2"}]}})");
  }

  std::int64_t id_of(const std::string& code) const {
    auto id = search_test::SearchEnv::get().search.ids->id(*registry_->find("Observation", code));
    EXPECT_TRUE(id.has_value()) << code;
    return id.value_or(-1);
  }

  std::int64_t rows(const char* table, std::int64_t param) const {
    auto conn = db_->writer();
    EXPECT_TRUE(conn.ok());
    sql::Query q(**conn, std::string("SELECT COUNT(*) FROM ") + table + " WHERE param = ?");
    q.bind(param);
    EXPECT_TRUE(q.step().ok());
    return q.int_at(0);
  }
};

TEST_F(ComboSearch, ComboCodeMatchesTheCodeAndTheComponentCodes) {
  EXPECT_EQ(id_set("Observation", "combo-code=8480-6"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "combo-code=http://loinc.org|85354-9"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "combo-code=8867-4"), (Set{"o2"}));
  EXPECT_EQ(id_set("Observation", "combo-code=8462-4,72166-2"), (Set{"o1", "o3"}));
  EXPECT_THAT(ids("Observation", "combo-code=9999-9"), IsEmpty());
  EXPECT_EQ(id_set("Observation", "combo-code:not=8480-6"), (Set{"o2", "o3"}));
  // Its parts alone still see only their own elements.
  EXPECT_THAT(ids("Observation", "code=8480-6"), IsEmpty());
  EXPECT_EQ(id_set("Observation", "component-code=8480-6"), (Set{"o1"}));
}

TEST_F(ComboSearch, ComboValueQuantityMatchesTheValueAndTheComponentValues) {
  EXPECT_EQ(id_set("Observation", "combo-value-quantity=120"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "combo-value-quantity=72"), (Set{"o2"}));
  EXPECT_EQ(id_set("Observation", "combo-value-quantity=gt75"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "combo-value-quantity=lt100"), (Set{"o1", "o2"}));
  EXPECT_EQ(id_set("Observation", "combo-value-quantity:missing=true"), (Set{"o3"}));
  EXPECT_EQ(id_set("Observation", "combo-value-quantity:missing=false"), (Set{"o1", "o2"}));
}

TEST_F(ComboSearch, SortsByTheSmallestOfAllItsValues) {
  // o1's smallest value is its diastolic 80; o2 has 72; o3 none (last).
  EXPECT_THAT(ids("Observation", "_sort=combo-value-quantity"), ElementsAre("o2", "o1", "o3"));
  EXPECT_THAT(ids("Observation", "_sort=-combo-value-quantity"), ElementsAre("o1", "o2", "o3"));
}

TEST_F(ComboSearch, StoresNoRowsOfItsOwn) {
  EXPECT_EQ(rows("idx_token", id_of("combo-code")), 0);
  EXPECT_EQ(rows("idx_quantity", id_of("combo-value-quantity")), 0);
  EXPECT_EQ(rows("idx_token", id_of("component-code")), 2);
  EXPECT_EQ(rows("idx_quantity", id_of("value-quantity")), 1);
}

TEST_F(ComboSearch, LoadingTheIdsDropsRowsAnEarlierVersionStored) {
  const std::int64_t combo = id_of("combo-code");
  {
    auto conn = db_->writer();
    ASSERT_TRUE(conn.ok());
    sql::Query q(**conn, "INSERT INTO idx_token (rid, param, system, code) SELECT rid, ?, 'http://loinc.org', "
                         "'8480-6' FROM resources WHERE id = 'o2'");
    q.bind(combo);
    ASSERT_TRUE(q.run().ok());
  }
  ASSERT_EQ(rows("idx_token", combo), 1);
  auto ids = search::ParamIds::load(*db_, *registry_);
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  EXPECT_EQ(rows("idx_token", combo), 0);
  EXPECT_EQ(id_set("Observation", "combo-code=8480-6"), (Set{"o1"})) << "the stale row is not read";
}

}  // namespace
