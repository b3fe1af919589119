#include "audit/api_log.hpp"
#include "audit/api_log_db.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/data_dir.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace std::chrono_literals;

struct Row {
  std::int64_t at_us;
  std::string method, route, path;
  std::int64_t status, duration_us;
  std::optional<std::string> client_id, user_id, patient_id, ip, request_body, response_body;
};

class ApiLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "data");
    auto opened = audit::open_api_log_db(dir_ / "data");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(*opened);
  }

  std::vector<Row> rows() {
    std::vector<Row> out;
    auto r = db_->reader();
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return out;
    sql::Query q(**r,
                 "SELECT at, method, route, path, status, duration_us, client_id, user_id, patient_id, ip, "
                 "request_body, response_body FROM api_log ORDER BY seq");
    auto opt = [&](int c) { return q.null_at(c) ? std::nullopt : std::optional<std::string>(q.string_at(c)); };
    while (true) {
      auto row = q.step();
      EXPECT_TRUE(row.ok());
      if (!row.ok() || !*row) break;
      out.push_back(Row{q.int_at(0), q.string_at(1), q.string_at(2), q.string_at(3), q.int_at(4), q.int_at(5),
                        opt(6), opt(7), opt(8), opt(9), opt(10), opt(11)});
    }
    return out;
  }

  static audit::ApiLogEntry entry(int i) {
    audit::ApiLogEntry e;
    e.at_us = 1'700'000'000'000'000 + i;
    e.method = "GET";
    e.route = "GET /{type}/{id}";
    e.path = "/Patient/" + std::to_string(i);
    e.status = 200;
    e.duration_us = 10 + i;
    return e;
  }

  test_support::TempDir dir_;
  std::unique_ptr<sql::Database> db_;
};

TEST_F(ApiLogTest, RecordAndFlushWriteEveryField) {
  audit::ApiLog log(*db_);
  audit::ApiLogEntry full;
  full.at_us = 1'712'345'678'901'234;
  full.method = "POST";
  full.route = "POST /{type}";
  full.path = "/Observation";
  full.status = 201;
  full.duration_us = 4321;
  full.client_id = "client-1";
  full.user_id = "user-'quoted'";
  full.patient_id = "pat-9";
  full.ip = "2001:db8::1";
  full.request_body = R"({"resourceType":"Observation"})";
  full.response_body = std::string("bytes\0inside", 12);
  log.record(full);
  log.record(entry(1));  // optional fields empty
  log.flush();

  const auto got = rows();
  ASSERT_EQ(got.size(), 2u);
  const Row& a = got[0];
  EXPECT_EQ(a.at_us, full.at_us);
  EXPECT_EQ(a.method, "POST");
  EXPECT_EQ(a.route, "POST /{type}");
  EXPECT_EQ(a.path, "/Observation");
  EXPECT_EQ(a.status, 201);
  EXPECT_EQ(a.duration_us, 4321);
  EXPECT_EQ(a.client_id, "client-1");
  EXPECT_EQ(a.user_id, "user-'quoted'");
  EXPECT_EQ(a.patient_id, "pat-9");
  EXPECT_EQ(a.ip, "2001:db8::1");
  EXPECT_EQ(a.request_body, full.request_body);
  EXPECT_EQ(a.response_body, full.response_body);

  const Row& b = got[1];
  EXPECT_EQ(b.path, "/Patient/1");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.duration_us, 11);
  // Empty optional fields are stored as NULL, not "".
  EXPECT_EQ(b.client_id, std::nullopt);
  EXPECT_EQ(b.user_id, std::nullopt);
  EXPECT_EQ(b.patient_id, std::nullopt);
  EXPECT_EQ(b.ip, std::nullopt);
  EXPECT_EQ(b.request_body, std::nullopt);
  EXPECT_EQ(b.response_body, std::nullopt);
  EXPECT_EQ(log.dropped(), 0u);
  EXPECT_EQ(log.write_errors(), 0u);
}

TEST_F(ApiLogTest, FlushWithNothingQueuedReturnsAndEntriesKeepTheirOrder) {
  audit::ApiLog log(*db_);
  log.flush();
  for (int i = 0; i < 30; ++i) {
    log.record(entry(i));
    if (i % 7 == 0) log.flush();
  }
  log.flush();
  const auto got = rows();
  ASSERT_EQ(got.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(got[i].path, "/Patient/" + std::to_string(i));
}

TEST_F(ApiLogTest, DestructorWritesWhatIsQueued) {
  {
    audit::ApiLog log(*db_);
    for (int i = 0; i < 25; ++i) log.record(entry(i));
  }
  EXPECT_EQ(rows().size(), 25u);
}

TEST_F(ApiLogTest, FullQueueDropsAndCountsWithoutBlocking) {
  constexpr std::size_t kMaxQueue = 3;
  constexpr int kTotal = 11;
  audit::ApiLog log(*db_, kMaxQueue);
  {
    auto held = db_->writer();  // the background writer cannot write while the test holds this
    ASSERT_TRUE(held.ok());
    const auto started = std::chrono::steady_clock::now();
    log.record(entry(0));
    std::this_thread::sleep_for(20ms);  // usually lets the worker take entry 0 and block on writer()
    for (int i = 1; i < kTotal; ++i) log.record(entry(i));
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "record() blocked on the database";
    // At most one batch (<= kMaxQueue) is in the worker's hands and kMaxQueue wait in the queue.
    EXPECT_GE(log.dropped(), static_cast<std::uint64_t>(kTotal - 2 * kMaxQueue));
    EXPECT_LE(log.dropped(), static_cast<std::uint64_t>(kTotal - kMaxQueue));
    EXPECT_TRUE(rows().empty());
  }  // release the writer
  log.flush();
  const auto got = rows();
  EXPECT_EQ(got.size() + log.dropped(), static_cast<std::size_t>(kTotal));
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front().path, "/Patient/0");
  EXPECT_EQ(log.write_errors(), 0u);

  // Once drained, the queue accepts entries again.
  const auto dropped_before = log.dropped();
  log.record(entry(100));
  log.flush();
  EXPECT_EQ(log.dropped(), dropped_before);
  EXPECT_EQ(rows().back().path, "/Patient/100");
}

TEST_F(ApiLogTest, ConcurrentRecordersLoseNothing) {
  constexpr int kThreads = 4, kEach = 50;
  audit::ApiLog log(*db_);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kEach; ++i) log.record(entry(t * 1000 + i));
    });
  }
  for (auto& th : threads) th.join();
  log.flush();
  EXPECT_EQ(rows().size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(log.dropped(), 0u);
}

TEST_F(ApiLogTest, DatabaseErrorsAreCountedPerEntry) {
  {
    auto w = db_->writer();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("DROP TABLE api_log").ok());
  }
  audit::ApiLog log(*db_);
  log.record(entry(1));
  log.record(entry(2));
  log.flush();
  EXPECT_EQ(log.write_errors(), 2u);
  EXPECT_EQ(log.dropped(), 0u);
}

TEST_F(ApiLogTest, LargeBatchesKeepEveryRowItsFieldsAndOrder) {
  // Written 32 rows to a statement, the rest one by one: 100 recorded at once cross both.
  audit::ApiLog log(*db_);
  for (int i = 0; i < 100; ++i) {
    auto e = entry(i);
    if (i % 3 == 0) e.client_id = "c" + std::to_string(i);
    if (i == 40) e.response_body = std::string("x\0y", 3);
    log.record(e);
  }
  log.flush();
  const auto got = rows();
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(got[i].path, "/Patient/" + std::to_string(i));
    EXPECT_EQ(got[i].duration_us, 10 + i);
    EXPECT_EQ(got[i].client_id, i % 3 == 0 ? std::optional<std::string>("c" + std::to_string(i)) : std::nullopt) << i;
  }
  EXPECT_EQ(got[40].response_body, std::string("x\0y", 3));
  EXPECT_EQ(got[41].response_body, std::nullopt);
  EXPECT_EQ(log.write_errors(), 0u);
}

TEST_F(ApiLogTest, DatabaseErrorsAreCountedPerEntryInLargeBatches) {
  {
    auto w = db_->writer();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->exec("DROP TABLE api_log").ok());
  }
  audit::ApiLog log(*db_);
  for (int i = 0; i < 70; ++i) log.record(entry(i));
  log.flush();
  EXPECT_EQ(log.write_errors(), 70u);
}

}  // namespace
