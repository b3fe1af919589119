#pragma once
// Multi-row INSERTs for bulk writers (search index rows, history rows, API-log rows): a statement
// costs SQLite far more than a row, so rows go 64, 8 or 1 to a statement. The three statement
// texts are built once; each is prepared once per connection (Connection's statement cache).
#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace sql {

class MultiInsert {
 public:
  static constexpr std::size_t kRowsPerInsert[] = {64, 8, 1};

  // `head`: "INSERT INTO t (a, b, c)"; `columns`: the values one row binds.
  MultiInsert(std::string_view head, int columns) {
    std::string one = "(";
    for (int c = 0; c < columns; ++c) one += c ? ",?" : "?";
    one += ")";
    for (int i = 0; i < 3; ++i) {
      text_[i] = head;
      for (std::size_t r = 0; r < kRowsPerInsert[i]; ++r) text_[i] += (r ? "," : " VALUES ") + one;
    }
  }

  // Inserts rows[0..rows.size()) in order, binding each with bind(Query&, row). Stops at the first
  // failing statement; `written`, when given, is set to the rows inserted before it.
  // Errors: the database's.
  template <class Rows, class Bind>
  base::Status run(Connection& conn, const Rows& rows, Bind bind, std::size_t* written = nullptr) const {
    std::size_t i = 0;
    if (written) *written = 0;
    while (i < rows.size()) {
      const std::size_t left = rows.size() - i;
      const int which = left >= kRowsPerInsert[0] ? 0 : left >= kRowsPerInsert[1] ? 1 : 2;
      const std::size_t n = kRowsPerInsert[which];
      Query q(conn, text_[which]);
      for (std::size_t k = 0; k < n; ++k) bind(q, rows[i + k]);
      FHIR_CHECK(q.run());
      i += n;
      if (written) *written = i;
    }
    return {};
  }

 private:
  std::string text_[3];
};

}  // namespace sql
