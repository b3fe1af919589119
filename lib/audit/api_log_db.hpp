#pragma once
// The API log's own database: DATA_DIR/api-log.db (SQLite, WAL, synchronous=NORMAL: an entry
// may be lost on power failure, the resource database never is).
#include <filesystem>
#include <memory>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace audit {

// Opens (creating when missing) DATA_DIR/api-log.db and applies its schema.
// Errors: internal when the file cannot be opened or migrated.
base::Result<std::unique_ptr<sql::Database>> open_api_log_db(const std::filesystem::path& data_dir);

// Applies the API log schema (lib/audit/schema/NNN_*.sql) to `db`.
base::Status migrate_api_log(sql::Database& db);

}  // namespace audit
