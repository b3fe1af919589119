#include "audit/api_log_db.hpp"

#include <vector>

#include "base/embedded.hpp"
#include "sql/migrate.hpp"
#include "sql/sqlite.hpp"

namespace audit {

base::Status migrate_api_log(sql::Database& db) {
  auto text = base::embedded_file("schema/audit_001_api_log.sql");
  if (!text) return base::internal_error("API log schema missing from the build");
  const std::vector<sql::Migration> migrations = {{1, "001_api_log", *text}};
  FHIR_TRY(auto conn, db.writer());
  return sql::migrate(*conn, migrations);
}

base::Result<std::unique_ptr<sql::Database>> open_api_log_db(const std::filesystem::path& data_dir) {
  sql::SqliteOptions options;
  options.durable = false;
  FHIR_TRY(auto db, sql::open_sqlite(data_dir / "api-log.db", options));
  FHIR_CHECK(migrate_api_log(*db));
  return db;
}

}  // namespace audit
