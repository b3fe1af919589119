#include "sql/wal_checkpointer.hpp"

#include <sqlite3.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace sql {

struct WalCheckpointer::Impl {
  sqlite3* db = nullptr;
  std::mutex mu;
  std::condition_variable cv;
  bool poked = false;
  bool stop = false;
  std::atomic<double> cpu{0};
  std::thread thread;

  ~Impl() {
    halt();
    sqlite3_close_v2(db);
  }

  void halt() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_one();
    if (thread.joinable()) thread.join();
  }

  void run() {
    while (true) {
      {
        std::unique_lock lock(mu);
        cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return stop || poked; });
        if (stop) return;
        poked = false;
      }
      // Busy (the writer is checkpointing itself) or failed: the next round tries again; the
      // writer's own checkpoints and the load's final one do not depend on this one.
      int log_frames = 0, copied = 0;
      (void)sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
      rusage u{};
      if (getrusage(RUSAGE_THREAD, &u) == 0) {
        cpu = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
              static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
      }
    }
  }
};

WalCheckpointer::WalCheckpointer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WalCheckpointer::~WalCheckpointer() = default;

base::Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::filesystem::path& db_file,
                                                                      bool sync) {
  auto impl = std::make_unique<Impl>();
  const int rc = sqlite3_open_v2(db_file.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    return base::internal_error("cannot open " + db_file.string() + " to checkpoint it: " +
                                (impl->db ? sqlite3_errmsg(impl->db) : sqlite3_errstr(rc)));
  }
  const std::string pragmas = std::string("PRAGMA synchronous=") + (sync ? "NORMAL" : "OFF") +
                              "; PRAGMA mmap_size=17179869184;";
  if (sqlite3_exec(impl->db, pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return base::internal_error("cannot set up the checkpoint connection: " + std::string(sqlite3_errmsg(impl->db)));
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(impl)));
}

void WalCheckpointer::poke() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->poked = true;
  }
  impl_->cv.notify_one();
}

double WalCheckpointer::cpu_seconds() const { return impl_->cpu.load(); }

void WalCheckpointer::stop() { impl_->halt(); }

base::Status WalCheckpointer::sync() {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(impl_->db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || file == nullptr ||
      file->pMethods == nullptr) {
    return base::internal_error("cannot reach the database file to sync it");
  }
  const int rc = file->pMethods->xSync(file, SQLITE_SYNC_FULL);
  if (rc != SQLITE_OK) return base::internal_error(std::string("cannot sync the database file: ") + sqlite3_errstr(rc));
  return {};
}

}  // namespace sql
