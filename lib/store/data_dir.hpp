#pragma once
// The data directory: DATA_DIR/fhir.db (SQLite, WAL), DATA_DIR/tls/ (certificates),
// DATA_DIR/keys/ and DATA_DIR/exports/ later. Created with mode 0700 on first use.
#include <filesystem>
#include <memory>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace store {

// Creates the directory when missing (0700), opens DATA_DIR/fhir.db and applies every schema
// migration. Errors: ErrorCode::internal when the directory or database cannot be created or
// opened (the message names the path), conflict when the database is newer than this program.
base::Result<std::unique_ptr<sql::Database>> open_data_dir(const std::filesystem::path& dir);

// Applies the store's schema migrations (lib/store/schema/NNN_*.sql, embedded) on a writer.
base::Status migrate_schema(sql::Database& db);

}  // namespace store
