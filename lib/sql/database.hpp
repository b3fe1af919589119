#pragma once
// The SQL interface every store module talks to. SQLite implements it now (sql/sqlite.hpp);
// PostgreSQL can implement the same interface later. SQL text uses `?` placeholders; every value
// is bound, never concatenated.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace sql {

enum class Dialect { sqlite, postgres };

// A prepared statement. Owned by its Connection (cached by SQL text); use through Query.
class Statement {
 public:
  virtual ~Statement() = default;
  // Set by Query while it holds the statement; a connection never evicts a statement in use.
  bool in_use = false;
  virtual void bind_int(int index, std::int64_t value) = 0;        // 1-based index
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;   // copied by the driver
  // Not copied: `value` must stay alive and unchanged until reset() or the next bind of `index`.
  virtual void bind_text_static(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  // Advances: true when a row is available, false when done. Errors: ErrorCode::internal, or
  // ErrorCode::conflict for a constraint violation / busy database.
  virtual base::Result<bool> step() = 0;
  virtual std::int64_t column_int(int column) const = 0;           // 0-based column
  virtual double column_real(int column) const = 0;
  virtual std::string_view column_text(int column) const = 0;      // valid until the next step
  virtual bool column_is_null(int column) const = 0;
  virtual void reset() = 0;                                        // clears bindings too
};

// One database connection. Not thread-safe: one thread uses a Connection at a time (leases).
class Connection {
 public:
  virtual ~Connection() = default;
  // Prepares (or fetches from this connection's cache) a statement. Do not hold two Query objects
  // on the same SQL text at once on one connection.
  virtual base::Result<Statement*> prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (DDL, PRAGMA, BEGIN/COMMIT).
  virtual base::Status exec(std::string_view sql) = 0;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  virtual std::int64_t changes() const = 0;
  virtual Dialect dialect() const = 0;
};

// Exclusive use of a pooled connection; returns it to the pool when destroyed.
class Lease {
 public:
  Lease(Connection* conn, std::function<void(Connection*)> release)
      : conn_(conn), release_(std::move(release)) {}
  Lease(Lease&& o) noexcept : conn_(o.conn_), release_(std::move(o.release_)) { o.conn_ = nullptr; }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_ && release_) release_(conn_);
  }
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_; }

 private:
  Connection* conn_;
  std::function<void(Connection*)> release_;
};

// A database: a pool of reader connections and one writer at a time.
class Database {
 public:
  virtual ~Database() = default;
  // A connection for reads; many may be leased at once and read while a writer commits.
  virtual base::Result<Lease> reader() = 0;
  // The writer connection; blocks until no other thread holds it.
  virtual base::Result<Lease> writer() = 0;
  virtual Dialect dialect() const = 0;
};

// RAII use of a prepared statement: binds values in order, steps, and resets on destruction.
class Query {
 public:
  // Errors from prepare are kept and returned by the first step().
  Query(Connection& conn, std::string_view sql);
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  Query& bind(std::int64_t v);
  Query& bind(int v) { return bind(static_cast<std::int64_t>(v)); }
  Query& bind(std::string_view v);
  Query& bind(const std::string& v) { return bind(std::string_view(v)); }
  Query& bind(const char* v) { return bind(std::string_view(v)); }
  Query& bind_null();
  Query& bind_real(double v);
  // As bind(v) without copying: the bytes must outlive this Query (it resets on destruction).
  // For bulk writers whose values are held elsewhere anyway (index rows, history rows).
  Query& bind_static(std::string_view v);
  template <class... Ts>
  Query& bind_all(const Ts&... vs) {
    (bind(vs), ...);
    return *this;
  }

  base::Result<bool> step();   // true when a row is ready
  base::Status run();          // steps to completion, discarding rows

  std::int64_t int_at(int column) const { return stmt_->column_int(column); }
  double real_at(int column) const { return stmt_->column_real(column); }
  std::string_view text_at(int column) const { return stmt_->column_text(column); }
  std::string string_at(int column) const { return std::string(stmt_->column_text(column)); }
  bool null_at(int column) const { return stmt_->column_is_null(column); }

 private:
  Statement* stmt_ = nullptr;
  std::unique_ptr<base::Error> prepare_error_;
  int next_index_ = 1;
};

// A write transaction on a leased connection: BEGIN on construction, ROLLBACK on destruction
// unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  base::Status begin_status() const { return begin_; }
  base::Status commit();

 private:
  Connection& conn_;
  base::Status begin_;
  bool done_ = false;
};

}  // namespace sql
