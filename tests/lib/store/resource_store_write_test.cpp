#include "store/resource_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include "resource_store_fixture.hpp"

namespace {

using namespace store_test;
using base::ErrorCode;
using base::Json;

TEST_F(ResourceStoreTest, WriteCallbackErrorRollsBackEverything) {
  auto existing = rs_->create("Patient", patient("keep"));
  ASSERT_TRUE(existing.ok());
  const std::string eid = existing->resource.id;
  std::string created_id;
  auto s = rs_->write([&](store::WriteTx& tx) -> base::Status {
    auto a = tx.create("Patient", patient("new"));
    if (!a.ok()) return std::move(a).error();
    created_id = a->resource.id;
    if (auto u = tx.update("Patient", eid, patient("changed")); !u.ok()) return std::move(u).error();
    if (auto d = tx.remove("Patient", eid); !d.ok()) return std::move(d).error();
    auto seen = tx.read("Patient", created_id);  // the transaction sees its own writes
    EXPECT_TRUE(seen.ok());
    return base::make_error(ErrorCode::unprocessable, "changed my mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::unprocessable);
  EXPECT_EQ(s.error().message, "changed my mind");
  EXPECT_EQ(code_of(rs_->read("Patient", created_id)), "not_found");
  auto r = rs_->read("Patient", eid);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->json, existing->resource.json);
  EXPECT_EQ(history({}).total, 1);
}

TEST_F(ResourceStoreTest, WriteCommitsSeveralWritesTogether) {
  std::vector<store::WriteResult> results;
  auto s = rs_->write([&](store::WriteTx& tx) -> base::Status {
    for (const char* id : {"one", "two"}) {
      auto r = tx.create("Patient", patient(id), id);
      if (!r.ok()) return std::move(r).error();
      results.push_back(*r);
    }
    auto u = tx.update("Patient", "one", patient("one-b"));
    if (!u.ok()) return std::move(u).error();
    results.push_back(*u);
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].resource.last_updated_us, results[2].resource.last_updated_us);
  EXPECT_EQ(version_of(rs_->read("Patient", "one")), 2);
  EXPECT_EQ(version_of(rs_->read("Patient", "two")), 1);
}

TEST_F(ResourceStoreTest, CreateWithExistingIdIsConflict) {
  ASSERT_TRUE(rs_->update("Patient", "taken", patient("a")).ok());
  auto s = rs_->write([&](store::WriteTx& tx) -> base::Status {
    if (auto ok = tx.create("Patient", patient("b"), "fresh"); !ok.ok()) return std::move(ok).error();
    auto r = tx.create("Patient", patient("c"), "taken");
    EXPECT_FALSE(r.ok());
    if (!r.ok()) return std::move(r).error();
    return {};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::conflict);
  EXPECT_EQ(code_of(rs_->read("Patient", "fresh")), "not_found");
  EXPECT_EQ(version_of(rs_->read("Patient", "taken")), 1);
  // The same id under another type is a different resource.
  EXPECT_TRUE(rs_->write([&](store::WriteTx& tx) -> base::Status {
                   auto r = tx.create("Observation", Json::object(), "taken");
                   return r.ok() ? base::Status{} : std::move(r).error();
                 }).ok());
}

struct RecordingHook final : store::WriteHook {
  struct Call {
    std::int64_t rid;
    store::StoredResource resource;
    std::int64_t version_in_tx;
    bool reader_saw_it;
    std::optional<std::string> parsed_dump;  // the parsed JSON handed to the hook, re-serialised
  };
  explicit RecordingHook(sql::Database& db) : db_(db) {}
  base::Status on_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& r,
                        const Json* parsed) override {
    Call call{rid, r, -1, false, parsed ? std::optional<std::string>(base::dump_compact(*parsed)) : std::nullopt};
    sql::Query q(conn, "SELECT version FROM resources WHERE rid = ?");
    q.bind(rid);
    if (auto row = q.step(); row.ok() && *row) call.version_in_tx = q.int_at(0);
    if (auto reader = db_.reader(); reader.ok()) {  // outside the transaction
      sql::Query rq(**reader, "SELECT COUNT(*) FROM resource_history WHERE rid = ? AND version = ?");
      rq.bind_all(rid, r.version);
      if (auto row = rq.step(); row.ok() && *row) call.reader_saw_it = rq.int_at(0) > 0;
    }
    calls.push_back(call);
    if (fail) return base::make_error(ErrorCode::unprocessable, "hook says no");
    return {};
  }
  sql::Database& db_;
  std::vector<Call> calls;
  bool fail = false;
};

TEST_F(ResourceStoreTest, WriteHookRunsInsideTheTransaction) {
  RecordingHook hook(*db_);
  rs_->add_hook(&hook);
  auto c = rs_->create("Patient", patient("a"));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(rs_->update("Patient", c->resource.id, patient("b")).ok());
  ASSERT_TRUE(rs_->remove("Patient", c->resource.id).ok());
  ASSERT_TRUE(rs_->remove("Patient", c->resource.id).ok());  // no-op: no hook call
  ASSERT_EQ(hook.calls.size(), 3u);
  auto conn = db_->reader();
  ASSERT_TRUE(conn.ok());
  sql::Query q(**conn, "SELECT rid FROM resources WHERE id = ?");
  q.bind(c->resource.id);
  auto row = q.step();
  ASSERT_TRUE(row.ok() && *row);
  for (std::size_t i = 0; i < hook.calls.size(); ++i) {
    const auto& call = hook.calls[i];
    EXPECT_EQ(call.rid, q.int_at(0));
    EXPECT_EQ(call.resource.id, c->resource.id);
    EXPECT_EQ(call.resource.version, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(call.version_in_tx, call.resource.version);  // sees the row being written
    EXPECT_FALSE(call.reader_saw_it);                       // not committed yet
  }
  EXPECT_EQ(hook.calls[0].resource.json, c->resource.json);
  EXPECT_EQ(hook.calls[0].parsed_dump, c->resource.json);
  EXPECT_EQ(hook.calls[1].parsed_dump, hook.calls[1].resource.json);
  EXPECT_TRUE(hook.calls[2].resource.deleted);
  EXPECT_EQ(hook.calls[2].parsed_dump, std::nullopt);
}

TEST_F(ResourceStoreTest, WriteHookErrorAbortsTheWrite) {
  RecordingHook hook(*db_);
  rs_->add_hook(&hook);
  ASSERT_TRUE(rs_->update("Patient", "p1", patient("a")).ok());
  hook.fail = true;
  auto c = rs_->create("Patient", patient("b"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::unprocessable);
  auto u = rs_->update("Patient", "p1", patient("changed"));
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().message, "hook says no");
  auto d = rs_->remove("Patient", "p1");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(hook.calls.size(), 4u);
  auto r = rs_->read("Patient", "p1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(history({}).total, 1);
  EXPECT_EQ(history({.type = "Patient"}).entries.size(), 1u);
}

TEST_F(ResourceStoreTest, ConcurrentWritersAndReaders) {
  constexpr int kWriters = 4, kUpdates = 50, kReaders = 4;
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const std::string id = "res-" + std::to_string(w);
      for (int i = 0; i < kUpdates; ++i) {
        auto r = rs_->update("Patient", id, patient(std::to_string(i)));
        if (!r.ok() || r->resource.version != i + 1) ++errors;
      }
    });
  }
  for (int t = 0; t < kReaders; ++t) {
    threads.emplace_back([&] {
      std::vector<std::int64_t> last(kWriters, 0);
      while (!done.load()) {
        for (int w = 0; w < kWriters; ++w) {
          auto r = rs_->read("Patient", "res-" + std::to_string(w));
          if (!r.ok()) {
            if (r.error().code != ErrorCode::not_found || last[w] != 0) ++errors;
            continue;
          }
          const Json j = Json::parse(r->json, nullptr, /*allow_exceptions=*/false);
          if (r->version < last[w] || j.is_discarded() || j["meta"]["versionId"] != std::to_string(r->version)) {
            ADD_FAILURE() << "res-" << w << " read version " << r->version << " after " << last[w]
                          << ", json: \"" << r->json << "\"";
            ++errors;
          }
          last[w] = r->version;
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  done = true;
  for (std::size_t t = kWriters; t < threads.size(); ++t) threads[t].join();
  EXPECT_EQ(errors.load(), 0);
  for (int w = 0; w < kWriters; ++w) {
    auto r = rs_->read("Patient", "res-" + std::to_string(w));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->version, kUpdates);
    EXPECT_EQ(Json::parse(r->json)["name"][0]["family"], std::to_string(kUpdates - 1));
  }
  EXPECT_EQ(history({.type = "Patient", .id = "res-0"}).total, kUpdates);
  EXPECT_EQ(history({}).total, kWriters * kUpdates);
}

}  // namespace
