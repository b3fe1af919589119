#include "batch.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "output.hpp"
#include "progress.hpp"

namespace ccdgen {
namespace {

constexpr int kIdBatch = 1000;
constexpr std::int64_t kMaxReported = 100;

// Hands out patient ids to the workers, reading the next batch from the source when it runs out.
class Feeder {
 public:
  explicit Feeder(std::unique_ptr<Reader> reader) : reader_(std::move(reader)) {}

  std::optional<std::string> next() {
    std::lock_guard lock(mu_);
    if (queue_.empty() && !done_) {
      auto ids = reader_->patient_ids(last_, kIdBatch);
      if (!ids.ok()) {
        error_ = ids.error().message;
        done_ = true;
      } else if (ids->empty()) {
        done_ = true;
      } else {
        last_ = ids->back();
        for (auto& id : *ids) queue_.push_back(std::move(id));
      }
    }
    if (queue_.empty()) return std::nullopt;
    std::string id = std::move(queue_.front());
    queue_.pop_front();
    return id;
  }
  std::string error() {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  std::unique_ptr<Reader> reader_;
  std::mutex mu_;
  std::deque<std::string> queue_;
  std::string last_;
  bool done_ = false;
  std::string error_;
};

}  // namespace

BatchSummary run_batch(Source& source, const DocumentMaker& maker, const BatchOptions& options) {
  BatchSummary summary;
  const auto start = std::chrono::steady_clock::now();
  auto total = source.patient_count();
  auto feeder_reader = source.reader();
  if (!total.ok() || !feeder_reader.ok()) {
    std::fprintf(stderr, "ccd-gen: cannot list patients: %s\n",
                 (!total.ok() ? total.error() : feeder_reader.error()).message.c_str());
    summary.aborted = true;
    return summary;
  }
  Feeder feeder(std::move(*feeder_reader));
  ProgressBar bar(*total, options.progress);
  std::atomic<std::int64_t> written{0}, failed{0};
  std::mutex report_mu;  // stderr: failure messages and the bar
  std::atomic<int> running{options.jobs};
  std::mutex done_mu;
  std::condition_variable done_cv;

  auto report = [&](const std::string& message) {
    std::lock_guard lock(report_mu);
    const auto n = failed.load();
    if (n > kMaxReported + 1) return;
    bar.clear();
    if (n == kMaxReported + 1) std::fprintf(stderr, "ccd-gen: more failures follow; only their count is shown\n");
    else std::fprintf(stderr, "ccd-gen: %s\n", message.c_str());
  };

  auto worker = [&] {
    auto reader = source.reader();
    if (!reader.ok()) {
      report("cannot open a database connection: " + reader.error().message);
    } else {
      while (auto id = feeder.next()) {
        auto name = document_file_name(*id, options.html);
        auto doc = name.ok() ? maker.make(**reader, *id) : base::Result<std::string>(name.error());
        base::Status s = doc.ok() ? write_file(options.out_dir / *name, *doc) : base::Status(doc.error());
        if (s.ok()) {
          written.fetch_add(1, std::memory_order_relaxed);
        } else {
          failed.fetch_add(1, std::memory_order_relaxed);
          report("patient " + *id + ": " + s.error().message);
        }
      }
    }
    if (running.fetch_sub(1) == 1) {
      std::lock_guard lock(done_mu);
      done_cv.notify_all();
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(options.jobs));
  for (int i = 0; i < options.jobs; ++i) threads.emplace_back(worker);
  {
    std::unique_lock lock(done_mu);
    while (!done_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return running.load() == 0; })) {
      std::lock_guard r(report_mu);
      bar.draw(written.load(), failed.load());
    }
  }
  for (auto& t : threads) t.join();
  {
    std::lock_guard r(report_mu);
    bar.draw(written.load(), failed.load());
    if (bar.enabled()) std::fputc('\n', stderr);
  }
  if (auto e = feeder.error(); !e.empty()) {
    std::fprintf(stderr, "ccd-gen: listing patients failed: %s\n", e.c_str());
    summary.aborted = true;
  }
  summary.written = written.load();
  summary.failed = failed.load();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace ccdgen
