#include "sql/migrate.hpp"

#include <string>

#include "base/fhir_time.hpp"

namespace sql {

base::Status migrate(Connection& conn, std::span<const Migration> migrations) {
  return migrate(conn, migrations, "schema_migrations");
}

base::Status migrate(Connection& conn, std::span<const Migration> migrations, std::string_view table_name) {
  if (table_name.empty() || table_name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string_view::npos) {
    return base::internal_error("bad migrations table name");
  }
  const std::string table(table_name);  // an identifier fixed in code, never a value
  if (auto s = conn.exec("CREATE TABLE IF NOT EXISTS " + table +
                         " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
      !s.ok()) {
    return s;
  }
  std::int64_t current = 0;
  {
    Query q(conn, "SELECT COALESCE(MAX(version), 0) FROM " + table);
    auto row = q.step();
    if (!row) return std::move(row).error();
    current = q.int_at(0);
  }
  const std::int64_t newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest) {
    return base::make_error(base::ErrorCode::conflict,
                            "the database schema (version " + std::to_string(current) +
                                ") is newer than this program knows (" + std::to_string(newest) +
                                "); upgrade the program");
  }
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    Transaction tx(conn);
    if (auto s = tx.begin_status(); !s.ok()) return s;
    if (auto s = conn.exec(m.sql); !s.ok()) {
      return base::internal_error("migration " + std::string(m.name) + " failed: " + s.error().message);
    }
    Query ins(conn, "INSERT INTO " + table + "(version, name, applied_at) VALUES (?, ?, ?)");
    ins.bind_all(static_cast<std::int64_t>(m.version), m.name, base::format_instant(base::now_us()));
    if (auto s = ins.run(); !s.ok()) return s;
    if (auto s = tx.commit(); !s.ok()) return s;
  }
  return {};
}

}  // namespace sql
