#pragma once
// The guard: who is calling (bearer token -> auth::Principal) and what they may touch (SMART
// scopes -> access decisions, compiled into SQL by search/access.hpp). The Router authenticates
// and decides type and instance routes before the handler runs; handlers call the rest for what
// only they know (the types of a system search, Bundle entries, the resource a write produces).
// With authentication off (Services::tokens null) ctx.scopes is empty and every function here
// allows everything.
//
// Rules (README "Security"):
// - no, malformed, unknown, expired or revoked token -> 401 with WWW-Authenticate (RFC 6750);
// - a type/interaction the scopes do not grant -> 403;
// - patient-level grants see only the patient's compartment and the shared resources it
//   references (search/access.hpp); what they may not see is "not known" (404), never 403, so that
//   existence is not revealed; writes must stay inside the compartment (403, rolled back);
// - SMART v2 filters (`?category=...`) become extra search criteria, alternatives ORed.
#include <string>
#include <string_view>

#include "auth/principal.hpp"
#include "auth/scopes.hpp"
#include "base/result.hpp"
#include "rest/context.hpp"
#include "search/query.hpp"
#include "store/resource_store.hpp"

namespace rest {

// Reads `Authorization: Bearer <token>` and verifies it with Services::tokens. Errors:
// unauthorized, with `challenge` set to the WWW-Authenticate value to send with the 401: without an
// error code when there is no Authorization header or it uses another scheme (RFC 6750 3.1), with
// error="invalid_token" when the token is empty or the verifier refuses it. `realm` names the
// protected space (our FHIR base).
base::Result<auth::Principal> authenticate(const Services& services, const Request& req, std::string_view realm,
                                           std::string& challenge);

// The WWW-Authenticate value sent with a 403 for missing scopes (error="insufficient_scope").
std::string insufficient_scope_challenge(std::string_view realm);

// What ctx's caller may do with `op` on `type`. Errors: forbidden when the scopes do not grant it,
// or grant it only at patient level and the token has no patient context.
base::Result<AccessRestriction> restriction_for(const Context& ctx, std::string_view type, auth::Op op);

// Applies the caller's scopes to a parsed search: the searched types (type level: ctx.type; system
// level: `_type`, or every type the scopes allow searching) and what chains and _has look at go
// into req.access, the types includes may bring in (read permission) into req.include_access.
// Errors: forbidden for a `_type` the scopes do not allow, a system search the scopes allow on
// no type, or a scope filter this server cannot apply.
base::Status restrict_search(const Context& ctx, search::SearchRequest& req);

// not_found ("Type/id is not known", as for a missing resource) unless the current `type`/`id` is
// visible under `access`. Runs on `conn` when given (a write transaction's connection). Errors also:
// forbidden for a scope filter this server cannot apply; internal for database failures.
base::Status check_visible(const Context& ctx, const AccessRestriction& access, std::string_view type,
                           std::string_view id, sql::Connection* conn = nullptr);

// Whether one version of a visible resource may be shown (vread, instance history): with a patient
// restriction, a version of a compartment type must itself be in the patient's compartment (it may
// have belonged to another patient before an update); of other types, and under scope filters,
// only the current version (`current_version`) is shown. Deletion entries are shown.
bool version_visible(const Context& ctx, const AccessRestriction& access, const store::StoredResource& version,
                     std::int64_t current_version);

// Applies the caller's scopes to type and system history. Type history under a patient
// restriction or scope filters: forbidden (history rows carry no index to restrict them; use
// search or instance history). System history: only the types the token may read without
// restriction (forbidden when there are none).
base::Status restrict_history(const Context& ctx, store::HistoryQuery& query);

// Inside a write transaction, before an update or delete of `type`/`id`: under a restriction the
// current resource must be visible for writing (in the patient's compartment and matching the
// filters); a restricted PUT cannot create. Errors: not_found when it is not (nothing revealed),
// forbidden for shared types under a patient restriction.
base::Status check_before_write(const Context& ctx, const AccessRestriction& access, store::WriteTx& tx,
                                std::string_view type, std::string_view id);

// Inside a write transaction, after a create or update: under a restriction the written resource
// must be in the patient's compartment and match the filters. Errors: forbidden (the caller's
// transaction then rolls back).
base::Status check_after_write(const Context& ctx, const AccessRestriction& access, store::WriteTx& tx,
                               const store::StoredResource& written);

}  // namespace rest
