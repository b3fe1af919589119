#include "commands/revoke.hpp"

#include <set>
#include <utility>

namespace fhirctl {

base::Result<RevokeCounts> revoke_patient(AuthContext& ctx, const std::string& patient_id) {
  if (patient_id.empty()) return base::invalid("empty patient id");
  RevokeCounts n;
  auto& tokens = *ctx.auth->tokens;
  FHIR_TRY(auto clients, ctx.auth->clients->list());
  for (const auto& c : clients) {
    FHIR_TRY(auto grants, tokens.list_grants(c.client_id));
    std::set<std::string> users;
    for (const auto& g : grants) {
      if (g.patient == patient_id && !g.revoked) users.insert(g.user_id);
    }
    for (const auto& u : users) {
      FHIR_CHECK(tokens.revoke_user(c.client_id, u));
      for (const auto& g : grants) n.grants += g.user_id == u && !g.revoked ? 1 : 0;
    }
  }
  // Access tokens with the patient's context not tied to a grant found above (e.g. backend tokens).
  FHIR_TRY(auto live, tokens.list_tokens("", false));
  for (const auto& t : live) {
    if (t.patient != patient_id || t.revoked) continue;
    FHIR_CHECK(tokens.revoke_token_id(t.jti));
    ++n.tokens;
  }
  return n;
}

}  // namespace fhirctl
