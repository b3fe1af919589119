#include "sql/sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sql {
namespace {

base::Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  auto code = (primary == SQLITE_CONSTRAINT || primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
                  ? base::ErrorCode::conflict
                  : base::ErrorCode::internal;
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return base::make_error(code, std::move(msg));
}

class SqliteStatement final : public Statement {
 public:
  std::uint64_t last_used = 0;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void bind_int(int index, std::int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void bind_text(int index, std::string_view value) override {
    // A default string_view has data() == nullptr, which SQLite would bind as NULL, not ''.
    sqlite3_bind_text64(stmt_, index, value.data() ? value.data() : "", value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void bind_text_static(int index, std::string_view value) override {
    sqlite3_bind_text64(stmt_, index, value.data() ? value.data() : "", value.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  void bind_null(int index) override { sqlite3_bind_null(stmt_, index); }
  void bind_real(int index, double value) override { sqlite3_bind_double(stmt_, index, value); }

  base::Result<bool> step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, rc, "sqlite step");
  }
  std::int64_t column_int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double column_real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string_view column_text(int column) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!p) return {};
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  bool column_is_null(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }

  base::Result<Statement*> prepare(std::string_view sql) override {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      it->second->last_used = ++tick_;
      return it->second.get();
    }
    if (cache_.size() >= kMaxCached) evict();
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, "sqlite prepare");
    auto owned = std::make_unique<SqliteStatement>(db_, stmt);
    owned->last_used = ++tick_;
    Statement* raw = owned.get();
    cache_.emplace(std::string(sql), std::move(owned));
    return raw;
  }

  base::Status exec(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      auto e = sqlite_error(nullptr, rc, "sqlite exec");
      e.message = "sqlite exec: " + msg;
      return e;
    }
    return {};
  }

  std::int64_t changes() const override { return sqlite3_changes64(db_); }

  // Bounds the cache: search SQL varies with the query's shape, so without a bound a client could
  // grow memory with ordinary URLs. Drops the least recently used quarter not in use.
  void evict() {
    std::vector<std::pair<std::uint64_t, const std::string*>> idle;
    for (const auto& [sql, stmt] : cache_) {
      if (!stmt->in_use) idle.emplace_back(stmt->last_used, &sql);
    }
    std::sort(idle.begin(), idle.end());
    const std::size_t drop = std::max<std::size_t>(1, kMaxCached / 4);
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < idle.size() && i < drop; ++i) keys.push_back(*idle[i].second);
    for (const auto& k : keys) cache_.erase(k);
  }
  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  sqlite3* db_;
  // Transparent hashing: lookups by string_view do not allocate on the hot path.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, Hash, std::equal_to<>> cache_;
  static constexpr std::size_t kMaxCached = 256;
  std::uint64_t tick_ = 0;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::filesystem::path path, SqliteOptions options)
      : path_(std::move(path)), options_(options) {}

  base::Status init() {
    auto w = open_connection(false);
    if (!w) return std::move(w).error();
    writer_ = std::move(*w);
    return {};
  }

  base::Result<Lease> reader() override {
    {
      std::lock_guard lock(pool_mu_);
      if (!idle_readers_.empty()) {
        Connection* c = idle_readers_.back();
        idle_readers_.pop_back();
        return make_reader_lease(c);
      }
    }
    auto c = open_connection(true);
    if (!c) return std::move(c).error();
    Connection* raw = c->get();
    {
      std::lock_guard lock(pool_mu_);
      all_readers_.push_back(std::move(*c));
    }
    return make_reader_lease(raw);
  }

  base::Result<Lease> writer() override {
    std::unique_lock lock(writer_mu_);
    writer_cv_.wait(lock, [&] { return !writer_busy_; });
    writer_busy_ = true;
    return Lease(writer_.get(), [this](Connection*) {
      {
        std::lock_guard l(writer_mu_);
        writer_busy_ = false;
      }
      writer_cv_.notify_one();
    });
  }

  Dialect dialect() const override { return Dialect::sqlite; }

 private:
  Lease make_reader_lease(Connection* c) {
    return Lease(c, [this](Connection* conn) {
      std::lock_guard lock(pool_mu_);
      idle_readers_.push_back(conn);
    });
  }

  base::Result<std::unique_ptr<Connection>> open_connection(bool read_only) {
    sqlite3* db = nullptr;
    const int flags = (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) |
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path_.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
      auto e = sqlite_error(db, rc, "cannot open database " + path_.string());
      sqlite3_close_v2(db);
      return e;
    }
    sqlite3_busy_timeout(db, options_.busy_timeout_ms);
    auto conn = std::make_unique<SqliteConnection>(db);
    // mmap: readers share the OS page cache instead of copying pages with pread into each
    // connection's own cache (the resource database is read far more than written).
    std::string pragmas =
        "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000; PRAGMA mmap_size=17179869184;";
    if (!read_only) {
      // A new database gets 16 KiB pages (before WAL mode fixes the size; an existing database
      // keeps its own): a bulk import's writer spent 12 % less CPU than with 4 KiB pages (fewer
      // page splits and fewer WAL frames per row; bench/README.md, "Import (issue 4)").
      pragmas += "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=";
      pragmas += options_.durable ? "FULL;" : "NORMAL;";
    }
    if (auto s = conn->exec(pragmas); !s.ok()) return std::move(s).error();
    return std::unique_ptr<Connection>(std::move(conn));
  }

  std::filesystem::path path_;
  SqliteOptions options_;

  std::unique_ptr<Connection> writer_;
  std::mutex writer_mu_;
  std::condition_variable writer_cv_;
  bool writer_busy_ = false;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> all_readers_;
  std::vector<Connection*> idle_readers_;
};

}  // namespace

base::Result<std::unique_ptr<Database>> open_sqlite(const std::filesystem::path& path,
                                                     SqliteOptions options) {
  // Memory statistics (sqlite3_memory_used, never read here) cost a global mutex on every SQLite
  // allocation; off before SQLite initialises. (Fails harmlessly if it already has.)
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  auto db = std::make_unique<SqliteDatabase>(path, options);
  if (auto s = db->init(); !s.ok()) return std::move(s).error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace sql
