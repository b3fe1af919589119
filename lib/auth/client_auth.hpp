#pragma once
// Client authentication at the token, introspection and revocation endpoints:
// client_secret_basic, client_secret_post, none (public: client_id only), and private_key_jwt
// (RFC 7523 / SMART Backend Services): an assertion with iss = sub = client_id, aud = our token
// endpoint URL, exp no more than 5 minutes ahead, a jti never seen before within its life (stored),
// signed RS384 or ES384 by a key of the client's registered jwks or jwks_uri, picked by kid.
// jwks_uri documents come from an injected fetcher through a bounded cache (TTL, entries).
// A client uses the kind of method it registered (a secret client may send its secret by Basic or
// in the form; public clients send only client_id; private_key_jwt clients only assertions).
// Every failure is invalid_client (401).
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/clients.hpp"
#include "auth/clock.hpp"
#include "auth/oauth_error.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace auth {

// Fetches a URL's body (the app supplies it; lib/auth has no HTTP). Errors of any kind make the
// assertion fail with invalid_client.
using JwksFetcher = std::function<base::Result<std::string>(const std::string& url)>;

struct JwksCacheOptions {
  std::chrono::seconds ttl{300};
  std::size_t max_entries = 256;
  // After a kid is not found in a cached document, refetch at most this often per URL.
  std::chrono::seconds refetch_after_miss{30};
};

// The client authentication material of one request, as the HTTP layer found it.
struct ClientCredentials {
  std::string authorization;          // the Authorization header value ("Basic ..."), or empty
  std::string client_id;              // form field
  std::string client_secret;          // form field (client_secret_post)
  std::string client_assertion_type;  // form field; must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer
  std::string client_assertion;       // form field
};

class ClientAuthenticator {
 public:
  // `token_endpoint`: the URL assertions must name as aud. `fetcher` may be empty (then jwks_uri
  // clients cannot authenticate).
  ClientAuthenticator(sql::Database& db, Clock clock, ClientStore& clients, std::string token_endpoint,
                      JwksFetcher fetcher, JwksCacheOptions cache = {});

  // Authenticates the client. Errors: invalid_client (401) for: no credentials, several methods at
  // once, unknown client, a method of another kind than the registered one, wrong secret, a bad Basic header,
  // a bad assertion (type, signature, alg other than RS384/ES384, iss/sub/aud, exp missing/past/too
  // far ahead, jti missing or replayed, kid not in the registered keys, keys unobtainable), and a
  // disabled client; server_error for database failures.
  OAuthResult<Client> authenticate(const ClientCredentials& credentials);

 private:
  struct CachedJwks {
    std::string body;
    std::chrono::steady_clock::time_point fetched_at;
    std::list<std::string>::iterator lru;
  };
  base::Result<std::string> jwks_for(const Client& client, bool force_refetch);
  OAuthResult<Client> authenticate_assertion(const ClientCredentials& credentials);

  sql::Database& db_;
  Clock clock_;
  ClientStore& clients_;
  std::string token_endpoint_;
  JwksFetcher fetcher_;
  JwksCacheOptions cache_options_;
  std::mutex mu_;
  std::unordered_map<std::string, CachedJwks> cache_;  // by URL
  std::list<std::string> lru_;                         // most recent first
};

}  // namespace auth
