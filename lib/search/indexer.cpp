#include "search/indexer.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "model/resource_types.hpp"
#include "search/extract.hpp"

namespace search {

base::Result<std::shared_ptr<const ParamIds>> ParamIds::load(sql::Database& db, const Registry& registry) {
  auto ids = std::make_shared<ParamIds>();
  FHIR_TRY(auto conn, db.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  std::vector<std::string> types(model::resource_types().begin(), model::resource_types().end());
  types.emplace_back("Resource");
  for (const auto& type : types) {
    for (const SearchParam* p : registry.for_type(type)) {
      if (p->resource_type != type) continue;  // Resource-level params are registered once, as Resource
      sql::Query ins(*conn, "INSERT OR IGNORE INTO search_param (resource_type, code) VALUES (?, ?)");
      ins.bind_all(p->resource_type, p->code);
      FHIR_CHECK(ins.run());
    }
  }
  sql::Query q(*conn, "SELECT id, resource_type, code FROM search_param");
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    ids->ids_[{q.string_at(1), q.string_at(2)}] = q.int_at(0);
  }
  FHIR_CHECK(tx.commit());
  return std::shared_ptr<const ParamIds>(std::move(ids));
}

std::optional<std::int64_t> ParamIds::id(const SearchParam& p) const {
  auto it = ids_.find(std::make_pair(p.resource_type, p.code));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

base::Result<std::unique_ptr<Indexer>> Indexer::create(std::shared_ptr<const Registry> registry,
                                                       std::shared_ptr<const ParamIds> ids) {
  auto indexer = std::unique_ptr<Indexer>(new Indexer());
  indexer->registry_ = registry;
  indexer->ids_ = ids;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const model::fhirpath::Expression>> compiled;
  for (std::string_view type_view : model::resource_types()) {
    const std::string type(type_view);
    const auto& compartment = registry->patient_compartment(type);
    auto& entries = indexer->by_type_[type];
    for (const SearchParam* p : registry->for_type(type)) {
      if (p->expression.empty() || p->type == ParamType::composite || p->type == ParamType::special) continue;
      if (p->code == "_id" || p->code == "_lastUpdated") continue;  // answered from the resources table
      auto key = std::make_pair(p->resource_type, p->code);
      auto found = compiled.find(key);
      if (found == compiled.end()) {
        auto expr = model::fhirpath::compile(p->expression);
        if (!expr) {
          indexer->skipped_.push_back(p->resource_type + "." + p->code + ": " + expr.error().message);
          compiled[key] = nullptr;
          continue;
        }
        found = compiled.emplace(key, *expr).first;
      }
      if (!found->second) continue;
      auto id = ids->id(*p);
      if (!id) continue;
      const bool in_compartment =
          std::find(compartment.begin(), compartment.end(), p->code) != compartment.end();
      entries.push_back({p, found->second, *id, in_compartment});
    }
  }
  return indexer;
}

const std::vector<Indexer::Entry>& Indexer::entries_for(const std::string& type) const {
  static const std::vector<Entry> kNone;
  auto it = by_type_.find(type);
  return it == by_type_.end() ? kNone : it->second;
}

namespace {

constexpr const char* kIndexTables[] = {"idx_string", "idx_token", "idx_reference", "idx_date",
                                        "idx_number", "idx_quantity", "idx_uri", "compartment"};

base::Status clear(sql::Connection& conn, std::int64_t rid) {
  // One fixed statement per table (table names are constants, never input).
  static const std::vector<std::string> kDeletes = [] {
    std::vector<std::string> v;
    for (const char* t : kIndexTables) v.push_back(std::string("DELETE FROM ") + t + " WHERE rid = ?");
    return v;
  }();
  for (const auto& sql : kDeletes) {
    sql::Query q(conn, sql);
    q.bind(rid);
    FHIR_CHECK(q.run());
  }
  return {};
}

void bind_optional(sql::Query& q, const std::string& s) {
  if (s.empty()) q.bind_null(); else q.bind(s);
}

base::Status insert_rows(sql::Connection& conn, std::int64_t rid, std::int64_t param, const Extracted& x) {
  for (const auto& s : x.strings) {
    sql::Query q(conn, "INSERT INTO idx_string (rid, param, norm, exact) VALUES (?, ?, ?, ?)");
    q.bind_all(rid, param, s.norm, s.exact);
    FHIR_CHECK(q.run());
  }
  for (const auto& t : x.tokens) {
    sql::Query q(conn, "INSERT INTO idx_token (rid, param, system, code, text, of_type) VALUES (?, ?, ?, ?, ?, ?)");
    q.bind_all(rid, param);
    if (t.system) q.bind(*t.system); else q.bind_null();
    bind_optional(q, t.code);
    bind_optional(q, t.text);
    bind_optional(q, t.of_type);
    FHIR_CHECK(q.run());
  }
  for (const auto& r : x.references) {
    sql::Query q(conn, "INSERT INTO idx_reference (rid, param, target_type, target_id, url) VALUES (?, ?, ?, ?, ?)");
    q.bind_all(rid, param);
    bind_optional(q, r.type);
    bind_optional(q, r.id);
    bind_optional(q, r.url);
    FHIR_CHECK(q.run());
  }
  for (const auto& d : x.dates) {
    sql::Query q(conn, "INSERT INTO idx_date (rid, param, low, high) VALUES (?, ?, ?, ?)");
    q.bind_all(rid, param, d.low, d.high);
    FHIR_CHECK(q.run());
  }
  for (double n : x.numbers) {
    sql::Query q(conn, "INSERT INTO idx_number (rid, param, value) VALUES (?, ?, ?)");
    q.bind_all(rid, param).bind_real(n);
    FHIR_CHECK(q.run());
  }
  for (const auto& qv : x.quantities) {
    sql::Query q(conn, "INSERT INTO idx_quantity (rid, param, value, system, code, unit) VALUES (?, ?, ?, ?, ?, ?)");
    q.bind_all(rid, param).bind_real(qv.value);
    bind_optional(q, qv.system);
    bind_optional(q, qv.code);
    bind_optional(q, qv.unit);
    FHIR_CHECK(q.run());
  }
  for (const auto& u : x.uris) {
    sql::Query q(conn, "INSERT INTO idx_uri (rid, param, value) VALUES (?, ?, ?)");
    q.bind_all(rid, param, u);
    FHIR_CHECK(q.run());
  }
  return {};
}

}  // namespace

base::Status Indexer::index(sql::Connection& conn, std::int64_t rid, const std::string& type, const std::string& id,
                            const base::Json& resource) {
  std::vector<std::string> patients;
  if (type == "Patient") patients.push_back(id);
  for (const auto& e : entries_for(type)) {
    Extracted x;
    for (const auto& node : model::fhirpath::evaluate(*e.expr, resource)) extract(e.param->type, node, x);
    // Duplicate values from overlapping paths would only bloat the index.
    std::sort(x.references.begin(), x.references.end(), [](const auto& a, const auto& b) {
      return std::tie(a.type, a.id, a.url) < std::tie(b.type, b.id, b.url);
    });
    x.references.erase(std::unique(x.references.begin(), x.references.end(),
                                   [](const auto& a, const auto& b) {
                                     return a.type == b.type && a.id == b.id && a.url == b.url;
                                   }),
                       x.references.end());
    if (e.compartment) {
      for (const auto& r : x.references) {
        // Only relative references place a resource in a compartment: an absolute URL may name
        // another server's Patient with the same id.
        if (r.type == "Patient" && !r.id.empty() && r.url.empty()) patients.push_back(r.id);
      }
    }
    FHIR_CHECK(insert_rows(conn, rid, e.id, x));
  }
  std::sort(patients.begin(), patients.end());
  patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
  for (const auto& p : patients) {
    sql::Query q(conn, "INSERT INTO compartment (rid, patient_id) VALUES (?, ?)");
    q.bind_all(rid, p);
    FHIR_CHECK(q.run());
  }
  return {};
}

std::vector<std::string> Indexer::compartment_of(const std::string& type, const std::string& id,
                                                 const base::Json& resource) const {
  std::vector<std::string> patients;
  if (type == "Patient") patients.push_back(id);
  for (const auto& e : entries_for(type)) {
    if (!e.compartment) continue;
    Extracted x;
    for (const auto& node : model::fhirpath::evaluate(*e.expr, resource)) extract(e.param->type, node, x);
    for (const auto& r : x.references) {
      if (r.type == "Patient" && !r.id.empty() && r.url.empty()) patients.push_back(r.id);
    }
  }
  std::sort(patients.begin(), patients.end());
  patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
  return patients;
}

base::Status Indexer::on_write(sql::Connection& conn, std::int64_t rid, const store::StoredResource& resource,
                               const base::Json* parsed) {
  // A first version has no rows to replace (a resurrected resource has version > 1).
  if (resource.version != 1) FHIR_CHECK(clear(conn, rid));
  if (resource.deleted) return {};
  if (parsed) return index(conn, rid, resource.type, resource.id, *parsed);
  FHIR_TRY(auto json, base::parse_json(resource.json));
  return index(conn, rid, resource.type, resource.id, json);
}

base::Result<std::int64_t> Indexer::reindex_all(sql::Database& db, int batch) {
  std::int64_t done = 0;
  std::int64_t after = 0;
  while (true) {
    FHIR_TRY(auto conn, db.writer());
    sql::Transaction tx(*conn);
    FHIR_CHECK(tx.begin_status());
    std::vector<std::tuple<std::int64_t, std::string, std::string, std::string>> rows;
    {
      sql::Query q(*conn, "SELECT rid, type, id, json FROM resources WHERE rid > ? AND deleted = 0 ORDER BY rid LIMIT ?");
      q.bind_all(after, static_cast<std::int64_t>(batch));
      while (true) {
        FHIR_TRY(bool row, q.step());
        if (!row) break;
        rows.emplace_back(q.int_at(0), q.string_at(1), q.string_at(2), q.string_at(3));
      }
    }
    if (rows.empty()) break;
    for (const auto& [rid, type, id, text] : rows) {
      FHIR_CHECK(clear(*conn, rid));
      FHIR_TRY(auto json, base::parse_json(text));
      FHIR_CHECK(index(*conn, rid, type, id, json));
      after = rid;
      ++done;
    }
    FHIR_CHECK(tx.commit());
  }
  return done;
}

}  // namespace search
