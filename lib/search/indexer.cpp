#include "search/indexer.hpp"

#include <algorithm>
#include <tuple>
#include <nlohmann/json.hpp>

#include "model/resource_types.hpp"
#include "search/extract.hpp"
#include "sql/multi_insert.hpp"

namespace search {

const char* index_table(ParamType t) {
  switch (t) {
    case ParamType::string: return "idx_string";
    case ParamType::token: return "idx_token";
    case ParamType::reference: return "idx_reference";
    case ParamType::date: return "idx_date";
    case ParamType::number: return "idx_number";
    case ParamType::quantity: return "idx_quantity";
    case ParamType::uri: return "idx_uri";
    default: return nullptr;
  }
}

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
  // Rows that a parameter stored as others (SearchParam::stored_as) got from an earlier version
  // are never read: drop them (the lookup index finds them by param; none after the first time).
  for (const auto& type : types) {
    for (const SearchParam* p : registry.for_type(type)) {
      const char* table = index_table(p->type);
      auto id = ids->id(*p);
      if (p->resource_type != type || p->stored_as.empty() || !table || !id) continue;
      sql::Query del(*conn, std::string("DELETE FROM ") + table + " WHERE param = ?");
      del.bind(*id);
      FHIR_CHECK(del.run());
    }
  }
  FHIR_CHECK(tx.commit());
  return std::shared_ptr<const ParamIds>(std::move(ids));
}

std::optional<std::int64_t> ParamIds::id(const SearchParam& p) const {
  auto it = ids_.find(std::make_pair(p.resource_type, p.code));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::int64_t> ParamIds::stored_ids(const SearchParam& p) const {
  std::vector<std::int64_t> out;
  if (p.stored_as.empty()) {
    if (auto own = id(p)) out.push_back(*own);
    return out;
  }
  for (const SearchParam* part : p.stored_as) {
    auto ids = stored_ids(*part);  // parts have fewer union terms: this ends
    if (ids.empty()) return {};
    out.insert(out.end(), ids.begin(), ids.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<std::string> ParamIds::stored_match(const SearchParam& p) const {
  const auto ids = stored_ids(p);
  if (ids.empty()) return std::nullopt;
  if (ids.size() == 1) return " = " + std::to_string(ids.front());
  std::string sql = " IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) sql += (i ? "," : "") + std::to_string(ids[i]);
  return sql + ")";
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
      if (!p->stored_as.empty()) continue;  // its rows are those of the parameters it is stored as
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

// The rows' strings live in the Rows being inserted, which outlive each statement: bound
// without a copy.
void bind_optional(sql::Query& q, const std::string& s) {
  if (s.empty()) q.bind_null(); else q.bind_static(s);
}

template <class V>
struct Row {
  std::int64_t rid;
  std::int64_t param;
  const V* value;
};

}  // namespace

struct Indexer::Rows final : store::HookData {
  std::vector<std::pair<std::int64_t, Extracted>> params;  // (search_param id, values), non-empty only
  std::vector<std::string> patients;                       // compartment, sorted, unique
  std::size_t count() const {
    std::size_t n = patients.size();
    for (const auto& [param, x] : params) {
      n += x.strings.size() + x.tokens.size() + x.references.size() + x.dates.size() + x.numbers.size() +
           x.quantities.size() + x.uris.size();
    }
    return n;
  }
};

base::Status Indexer::insert(sql::Connection& conn, const std::vector<std::pair<std::int64_t, const Rows*>>& items) {
  static const sql::MultiInsert kString("INSERT OR FAIL INTO idx_string (rid, param, norm, exact)", 4);
  static const sql::MultiInsert kToken("INSERT OR FAIL INTO idx_token (rid, param, system, code, text, of_type)", 6);
  static const sql::MultiInsert kReference("INSERT OR FAIL INTO idx_reference (rid, param, target_type, target_id, url)", 5);
  static const sql::MultiInsert kDate("INSERT OR FAIL INTO idx_date (rid, param, low, high)", 4);
  static const sql::MultiInsert kNumber("INSERT OR FAIL INTO idx_number (rid, param, value)", 3);
  static const sql::MultiInsert kQuantity("INSERT OR FAIL INTO idx_quantity (rid, param, value, system, code, unit)", 6);
  static const sql::MultiInsert kUri("INSERT OR FAIL INTO idx_uri (rid, param, value)", 3);
  static const sql::MultiInsert kCompartment("INSERT OR FAIL INTO compartment (rid, patient_id)", 2);

  std::vector<Row<StringValue>> strings;
  std::vector<Row<TokenValue>> tokens;
  std::vector<Row<ReferenceValue>> references;
  std::vector<Row<DateValue>> dates;
  std::vector<Row<double>> numbers;
  std::vector<Row<QuantityValue>> quantities;
  std::vector<Row<std::string>> uris;
  std::vector<Row<std::string>> patients;
  for (const auto& [rid, rows] : items) {
    for (const auto& [param, x] : rows->params) {
      for (const auto& v : x.strings) strings.push_back({rid, param, &v});
      for (const auto& v : x.tokens) tokens.push_back({rid, param, &v});
      for (const auto& v : x.references) references.push_back({rid, param, &v});
      for (const auto& v : x.dates) dates.push_back({rid, param, &v});
      for (const auto& v : x.numbers) numbers.push_back({rid, param, &v});
      for (const auto& v : x.quantities) quantities.push_back({rid, param, &v});
      for (const auto& v : x.uris) uris.push_back({rid, param, &v});
    }
    for (const auto& p : rows->patients) patients.push_back({rid, 0, &p});
  }
  // In the order of each table's (rid, param, ...) index, so that SQLite appends to it instead of
  // searching it from the root for every row.
  auto by_rid = [](const auto& a, const auto& b) { return std::tie(a.rid, a.param) < std::tie(b.rid, b.param); };
  std::stable_sort(strings.begin(), strings.end(), by_rid);
  std::stable_sort(tokens.begin(), tokens.end(), [](const Row<TokenValue>& a, const Row<TokenValue>& b) {
    return std::tie(a.rid, a.param, a.value->code) < std::tie(b.rid, b.param, b.value->code);
  });
  std::stable_sort(references.begin(), references.end(), by_rid);
  std::stable_sort(dates.begin(), dates.end(), by_rid);
  std::stable_sort(numbers.begin(), numbers.end(), by_rid);
  std::stable_sort(quantities.begin(), quantities.end(), by_rid);
  std::stable_sort(uris.begin(), uris.end(), by_rid);
  FHIR_CHECK(kString.run(conn, strings, [](sql::Query& q, const Row<StringValue>& r) {
    q.bind_all(r.rid, r.param).bind_static(r.value->norm).bind_static(r.value->exact);
  }));
  FHIR_CHECK(kToken.run(conn, tokens, [](sql::Query& q, const Row<TokenValue>& r) {
    q.bind_all(r.rid, r.param);
    if (r.value->system) q.bind_static(*r.value->system); else q.bind_null();
    bind_optional(q, r.value->code);
    bind_optional(q, r.value->text);
    bind_optional(q, r.value->of_type);
  }));
  FHIR_CHECK(kReference.run(conn, references, [](sql::Query& q, const Row<ReferenceValue>& r) {
    q.bind_all(r.rid, r.param);
    bind_optional(q, r.value->type);
    bind_optional(q, r.value->id);
    bind_optional(q, r.value->url);
  }));
  FHIR_CHECK(kDate.run(conn, dates, [](sql::Query& q, const Row<DateValue>& r) {
    q.bind_all(r.rid, r.param, r.value->low, r.value->high);
  }));
  FHIR_CHECK(kNumber.run(conn, numbers, [](sql::Query& q, const Row<double>& r) {
    q.bind_all(r.rid, r.param).bind_real(*r.value);
  }));
  FHIR_CHECK(kQuantity.run(conn, quantities, [](sql::Query& q, const Row<QuantityValue>& r) {
    q.bind_all(r.rid, r.param).bind_real(r.value->value);
    bind_optional(q, r.value->system);
    bind_optional(q, r.value->code);
    bind_optional(q, r.value->unit);
  }));
  FHIR_CHECK(kUri.run(conn, uris, [](sql::Query& q, const Row<std::string>& r) {
    q.bind_all(r.rid, r.param).bind_static(*r.value);
  }));
  FHIR_CHECK(kCompartment.run(conn, patients, [](sql::Query& q, const Row<std::string>& r) {
    q.bind(r.rid).bind_static(*r.value);
  }));
  return {};
}

void Indexer::compute(const std::string& type, const std::string& id, const base::Json& resource, Rows& out) const {
  if (type == "Patient") out.patients.push_back(id);
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
        if (r.type == "Patient" && !r.id.empty() && r.url.empty()) out.patients.push_back(r.id);
      }
    }
    if (x.strings.empty() && x.tokens.empty() && x.references.empty() && x.dates.empty() && x.numbers.empty() &&
        x.quantities.empty() && x.uris.empty()) {
      continue;
    }
    out.params.emplace_back(e.id, std::move(x));
  }
  std::sort(out.patients.begin(), out.patients.end());
  out.patients.erase(std::unique(out.patients.begin(), out.patients.end()), out.patients.end());
}

base::Status Indexer::index(sql::Connection& conn, std::int64_t rid, const std::string& type, const std::string& id,
                            const base::Json& resource) {
  Rows rows;
  compute(type, id, resource, rows);
  return insert(conn, {{rid, &rows}});
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
  FHIR_CHECK(flush_pending(conn));
  // A first version has no rows to replace (a resurrected resource has version > 1).
  if (resource.version != 1) FHIR_CHECK(clear(conn, rid));
  if (resource.deleted) return {};
  if (parsed) return index(conn, rid, resource.type, resource.id, *parsed);
  FHIR_TRY(auto json, base::parse_json(resource.json));
  return index(conn, rid, resource.type, resource.id, json);
}

std::unique_ptr<store::HookData> Indexer::prepare(const std::string& type, const std::string& id,
                                                  const base::Json& stamped) const {
  auto rows = std::make_unique<Rows>();
  compute(type, id, stamped, *rows);
  return rows;
}

base::Status Indexer::on_prepared_write(sql::Connection& conn, std::int64_t rid,
                                        const store::StoredResource& resource, const store::HookData* data) {
  const auto* rows = dynamic_cast<const Rows*>(data);
  if (!rows || resource.deleted) return store::WriteHook::on_prepared_write(conn, rid, resource, data);
  if (resource.version != 1) {
    FHIR_CHECK(flush_pending(conn));  // this resource's earlier rows may still be waiting
    FHIR_CHECK(clear(conn, rid));
  }
  pending_.emplace_back(rid, rows);
  pending_rows_ += rows->count();
  if (pending_rows_ >= kPendingRows) return flush_pending(conn);
  return {};
}

base::Status Indexer::flush_pending(sql::Connection& conn) {
  if (pending_.empty()) return {};
  auto s = insert(conn, pending_);
  pending_.clear();
  pending_rows_ = 0;
  return s;
}

base::Status Indexer::before_commit(store::WriteTx& tx) { return flush_pending(tx.connection()); }

void Indexer::end_transaction() {
  pending_.clear();
  pending_rows_ = 0;
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
      FHIR_CHECK(clear(*conn, rid));  // reindex runs outside store transactions: nothing is pending
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
