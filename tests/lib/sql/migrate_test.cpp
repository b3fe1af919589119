#include "sql/migrate.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/fhir_time.hpp"
#include "sql/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace {

const sql::Migration kCreate{1, "001_create", "CREATE TABLE a (x INTEGER NOT NULL);"};
// Depends on 001: only works when applied after it.
const sql::Migration kSeed{2, "002_seed",
                           "INSERT INTO a (x) VALUES (1); CREATE TABLE b (y TEXT); "
                           "INSERT INTO b (y) VALUES ('seeded');"};
const sql::Migration kAlter{3, "003_alter", "ALTER TABLE a ADD COLUMN z TEXT; CREATE INDEX a_z ON a (z);"};
const sql::Migration kFourth{4, "004_more", "INSERT INTO a (x, z) VALUES (4, 'four');"};
// Creates a table, then fails: the table must not survive.
const sql::Migration kBroken{3, "003_broken",
                             "CREATE TABLE partial (p INTEGER); INSERT INTO nowhere VALUES (1);"};

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = sql::open_sqlite(dir_ / "m.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(*opened);
  }

  base::Status migrate(const std::vector<sql::Migration>& ms) {
    auto w = db_->writer();
    if (!w.ok()) return std::move(w).error();
    return sql::migrate(**w, ms);
  }

  std::int64_t scalar(const std::string& sql_text) {
    auto r = db_->reader();
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return -1;
    sql::Query q(**r, sql_text);
    auto row = q.step();
    EXPECT_TRUE(row.ok() && *row) << sql_text;
    return row.ok() && *row ? q.int_at(0) : -1;
  }

  bool table_exists(const std::string& name) {
    return scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'") == 1;
  }

  // (version, name) rows of schema_migrations in version order.
  std::vector<std::pair<std::int64_t, std::string>> applied() {
    std::vector<std::pair<std::int64_t, std::string>> out;
    auto r = db_->reader();
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return out;
    sql::Query q(**r, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    while (true) {
      auto row = q.step();
      EXPECT_TRUE(row.ok());
      if (!row.ok() || !*row) break;
      EXPECT_TRUE(base::parse_instant(q.text_at(2)).ok()) << q.text_at(2);
      out.emplace_back(q.int_at(0), q.string_at(1));
    }
    return out;
  }

  using Applied = std::vector<std::pair<std::int64_t, std::string>>;

  test_support::TempDir dir_;
  std::unique_ptr<sql::Database> db_;
};

TEST_F(MigrateTest, EmptyListOnFreshDatabaseCreatesBookkeeping) {
  ASSERT_TRUE(migrate({}).ok());
  EXPECT_TRUE(table_exists("schema_migrations"));
  EXPECT_TRUE(applied().empty());
}

TEST_F(MigrateTest, AppliesInOrderAndRecordsEach) {
  auto s = migrate({kCreate, kSeed, kAlter});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(applied(), (Applied{{1, "001_create"}, {2, "002_seed"}, {3, "003_alter"}}));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM b"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a WHERE z IS NULL"), 1);  // column z exists
}

TEST_F(MigrateTest, RerunIsANoOp) {
  ASSERT_TRUE(migrate({kCreate, kSeed}).ok());
  ASSERT_TRUE(migrate({kCreate, kSeed}).ok());
  ASSERT_TRUE(migrate({kCreate, kSeed}).ok());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a"), 1);  // the seed ran once
  EXPECT_EQ(applied(), (Applied{{1, "001_create"}, {2, "002_seed"}}));
}

TEST_F(MigrateTest, LaterRunAppliesOnlyTheNewOnes) {
  ASSERT_TRUE(migrate({kCreate, kSeed}).ok());
  auto s = migrate({kCreate, kSeed, kAlter, kFourth});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a WHERE z = 'four'"), 1);
  EXPECT_EQ(applied().size(), 4u);
}

TEST_F(MigrateTest, StateSurvivesReopening) {
  ASSERT_TRUE(migrate({kCreate, kSeed}).ok());
  db_.reset();
  auto reopened = sql::open_sqlite(dir_ / "m.db");
  ASSERT_TRUE(reopened.ok());
  db_ = std::move(*reopened);
  ASSERT_TRUE(migrate({kCreate, kSeed}).ok());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a"), 1);
}

TEST_F(MigrateTest, FailureKeepsEarlierMigrationsAndNamesTheFailedOne) {
  const sql::Migration after_broken{4, "004_after", "CREATE TABLE after_broken (q INTEGER);"};
  auto s = migrate({kCreate, kSeed, kBroken, after_broken});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, base::ErrorCode::internal);
  EXPECT_NE(s.error().message.find("003_broken"), std::string::npos) << s.error().message;
  // 001 and 002 stay applied; 003 is rolled back as a whole; 004 was never attempted.
  EXPECT_EQ(applied(), (Applied{{1, "001_create"}, {2, "002_seed"}}));
  EXPECT_TRUE(table_exists("a"));
  EXPECT_TRUE(table_exists("b"));
  EXPECT_FALSE(table_exists("partial"));
  EXPECT_FALSE(table_exists("after_broken"));

  // The writer connection is left usable (no dangling transaction), and a fixed 003 applies.
  auto fixed = migrate({kCreate, kSeed, kAlter, after_broken});
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(applied().size(), 4u);
  EXPECT_TRUE(table_exists("after_broken"));
}

TEST_F(MigrateTest, FailureInTheFirstMigrationLeavesNothingApplied) {
  const sql::Migration bad{1, "001_bad", "CREATE TABLE ok1 (a INTEGER); THIS IS NOT SQL;"};
  auto s = migrate({bad});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("001_bad"), std::string::npos) << s.error().message;
  EXPECT_TRUE(applied().empty());
  EXPECT_FALSE(table_exists("ok1"));
}

TEST_F(MigrateTest, DatabaseNewerThanProgramIsConflict) {
  ASSERT_TRUE(migrate({kCreate, kSeed, kAlter}).ok());
  auto s = migrate({kCreate, kSeed});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, base::ErrorCode::conflict);
  EXPECT_NE(s.error().message.find('3'), std::string::npos) << s.error().message;
  auto none = migrate({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, base::ErrorCode::conflict);
  // Nothing was touched.
  EXPECT_EQ(applied().size(), 3u);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM a"), 1);
}

}  // namespace

namespace {

// A module with its own numbering (lib/auth) records its versions in its own table, so its
// version 1 does not collide with the store's and a newer store does not look "newer" to it.
TEST_F(MigrateTest, ModuleSetsKeepTheirOwnTable) {
  ASSERT_TRUE(migrate({kCreate, kSeed, kAlter}).ok());
  const std::vector<sql::Migration> module = {{1, "001_mod", "CREATE TABLE mod_t (m INTEGER);"}};
  {
    auto w = db_->writer();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(sql::migrate(**w, module, "mod_schema_migrations").ok());
    ASSERT_TRUE(sql::migrate(**w, module, "mod_schema_migrations").ok());  // idempotent
    EXPECT_FALSE(sql::migrate(**w, module, "bad name; DROP TABLE a").ok());
  }
  EXPECT_TRUE(table_exists("mod_t"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM mod_schema_migrations"), 1);
  EXPECT_EQ(scalar("SELECT MAX(version) FROM schema_migrations"), 3);
  EXPECT_TRUE(table_exists("a"));
}

}  // namespace
