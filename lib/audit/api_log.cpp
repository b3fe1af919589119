#include "audit/api_log.hpp"

#include "sql/multi_insert.hpp"

namespace audit {

ApiLog::ApiLog(sql::Database& db, std::size_t max_queue) : db_(db), max_queue_(max_queue) {
  worker_ = std::thread([this] { run(); });
}

ApiLog::~ApiLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void ApiLog::record(ApiLogEntry entry) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queue_) {
      dropped_.fetch_add(1);
      return;
    }
    queue_.push_back(std::move(entry));
    ++enqueued_;
    // No wake-up per request (a futex call and a context switch each): the writer wakes on its
    // own every kWriteInterval, or now when a batch's worth is waiting.
    if (queue_.size() != kWakeBatch) return;
  }
  cv_.notify_one();
}

void ApiLog::flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = enqueued_;
  ++flush_waiters_;
  cv_.notify_one();
  flushed_cv_.wait(lock, [&] { return written_ >= target; });
  --flush_waiters_;
}

void ApiLog::run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait_for(lock, kWriteInterval,
                 [&] { return stopping_ || queue_.size() >= kWakeBatch || (flush_waiters_ > 0 && !queue_.empty()); });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    std::deque<ApiLogEntry> batch;
    batch.swap(queue_);
    lock.unlock();
    const auto n = batch.size();
    write_batch(batch);
    lock.lock();
    written_ += n;
    flushed_cv_.notify_all();
  }
}

void ApiLog::write_batch(std::deque<ApiLogEntry>& batch) {
  auto conn = db_.writer();
  if (!conn) {
    write_errors_.fetch_add(batch.size());
    return;
  }
  sql::Transaction tx(**conn);
  if (!tx.begin_status().ok()) {
    write_errors_.fetch_add(batch.size());
    return;
  }
  static const sql::MultiInsert kInsert(
      "INSERT INTO api_log (at, method, route, path, status, duration_us, client_id, user_id, patient_id, ip, "
      "request_body, response_body)",
      12);
  std::size_t written = 0;
  const auto s = kInsert.run(**conn, batch, [](sql::Query& q, const ApiLogEntry& e) {
    q.bind_all(e.at_us, e.method, e.route, e.path, e.status, e.duration_us);
    for (const std::string* v : {&e.client_id, &e.user_id, &e.patient_id, &e.ip, &e.request_body,
                                 &e.response_body}) {
      if (v->empty()) q.bind_null(); else q.bind(*v);
    }
  }, &written);
  // A failed statement stops the batch: its rows and the ones after it count as not written.
  if (!s.ok()) write_errors_.fetch_add(batch.size() - written);
  if (!tx.commit().ok()) write_errors_.fetch_add(batch.size());
}

}  // namespace audit
