#pragma once
// The API log (SPEC.md "apiLog"): every request recorded asynchronously in the api_log table.
// Request handling never waits for the database: entries go to a bounded queue that one
// background thread writes in batches. Tokens are never recorded (callers pass no headers).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "sql/database.hpp"

namespace audit {

struct ApiLogEntry {
  std::int64_t at_us = 0;
  std::string method;
  std::string route;  // route pattern, e.g. "GET /{type}/{id}"
  std::string path;   // request path without the query string
  int status = 0;
  std::int64_t duration_us = 0;
  std::string client_id;
  std::string user_id;
  std::string patient_id;
  std::string ip;
  std::string request_body;   // only filled in `full` mode
  std::string response_body;  // only filled in `full` mode
};

class ApiLog {
 public:
  explicit ApiLog(sql::Database& db, std::size_t max_queue = 100000);
  ~ApiLog();  // writes what is queued, then stops
  ApiLog(const ApiLog&) = delete;
  ApiLog& operator=(const ApiLog&) = delete;

  // Queues an entry; never blocks on the database. When the queue is full the entry is dropped
  // and counted (see dropped()).
  void record(ApiLogEntry entry);
  // Blocks until every entry queued before the call is written.
  void flush();
  std::uint64_t dropped() const { return dropped_.load(); }
  std::uint64_t write_errors() const { return write_errors_.load(); }

 private:
  // The writer thread writes what is queued every kWriteInterval, or as soon as kWakeBatch
  // entries wait, or on flush() and at shutdown.
  static constexpr std::chrono::milliseconds kWriteInterval{50};
  static constexpr std::size_t kWakeBatch = 2048;

  void run();
  void write_batch(std::deque<ApiLogEntry>& batch);

  sql::Database& db_;
  std::size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable flushed_cv_;
  std::deque<ApiLogEntry> queue_;
  std::uint64_t enqueued_ = 0;
  std::uint64_t written_ = 0;
  int flush_waiters_ = 0;
  bool stopping_ = false;
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  std::thread worker_;
};

}  // namespace audit
