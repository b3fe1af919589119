#include "store/data_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

std::int64_t scalar(sql::Database& db, const std::string& sql_text) {
  auto r = db.reader();
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return -1;
  sql::Query q(**r, sql_text);
  auto row = q.step();
  EXPECT_TRUE(row.ok() && *row) << sql_text;
  return row.ok() && *row ? q.int_at(0) : -1;
}

TEST(DataDir, CreatesThePrivateDirectoryAndAppliesTheSchema) {
  test_support::TempDir tmp;
  const auto dir = tmp / "nested" / "data";
  auto db = store::open_data_dir(dir);
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE(fs::is_directory(dir));
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_TRUE(fs::exists(dir / "fhir.db"));
  EXPECT_GE(scalar(**db, "SELECT MIN(version) FROM schema_migrations"), 1);
  for (const char* table : {"resources", "resource_history", "settings", "search_param", "idx_token", "compartment"}) {
    EXPECT_EQ(scalar(**db, std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '") +
                               table + "'"),
              1)
        << table;
  }
}

TEST(DataDir, ReopeningKeepsDataAndDoesNotReapply) {
  test_support::TempDir tmp;
  std::int64_t applied = 0;
  {
    auto db = store::open_data_dir(tmp.path());
    ASSERT_TRUE(db.ok()) << db.error().message;
    applied = scalar(**db, "SELECT COUNT(*) FROM schema_migrations");
    EXPECT_GE(applied, 1);
    auto w = (*db)->writer();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("INSERT INTO settings (key, value, updated_at) VALUES ('api_log', 'off', 1)").ok());
  }
  auto db = store::open_data_dir(tmp.path());
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ(scalar(**db, "SELECT COUNT(*) FROM settings"), 1);
  EXPECT_EQ(scalar(**db, "SELECT COUNT(*) FROM schema_migrations"), applied);
  EXPECT_TRUE(store::migrate_schema(**db).ok());
  EXPECT_EQ(scalar(**db, "SELECT COUNT(*) FROM schema_migrations"), applied);
}

TEST(DataDir, PathThatIsAFileIsAnInternalErrorNamingIt) {
  test_support::TempDir tmp;
  const auto file = tmp / "not-a-dir";
  std::ofstream(file) << "x";
  auto db = store::open_data_dir(file);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, base::ErrorCode::internal);
  EXPECT_NE(db.error().message.find(file.string()), std::string::npos) << db.error().message;
}

TEST(DataDir, DatabaseNewerThanTheProgramIsConflict) {
  test_support::TempDir tmp;
  {
    auto db = store::open_data_dir(tmp.path());
    ASSERT_TRUE(db.ok());
    auto w = (*db)->writer();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("INSERT INTO schema_migrations (version, name, applied_at) "
                           "VALUES (999, '999_future', '2099-01-01T00:00:00.000Z')")
                    .ok());
  }
  auto db = store::open_data_dir(tmp.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, base::ErrorCode::conflict);
}

}  // namespace
