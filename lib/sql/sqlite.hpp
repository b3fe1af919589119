#pragma once
// SQLite implementation of sql::Database: one file, WAL mode, synchronous=FULL (a commit is durable
// when acknowledged), a pool of reader connections and one writer guarded by a mutex.
#include <filesystem>
#include <memory>

#include "sql/database.hpp"

namespace sql {

struct SqliteOptions {
  int busy_timeout_ms = 10000;
  bool durable = true;  // synchronous=FULL; false = NORMAL (bulk imports may choose it)
};

// Opens (creating when missing) the database file at `path`.
// Errors: ErrorCode::internal with SQLite's message when the file cannot be opened.
base::Result<std::unique_ptr<Database>> open_sqlite(const std::filesystem::path& path,
                                                     SqliteOptions options = {});

}  // namespace sql
