#include "rest/guard.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>

#include "model/resource_types.hpp"
#include "search/access.hpp"
#include "search/engine.hpp"
#include "search/indexer.hpp"

namespace rest {
namespace {

base::Error forbidden(std::string message) { return base::make_error(base::ErrorCode::forbidden, std::move(message)); }

std::string_view op_name(auth::Op op) {
  switch (op) {
    case auth::kCreate: return "create";
    case auth::kRead: return "read";
    case auth::kUpdate: return "update";
    case auth::kRemove: return "delete";
    case auth::kSearch: return "search";
    default: return "access";
  }
}

// The letter SMART v2 uses for `op`, for messages.
char op_letter(auth::Op op) {
  switch (op) {
    case auth::kCreate: return 'c';
    case auth::kRead: return 'r';
    case auth::kUpdate: return 'u';
    case auth::kRemove: return 'd';
    default: return 's';
  }
}

base::Error not_granted(std::string_view type, auth::Op op) {
  const std::string t(type);
  return forbidden("The access token's scopes do not allow " + std::string(op_name(op)) + " of " + t +
                   " resources (it needs a scope such as patient/" + t + "." + op_letter(op) + ", user/" + t + "." +
                   op_letter(op) + " or the SMART v1 " + (op == auth::kRead || op == auth::kSearch ? "read" : "write") +
                   " equivalent)");
}

// The token's patient: the launch context, else a patient user's own record (fhirUser Patient/x).
std::string patient_of(const Context& ctx) {
  if (!ctx.principal) return {};
  if (!ctx.principal->patient.empty()) return ctx.principal->patient;
  constexpr std::string_view prefix = "Patient/";
  if (ctx.principal->fhir_user.rfind(prefix, 0) == 0) return ctx.principal->fhir_user.substr(prefix.size());
  return {};
}

base::Error no_patient_context(std::string_view type) {
  return forbidden("The access token's " + std::string(type) +
                   " scopes are patient-level (patient/...), but the token has no patient context");
}

// RFC 6750 error_description and realm: printable ASCII except '"' and '\'.
std::string header_safe(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u > 0x7e || c == '"' || c == '\\' ? ' ' : c);
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Scope filters may be written percent-encoded (`category=...%7Cvital-signs`): decoded like a
// query string's values before they are parsed as search parameters.
search::Grant grant_of(std::string_view type, bool patient_only, const std::vector<std::vector<auth::Filter>>& filters) {
  search::Grant g;
  g.type = std::string(type);
  g.patient_only = patient_only;
  for (const auto& alternative : filters) {
    auto& decoded = g.filters.emplace_back();
    for (const auto& [k, v] : alternative) {
      auto dk = url_decode(k);
      auto dv = url_decode(v);
      decoded.emplace_back(dk ? *dk : k, dv ? *dv : v);
    }
  }
  return g;
}

// The search-level restriction of one type. For writes only the compartment counts: shared types
// are refused and the Provenance/Device `via` rule does not apply.
base::Result<search::Access> access_of(const Context& ctx, std::string_view type, const AccessRestriction& r,
                                       bool for_write) {
  if (!ctx.services.search) return base::make_error(base::ErrorCode::unavailable, "search is not available");
  FHIR_TRY(auto access, search::make_access(ctx.services.search->registry(), r.patient,
                                            {grant_of(type, !r.patient.empty(), r.filters)}, ctx.base_url));
  if (for_write) {
    for (auto& [t, ta] : access.types) {
      if (ta.reach == search::Reach::referenced) {
        return forbidden("A token restricted to a patient cannot write " + t +
                         " resources: they are shared, not part of the patient's compartment");
      }
      ta.via.clear();
    }
  }
  return access;
}

// The types a criterion's chains and _has look at.
void chained_types(const search::Criterion& c, std::vector<std::string>& out) {
  if (c.chain) {
    out.push_back(c.chain_type);
    chained_types(*c.chain, out);
  }
  if (c.has) {
    out.push_back(c.has->type);
    if (c.has->criterion) chained_types(*c.has->criterion, out);
  }
}

// Collects grants for a search::Access, one per type.
class Grants {
 public:
  Grants(const Context& ctx, auth::Op op) : ctx_(ctx), op_(op), patient_(patient_of(ctx)) {}

  // Adds `type` when the scopes grant op on it. `required`: not granted is an error.
  base::Status add(std::string_view type, bool required) {
    for (const auto& g : grants_) {
      if (g.type == type) return {};
    }
    const auto d = auth::decide(*ctx_.scopes, type, op_);
    if (!d.allowed || (d.patient_only && patient_.empty())) {
      if (!required) return {};
      return d.allowed ? no_patient_context(type) : not_granted(type, op_);
    }
    grants_.push_back(grant_of(type, d.patient_only, d.filters));
    return {};
  }
  bool empty() const { return grants_.empty(); }

  base::Result<std::shared_ptr<const search::Access>> build() const {
    FHIR_TRY(auto access, search::make_access(ctx_.services.search->registry(), patient_, grants_, ctx_.base_url));
    return std::make_shared<const search::Access>(std::move(access));
  }

 private:
  const Context& ctx_;
  auth::Op op_;
  std::string patient_;
  std::vector<search::Grant> grants_;
};

}  // namespace

base::Result<auth::Principal> authenticate(const Services& services, const Request& req, std::string_view realm,
                                           std::string& challenge) {
  const std::string base = "Bearer realm=\"" + header_safe(realm) + "\"";
  auto no_credentials = [&](std::string message) {
    challenge = base;
    return base::make_error(base::ErrorCode::unauthorized, std::move(message));
  };
  auto invalid_token = [&](std::string message) {
    challenge = base + ", error=\"invalid_token\", error_description=\"" + header_safe(message) + "\"";
    return base::make_error(base::ErrorCode::unauthorized, std::move(message));
  };
  const auto header = req.header("authorization");
  if (!header) {
    return no_credentials("This request needs an access token (Authorization: Bearer <token>); see " +
                          std::string(realm) + "/.well-known/smart-configuration");
  }
  const auto value = trim(*header);
  const auto space = value.find(' ');
  const auto scheme = value.substr(0, space);
  if (!iequals(scheme, "Bearer")) {
    return no_credentials("The Authorization header uses the " + header_safe(scheme.substr(0, 32)) +
                          " scheme; this server takes only Bearer access tokens");
  }
  const auto token = space == std::string_view::npos ? std::string_view() : trim(value.substr(space + 1));
  if (token.empty()) return invalid_token("The Bearer access token is empty");
  if (!services.tokens) return base::internal_error("authenticate called without a token verifier");
  auto principal = services.tokens->verify(token);
  if (!principal) {
    const auto& e = principal.error();
    if (e.code == base::ErrorCode::internal) return e;  // our failure: a 500, not the client's token
    return invalid_token(e.message.empty() ? "The access token is not valid" : e.message);
  }
  return std::move(*principal);
}

std::string insufficient_scope_challenge(std::string_view realm) {
  return "Bearer realm=\"" + header_safe(realm) + "\", error=\"insufficient_scope\"";
}

base::Result<AccessRestriction> restriction_for(const Context& ctx, std::string_view type, auth::Op op) {
  AccessRestriction r;
  if (!ctx.scopes) return r;
  const auto d = auth::decide(*ctx.scopes, type, op);
  if (!d.allowed) return not_granted(type, op);
  if (d.patient_only) {
    r.patient = patient_of(ctx);
    if (r.patient.empty()) return no_patient_context(type);
    r.restricted = true;
  }
  if (!d.filters.empty()) {
    r.filters = d.filters;
    r.restricted = true;
  }
  return r;
}

base::Status restrict_search(const Context& ctx, search::SearchRequest& req) {
  if (!ctx.scopes) return {};
  if (!ctx.services.search) return base::make_error(base::ErrorCode::unavailable, "search is not available");
  Grants matches(ctx, auth::kSearch);
  if (!req.type.empty()) {
    FHIR_CHECK(matches.add(req.type, true));
  } else if (!req.types.empty()) {
    for (const auto& t : req.types) FHIR_CHECK(matches.add(t, true));
  } else {
    for (auto t : model::resource_types()) FHIR_CHECK(matches.add(t, false));
    if (matches.empty()) {
      return forbidden("The access token's scopes allow searching no resource type");
    }
  }
  std::vector<std::string> chained;
  for (const auto& c : req.criteria) chained_types(c, chained);
  for (const auto& t : chained) FHIR_CHECK(matches.add(t, false));  // not granted: the chain matches nothing
  FHIR_TRY(req.access, matches.build());

  if (req.includes.empty() && req.revincludes.empty()) return {};
  Grants included(ctx, auth::kRead);
  auto add_targets = [&](const search::Include& inc) -> base::Status {
    if (!inc.target_type.empty()) return included.add(inc.target_type, false);
    if (inc.param->targets.empty()) {
      for (auto t : model::resource_types()) FHIR_CHECK(included.add(t, false));
      return {};
    }
    for (const auto& t : inc.param->targets) FHIR_CHECK(included.add(t, false));
    return {};
  };
  for (const auto& inc : req.includes) FHIR_CHECK(add_targets(inc));
  for (const auto& inc : req.revincludes) FHIR_CHECK(included.add(inc.source_type, false));
  FHIR_TRY(req.include_access, included.build());
  return {};
}

base::Status check_visible(const Context& ctx, const AccessRestriction& access, std::string_view type,
                           std::string_view id, sql::Connection* conn) {
  if (!access.restricted) return {};
  FHIR_TRY(auto a, access_of(ctx, type, access, false));
  FHIR_TRY(bool ok, ctx.services.search->visible(type, id, a, conn));
  if (!ok) return base::not_found(std::string(type) + "/" + std::string(id) + " is not known");
  return {};
}

bool version_visible(const Context& ctx, const AccessRestriction& access, const store::StoredResource& version,
                     std::int64_t current_version) {
  if (!access.restricted || version.deleted || version.version == current_version) return true;
  if (!access.filters.empty() || access.patient.empty() || !ctx.services.indexer) return false;
  auto a = access_of(ctx, version.type, access, false);
  if (!a) return false;
  const search::TypeAccess* ta = a->find(version.type);
  if (!ta) return false;
  if (ta->reach == search::Reach::patient_self) return version.id == access.patient;
  if (ta->reach != search::Reach::compartment && ta->reach != search::Reach::compartment_sole) return false;
  auto json = base::parse_json(version.json);
  if (!json) return false;
  const auto patients = ctx.services.indexer->compartment_of(version.type, version.id, *json);
  const bool in = std::find(patients.begin(), patients.end(), access.patient) != patients.end();
  return in && (ta->reach != search::Reach::compartment_sole || patients.size() == 1);
}

base::Status restrict_history(const Context& ctx, store::HistoryQuery& query) {
  if (!ctx.scopes) return {};
  if (query.type) {
    if (query.id || !ctx.access.restricted) return {};
    return forbidden("The history of all " + *query.type +
                     " resources is not available to a token restricted to a patient or by scope filters; use "
                     "search, or the history of one resource");
  }
  std::vector<std::string> types;
  bool every = true;
  for (auto t : model::resource_types()) {
    const auto d = auth::decide(*ctx.scopes, t, auth::kRead);
    if (d.allowed && !d.patient_only && d.filters.empty()) types.emplace_back(t);
    else every = false;
  }
  if (types.empty()) {
    return forbidden("The system history is available only for resource types the access token may read "
                     "without restriction (user/ or system/ scopes without filters); this token has none");
  }
  if (!every) query.types = std::move(types);
  return {};
}

base::Status check_before_write(const Context& ctx, const AccessRestriction& access, store::WriteTx& tx,
                                std::string_view type, std::string_view id) {
  if (!access.restricted) return {};
  FHIR_TRY(auto a, access_of(ctx, type, access, true));
  // One message whether the resource is missing or not visible, so nothing is revealed.
  const auto not_known = [&] {
    return base::not_found(std::string(type) + "/" + std::string(id) +
                           " is not known (a token restricted to a patient or by scope filters updates and deletes "
                           "only resources it can read, and creates with POST, not PUT)");
  };
  if (!tx.read(type, id)) return not_known();
  FHIR_TRY(bool ok, ctx.services.search->visible(type, id, a, &tx.connection()));
  if (!ok) return not_known();
  return {};
}

base::Status check_after_write(const Context& ctx, const AccessRestriction& access, store::WriteTx& tx,
                               const store::StoredResource& written) {
  if (!access.restricted || written.deleted) return {};
  FHIR_TRY(auto a, access_of(ctx, written.type, access, true));
  FHIR_TRY(bool ok, ctx.services.search->visible(written.type, written.id, a, &tx.connection()));
  if (ok) return {};
  std::string why;
  if (!access.patient.empty()) why = "in the compartment of Patient/" + access.patient;
  if (!access.filters.empty()) why += std::string(why.empty() ? "" : " and ") + "within the token's scope filters";
  return forbidden("The access token may write only " + written.type + " resources " + why +
                   "; this one would not be, so nothing was stored");
}

}  // namespace rest
