#include "auth/keys.hpp"

#include "auth/jwk.hpp"
#include "auth/jwt.hpp"
#include "base/uuid.hpp"

namespace auth {
namespace {

// A retired key stays published this long after retirement: every token it signed has expired.
constexpr std::int64_t kPublishAfterRetireS = kAccessTokenLifeS + 60;
constexpr auto kMinReloadGap = std::chrono::seconds(1);

struct Entry {
  KeyInfo info;
  PrivateKey key;
};

}  // namespace

struct KeyRing::State {
  std::vector<Entry> keys;  // newest first
  const Entry* active() const {
    for (const auto& e : keys) {
      if (e.info.active) return &e;
    }
    return nullptr;
  }
};

namespace {

bool published(const KeyInfo& k, std::int64_t now_s) {
  return k.active || (k.retired_s && *k.retired_s + kPublishAfterRetireS > now_s);
}

base::Status insert_new_key(sql::Connection& conn, std::int64_t now_s) {
  FHIR_TRY(auto key, generate_rsa_key(2048));
  FHIR_TRY(auto pem, private_key_to_pem(key));
  sql::Query q(conn, "INSERT INTO auth_keys (kid, private_pem, created_s, retired_s) VALUES (?, ?, ?, NULL)");
  q.bind_all(base::random_hex(12), pem, now_s);
  return q.run();
}

}  // namespace

KeyRing::KeyRing(sql::Database& db, Clock clock, std::chrono::milliseconds reload_every)
    : db_(db), clock_(std::move(clock)), reload_every_(reload_every) {}

KeyRing::~KeyRing() = default;

base::Result<std::unique_ptr<KeyRing>> KeyRing::open(sql::Database& db, Clock clock,
                                                     std::chrono::milliseconds reload_every) {
  std::unique_ptr<KeyRing> ring(new KeyRing(db, std::move(clock), reload_every));
  {
    FHIR_TRY(auto conn, db.writer());
    sql::Transaction tx(*conn);
    FHIR_CHECK(tx.begin_status());
    sql::Query q(*conn, "SELECT COUNT(*) FROM auth_keys WHERE retired_s IS NULL");
    FHIR_TRY(bool row, q.step());
    const bool have = row && q.int_at(0) > 0;
    if (!have) FHIR_CHECK(insert_new_key(*conn, ring->clock_() / 1000000));
    FHIR_CHECK(tx.commit());
  }
  std::lock_guard lock(ring->mu_);
  FHIR_CHECK(ring->reload_locked());
  return ring;
}

base::Status KeyRing::reload_locked() const {
  auto state = std::make_shared<State>();
  {
    FHIR_TRY(auto conn, db_.reader());
    sql::Query q(*conn, "SELECT kid, private_pem, created_s, retired_s FROM auth_keys ORDER BY created_s DESC, rowid DESC");
    bool have_active = false;
    while (true) {
      FHIR_TRY(bool row, q.step());
      if (!row) break;
      Entry e;
      e.info.kid = q.string_at(0);
      e.info.created_s = q.int_at(2);
      if (!q.null_at(3)) e.info.retired_s = q.int_at(3);
      e.info.active = !e.info.retired_s && !have_active;  // the newest unretired key signs
      have_active = have_active || e.info.active;
      auto key = private_key_from_pem(q.text_at(1));
      if (!key) return base::internal_error("stored signing key " + e.info.kid + " does not load");
      e.key = std::move(*key);
      state->keys.push_back(std::move(e));
    }
  }
  if (!state->active()) return base::internal_error("no active signing key");
  state_ = std::move(state);
  loaded_at_ = std::chrono::steady_clock::now();
  return {};
}

base::Status KeyRing::maybe_reload() const {
  std::lock_guard lock(mu_);
  if (state_ && std::chrono::steady_clock::now() - loaded_at_ < reload_every_) return {};
  return reload_locked();
}

base::Result<std::string> KeyRing::sign(std::string_view payload_json) const {
  FHIR_CHECK(maybe_reload());
  std::shared_ptr<const State> state;
  {
    std::lock_guard lock(mu_);
    state = state_;
  }
  const Entry* active = state->active();
  return sign_jws(JwsAlg::RS256, active->key, active->info.kid, payload_json, "JWT");
}

base::Result<PublicKey> KeyRing::public_key(std::string_view kid) const {
  const std::int64_t now_s = clock_() / 1000000;
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::shared_ptr<const State> state;
    {
      std::lock_guard lock(mu_);
      if (attempt == 1) {
        if (std::chrono::steady_clock::now() - loaded_at_ < kMinReloadGap) break;
        if (!reload_locked().ok()) break;
      }
      state = state_;
    }
    for (const auto& e : state->keys) {
      if (e.info.kid == kid) {
        if (!published(e.info, now_s)) return base::make_error(base::ErrorCode::unauthorized, "unknown signing key");
        return e.key.public_key();
      }
    }
  }
  return base::make_error(base::ErrorCode::unauthorized, "unknown signing key");
}

base::Result<std::string> KeyRing::jwks_json() const {
  FHIR_CHECK(maybe_reload());
  std::shared_ptr<const State> state;
  {
    std::lock_guard lock(mu_);
    state = state_;
  }
  const std::int64_t now_s = clock_() / 1000000;
  std::vector<Jwk> keys;
  for (const auto& e : state->keys) {
    if (published(e.info, now_s)) keys.push_back(Jwk{e.info.kid, "RS256", "sig", e.key.public_key()});
  }
  return auth::jwks_json(keys);
}

base::Result<std::string> KeyRing::rotate() {
  const std::int64_t now_s = clock_() / 1000000;
  {
    FHIR_TRY(auto conn, db_.writer());
    sql::Transaction tx(*conn);
    FHIR_CHECK(tx.begin_status());
    {
      sql::Query q(*conn, "UPDATE auth_keys SET retired_s = ? WHERE retired_s IS NULL");
      q.bind(now_s);
      FHIR_CHECK(q.run());
    }
    {
      sql::Query q(*conn, "DELETE FROM auth_keys WHERE retired_s IS NOT NULL AND retired_s + ? <= ?");
      q.bind_all(kPublishAfterRetireS, now_s);
      FHIR_CHECK(q.run());
    }
    FHIR_CHECK(insert_new_key(*conn, now_s));
    FHIR_CHECK(tx.commit());
  }
  std::lock_guard lock(mu_);
  FHIR_CHECK(reload_locked());
  return state_->active()->info.kid;
}

base::Result<std::vector<KeyInfo>> KeyRing::list() const {
  std::lock_guard lock(mu_);
  FHIR_CHECK(reload_locked());
  std::vector<KeyInfo> out;
  for (const auto& e : state_->keys) out.push_back(e.info);
  return out;
}

}  // namespace auth
