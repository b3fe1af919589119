#include "auth/schema.hpp"

#include <string>
#include <vector>

#include "base/embedded.hpp"
#include "sql/migrate.hpp"

namespace auth {
namespace {

// lib/auth's numbered schema files, in order. Add a line per new file; never edit an applied one.
constexpr struct {
  int version;
  const char* name;
  const char* file;
} kSchema[] = {
    {1, "001_auth", "schema/auth_001_auth.sql"},
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
  return sql::migrate(*conn, migrations, "auth_schema_migrations");
}

}  // namespace auth
