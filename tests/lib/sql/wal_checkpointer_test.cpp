// sql::WalCheckpointer copies committed WAL frames into the database file on its own thread;
// WalCheckpointer::sync. Observed through a copy of the database file alone (without its -wal): it holds
// the rows only once they were checkpointed.
#include "sql/wal_checkpointer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "sql/database.hpp"
#include "sql/sqlite.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = sql::open_sqlite(file_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(*opened);
    auto w = db_->writer();
    ASSERT_TRUE(w.ok());
    // No automatic checkpoint: only the helper thread copies frames into the file.
    ASSERT_TRUE((*w)->exec("PRAGMA wal_autocheckpoint=0; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)").ok());
    ASSERT_TRUE((*w)->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());  // the table itself is in the file
  }

  void insert_rows(int n) {
    auto w = db_->writer();
    ASSERT_TRUE(w.ok());
    sql::Transaction tx(**w);
    ASSERT_TRUE(tx.begin_status().ok());
    for (int i = 0; i < n; ++i) {
      sql::Query q(**w, "INSERT INTO t (v) VALUES (?)");
      q.bind(std::string(200, 'x'));
      ASSERT_TRUE(q.run().ok());
    }
    ASSERT_TRUE(tx.commit().ok());
  }

  // Rows in the database file alone, read from a copy of it without the WAL; -1 when that copy
  // cannot be read (taken in the middle of a checkpoint: the callers poll).
  std::int64_t rows_in_file() {
    const auto copy = dir_ / ("copy-" + std::to_string(++copies_) + ".db");
    std::filesystem::copy_file(file_, copy);
    auto opened = sql::open_sqlite(copy);
    if (!opened.ok()) return -1;
    auto r = (*opened)->reader();
    if (!r.ok()) return -1;
    sql::Query q(**r, "SELECT COUNT(*) FROM t");
    auto row = q.step();
    return row.ok() && *row ? q.int_at(0) : -1;
  }

  test_support::TempDir dir_{"fhir-wal-checkpointer-test"};
  std::filesystem::path file_ = dir_ / "test.db";
  std::unique_ptr<sql::Database> db_;
  int copies_ = 0;
};

TEST_F(WalCheckpointerTest, CopiesCommittedFramesIntoTheFileWhenPoked) {
  insert_rows(500);
  EXPECT_EQ(rows_in_file(), 0) << "nothing checkpointed yet";
  auto cp = sql::WalCheckpointer::start(file_, false);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  (*cp)->poke();
  std::int64_t seen = 0;
  for (int i = 0; i < 100 && seen != 500; ++i) {
    std::this_thread::sleep_for(20ms);
    seen = rows_in_file();
  }
  EXPECT_EQ(seen, 500);

  insert_rows(300);  // and again, for what was committed after the first copy
  (*cp)->poke();
  for (int i = 0; i < 100 && seen != 800; ++i) {
    std::this_thread::sleep_for(20ms);
    seen = rows_in_file();
  }
  EXPECT_EQ(seen, 800);
  EXPECT_GE((*cp)->cpu_seconds(), 0.0);
  cp->reset();  // stops the thread; the database goes on as before
  insert_rows(1);
  auto r = db_->reader();
  ASSERT_TRUE(r.ok());
  sql::Query q(**r, "SELECT COUNT(*) FROM t");
  ASSERT_TRUE(*q.step());
  EXPECT_EQ(q.int_at(0), 801);
}

TEST_F(WalCheckpointerTest, AMissingFileIsAnErrorNotAThread) {
  auto cp = sql::WalCheckpointer::start(dir_ / "no-such-dir" / "x.db", true);
  ASSERT_FALSE(cp.ok());
  EXPECT_EQ(cp.error().code, base::ErrorCode::internal);
  EXPECT_NE(cp.error().message.find("no-such-dir"), std::string::npos) << cp.error().message;
}

TEST_F(WalCheckpointerTest, SyncAfterStopLeavesTheDatabaseUsable) {
  insert_rows(10);
  auto cp = sql::WalCheckpointer::start(file_, false);
  ASSERT_TRUE(cp.ok()) << cp.error().message;
  (*cp)->stop();
  EXPECT_TRUE((*cp)->sync().ok());
  cp->reset();
  // The database goes on as before. (Across processes, a plain open and close of the file
  // dropped this process's locks: e2e.SmartE2E's admin beside a running server caught that.)
  insert_rows(5);
  auto w = db_->writer();
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE((*w)->exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  EXPECT_EQ(rows_in_file(), 15);
}

}  // namespace
