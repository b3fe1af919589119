#include "auth/token_state.hpp"

#include "auth/revocation.hpp"

namespace auth {

base::Result<std::optional<AccessTokenRow>> load_access_token(sql::Connection& conn, std::string_view jti) {
  sql::Query q(conn,
               "SELECT jti, family, client_id, user_id, grant_id, patient, encounter, scope, issued_s, expires_s, revoked "
               "FROM auth_access_tokens WHERE jti = ?");
  q.bind(jti);
  FHIR_TRY(bool row, q.step());
  if (!row) return std::optional<AccessTokenRow>();
  AccessTokenRow r;
  r.jti = q.string_at(0);
  r.family = q.string_at(1);
  r.client_id = q.string_at(2);
  r.user_id = q.string_at(3);
  r.grant_id = q.string_at(4);
  r.patient = q.string_at(5);
  r.encounter = q.string_at(6);
  r.scope = q.string_at(7);
  r.issued_s = q.int_at(8);
  r.expires_s = q.int_at(9);
  r.revoked = q.int_at(10) != 0;
  return std::optional<AccessTokenRow>(std::move(r));
}

base::Result<std::string> access_token_problem(sql::Connection& conn, std::string_view jti, std::int64_t now_s) {
  sql::Query q(conn,
               "SELECT t.revoked, t.expires_s, COALESCE(c.enabled, 0), "
               "CASE WHEN t.grant_id = '' THEN 0 ELSE COALESCE(g.revoked, 1) END, "
               "COALESCE(u.disabled, CASE WHEN t.user_id = '' THEN 0 ELSE 1 END), "
               "COALESCE(pa.api_access, 1) "
               "FROM auth_access_tokens t "
               "LEFT JOIN auth_clients c ON c.client_id = t.client_id "
               "LEFT JOIN auth_grants g ON g.id = t.grant_id "
               "LEFT JOIN auth_users u ON u.id = t.user_id "
               "LEFT JOIN auth_patient_access pa ON pa.patient_id = t.patient "
               "WHERE t.jti = ?");
  q.bind(jti);
  FHIR_TRY(bool row, q.step());
  if (!row) return std::string("unknown token");
  if (q.int_at(0) != 0) return std::string("token revoked");
  if (q.int_at(1) <= now_s) return std::string("token expired");
  if (q.int_at(2) == 0) return std::string("client disabled");
  if (q.int_at(3) != 0) return std::string("authorization revoked");
  if (q.int_at(4) != 0) return std::string("user disabled");
  if (q.int_at(5) == 0) return std::string("patient API access off");
  return std::string();
}

base::Status revoke_family(sql::Connection& conn, std::string_view family) {
  {
    sql::Query q(conn, "UPDATE auth_access_tokens SET revoked = 1 WHERE family = ?");
    q.bind(family);
    FHIR_CHECK(q.run());
  }
  {
    sql::Query q(conn, "UPDATE auth_refresh_tokens SET status = 'revoked' WHERE family = ?");
    q.bind(family);
    FHIR_CHECK(q.run());
  }
  return bump_revocation_generation(conn);
}

}  // namespace auth
