#include "auth/verifier.hpp"

#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "auth/jwt.hpp"
#include "auth/revocation.hpp"
#include "auth/token_state.hpp"
#include "base/json.hpp"

namespace auth {
namespace {

constexpr std::size_t kMaxBearer = 8192;

base::Error unauthorized(std::string m) { return base::make_error(base::ErrorCode::unauthorized, std::move(m)); }

struct Verdict {
  bool ok = false;
  Principal principal;
  std::string error;       // when !ok
  std::int64_t exp_s = 0;
  std::int64_t generation = 0;  // the revocation generation the state check is at least as new as
};

}  // namespace

// Looks up std::string keys by std::string_view, without making a string per request.
struct BearerHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct JwtTokenVerifier::Cache {
  std::mutex mu;
  std::unordered_map<std::string, Verdict, BearerHash, std::equal_to<>> entries;
  std::int64_t generation = -1;  // last polled
  std::chrono::steady_clock::time_point polled_at{};
  bool polling = false;
};

JwtTokenVerifier::JwtTokenVerifier(sql::Database& db, Clock clock, const KeyRing& keys, std::string fhir_base,
                                   VerifierOptions options)
    : db_(db),
      clock_(std::move(clock)),
      keys_(keys),
      fhir_base_(std::move(fhir_base)),
      options_(options),
      cache_(std::make_unique<Cache>()) {}

JwtTokenVerifier::~JwtTokenVerifier() = default;

base::Result<Principal> JwtTokenVerifier::verify(std::string_view bearer) const {
  if (bearer.empty()) return unauthorized("no access token");
  if (bearer.size() > kMaxBearer) return unauthorized("malformed token");
  Cache& c = *cache_;
  const auto now = std::chrono::steady_clock::now();

  // The cached verdict for `bearer` at the current generation; call with c.mu held.
  auto cached = [&]() -> std::optional<base::Result<Principal>> {
    auto it = c.entries.find(bearer);
    if (it == c.entries.end() || it->second.generation != c.generation) return std::nullopt;
    const Verdict& v = it->second;
    if (!v.ok) return base::Result<Principal>(unauthorized(v.error));
    if (v.exp_s <= clock_() / 1000000) return base::Result<Principal>(unauthorized("token expired"));
    return base::Result<Principal>(v.principal);
  };

  // Poll the revocation generation at most every `recheck` (one thread polls; the others go on
  // with what is cached). Without a poll, one lock for the check and the lookup.
  bool poll = false;
  std::int64_t generation = 0;
  {
    std::lock_guard lock(c.mu);
    if (!c.polling && (c.generation < 0 || now - c.polled_at >= options_.recheck)) {
      c.polling = true;
      poll = true;
    } else {
      generation = c.generation;
      if (auto hit = cached()) return std::move(*hit);
    }
  }
  if (poll) {
    std::int64_t gen = -1;
    if (auto conn = db_.reader(); conn) {
      if (auto g = revocation_generation(**conn); g) gen = *g;
    }
    std::lock_guard lock(c.mu);
    c.polling = false;
    if (gen >= 0) {
      c.polled_at = now;
      if (gen != c.generation) {
        c.generation = gen;
        c.entries.clear();
      }
    }
    generation = c.generation;
    if (auto hit = cached()) return std::move(*hit);
  }
  if (generation < 0) return base::internal_error("the token state could not be read");

  std::int64_t exp_s = 0;
  auto result = verify_uncached(bearer, exp_s);
  // Only tokens with our valid signature are cached (garbage cannot fill the cache); expiry and
  // database failures are not cached.
  if (exp_s > 0 && (result.ok() || (result.error().code == base::ErrorCode::unauthorized &&
                                     result.error().message != "token expired"))) {
    Verdict v;
    v.ok = result.ok();
    if (v.ok) v.principal = *result;
    else v.error = result.error().message;
    v.exp_s = exp_s;
    v.generation = generation;
    std::lock_guard lock(c.mu);
    if (c.entries.size() >= options_.max_entries) c.entries.clear();
    c.entries.insert_or_assign(std::string(bearer), std::move(v));
  }
  return result;
}

base::Result<Principal> JwtTokenVerifier::verify_uncached(std::string_view bearer, std::int64_t& exp_s) const {
  FHIR_TRY(auto verified,
           verify_jws(bearer, [this](const JwsHeader& h) { return keys_.public_key(h.kid); }, {JwsAlg::RS256}));
  FHIR_TRY(auto claims, parse_claims(verified.payload));
  if (claims.iss != fhir_base_) return unauthorized("token issuer is not this server");
  if (!claims.has_aud(fhir_base_)) return unauthorized("token audience is not this server");
  const std::int64_t now_s = clock_() / 1000000;
  FHIR_CHECK(check_times(claims, now_s));
  if (claims.jti.empty()) return unauthorized("malformed token claims");
  exp_s = *claims.exp;

  FHIR_TRY(auto conn, db_.reader());
  FHIR_TRY(std::string problem, access_token_problem(*conn, claims.jti, now_s));
  if (!problem.empty()) return unauthorized(problem);
  FHIR_TRY(auto row, load_access_token(*conn, claims.jti));
  if (!row) return unauthorized("unknown token");
  Principal p;
  p.token_id = row->jti;
  p.client_id = row->client_id;
  p.user = row->user_id;
  p.patient = row->patient;
  p.encounter = row->encounter;
  p.scope = row->scope;
  if (auto parsed = parse_scopes(p.scope); parsed) p.scopes = std::make_shared<const ScopeSet>(std::move(*parsed));
  auto j = base::parse_json(verified.payload);
  if (j && j->is_object()) {
    auto it = j->find("fhirUser");
    if (it != j->end() && it->is_string()) p.fhir_user = it->get<std::string>();
  }
  return p;
}

}  // namespace auth
