#include "auth/revocation.hpp"

namespace auth {

base::Status bump_revocation_generation(sql::Connection& conn) {
  sql::Query q(conn, "UPDATE auth_state SET revocation_generation = revocation_generation + 1 WHERE id = 1");
  return q.run();
}

base::Result<std::int64_t> revocation_generation(sql::Connection& conn) {
  sql::Query q(conn, "SELECT revocation_generation FROM auth_state WHERE id = 1");
  FHIR_TRY(bool row, q.step());
  if (!row) return base::internal_error("auth_state row missing");
  return q.int_at(0);
}

}  // namespace auth
