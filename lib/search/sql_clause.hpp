#pragma once
// Inside the search SQL compiler, shared by sql_compiler.cpp (criteria, pages) and sql_access.cpp
// (access restrictions), which call each other: a criterion's chain or _has is restricted by the
// access rules, and a filtered grant's rules are criteria. Not for use outside lib/search.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "search/query.hpp"
#include "search/sql_compiler.hpp"

namespace search {


// One criterion, compiled. Either a subquery producing rids (alias x, ending in WHERE
// conditions so that " AND x.rid = r.rid" can be appended), or a plain condition in which
// "{r}" stands for the outer resources alias.
struct Clause {
  std::string subquery;
  std::string plain;
  std::vector<Bind> binds;
  bool negated = false;
  int priority = 9;  // lower drives the query
  // Set when `subquery` is "SELECT x.rid FROM <join_table> x WHERE <join_cond>" (binds: `binds`)
  // and an index hands its rows out in rid order for the bound values, so that the clause can
  // drive a page as a join (compile_page). A rid may come more than once, in adjacent rows.
  std::string join_table, join_cond;
};

// Conditions over `alias` for a clause: the driver form as "alias.rid IN (subquery)", the others
// as (NOT) EXISTS or the plain condition. `alias` may itself be "{r}".
std::string render(const Clause& cl, const std::string& alias, bool driver);
// Combines clauses over `alias`: the best positive subquery drives (when `drivers`), the rest
// filter. Sorts `clauses` by priority.
SqlFragment combine(std::vector<Clause>& clauses, const std::string& alias, bool drivers = true);
// One criterion; `access` (may be null) restricts what its chain or _has looks at. Errors: invalid
// for what cannot be searched.
base::Result<Clause> compile_criterion(const Criterion& c, const ParamIds& ids, const std::string& base,
                                       const Access* access);

// Two forms of every access rule: `set` gives a subquery of the rids that may be seen (evaluated
// once per statement: drives a search), `row` a correlated condition on one row {r} (cheap when
// few rows are checked: reads, included resources, system searches' exact test).
enum class Form { set, row };

// The clauses (over {r}) restricting a row known to be of `type` to what `access` lets be seen.
// Errors: as compile_criterion for the grant's filters.
base::Result<std::vector<Clause>> access_clauses(const Access& access, std::string_view type, const ParamIds& ids,
                                                 const std::string& base, Form form);
// access_clauses in the set form, for a criterion's chain or _has: nothing when `access` is null.
base::Result<std::vector<Clause>> type_access_clauses(const Access* access, std::string_view type, const ParamIds& ids,
                                                      const std::string& base);
// The row condition over {r} for a row of any type (system-level search).
base::Result<SqlFragment> any_type_condition(const Access& access, const ParamIds& ids, const std::string& base);
// A driver for a system-level search when every type is patient-restricted; nullopt otherwise.
std::optional<Clause> any_type_driver(const Access& access, const ParamIds& ids);

}  // namespace search
