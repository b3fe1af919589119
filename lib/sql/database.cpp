#include "sql/database.hpp"

namespace sql {

Query::Query(Connection& conn, std::string_view sql) {
  auto prepared = conn.prepare(sql);
  if (prepared) {
    stmt_ = *prepared;
    stmt_->in_use = true;
  } else {
    prepare_error_ = std::make_unique<base::Error>(std::move(prepared).error());
  }
}

Query::~Query() {
  if (stmt_) {
    stmt_->reset();
    stmt_->in_use = false;
  }
}

Query& Query::bind(std::int64_t v) {
  if (stmt_) stmt_->bind_int(next_index_, v);
  ++next_index_;
  return *this;
}

Query& Query::bind(std::string_view v) {
  if (stmt_) stmt_->bind_text(next_index_, v);
  ++next_index_;
  return *this;
}

Query& Query::bind_static(std::string_view v) {
  if (stmt_) stmt_->bind_text_static(next_index_, v);
  ++next_index_;
  return *this;
}

Query& Query::bind_real(double v) {
  if (stmt_) stmt_->bind_real(next_index_, v);
  ++next_index_;
  return *this;
}

Query& Query::bind_null() {
  if (stmt_) stmt_->bind_null(next_index_);
  ++next_index_;
  return *this;
}

base::Result<bool> Query::step() {
  if (!stmt_) return *prepare_error_;
  return stmt_->step();
}

base::Status Query::run() {
  while (true) {
    auto r = step();
    if (!r) return std::move(r).error();
    if (!*r) return {};
  }
}

Transaction::Transaction(Connection& conn) : conn_(conn) {
  begin_ = conn_.exec(conn_.dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begin_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (!done_) (void)conn_.exec("ROLLBACK");
}

base::Status Transaction::commit() {
  if (done_) return base::internal_error("transaction already finished");
  auto s = conn_.exec("COMMIT");
  done_ = true;
  if (!s.ok()) (void)conn_.exec("ROLLBACK");
  return s;
}

}  // namespace sql
