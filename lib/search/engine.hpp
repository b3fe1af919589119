#pragma once
// Runs searches: the page of matches (keyset-paged, stable while writes happen), the total,
// _include/_revinclude (with :iterate), and signed paging cursors.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "search/indexer.hpp"
#include "search/query.hpp"
#include "sql/database.hpp"
#include "store/resource_store.hpp"

namespace search {

struct Access;  // search/access.hpp

struct SearchPage {
  std::vector<store::StoredResource> matches;
  std::vector<store::StoredResource> included;
  std::optional<std::int64_t> total;
  std::optional<std::string> next_cursor;
  std::optional<std::string> prev_cursor;
};

class SearchEngine {
 public:
  // Loads (or creates) the cursor-signing key from the database.
  static base::Result<std::unique_ptr<SearchEngine>> create(sql::Database& db, std::shared_ptr<const Registry> registry,
                                                            std::shared_ptr<const ParamIds> ids);

  // Runs `req`. Errors: invalid for a cursor that is malformed, tampered with, or from another
  // query; internal for database failures.
  base::Result<SearchPage> search(const SearchRequest& req) const;

  // True when the current, non-deleted `type`/`id` may be seen under `access`. Runs on `conn`
  // (e.g. a write transaction's connection, which sees its own writes) or a reader when null.
  // Errors: internal for database failures; as access_condition for scope filters.
  base::Result<bool> visible(std::string_view type, std::string_view id, const Access& access,
                             sql::Connection* conn = nullptr) const;

  const Registry& registry() const { return *registry_; }

 private:
  SearchEngine() = default;
  std::string fingerprint(const SearchRequest& req) const;
  base::Status add_includes(sql::Connection& conn, const SearchRequest& req, SearchPage& page) const;

  sql::Database* db_ = nullptr;
  std::shared_ptr<const Registry> registry_;
  std::shared_ptr<const ParamIds> ids_;
  std::string cursor_key_;
};

}  // namespace search
