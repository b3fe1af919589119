#pragma once
// SearchEngine over a real SQLite data directory: ResourceStore + Indexer (as a write hook) +
// SearchEngine, built with search::open_search like the server does. Opening a data directory and
// loading the parameter ids takes a noticeable fraction of a second, so one directory serves the
// whole test binary and every test starts from empty tables instead (SetUp deletes all rows).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "base/fhir_time.hpp"
#include "model/resource_types.hpp"
#include "search/access.hpp"
#include "search/query.hpp"
#include "search/setup.hpp"
#include "sql/database.hpp"
#include "store/data_dir.hpp"
#include "store/resource_store.hpp"
#include "support/temp_dir.hpp"

namespace search_test {

inline constexpr const char* kBase = "https://fhir.test/r4";

// The process-wide search environment (created on first use, removed at exit).
struct SearchEnv {
  test_support::TempDir dir{"fhir-search-test"};
  std::unique_ptr<sql::Database> db;
  search::SearchComponents search;
  std::unique_ptr<store::ResourceStore> store;
  std::vector<store::WriteHook*> hooks;

  SearchEnv() {
    auto opened = store::open_data_dir(dir / "data");
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    db = std::move(*opened);
    {
      // Test data need not survive a power cut: skip the fsync of every commit.
      auto w = db->writer();
      if (!w.ok() || !(*w)->exec("PRAGMA synchronous=OFF").ok()) throw std::runtime_error("pragma failed");
    }
    auto s = search::open_search(*db);
    if (!s.ok()) throw std::runtime_error(s.error().message);
    search = std::move(*s);
    store = std::make_unique<store::ResourceStore>(*db);
    store->add_hook(search.indexer.get());
    hooks.push_back(search.indexer.get());
  }
  ~SearchEnv() {
    store.reset();
    search = {};
    db.reset();
  }

  static SearchEnv& get() {
    static SearchEnv env;
    return env;
  }
};

class EngineTest : public ::testing::Test {
 protected:
  using Json = nlohmann::ordered_json;

  void SetUp() override {
    auto& env = SearchEnv::get();
    db_ = env.db.get();
    store_ = env.store.get();
    engine_ = env.search.engine.get();
    registry_ = env.search.registry.get();
    auto conn = db_->writer();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    ASSERT_TRUE((*conn)
                    ->exec("DELETE FROM resource_history; DELETE FROM idx_string; DELETE FROM idx_token; "
                           "DELETE FROM idx_reference; DELETE FROM idx_date; DELETE FROM idx_number; "
                           "DELETE FROM idx_quantity; DELETE FROM idx_uri; DELETE FROM compartment; "
                           "DELETE FROM resources;")
                    .ok());
  }

  // Stores `resource` (JSON text with resourceType and id) as a create-or-update.
  void put(const std::string& text) {
    auto j = base::parse_json(text);
    ASSERT_TRUE(j.ok()) << j.error().message << "\n" << text;
    const std::string type = (*j)["resourceType"].get<std::string>();
    const std::string id = (*j)["id"].get<std::string>();
    auto w = store_->update(type, id, std::move(*j));
    ASSERT_TRUE(w.ok()) << w.error().message;
  }

  // As put(), with lastUpdated stamped as `at_us` (so _lastUpdated tests know the exact instant).
  void put_at(const std::string& text, std::int64_t at_us) {
    auto j = base::parse_json(text);
    ASSERT_TRUE(j.ok()) << j.error().message;
    const std::string type = (*j)["resourceType"].get<std::string>();
    const std::string id = (*j)["id"].get<std::string>();
    auto conn = db_->writer();
    ASSERT_TRUE(conn.ok());
    sql::Transaction tx(**conn);
    ASSERT_TRUE(tx.begin_status().ok());
    store::WriteTx w(**conn, SearchEnv::get().hooks, at_us);
    auto r = w.update(type, id, std::move(*j));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(tx.commit().ok());
  }

  void remove(const std::string& type, const std::string& id) {
    auto r = store_->remove(type, id);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // "a=1&b=2" -> pairs (no URL decoding: tests write values as the server would decode them;
  // a value may hold '&' only through the ParamList overloads).
  static search::ParamList params(const std::string& query) {
    search::ParamList out;
    std::string_view rest = query;
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const auto pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      const auto eq = pair.find('=');
      out.emplace_back(std::string(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    }
    return out;
  }

  base::Result<search::SearchRequest> parse(const std::string& type, const search::ParamList& p,
                                            bool strict = false) const {
    return search::parse_search(*registry_, type, p, strict, kBase);
  }

  // The restriction a token with patient/<Type>.read for every type and patient context `patient`
  // puts on matches and includes.
  std::shared_ptr<const search::Access> patient_access(const std::string& patient) const {
    std::vector<search::Grant> grants;
    for (auto t : model::resource_types()) grants.push_back({std::string(t), true, {}});
    auto a = search::make_access(*registry_, patient, grants, kBase);
    EXPECT_TRUE(a.ok());
    return std::make_shared<const search::Access>(std::move(*a));
  }
  void restrict_to(search::SearchRequest& req, const std::optional<std::string>& patient) const {
    req.access = patient ? patient_access(*patient) : nullptr;
    req.include_access = req.access;
  }

  // Parses and runs; errors (parse or engine) come back as the Result's error.
  base::Result<search::SearchPage> run(const std::string& type, const search::ParamList& p,
                                       std::optional<std::string> patient = std::nullopt) const {
    auto req = parse(type, p);
    if (!req.ok()) return std::move(req).error();
    restrict_to(*req, patient);
    return engine_->search(*req);
  }

  // The ids of the matches (one page, in order). Fails the test on an error.
  std::vector<std::string> ids(const std::string& type, const std::string& query) const {
    return ids(type, params(query));
  }
  std::vector<std::string> ids(const std::string& type, const search::ParamList& p) const {
    auto page = run(type, p);
    EXPECT_TRUE(page.ok()) << type << "?" << describe(p) << ": " << page.error().message;
    if (!page.ok()) return {"<error>"};
    std::vector<std::string> out;
    for (const auto& m : page->matches) out.push_back(m.id);
    return out;
  }
  // The same, as a sorted set (for comparisons where the order is unspecified).
  std::set<std::string> id_set(const std::string& type, const std::string& query) const {
    auto v = ids(type, query);
    return {v.begin(), v.end()};
  }

  // Every match over all pages (following next cursors), in order.
  std::vector<std::string> walk(const std::string& type, const std::string& query) const {
    std::vector<std::string> out;
    auto p = params(query);
    auto page = run(type, p);
    for (int n = 0; page.ok() && n < 1000; ++n) {
      for (const auto& m : page->matches) out.push_back(m.id);
      if (!page->next_cursor) return out;
      auto next = p;
      next.emplace_back("_cursor", *page->next_cursor);
      page = run(type, next);
    }
    ADD_FAILURE() << type << "?" << query << ": " << (page.ok() ? "too many pages" : page.error().message);
    return out;
  }

  // The error code of a search that must fail.
  std::optional<base::ErrorCode> error_of(const std::string& type, const std::string& query,
                                          bool strict = false) const {
    auto req = parse(type, params(query), strict);
    if (!req.ok()) return req.error().code;
    auto page = engine_->search(*req);
    if (!page.ok()) return page.error().code;
    return std::nullopt;
  }

  static std::string describe(const search::ParamList& p) {
    std::string s;
    for (const auto& [k, v] : p) s += (s.empty() ? "" : "&") + k + "=" + v;
    return s;
  }

  static std::int64_t at(const std::string& instant) {
    auto t = base::parse_date_time(instant);
    EXPECT_TRUE(t.ok()) << instant;
    return t.ok() ? t->low_us : 0;
  }

  using Set = std::set<std::string>;

  sql::Database* db_ = nullptr;
  store::ResourceStore* store_ = nullptr;
  search::SearchEngine* engine_ = nullptr;
  const search::Registry* registry_ = nullptr;
};

}  // namespace search_test
