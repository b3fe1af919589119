#pragma once
// Forward-only numbered migrations. Each module owns its schema files (e.g. lib/store/schema/
// 001_resources.sql), embedded at build time; migrate() applies the ones not yet applied, in
// order, each in its own transaction, and records them in schema_migrations.
#include <span>
#include <string_view>

#include "sql/database.hpp"

namespace sql {

struct Migration {
  int version;             // strictly increasing, never reused
  std::string_view name;   // e.g. "001_resources"
  std::string_view sql;    // DDL, may hold several statements
};

// Applies pending migrations on `conn` (a writer connection).
// Errors: ErrorCode::internal naming the migration that failed; the database is left at the last
// migration that succeeded. A database newer than this program (unknown applied versions) is an
// ErrorCode::conflict.
base::Status migrate(Connection& conn, std::span<const Migration> migrations);

// The same with the applied versions recorded in `table` instead of schema_migrations, for a
// module whose numbering is its own (lib/auth: auth_schema_migrations). `table` is an identifier
// of [a-z_] chosen in code. Errors: as above; internal for a bad table name.
base::Status migrate(Connection& conn, std::span<const Migration> migrations, std::string_view table);

}  // namespace sql
