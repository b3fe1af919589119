#pragma once
// For tests/lib/rest/guard_*_test.cpp: a Router over a real SQLite data directory with
// authentication ON. Tokens are checked by MapVerifier, a test implementation of the
// auth::TokenVerifier interface (a map from token text to Principal; real tokens are tested end to
// end). Data is written through the store (as fhirctl import does), requests go through the Router.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/api_log.hpp"
#include "audit/api_log_db.hpp"
#include "auth/principal.hpp"
#include "rest/backend.hpp"
#include "rest/router.hpp"
#include "store/settings.hpp"
#include "support/temp_dir.hpp"

namespace guard_test {

inline constexpr const char* kOrigin = "https://fhir.test:8443";
inline constexpr const char* kBase = "https://fhir.test:8443/r4";

class MapVerifier final : public auth::TokenVerifier {
 public:
  base::Result<auth::Principal> verify(std::string_view bearer) const override {
    auto it = tokens.find(std::string(bearer));
    if (it == tokens.end()) return base::make_error(base::ErrorCode::unauthorized, "The access token is not valid");
    return it->second;
  }
  std::map<std::string, auth::Principal> tokens;
};

struct GuardEnv {
  test_support::TempDir dir{"fhir-guard-test"};
  std::unique_ptr<rest::Backend> backend;
  std::unique_ptr<store::SettingsCache> cache;
  std::unique_ptr<sql::Database> api_log_db;
  std::unique_ptr<audit::ApiLog> api_log;
  MapVerifier verifier;
  rest::Services services;
  std::unique_ptr<rest::Router> router;
  std::string logged_errors;

  GuardEnv() {
    auto opened = rest::open_backend(dir / "data");
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    backend = std::move(*opened);
    {
      auto w = backend->db->writer();
      if (!w.ok() || !(*w)->exec("PRAGMA synchronous=OFF").ok()) throw std::runtime_error("pragma failed");
    }
    cache = std::make_unique<store::SettingsCache>(*backend->settings, std::chrono::milliseconds(0));
    auto log_db = audit::open_api_log_db(dir / "data");
    if (!log_db.ok()) throw std::runtime_error(log_db.error().message);
    api_log_db = std::move(*log_db);
    api_log = std::make_unique<audit::ApiLog>(*api_log_db);
    services.resources = backend->resources.get();
    services.settings = backend->settings.get();
    services.settings_cache = cache.get();
    services.api_log = api_log.get();
    services.search = backend->search.engine.get();
    services.tokens = &verifier;
    services.indexer = backend->search.indexer.get();
    services.max_body_bytes = 1024 * 1024;
    services.log_error = [this](std::string_view m) { logged_errors += std::string(m) + "\n"; };
    router = std::make_unique<rest::Router>(services);
  }
  ~GuardEnv() {
    router.reset();
    api_log.reset();
    api_log_db.reset();
    cache.reset();
    backend.reset();
  }
};

class GuardTest : public ::testing::Test {
 protected:
  using Json = nlohmann::json;
  using Set = std::set<std::string>;

  void SetUp() override {
    owned_ = std::make_unique<GuardEnv>();
    env_ = owned_.get();
  }
  void TearDown() override {
    env_ = nullptr;
    owned_.reset();
  }

  // Registers `token` for a principal with `scope` (and patient context `patient`, if any).
  void token(const std::string& token, const std::string& scope, const std::string& patient = "",
             const std::string& user = "u1", const std::string& client = "app1") {
    auth::Principal p;
    p.token_id = "jti-" + token;
    p.client_id = client;
    p.user = user;
    p.patient = patient;
    p.scope = scope;
    env_->verifier.tokens[token] = p;
  }

  // Writes a resource straight into the store (no token involved).
  void put(const std::string& json_text) {
    auto j = base::parse_json(json_text);
    ASSERT_TRUE(j.ok()) << json_text;
    const std::string type = (*j)["resourceType"].get<std::string>();
    const std::string id = (*j)["id"].get<std::string>();
    auto w = env_->backend->resources->update(type, id, std::move(*j));
    ASSERT_TRUE(w.ok()) << w.error().message;
  }

  bool exists(const std::string& type, const std::string& id) {
    return env_->backend->resources->read(type, id).ok();
  }

  // A request with `Authorization: Bearer <bearer>` (none when bearer is empty). Query strings are
  // decoded as the HTTP layer decodes them.
  rest::Response call(rest::Method method, const std::string& target, const std::string& bearer,
                      const std::string& body = "", const std::string& content_type = "application/fhir+json",
                      rest::Params headers = {}) {
    rest::Request req;
    req.method = method;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = rest::parse_query_string(std::string_view(target).substr(q + 1));
    req.body = body;
    if (!body.empty()) req.headers.emplace_back("content-type", content_type);
    if (!bearer.empty()) req.headers.emplace_back("authorization", "Bearer " + bearer);
    for (auto& h : headers) req.headers.push_back(h);
    req.origin = kOrigin;
    req.remote_ip = "127.0.0.1";
    return env_->router->handle(req);
  }
  rest::Response get(const std::string& target, const std::string& bearer) {
    return call(rest::Method::GET, target, bearer);
  }

  static Json body(const rest::Response& res) {
    auto j = Json::parse(res.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << res.body;
    return j;
  }

  // "Type/id" of a Bundle's entries with the given search.mode ("" = every entry with a resource).
  static Set entries(const Json& bundle, const std::string& mode = "") {
    Set out;
    if (!bundle.contains("entry")) return out;
    for (const auto& e : bundle["entry"]) {
      if (!mode.empty() && (!e.contains("search") || e["search"].value("mode", "") != mode)) continue;
      if (!e.contains("resource")) continue;
      const auto& r = e["resource"];
      if (r.value("resourceType", "") == "OperationOutcome") continue;
      out.insert(r.value("resourceType", std::string()) + "/" + r.value("id", std::string()));
    }
    return out;
  }

  // Every match and include of a search over all pages (following `next`), as "Type/id".
  Set walk(const std::string& target, const std::string& bearer, Set* included = nullptr, int* pages = nullptr) {
    Set out;
    std::string next = target;
    for (int n = 0; n < 200 && !next.empty(); ++n) {
      auto res = get(next, bearer);
      EXPECT_EQ(res.status, 200) << next << ": " << res.body;
      if (res.status != 200) break;
      if (pages) ++*pages;
      auto b = body(res);
      for (const auto& e : entries(b, "match")) EXPECT_TRUE(out.insert(e).second) << "duplicate " << e;
      if (included) {
        for (const auto& e : entries(b, "include")) included->insert(e);
      }
      next.clear();
      for (const auto& l : b.value("link", Json::array())) {
        if (l["relation"] == "next") next = l["url"].get<std::string>().substr(std::string(kOrigin).size());
      }
    }
    return out;
  }

  std::unique_ptr<GuardEnv> owned_;
  GuardEnv* env_ = nullptr;  // owned_, or an environment shared by a suite
};

}  // namespace guard_test
