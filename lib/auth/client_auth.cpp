#include "auth/client_auth.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

#include "auth/jwk.hpp"
#include "auth/jwt.hpp"
#include "auth/uri.hpp"
#include "base/crypto.hpp"
#include "base/json.hpp"

namespace auth {
namespace {

constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr std::int64_t kLeewayS = 30;

OAuthError failed() { return invalid_client("client authentication failed"); }

// Standard base64 (with + and /), as HTTP Basic uses.
std::optional<std::string> base64_decode(std::string_view text) {
  std::string t(text);
  for (char& c : t) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
    else if (c == '-' || c == '_') return std::nullopt;
  }
  return base::base64url_decode(t);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
  }
  return true;
}

// The unverified claims of a JWS, to learn which client it claims to be from.
base::Result<JwtClaims> unverified_claims(std::string_view compact) {
  const auto d1 = compact.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : compact.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return base::make_error(base::ErrorCode::unauthorized, "malformed token");
  auto payload = base::base64url_decode(compact.substr(d1 + 1, d2 - d1 - 1));
  if (!payload) return base::make_error(base::ErrorCode::unauthorized, "malformed token");
  return parse_claims(*payload);
}

}  // namespace

ClientAuthenticator::ClientAuthenticator(sql::Database& db, Clock clock, ClientStore& clients,
                                         std::string token_endpoint, JwksFetcher fetcher, JwksCacheOptions cache)
    : db_(db),
      clock_(std::move(clock)),
      clients_(clients),
      token_endpoint_(std::move(token_endpoint)),
      fetcher_(std::move(fetcher)),
      cache_options_(cache) {}

OAuthResult<Client> ClientAuthenticator::authenticate(const ClientCredentials& cr) {
  const bool basic = !cr.authorization.empty();
  const bool post = !cr.client_secret.empty();
  const bool assertion = !cr.client_assertion.empty() || !cr.client_assertion_type.empty();
  if (int(basic) + int(post) + int(assertion) > 1) {
    return invalid_client("use exactly one client authentication method");
  }
  if (assertion) return authenticate_assertion(cr);

  std::string client_id = cr.client_id;
  std::string secret = cr.client_secret;
  if (basic) {
    if (!starts_with_ci(cr.authorization, "Basic ")) return invalid_client("unsupported Authorization scheme");
    auto decoded = base64_decode(std::string_view(cr.authorization).substr(6));
    if (!decoded) return invalid_client("malformed Basic credentials");
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return invalid_client("malformed Basic credentials");
    std::string id = form_decode(std::string_view(*decoded).substr(0, colon));
    secret = form_decode(std::string_view(*decoded).substr(colon + 1));
    if (!client_id.empty() && client_id != id) return invalid_client("client_id does not match the credentials");
    client_id = std::move(id);
    if (secret.empty()) return failed();
  }
  if (client_id.empty()) return invalid_client("client authentication is required");
  auto client = clients_.get(client_id);
  if (!client) return client.error().code == base::ErrorCode::not_found ? failed() : server_error();
  const AuthMethod m = client->metadata.token_endpoint_auth_method;
  if (basic || post) {
    if (m != AuthMethod::client_secret_basic && m != AuthMethod::client_secret_post) return failed();
    auto good = clients_.check_secret(client_id, secret);
    if (!good) return server_error();
    if (!*good) return failed();
  } else if (m != AuthMethod::none) {
    return invalid_client("this client must authenticate (" + std::string(auth_method_name(m)) + ")");
  }
  if (!client->enabled) return invalid_client("the client is disabled");
  return std::move(*client);
}

OAuthResult<Client> ClientAuthenticator::authenticate_assertion(const ClientCredentials& cr) {
  if (cr.client_assertion_type != kJwtBearer) return invalid_client("unsupported client_assertion_type");
  if (cr.client_assertion.empty()) return invalid_client("client_assertion is missing");
  auto claimed = unverified_claims(cr.client_assertion);
  if (!claimed || claimed->iss.empty()) return invalid_client("malformed client assertion");
  if (!cr.client_id.empty() && cr.client_id != claimed->iss) return invalid_client("client_id does not match the assertion");
  auto client = clients_.get(claimed->iss);
  if (!client) return client.error().code == base::ErrorCode::not_found ? failed() : server_error();
  if (client->metadata.token_endpoint_auth_method != AuthMethod::private_key_jwt) return failed();

  // Keys: registered jwks, or jwks_uri (cached; refetched once when the kid is not there).
  base::Error key_error = base::make_error(base::ErrorCode::unauthorized, "unknown signing key");
  auto verified = base::Result<VerifiedJws>(key_error);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt == 1 && client->metadata.jwks_uri.empty()) break;
    auto body = jwks_for(*client, attempt == 1);
    if (!body) return invalid_client("the client's keys could not be obtained");
    auto keys = parse_jwks(*body);
    if (!keys) return invalid_client("the client's registered keys are unusable");
    const auto lookup = [&keys](const JwsHeader& h) -> base::Result<PublicKey> {
      if (h.kid.empty()) {
        if (keys->size() == 1) return keys->front().key;
        return base::make_error(base::ErrorCode::unauthorized, "the assertion has no kid");
      }
      for (const auto& k : *keys) {
        if (k.kid == h.kid) return k.key;
      }
      return base::make_error(base::ErrorCode::unauthorized, "unknown signing key");
    };
    verified = verify_jws(cr.client_assertion, lookup, {JwsAlg::RS384, JwsAlg::ES384});
    if (verified || verified.error().message != "unknown signing key") break;
  }
  if (!verified) return invalid_client("client assertion: " + verified.error().message);
  auto claims = parse_claims(verified->payload);
  if (!claims) return invalid_client("malformed client assertion");
  const std::string& id = client->client_id;
  if (claims->iss != id || claims->sub != id) return invalid_client("client assertion iss and sub must be the client_id");
  if (!claims->has_aud(token_endpoint_)) return invalid_client("client assertion aud must be the token endpoint URL");
  const std::int64_t now_s = clock_() / 1000000;
  if (!claims->exp) return invalid_client("client assertion has no exp");
  if (*claims->exp <= now_s) return invalid_client("client assertion expired");
  if (*claims->exp > now_s + kAssertionMaxLifeS + kLeewayS) {
    return invalid_client("client assertion exp is more than 5 minutes ahead");
  }
  if (claims->nbf && *claims->nbf > now_s + kLeewayS) return invalid_client("client assertion not yet valid");
  if (claims->jti.empty() || claims->jti.size() > 256) return invalid_client("client assertion needs a jti");
  if (!client->enabled) return invalid_client("the client is disabled");

  // The jti is remembered until the assertion would have expired: a replay finds it.
  auto conn = db_.writer();
  if (!conn) return server_error();
  {
    sql::Query purge(**conn, "DELETE FROM auth_assertion_jtis WHERE expires_s < ?");
    purge.bind(now_s);
    if (!purge.run()) return server_error();
  }
  sql::Query seen(**conn, "SELECT 1 FROM auth_assertion_jtis WHERE client_id = ? AND jti = ?");
  seen.bind_all(id, claims->jti);
  auto row = seen.step();
  if (!row) return server_error();
  if (*row) return invalid_client("client assertion jti was already used");
  sql::Query ins(**conn, "INSERT INTO auth_assertion_jtis (client_id, jti, expires_s) VALUES (?, ?, ?)");
  ins.bind_all(id, claims->jti, *claims->exp);
  if (!ins.run()) return invalid_client("client assertion jti was already used");
  return std::move(*client);
}

base::Result<std::string> ClientAuthenticator::jwks_for(const Client& client, bool force_refetch) {
  if (!client.metadata.jwks.empty()) return client.metadata.jwks;
  const std::string& url = client.metadata.jwks_uri;
  if (url.empty() || !fetcher_) return base::make_error(base::ErrorCode::unavailable, "no key source");
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(url);
    if (it != cache_.end()) {
      const auto age = now - it->second.fetched_at;
      const bool fresh = age < cache_options_.ttl;
      const bool may_refetch = age >= cache_options_.refetch_after_miss;
      if (fresh && !(force_refetch && may_refetch)) {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        return it->second.body;
      }
    }
  }
  auto body = fetcher_(url);  // outside the lock: a slow server must not stall other clients
  if (!body) return std::move(body).error();
  std::lock_guard lock(mu_);
  auto it = cache_.find(url);
  if (it != cache_.end()) {
    it->second.body = *body;
    it->second.fetched_at = now;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  } else {
    lru_.push_front(url);
    cache_.emplace(url, CachedJwks{*body, now, lru_.begin()});
    while (cache_.size() > cache_options_.max_entries && !lru_.empty()) {
      cache_.erase(lru_.back());
      lru_.pop_back();
    }
  }
  return body;
}

}  // namespace auth
