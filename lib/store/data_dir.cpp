#include "store/data_dir.hpp"

#include <system_error>
#include <vector>

#include "base/embedded.hpp"
#include "sql/migrate.hpp"
#include "sql/sqlite.hpp"

namespace store {
namespace {

// The numbered schema files, in order. Add a line per new file; never edit an applied one.
constexpr struct {
  int version;
  const char* name;
  const char* file;
} kSchema[] = {
    {1, "001_store", "schema/001_store.sql"},
    {2, "002_search", "schema/002_search.sql"},
};

}  // namespace

base::Status migrate_schema(sql::Database& db) {
  std::vector<sql::Migration> migrations;
  for (const auto& s : kSchema) {
    auto text = base::embedded_file(s.file);
    if (!text) return base::internal_error(std::string("schema file missing from the build: ") + s.file);
    migrations.push_back({s.version, s.name, *text});
  }
  FHIR_TRY(auto conn, db.writer());
  return sql::migrate(*conn, migrations);
}

base::Result<std::unique_ptr<sql::Database>> open_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return base::internal_error("cannot create data directory " + dir.string() + ": " + ec.message());
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  } else if (!std::filesystem::is_directory(dir, ec)) {
    return base::internal_error("data directory " + dir.string() + " exists and is not a directory");
  }
  FHIR_TRY(auto db, sql::open_sqlite(dir / "fhir.db"));
  FHIR_CHECK(migrate_schema(*db));
  return db;
}

}  // namespace store
