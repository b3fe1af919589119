#pragma once
// For tests/lib/rest/search_*_test.cpp (test_rest): a Router over a real SQLite data directory
// with search wired in (rest::open_backend, as tests/lib/rest/router_fixture.hpp), but created once per test
// binary (opening a data directory and loading the search parameter ids is the slow part) and
// emptied on demand. Query strings are decoded like the HTTP layer does (rest::parse_query_string),
// so values may be percent-encoded.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "rest/backend.hpp"
#include "rest/router.hpp"
#include "store/settings.hpp"
#include "support/temp_dir.hpp"

namespace search_rest_test {

inline constexpr const char* kOrigin = "https://fhir.test:8443";
inline constexpr const char* kBase = "https://fhir.test:8443/r4";

struct RouterEnv {
  test_support::TempDir dir{"fhir-search-rest-test"};
  std::unique_ptr<rest::Backend> backend;  // database, search, Groups, store: as fhir-serve opens them
  std::unique_ptr<store::SettingsCache> cache;
  rest::Services services;
  std::unique_ptr<rest::Router> router;
  std::string logged_errors;

  RouterEnv() {
    auto opened = rest::open_backend(dir / "data");
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    backend = std::move(*opened);
    {
      // Test data need not survive a power cut: skip the fsync of every commit.
      auto w = backend->db->writer();
      if (!w.ok() || !(*w)->exec("PRAGMA synchronous=OFF").ok()) throw std::runtime_error("pragma failed");
    }
    cache = std::make_unique<store::SettingsCache>(*backend->settings, std::chrono::milliseconds(0));
    services.resources = backend->resources.get();
    services.settings = backend->settings.get();
    services.settings_cache = cache.get();
    services.search = backend->search.engine.get();
    services.max_body_bytes = 256 * 1024;
    services.log_error = [this](std::string_view m) { logged_errors += std::string(m) + "\n"; };
    router = std::make_unique<rest::Router>(services);
  }
  ~RouterEnv() {
    router.reset();
    cache.reset();
    backend.reset();
  }

  static RouterEnv& get() {
    static RouterEnv env;
    return env;
  }

  // Deletes every resource and index row.
  void wipe() {
    auto conn = backend->db->writer();
    if (!conn.ok() || !(*conn)
                           ->exec("DELETE FROM resource_history; DELETE FROM idx_string; DELETE FROM idx_token; "
                                  "DELETE FROM idx_reference; DELETE FROM idx_date; DELETE FROM idx_number; "
                                  "DELETE FROM idx_quantity; DELETE FROM idx_uri; DELETE FROM compartment; "
                                  "DELETE FROM resources;")
                           .ok()) {
      throw std::runtime_error("wipe failed");
    }
  }
};

class SearchRouterTest : public ::testing::Test {
 protected:
  using Json = nlohmann::json;
  using Set = std::set<std::string>;

  static RouterEnv& env() { return RouterEnv::get(); }

  // `target` is the path under the origin with an optional query string, e.g.
  // "/r4/Patient?name=x%20y". The query is decoded as the HTTP layer decodes it.
  static rest::Response call(rest::Method method, const std::string& target, const std::string& body = "",
                             rest::Params headers = {}, const std::string& content_type = "application/fhir+json") {
    rest::Request req;
    req.method = method;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = rest::parse_query_string(std::string_view(target).substr(q + 1));
    req.body = body;
    if (!body.empty()) req.headers.emplace_back("content-type", content_type);
    for (auto& h : headers) req.headers.push_back(h);
    req.origin = kOrigin;
    req.remote_ip = "127.0.0.1";
    return env().router->handle(req);
  }

  static rest::Response get(const std::string& target, rest::Params headers = {}) {
    return call(rest::Method::GET, target, "", std::move(headers));
  }

  // POST [path]/_search with a form body.
  static rest::Response post_search(const std::string& path, const std::string& form, rest::Params headers = {}) {
    return call(rest::Method::POST, path + "/_search", form, std::move(headers), "application/x-www-form-urlencoded");
  }

  static void put(const std::string& json_text) {
    auto j = Json::parse(json_text);
    const std::string target = "/r4/" + j["resourceType"].get<std::string>() + "/" + j["id"].get<std::string>();
    auto res = call(rest::Method::PUT, target, json_text);
    ASSERT_TRUE(res.status == 200 || res.status == 201) << target << " -> " << res.status << " " << res.body;
  }

  static Json body(const rest::Response& res) {
    auto j = Json::parse(res.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << res.body;
    return j;
  }

  // A searchset's entries with the given search.mode, as "Type/id".
  static Set entries(const Json& bundle, const std::string& mode) {
    Set out;
    if (!bundle.contains("entry")) return out;
    for (const auto& e : bundle["entry"]) {
      if (e["search"]["mode"] != mode) continue;
      const auto& r = e["resource"];
      out.insert(r.value("resourceType", std::string()) + "/" + r.value("id", std::string()));
    }
    return out;
  }

  // The URL of a Bundle link, or "".
  static std::string link(const Json& bundle, const std::string& relation) {
    if (!bundle.contains("link")) return "";
    for (const auto& l : bundle["link"]) {
      if (l["relation"] == relation) return l["url"].get<std::string>();
    }
    return "";
  }

  // A link URL as a target for call(): the origin cut off.
  static std::string target_of(const std::string& url) {
    EXPECT_EQ(url.rfind(kOrigin, 0), 0u) << url;
    return url.substr(std::string(kOrigin).size());
  }
};

}  // namespace search_rest_test
