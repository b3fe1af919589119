#include "commands/refresh_tokens.hpp"

#include "base/crypto.hpp"

namespace fhirctl {
namespace {

constexpr const char* kColumns =
    "token_hash, client_id, user_id, patient, encounter, scope, status, issued_s, expires_s "
    "FROM auth_refresh_tokens";

RefreshRecord read(const sql::Query& q) {
  RefreshRecord r;
  r.id = q.string_at(0);
  r.client_id = q.string_at(1);
  r.user_id = q.string_at(2);
  r.patient = q.string_at(3);
  r.encounter = q.string_at(4);
  r.scope = q.string_at(5);
  r.status = q.string_at(6);
  r.issued_s = q.int_at(7);
  r.expires_s = q.int_at(8);
  return r;
}

}  // namespace

base::Result<std::vector<RefreshRecord>> list_refresh_tokens(sql::Database& db, std::string_view client_id) {
  FHIR_TRY(auto conn, db.reader());
  sql::Query q(*conn, std::string("SELECT ") + kColumns +
                          " WHERE (? = '' OR client_id = ?) ORDER BY issued_s DESC, token_hash");
  q.bind_all(client_id, client_id);
  std::vector<RefreshRecord> out;
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(read(q));
  }
  return out;
}

base::Result<std::optional<RefreshRecord>> find_refresh_token(sql::Database& db, std::string_view id) {
  FHIR_TRY(auto conn, db.reader());
  sql::Query q(*conn, std::string("SELECT ") + kColumns + " WHERE token_hash = ?");
  q.bind(id);
  FHIR_TRY(bool row, q.step());
  if (!row) return std::optional<RefreshRecord>();
  return std::optional<RefreshRecord>(read(q));
}

std::string refresh_token_id(std::string_view token) { return base::to_hex(base::sha256(token)); }

}  // namespace fhirctl
