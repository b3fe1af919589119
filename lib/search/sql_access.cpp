// Access restrictions (search/access.hpp) compiled to SQL: what a patient-level or filtered grant
// lets a search, a read or an _include see, as a set that drives a search or as a test of one row.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "search/access.hpp"
#include "search/sql_clause.hpp"
#include "search/sql_compiler.hpp"

namespace search {
namespace {

// A compartment row c whose resource is not a Group with another patient among its members.
constexpr const char* kSoleGroup =
    "NOT EXISTS (SELECT 1 FROM compartment c2 JOIN resources g ON g.rid = c2.rid WHERE c2.rid = c.rid "
    "AND c2.patient_id <> c.patient_id AND g.type = 'Group')";
// The same for the referencing row rf (rf.rid = c.rid), so that it is tested only for the
// references that match, not for every compartment row.
constexpr const char* kSoleGroupRf =
    "NOT EXISTS (SELECT 1 FROM compartment c2 JOIN resources g ON g.rid = c2.rid WHERE c2.rid = rf.rid "
    "AND c2.patient_id <> c.patient_id AND g.type = 'Group')";

// Set: rids in the patient's compartment (alias x). One bind: the patient.
constexpr const char* kCompartmentSet = "SELECT x.rid FROM compartment x WHERE x.patient_id = ?";
// Row: {r} is in the patient's compartment. One bind: the patient.
constexpr const char* kCompartmentRow = "EXISTS (SELECT 1 FROM compartment c WHERE c.rid = {r}.rid AND c.patient_id = ?)";

// Set: rids of the resources referenced (relative references) from the patient's visible
// compartment resources (alias x); `typed` adds "AND x.type = ?". Binds: patient[, type].
std::string referenced_set(bool typed) {
  return std::string(
             "SELECT x.rid FROM compartment c JOIN idx_reference rf ON rf.rid = c.rid "
             "JOIN resources x ON x.type = rf.target_type AND x.id = rf.target_id "
             "WHERE c.patient_id = ? AND rf.url IS NULL AND ") +
         kSoleGroup + (typed ? " AND x.type = ?" : "");
}
// Row: {r} is referenced from the patient's visible compartment resources. One bind: the patient.
std::string referenced_row() {
  return std::string(
             "EXISTS (SELECT 1 FROM compartment c JOIN idx_reference rf ON rf.rid = c.rid WHERE c.patient_id = ? "
             "AND rf.target_id = {r}.id AND rf.target_type = {r}.type AND rf.url IS NULL AND ") +
         kSoleGroupRf + ")";
}

// Row: every reference of parameter `pid` of {r} points (relatively) at a resource in the
// patient's visible compartment, and there is at least one. One bind: the patient.
std::string via_row(std::int64_t pid) {
  const std::string p = std::to_string(pid);
  return "(EXISTS (SELECT 1 FROM idx_reference v WHERE v.rid = {r}.rid AND v.param = " + p +
         // (+v.param: look the row's references up by rid, not every reference of the parameter)
         ") AND NOT EXISTS (SELECT 1 FROM idx_reference v WHERE v.rid = {r}.rid AND +v.param = " + p +
         " AND NOT (v.url IS NULL AND EXISTS (SELECT 1 FROM resources t JOIN compartment c ON c.rid = t.rid "
         "WHERE t.type = v.target_type AND t.id = v.target_id AND c.patient_id = ? AND " + kSoleGroup + "))))";
}
// Set: rids that may pass via_row(pid): a reference of `pid` into the compartment (alias v). One
// bind: the patient.
std::string via_candidates(std::int64_t pid) {
  return "SELECT v.rid FROM compartment c JOIN resources t ON t.rid = c.rid JOIN idx_reference v ON v.param = " +
         std::to_string(pid) + " AND v.target_id = t.id AND v.target_type = t.type WHERE c.patient_id = ?";
}

base::Result<std::vector<std::int64_t>> via_ids(const TypeAccess& ta, const ParamIds& ids) {
  std::vector<std::int64_t> out;
  for (const SearchParam* p : ta.via) {
    auto id = ids.id(*p);
    if (!id) return base::internal_error("no id for search parameter " + p->resource_type + "." + p->code);
    out.push_back(*id);
  }
  return out;
}

}  // namespace

// The clauses (over {r}) restricting a row known to be of `type` to what `access` lets be seen.
base::Result<std::vector<Clause>> access_clauses(const Access& access, std::string_view type, const ParamIds& ids,
                                                 const std::string& base, Form form) {
  std::vector<Clause> out;
  const TypeAccess* ta = access.find(type);
  if (!ta) {
    Clause none;
    none.plain = "0";
    out.push_back(std::move(none));
    return out;
  }
  const std::string& patient = access.patient;
  switch (ta->reach) {
    case Reach::all:
      break;
    case Reach::patient_self: {
      Clause cl;
      cl.plain = "{r}.id = ?";
      cl.binds.emplace_back(patient);
      cl.priority = 0;
      out.push_back(std::move(cl));
      break;
    }
    case Reach::compartment:
    case Reach::compartment_sole:
    case Reach::referenced: {
      const bool in_compartment = ta->reach != Reach::referenced;
      FHIR_TRY(auto via, via_ids(*ta, ids));
      // Row: (base OR via...). Set: the base set drives (widened by the via candidates, then the
      // exact row test filters).
      Clause exact;
      exact.plain = in_compartment ? kCompartmentRow : referenced_row();
      exact.binds.emplace_back(patient);
      for (std::int64_t pid : via) {
        exact.plain += " OR " + via_row(pid);
        exact.binds.emplace_back(patient);
      }
      if (!via.empty()) exact.plain = "(" + exact.plain + ")";
      if (form == Form::row) {
        out.push_back(std::move(exact));
      } else {
        // Priority 1: a reference criterion given first (e.g. patient=<the patient>, which picks
        // the type's rows only) still drives; otherwise the patient's set does.
        Clause driver;
        driver.priority = 1;
        driver.subquery = in_compartment ? std::string(kCompartmentSet) : referenced_set(true);
        if (in_compartment && via.empty()) {
          // compartment_patient (patient_id, rid) gives the rids in order.
          driver.join_table = "compartment";
          driver.join_cond = "x.patient_id = ?";
        }
        driver.binds.emplace_back(patient);
        if (!in_compartment) driver.binds.emplace_back(std::string(type));
        if (!via.empty()) {
          driver.subquery = "SELECT x.rid FROM (" + driver.subquery;
          for (std::int64_t pid : via) {
            driver.subquery += " UNION " + via_candidates(pid);
            driver.binds.emplace_back(patient);
          }
          driver.subquery += ") x WHERE 1";
        }
        out.push_back(std::move(driver));
        if (!via.empty()) out.push_back(std::move(exact));
      }
      if (ta->reach == Reach::compartment_sole) {
        Clause sole;
        sole.plain = "NOT EXISTS (SELECT 1 FROM compartment c2 WHERE c2.rid = {r}.rid AND c2.patient_id <> ?)";
        sole.binds.emplace_back(patient);
        out.push_back(std::move(sole));
      }
      break;
    }
  }
  if (ta->any_of.empty()) return out;
  std::vector<SqlFragment> alternatives;
  for (const auto& alternative : ta->any_of) {
    std::vector<Clause> clauses;
    for (const auto& c : alternative) {
      FHIR_TRY(Clause cl, compile_criterion(c, ids, base, nullptr));
      clauses.push_back(std::move(cl));
    }
    if (ta->any_of.size() == 1 && form == Form::set) {
      for (auto& cl : clauses) out.push_back(std::move(cl));
      return out;
    }
    alternatives.push_back(combine(clauses, "{r}", false));
  }
  Clause any;
  any.plain = "(";
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    any.plain += (i ? " OR (" : "(") + alternatives[i].sql + ")";
    any.binds.insert(any.binds.end(), alternatives[i].binds.begin(), alternatives[i].binds.end());
  }
  any.plain += ")";
  out.push_back(std::move(any));
  return out;
}

base::Result<std::vector<Clause>> type_access_clauses(const Access* access, std::string_view type, const ParamIds& ids,
                                                      const std::string& base) {
  if (!access) return std::vector<Clause>{};
  return access_clauses(*access, type, ids, base, Form::set);
}

namespace {

// A literal list of type names ('A', 'B'): our own constant names from the access map, never input.
std::string type_list(const std::vector<std::string_view>& types) {
  std::string out;
  for (auto t : types) out += std::string(out.empty() ? "'" : ", '") + std::string(t) + "'";
  return out;
}

}  // namespace

// The row condition over {r} for a row of any type: per reach, the unfiltered types share one test.
base::Result<SqlFragment> any_type_condition(const Access& access, const ParamIds& ids, const std::string& base) {
  std::vector<std::string_view> all, self, compartment, referenced;
  std::vector<std::string_view> single;  // filtered, via or sole: one condition each
  for (const auto& [type, ta] : access.types) {
    const bool simple = ta.any_of.empty() && ta.via.empty();
    if (!simple || ta.reach == Reach::compartment_sole) single.push_back(type);
    else if (ta.reach == Reach::all) all.push_back(type);
    else if (ta.reach == Reach::patient_self) self.push_back(type);
    else if (ta.reach == Reach::compartment) compartment.push_back(type);
    else referenced.push_back(type);
  }
  SqlFragment out;
  auto add = [&](const std::string& sql) { out.sql += (out.sql.empty() ? "(" : " OR (") + sql + ")"; };
  if (!all.empty()) add("{r}.type IN (" + type_list(all) + ")");
  if (!self.empty()) {
    add("{r}.type IN (" + type_list(self) + ") AND {r}.id = ?");
    out.binds.emplace_back(access.patient);
  }
  if (!compartment.empty()) {
    add("{r}.type IN (" + type_list(compartment) + ") AND " + kCompartmentRow);
    out.binds.emplace_back(access.patient);
  }
  if (!referenced.empty()) {
    add("{r}.type IN (" + type_list(referenced) + ") AND " + referenced_row());
    out.binds.emplace_back(access.patient);
  }
  for (auto type : single) {
    FHIR_TRY(auto clauses, access_clauses(access, type, ids, base, Form::row));
    SqlFragment cond = combine(clauses, "{r}", false);
    add("{r}.type = ? AND " + cond.sql);
    out.binds.emplace_back(std::string(type));
    out.binds.insert(out.binds.end(), cond.binds.begin(), cond.binds.end());
  }
  if (out.sql.empty()) out.sql = "0";
  else out.sql = "(" + out.sql + ")";
  return out;
}

// A driver for a system-level search when every type is patient-restricted: the union of the
// sets the types' rules draw from (otherwise nothing drives and every resource would be tested).
std::optional<Clause> any_type_driver(const Access& access, const ParamIds& ids) {
  bool compartment = false, referenced = false;
  std::vector<std::int64_t> via;
  for (const auto& [type, ta] : access.types) {
    if (ta.reach == Reach::all) return std::nullopt;
    if (ta.reach == Reach::referenced) referenced = true;
    else compartment = true;  // the Patient itself is in its own compartment
    auto v = via_ids(ta, ids);
    if (v) via.insert(via.end(), v->begin(), v->end());
  }
  if (!compartment && !referenced) return std::nullopt;
  Clause cl;
  cl.priority = 0;
  std::string sets;
  auto add = [&](const std::string& sql) { sets += (sets.empty() ? "" : " UNION ") + sql; };
  if (compartment) add(kCompartmentSet);
  if (compartment) cl.binds.emplace_back(access.patient);
  if (referenced) {
    add(referenced_set(false));
    cl.binds.emplace_back(access.patient);
  }
  for (std::int64_t pid : via) {
    add(via_candidates(pid));
    cl.binds.emplace_back(access.patient);
  }
  cl.subquery = "SELECT x.rid FROM (" + sets + ") x WHERE 1";
  return cl;
}

namespace {

std::string substitute(std::string sql, const std::string& alias) {
  for (auto pos = sql.find("{r}"); pos != std::string::npos; pos = sql.find("{r}", pos + alias.size())) {
    sql.replace(pos, 3, alias);
  }
  return sql;
}

}  // namespace

base::Result<SqlFragment> access_condition(const Access& access, std::string_view type, const std::string& alias,
                                           const ParamIds& ids, const std::string& base) {
  if (type.empty()) {
    FHIR_TRY(SqlFragment cond, any_type_condition(access, ids, base));
    cond.sql = substitute(std::move(cond.sql), alias);
    return cond;
  }
  FHIR_TRY(auto clauses, access_clauses(access, type, ids, base, Form::row));
  if (clauses.empty()) return SqlFragment{"1", {}};
  return combine(clauses, alias, false);
}

std::optional<SqlFragment> referenced_via(const Access& access, const std::string& alias, const std::string& ref) {
  std::vector<std::string_view> types;
  for (const auto& [type, ta] : access.types) {
    if (ta.reach == Reach::referenced && ta.any_of.empty()) types.push_back(type);
  }
  if (types.empty()) return std::nullopt;
  SqlFragment out;
  out.sql = "(" + alias + ".type IN (" + type_list(types) + ") AND " + ref + ".url IS NULL AND EXISTS (SELECT 1 FROM "
            "compartment c WHERE c.rid = " + ref + ".rid AND c.patient_id = ? AND " + kSoleGroup + "))";
  out.binds.emplace_back(access.patient);
  return out;
}
}  // namespace search
