#include "search/sql_compiler.hpp"

#include <algorithm>
#include <cmath>

#include "search/access.hpp"
#include "search/extract.hpp"
#include "search/normalize.hpp"
#include "search/sql_clause.hpp"

namespace search {
namespace {

std::string like_contains(std::string_view s) {
  std::string out = "%";
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// Date comparison of the stored range [low, high) against the search range [sl, sh).
void date_condition(Prefix p, const base::FhirTime& t, const std::string& low, const std::string& high,
                    std::string& sql, std::vector<Bind>& binds) {
  const std::int64_t sl = t.low_us, sh = t.high_us;
  switch (p) {
    case Prefix::eq: sql += "(" + low + " >= ? AND " + high + " <= ?)"; binds.insert(binds.end(), {sl, sh}); break;
    case Prefix::ne: sql += "NOT (" + low + " >= ? AND " + high + " <= ?)"; binds.insert(binds.end(), {sl, sh}); break;
    case Prefix::gt: sql += high + " > ?"; binds.emplace_back(sh); break;
    case Prefix::lt: sql += low + " < ?"; binds.emplace_back(sl); break;
    // R4: ge = gt, or the search range fully contains the target; le likewise with lt.
    case Prefix::ge:
      sql += "(" + high + " > ? OR (" + low + " >= ? AND " + high + " <= ?))";
      binds.insert(binds.end(), {sh, sl, sh});
      break;
    case Prefix::le:
      sql += "(" + low + " < ? OR (" + low + " >= ? AND " + high + " <= ?))";
      binds.insert(binds.end(), {sl, sl, sh});
      break;
    case Prefix::sa: sql += low + " >= ?"; binds.emplace_back(sh); break;
    case Prefix::eb: sql += high + " <= ?"; binds.emplace_back(sl); break;
    case Prefix::ap: {
      const std::int64_t day = 86400LL * 1000000;
      const std::int64_t gap = std::llabs(base::now_us() - sl);
      const std::int64_t w = std::max<std::int64_t>(day, gap / 10);
      sql += "(" + low + " < ? AND " + high + " > ?)";
      binds.insert(binds.end(), {sh + w, sl - w});
      break;
    }
  }
}

void number_condition(Prefix p, const Value& v, const std::string& col, std::string& sql, std::vector<Bind>& binds) {
  switch (p) {
    case Prefix::eq: sql += "(" + col + " >= ? AND " + col + " < ?)"; binds.insert(binds.end(), {v.low, v.high}); break;
    case Prefix::ne: sql += "NOT (" + col + " >= ? AND " + col + " < ?)"; binds.insert(binds.end(), {v.low, v.high}); break;
    case Prefix::gt: sql += col + " > ?"; binds.emplace_back(v.number); break;
    case Prefix::lt: sql += col + " < ?"; binds.emplace_back(v.number); break;
    // sa/eb: beyond the value's whole precision range ("1" covers [0.5, 1.5)).
    case Prefix::sa: sql += col + " >= ?"; binds.emplace_back(v.high); break;
    case Prefix::eb: sql += col + " < ?"; binds.emplace_back(v.low); break;
    case Prefix::ge: sql += col + " >= ?"; binds.emplace_back(v.number); break;
    case Prefix::le: sql += col + " <= ?"; binds.emplace_back(v.number); break;
    case Prefix::ap: {
      const double w = std::max(std::fabs(v.number) * 0.1, v.high - v.low);
      sql += "(" + col + " >= ? AND " + col + " <= ?)";
      binds.insert(binds.end(), {v.number - w, v.number + w});
      break;
    }
  }
}

// The condition on alias x for one value; sets `selectivity` (lower = more selective).
void value_condition(const Criterion& c, const Value& v, const std::string& base, std::string& sql,
                     std::vector<Bind>& binds, int& selectivity) {
  const ParamType type = c.param->type;
  switch (type) {
    case ParamType::string:
      if (c.modifier == "exact") {
        sql += "x.exact = ?";
        binds.emplace_back(v.code);
        selectivity = std::min(selectivity, 3);
      } else if (c.modifier == "contains") {
        sql += "x.norm LIKE ? ESCAPE '\\'";
        binds.emplace_back(like_contains(normalize_text(v.code)));
      } else {
        const std::string norm = normalize_text(v.code);
        sql += "(x.norm >= ? AND x.norm < ?)";
        binds.emplace_back(norm);
        binds.emplace_back(prefix_upper_bound(norm));
        selectivity = std::min(selectivity, 4);
      }
      return;
    case ParamType::token:
      if (c.modifier == "text") {
        sql += "x.text LIKE ? ESCAPE '\\'";
        binds.emplace_back(like_contains(normalize_text(v.code)));
      } else if (c.modifier == "of-type") {
        sql += "x.of_type = ?";
        binds.emplace_back(v.of_type);
        selectivity = std::min(selectivity, 2);
      } else if (!v.system) {
        sql += "x.code = ?";
        binds.emplace_back(v.code);
        selectivity = std::min(selectivity, 4);
      } else if (v.system->empty()) {
        sql += "(x.code = ? AND x.system IS NULL)";
        binds.emplace_back(v.code);
        selectivity = std::min(selectivity, 4);
      } else if (v.code.empty()) {
        sql += "x.system = ?";
        binds.emplace_back(*v.system);
      } else {
        sql += "(x.code = ? AND x.system = ?)";
        binds.emplace_back(v.code);
        binds.emplace_back(*v.system);
        selectivity = std::min(selectivity, 2);
      }
      return;
    case ParamType::reference:
      if (!v.url.empty() && v.code.empty()) {
        sql += "x.url = ?";
        binds.emplace_back(v.url);
      } else {
        // A local reference: stored relative, or absolute under our own base.
        // The type: given ("Patient/1", subject:Patient), else the one type the parameter indexes.
        const std::string& t = !v.type.empty() ? v.type : !c.modifier.empty() ? c.modifier : c.param->sole_target;
        sql += "(x.target_id = ?";
        binds.emplace_back(v.code);
        if (!t.empty()) {
          sql += " AND x.target_type = ?";
          binds.emplace_back(t);
        }
        sql += " AND (x.url IS NULL OR substr(x.url, 1, ?) = ?))";
        binds.emplace_back(static_cast<std::int64_t>(base.size()));
        binds.emplace_back(base);
      }
      selectivity = std::min(selectivity, 1);
      return;
    case ParamType::date:
      date_condition(v.prefix, v.time, "x.low", "x.high", sql, binds);
      selectivity = std::min(selectivity, 6);
      return;
    case ParamType::number:
      number_condition(v.prefix, v, "x.value", sql, binds);
      selectivity = std::min(selectivity, 7);
      return;
    case ParamType::quantity: {
      sql += "(";
      number_condition(v.prefix, v, "x.value", sql, binds);
      if (v.system) {
        sql += " AND x.system = ?";
        binds.emplace_back(*v.system);
      }
      if (!v.code.empty()) {
        sql += " AND (x.code = ? OR x.unit = ?)";
        binds.emplace_back(v.code);
        binds.emplace_back(v.code);
      }
      sql += ")";
      selectivity = std::min(selectivity, 7);
      return;
    }
    case ParamType::uri:
      // :below / :above follow URL path segments: ".../ValueSet/12" is not above ".../ValueSet/123".
      if (c.modifier == "below") {
        const std::string below = v.code.ends_with("/") ? v.code : v.code + "/";
        sql += "(x.value = ? OR (x.value >= ? AND x.value < ?))";
        binds.emplace_back(v.code);
        binds.emplace_back(below);
        binds.emplace_back(prefix_upper_bound(below));
      } else if (c.modifier == "above") {
        sql += "(x.value = ? OR substr(?, 1, length(x.value) + 1) = x.value || '/' OR "
               "(substr(x.value, -1) = '/' AND substr(?, 1, length(x.value)) = x.value))";
        binds.emplace_back(v.code);
        binds.emplace_back(v.code);
        binds.emplace_back(v.code);
      } else {
        sql += "x.value = ?";
        binds.emplace_back(v.code);
        selectivity = std::min(selectivity, 3);
      }
      return;
    default:
      sql += "0";
      return;
  }
}

}  // namespace

// Conditions over `alias` for a clause; the driver form uses IN, the others EXISTS. `alias` may
// itself be "{r}" (a clause nested in another plain clause).
std::string render(const Clause& cl, const std::string& alias, bool driver) {
  if (!cl.plain.empty()) {
    std::string out = cl.plain;
    for (auto pos = out.find("{r}"); pos != std::string::npos; pos = out.find("{r}", pos + alias.size())) {
      out.replace(pos, 3, alias);
    }
    return cl.negated ? "NOT (" + out + ")" : out;
  }
  if (driver) return alias + ".rid IN (" + cl.subquery + ")";
  return std::string(cl.negated ? "NOT " : "") + "EXISTS (" + cl.subquery + " AND x.rid = " + alias + ".rid)";
}

// Combines clauses over `alias`: the best positive subquery drives, the rest filter.
// `drivers`: false renders every subquery as a correlated EXISTS (for conditions checked row by row).
SqlFragment combine(std::vector<Clause>& clauses, const std::string& alias, bool drivers) {
  std::stable_sort(clauses.begin(), clauses.end(), [](const Clause& a, const Clause& b) {
    const bool da = !a.negated && !a.subquery.empty(), db = !b.negated && !b.subquery.empty();
    if (da != db) return da;
    return a.priority < b.priority;
  });
  SqlFragment out;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const bool driver = drivers && i == 0 && !clauses[i].negated && !clauses[i].subquery.empty();
    if (!out.sql.empty()) out.sql += " AND ";
    out.sql += render(clauses[i], alias, driver);
    out.binds.insert(out.binds.end(), clauses[i].binds.begin(), clauses[i].binds.end());
  }
  return out;
}

namespace {

base::Result<Clause> special_clause(const Criterion& c) {
  Clause cl;
  if (c.modifier == "missing") return base::invalid(c.name + ": :missing is not supported on " + c.param->code);
  if (c.param->code == "_id") {
    cl.plain = "{r}.id IN (";
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      cl.plain += i ? ", ?" : "?";
      cl.binds.emplace_back(c.values[i].code);
    }
    cl.plain += ")";
    cl.negated = c.modifier == "not";
    cl.priority = 0;
    return cl;
  }
  // _lastUpdated: the resource's instant as a one-microsecond range.
  cl.plain = "(";
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    if (i) cl.plain += " OR ";
    date_condition(c.values[i].prefix, c.values[i].time, "{r}.last_updated", "({r}.last_updated + 1)", cl.plain, cl.binds);
  }
  cl.plain += ")";
  return cl;
}

}  // namespace

base::Result<Clause> compile_criterion(const Criterion& c, const ParamIds& ids, const std::string& base,
                                       const Access* access) {
  if (c.has) {
    auto ref_id = ids.id(*c.has->reference);
    if (!ref_id) return base::internal_error("no id for search parameter " + c.has->reference->code);
    FHIR_TRY(Clause inner, compile_criterion(*c.has->criterion, ids, base, access));
    std::vector<Clause> inner_clauses{std::move(inner)};
    FHIR_TRY(auto visible, type_access_clauses(access, c.has->type, ids, base));
    for (auto& v : visible) inner_clauses.push_back(std::move(v));
    SqlFragment cond = combine(inner_clauses, "h");
    Clause cl;
    cl.plain = "{r}.id IN (SELECT x.target_id FROM idx_reference x WHERE x.param = " + std::to_string(*ref_id) +
               " AND x.target_type = {r}.type AND x.rid IN (SELECT h.rid FROM resources h WHERE h.type = ? "
               "AND h.deleted = 0 AND " + cond.sql + "))";
    cl.binds.emplace_back(c.has->type);
    cl.binds.insert(cl.binds.end(), cond.binds.begin(), cond.binds.end());
    cl.priority = 5;
    return cl;
  }
  if (c.param->code == "_id" || c.param->code == "_lastUpdated") return special_clause(c);
  const char* table = index_table(c.param->type);
  auto match = ids.stored_match(*c.param);
  if (!table || !match) return base::invalid(c.name + ": this parameter cannot be searched");
  Clause cl;
  cl.subquery = std::string("SELECT x.rid FROM ") + table + " x WHERE x.param" + *match;
  if (c.chain) {
    FHIR_TRY(Clause inner, compile_criterion(*c.chain, ids, base, access));
    std::vector<Clause> inner_clauses{std::move(inner)};
    FHIR_TRY(auto visible, type_access_clauses(access, c.chain_type, ids, base));
    for (auto& v : visible) inner_clauses.push_back(std::move(v));
    SqlFragment cond = combine(inner_clauses, "t");
    cl.subquery += " AND x.target_type = ? AND x.target_id IN (SELECT t.id FROM resources t WHERE t.type = ? "
                   "AND t.deleted = 0 AND " + cond.sql + ")";
    cl.binds.emplace_back(c.chain_type);
    cl.binds.emplace_back(c.chain_type);
    cl.binds.insert(cl.binds.end(), cond.binds.begin(), cond.binds.end());
    cl.priority = 5;
    return cl;
  }
  if (c.modifier == "missing") {
    cl.negated = c.missing;  // missing=true: no row for the parameter
    return cl;
  }
  cl.negated = c.modifier == "not";
  int selectivity = 8;
  const std::size_t select_end = cl.subquery.find(" WHERE ") + 7;
  cl.subquery += " AND (";
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    if (i) cl.subquery += " OR ";
    value_condition(c, c.values[i], base, cl.subquery, cl.binds, selectivity);
  }
  cl.subquery += ")";
  cl.priority = selectivity;
  // One local reference with its target type bound: idx_reference_lookup (param, target_id,
  // target_type, rid, ...) gives the rids in order.
  if (c.param->type == ParamType::reference && !cl.negated && c.values.size() == 1 &&
      !c.values[0].code.empty() && cl.subquery.find("x.target_type = ?") != std::string::npos) {
    cl.join_table = table;
    cl.join_cond = cl.subquery.substr(select_end);
  }
  return cl;
}



namespace {

// Every clause of a search (its criteria and its access restriction), not yet combined.
base::Result<std::vector<Clause>> search_clauses(const SearchRequest& req, const ParamIds& ids) {
  std::vector<Clause> clauses;
  const std::string base = req.base_url + "/";
  for (const auto& c : req.criteria) {
    FHIR_TRY(Clause cl, compile_criterion(c, ids, base, req.access.get()));
    clauses.push_back(std::move(cl));
  }
  if (req.access && !req.type.empty()) {
    FHIR_TRY(auto visible, access_clauses(*req.access, req.type, ids, base, Form::set));
    for (auto& v : visible) clauses.push_back(std::move(v));
  } else if (req.access) {
    if (auto driver = any_type_driver(*req.access, ids)) clauses.push_back(std::move(*driver));
    FHIR_TRY(SqlFragment any, any_type_condition(*req.access, ids, base));
    Clause cl;
    cl.plain = std::move(any.sql);
    cl.binds = std::move(any.binds);
    clauses.push_back(std::move(cl));
  }
  return clauses;
}

// "r.deleted = 0" and the type condition. `driven`: rows come from a rid list or a join, so the
// type is tested on the row (unary + keeps SQLite from going through the type index for every rid).
SqlFragment row_conditions(const SearchRequest& req, bool driven) {
  SqlFragment out;
  out.sql = "r.deleted = 0";
  if (!req.type.empty()) {
    out.sql += driven ? " AND +r.type = ?" : " AND r.type = ?";
    out.binds.emplace_back(req.type);
  } else if (!req.types.empty()) {
    out.sql += " AND r.type IN (";
    for (std::size_t i = 0; i < req.types.size(); ++i) {
      out.sql += i ? ", ?" : "?";
      out.binds.emplace_back(req.types[i]);
    }
    out.sql += ")";
  }
  return out;
}

bool drives(const Clause& c) { return !c.negated && !c.subquery.empty(); }

}  // namespace

base::Result<SqlFragment> compile_where(const SearchRequest& req, const ParamIds& ids) {
  FHIR_TRY(PageSql page, compile_page(req, ids, /*allow_join=*/false));
  return std::move(page.where);
}

base::Result<PageSql> compile_page(const SearchRequest& req, const ParamIds& ids, bool allow_join) {
  FHIR_TRY(auto clauses, search_clauses(req, ids));
  PageSql out;
  const bool driven = std::any_of(clauses.begin(), clauses.end(), drives);
  if (allow_join && driven) {
    // combine()'s choice of driver: the first positive subquery clause in priority order.
    std::stable_sort(clauses.begin(), clauses.end(), [](const Clause& a, const Clause& b) {
      if (drives(a) != drives(b)) return drives(a);
      return a.priority < b.priority;
    });
    if (!clauses.front().join_table.empty()) {
      Clause driver = std::move(clauses.front());
      clauses.erase(clauses.begin());
      out.joined = true;
      out.from = driver.join_table + " x CROSS JOIN resources r ON r.rid = x.rid";
      out.rid_column = "x.rid";
      out.where.sql = driver.join_cond + " AND ";
      out.where.binds = std::move(driver.binds);
      out.where.append(row_conditions(req, true));
      if (!clauses.empty()) {
        out.where.sql += " AND ";
        out.where.append(combine(clauses, "r", /*drivers=*/false));
      }
      return out;
    }
  }
  out.from = "resources r";
  out.rid_column = "r.rid";
  out.where = row_conditions(req, driven);
  if (!clauses.empty()) {
    out.where.sql += " AND ";
    out.where.append(combine(clauses, "r"));
  }
  return out;
}

std::string sort_expression(const SortKey& key, const ParamIds& ids) {
  if (key.code == "_lastUpdated") return "r.last_updated";
  if (key.code == "_id") return "r.id";
  const std::string p = ids.stored_match(*key.param).value_or(" = -1");
  const char* agg = key.descending ? "MAX" : "MIN";
  switch (key.param->type) {
    case ParamType::date:
      return std::string("COALESCE((SELECT ") + agg + (key.descending ? "(x.high)" : "(x.low)") +
             " FROM idx_date x WHERE x.rid = r.rid AND x.param" + p + "), " +
             (key.descending ? "-9223372036854775807" : "9223372036854775807") + ")";
    case ParamType::string:
      return std::string("COALESCE((SELECT ") + agg + "(x.norm) FROM idx_string x WHERE x.rid = r.rid AND x.param" +
             p + "), " + (key.descending ? "''" : "char(1114111)") + ")";
    case ParamType::token:
      return std::string("COALESCE((SELECT ") + agg + "(x.code) FROM idx_token x WHERE x.rid = r.rid AND x.param" +
             p + "), " + (key.descending ? "''" : "char(1114111)") + ")";
    case ParamType::uri:
      return std::string("COALESCE((SELECT ") + agg + "(x.value) FROM idx_uri x WHERE x.rid = r.rid AND x.param" +
             p + "), " + (key.descending ? "''" : "char(1114111)") + ")";
    case ParamType::number:
    case ParamType::quantity:
      return std::string("COALESCE((SELECT ") + agg + "(x.value) FROM " +
             (key.param->type == ParamType::number ? "idx_number" : "idx_quantity") +
             " x WHERE x.rid = r.rid AND x.param" + p + "), " + (key.descending ? "-1e308" : "1e308") + ")";
    default:
      return "r.rid";
  }
}

}  // namespace search
