#pragma once
// lib/auth's tables (lib/auth/schema/NNN_*.sql, embedded), tracked in their own migrations table
// (auth_schema_migrations) so their numbering never collides with the store's.
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

// Applies lib/auth's pending schema migrations on the database's writer. Idempotent; every
// component constructor below assumes it has run (AuthService::open and rest::open_backend call it).
// Errors: as sql::migrate (internal naming the migration; conflict when the database is newer).
base::Status migrate_schema(sql::Database& db);

}  // namespace auth
