#pragma once
// Compiles a SearchRequest's criteria into SQL over the resources table (alias r) and the index
// tables. Every value from the request is bound; only our own integers (parameter ids) and fixed
// fragments are written into the text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.hpp"
#include "search/indexer.hpp"
#include "search/query.hpp"

namespace search {

using Bind = std::variant<std::int64_t, double, std::string>;

struct SqlFragment {
  std::string sql;
  std::vector<Bind> binds;
  void append(const SqlFragment& other) {
    sql += other.sql;
    binds.insert(binds.end(), other.binds.begin(), other.binds.end());
  }
};

// The WHERE clause (without the keyword) selecting the current, non-deleted resources that
// match every criterion of `req`, its type(s) and its access restriction (req.access, also applied
// to what chains and _has look at). The most selective
// criterion drives (r.rid IN ...); the others are correlated EXISTS checks.
// Errors: invalid for combinations the engine cannot answer (e.g. :missing on _id).
base::Result<SqlFragment> compile_where(const SearchRequest& req, const ParamIds& ids);

// The FROM and WHERE of a page of results. Normally FROM "resources r" with compile_where's
// condition, rid_column "r.rid". With `allow_join` (the page is in rid order: no _sort), when the
// driving clause can be read from an index in rid order (one local reference whose target type is
// known, e.g. Observation?patient=1; a patient's compartment for a patient-scoped token), FROM
// "<index> x CROSS JOIN resources r ON r.rid = x.rid" with rid_column "x.rid" and `joined`: SQLite
// then walks the index in order and stops at the end of the page, where an IN list first collects
// every match into a temporary b-tree. A joined page may hold a rid twice, in adjacent rows (a
// resource referencing the same target twice): the caller skips repeats, and must not LIMIT the
// statement to the page size. Errors: as compile_where.
struct PageSql {
  std::string from;
  SqlFragment where;
  std::string rid_column;
  bool joined = false;
};
base::Result<PageSql> compile_page(const SearchRequest& req, const ParamIds& ids, bool allow_join);

struct Access;  // search/access.hpp

// The condition over `alias` (a resources row) that a resource must meet to be seen under
// `access`: for a row known to be of `type`, or, with `type` empty, for a row of any type. "0" when
// nothing of the type may be seen. A correlated test of that one row (cheap for reads and included
// resources); searches get set-driven forms from compile_where instead. Errors: as compile_where
// for the scope filters.
base::Result<SqlFragment> access_condition(const Access& access, std::string_view type, const std::string& alias,
                                           const ParamIds& ids, const std::string& base);

// For a forward _include: true when the target row `alias` is of a shared type the access lets be
// seen because the patient's compartment references it, and the reference row `ref` (an
// idx_reference row) is itself from the patient's compartment. A cheap sufficient test to try
// before access_condition's general one; nullopt when no type is seen that way.
std::optional<SqlFragment> referenced_via(const Access& access, const std::string& alias, const std::string& ref);

// A sort key as an SQL expression over r, never NULL (missing values sort last).
std::string sort_expression(const SortKey& key, const ParamIds& ids);

}  // namespace search
