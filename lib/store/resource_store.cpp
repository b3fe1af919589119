#include "store/resource_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/fhir_time.hpp"
#include "base/uuid.hpp"
#include "sql/multi_insert.hpp"
#include "store/stamped_json.hpp"

namespace store {
namespace {

// History rows put_prepared keeps back before it writes them (sql::MultiInsert).
constexpr std::size_t kHistoryRowsKeptBack = 64;

struct Current {
  std::int64_t rid = 0;
  std::int64_t version = 0;
  std::int64_t last_updated_us = 0;
  bool deleted = false;
};

base::Result<std::optional<Current>> find_current(sql::Connection& conn, std::string_view type,
                                                  std::string_view id) {
  sql::Query q(conn, "SELECT rid, version, last_updated, deleted FROM resources WHERE type = ? AND id = ?");
  q.bind_all(type, id);
  FHIR_TRY(bool row, q.step());
  if (!row) return std::optional<Current>{};
  return std::optional<Current>(Current{q.int_at(0), q.int_at(1), q.int_at(2), q.int_at(3) != 0});
}

// The history row of a resource's current version stores no json (NULL): it is the json in
// `resources`, written once instead of twice (a bulk load writes a quarter fewer bytes). The row
// gets its own copy when a later version or a delete replaces it (keep_history_json), so a NULL
// json of a non-DELETE row always means "the current json of this rid". Rows written before this
// hold their json; both read the same (kHistoryJson).
constexpr const char* kHistoryJson = "COALESCE(h.json, (SELECT c.json FROM resources c WHERE c.rid = h.rid))";

// Before `rid`'s current version `version` is replaced: copies its json into its history row.
base::Status keep_history_json(sql::Connection& conn, std::int64_t rid, std::int64_t version) {
  sql::Query q(conn,
               "UPDATE resource_history SET json = (SELECT json FROM resources WHERE rid = ?) "
               "WHERE rid = ? AND version = ? AND json IS NULL AND method <> 'DELETE'");
  q.bind_all(rid, rid, version);
  return q.run();
}

base::Error gone_error(std::string_view type, std::string_view id, std::int64_t version,
                       std::int64_t when_us) {
  return base::make_error(base::ErrorCode::gone, std::string(type) + "/" + std::string(id) +
                                                     " was deleted (version " + std::to_string(version) +
                                                     ", " + base::format_instant(when_us) + ")");
}

base::Error missing_error(std::string_view type, std::string_view id) {
  return base::not_found(std::string(type) + "/" + std::string(id) + " is not known");
}

base::Error version_mismatch(std::int64_t expected, std::int64_t actual) {
  return base::make_error(base::ErrorCode::precondition_failed,
                          "If-Match asked for version " + std::to_string(expected) +
                              " but the current version is " + std::to_string(actual));
}

}  // namespace

base::Result<WriteResult> WriteTx::put_version(std::string_view type, std::string_view id,
                                               base::Json* resource, const char* method) {
  FHIR_CHECK(flush_history());  // history in write order
  FHIR_TRY(auto current, find_current(conn_, type, id));
  const bool is_delete = resource == nullptr;
  WriteResult out;
  out.resource.type = std::string(type);
  out.resource.id = std::string(id);
  out.resource.version = current ? current->version + 1 : 1;
  out.resource.last_updated_us = now_us_;
  out.resource.deleted = is_delete;
  out.created = !current || current->deleted;

  base::Json stamped;
  if (!is_delete) {
    base::Json& r = *resource;
    // Keep resourceType first and id second, whatever order the client sent.
    stamped = base::Json::object();
    stamped["resourceType"] = std::string(type);
    stamped["id"] = std::string(id);
    // Build meta first: ordered_json stores members in a vector, so a reference into `stamped`
    // would not survive the insertions below.
    base::Json meta = base::Json::object();
    if (auto m = r.find("meta"); m != r.end() && m->is_object()) meta = std::move(*m);
    meta["versionId"] = std::to_string(out.resource.version);
    meta["lastUpdated"] = base::format_instant(now_us_);
    stamped["meta"] = std::move(meta);
    for (auto it = r.begin(); it != r.end(); ++it) {
      if (it.key() == "resourceType" || it.key() == "id" || it.key() == "meta") continue;
      stamped[it.key()] = std::move(it.value());
    }
    out.resource.json = base::dump_compact(stamped);
  }

  std::int64_t rid = 0;
  if (current) {
    rid = current->rid;
    FHIR_CHECK(keep_history_json(conn_, rid, current->version));
    sql::Query q(conn_,
                 "UPDATE resources SET version = ?, last_updated = ?, deleted = ?, json = ? WHERE rid = ?");
    q.bind_all(out.resource.version, now_us_, static_cast<std::int64_t>(is_delete ? 1 : 0));
    if (is_delete) q.bind_null(); else q.bind(out.resource.json);
    q.bind(rid);
    FHIR_CHECK(q.run());
  } else {
    sql::Query q(conn_,
                 "INSERT INTO resources (type, id, version, last_updated, deleted, json) "
                 "VALUES (?, ?, ?, ?, 0, ?) RETURNING rid");
    q.bind_all(type, id, out.resource.version, now_us_, out.resource.json);
    FHIR_TRY(bool row, q.step());
    if (!row) return base::internal_error("insert returned no rid");
    rid = q.int_at(0);
    next_rid_ = 0;  // put_prepared reads the largest rid again
  }
  {
    sql::Query q(conn_,
                 "INSERT INTO resource_history (rid, type, id, version, last_updated, method) "
                 "VALUES (?, ?, ?, ?, ?, ?)");  // no json: see kHistoryJson
    q.bind_all(rid, type, id, out.resource.version, now_us_, method);
    FHIR_CHECK(q.run());
  }
  for (WriteHook* hook : hooks_) FHIR_CHECK(hook->on_write(conn_, rid, out.resource, is_delete ? nullptr : &stamped));
  return out;
}

base::Status WriteHook::on_prepared_write(sql::Connection& conn, std::int64_t rid, const StoredResource& resource,
                                          const HookData*) {
  if (resource.deleted) return on_write(conn, rid, resource, nullptr);
  FHIR_TRY(auto parsed, base::parse_json(resource.json));
  return on_write(conn, rid, resource, &parsed);
}

PreparedResource ResourceStore::prepare(const std::string& type, std::string id, base::Json& resource,
                                        std::int64_t now_us) const {
  PreparedResource p;
  p.method = id.empty() ? "POST" : "PUT";
  if (id.empty()) id = base::new_uuid();
  // Stamp in place, as put_version does on its copy: the hooks see what an ordinary write shows them.
  resource["id"] = id;
  base::Json& meta = resource["meta"];
  if (!meta.is_object()) meta = base::Json::object();
  meta["versionId"] = "1";
  meta["lastUpdated"] = base::format_instant(now_us);
  p.json = serialize_stamped(type, id, resource, &p.version_at);
  p.type = type;
  p.id = std::move(id);
  p.last_updated_us = now_us;
  p.hook_data.reserve(hooks_.size());
  for (const WriteHook* hook : hooks_) p.hook_data.push_back(hook->prepare(p.type, p.id, resource));
  return p;
}

base::Result<bool> WriteTx::put_prepared(PreparedResource& p) {
  // A new resource is the common case: insert, and look up the current version only when the
  // (type, id) is taken.
  // The rid is chosen here (max + 1, as SQLite would) instead of read back with RETURNING, which
  // costs SQLite a temporary table per statement.
  if (next_rid_ == 0) {
    sql::Query q(conn_, "SELECT COALESCE(MAX(rid), 0) + 1 FROM resources");
    FHIR_TRY(bool row, q.step());
    if (!row) return base::internal_error("cannot read the largest rid");
    next_rid_ = q.int_at(0);
  }
  std::int64_t rid = 0;
  std::int64_t version = 1;
  bool created = true;
  {
    sql::Query q(conn_,
                 "INSERT OR FAIL INTO resources (rid, type, id, version, last_updated, deleted, json) "
                 "VALUES (?, ?, ?, 1, ?, 0, ?) ON CONFLICT (type, id) DO NOTHING");
    q.bind(next_rid_).bind_static(p.type).bind_static(p.id).bind(p.last_updated_us).bind_static(p.json);
    FHIR_CHECK(q.run());
    if (conn_.changes() == 1) rid = next_rid_++;
  }
  std::string patched;  // the bytes with the real versionId, when that is not 1
  if (rid == 0) {
    FHIR_TRY(auto current, find_current(conn_, p.type, p.id));
    if (!current) return base::internal_error("insert conflicted but no current version was found");
    rid = current->rid;
    version = current->version + 1;
    created = current->deleted;
    // A row of this rid may still be kept back: it must be in the table to keep its json.
    if (std::any_of(history_.begin(), history_.end(), [&](const PendingHistory& h) { return h.rid == rid; })) {
      FHIR_CHECK(flush_history());
    }
    FHIR_CHECK(keep_history_json(conn_, rid, current->version));
    patched = p.json.substr(0, p.version_at) + std::to_string(version) + p.json.substr(p.version_at + 1);
    sql::Query q(conn_,
                 "UPDATE resources SET version = ?, last_updated = ?, deleted = 0, json = ? WHERE rid = ?");
    q.bind_all(version, p.last_updated_us, patched, rid);
    FHIR_CHECK(q.run());
  }
  StoredResource stored;
  stored.type = std::move(p.type);
  stored.id = std::move(p.id);
  stored.version = version;
  stored.last_updated_us = p.last_updated_us;
  stored.json = version == 1 ? std::move(p.json) : std::move(patched);
  // Give the strings back to `p` whatever happens below.
  struct Restore {
    PreparedResource& p;
    StoredResource& s;
    bool first;
    ~Restore() {
      p.type = std::move(s.type);
      p.id = std::move(s.id);
      if (first) p.json = std::move(s.json);
    }
  } restore{p, stored, version == 1};
  {
    // The history row is kept back and inserted with others (flush_history). `p` outlives the
    // transaction and gets its strings back (Restore) before then, so the row points at them.
    PendingHistory h;
    h.rid = rid;
    h.version = version;
    h.last_updated_us = stored.last_updated_us;
    h.source = &p;
    h.method = p.method;
    // Flush before adding this row: until this call returns, its strings are in `stored`.
    if (history_.size() >= kHistoryRowsKeptBack) FHIR_CHECK(flush_history());
    history_.push_back(std::move(h));
  }
  for (std::size_t i = 0; i < hooks_.size(); ++i) {
    const HookData* data = i < p.hook_data.size() ? p.hook_data[i].get() : nullptr;
    FHIR_CHECK(hooks_[i]->on_prepared_write(conn_, rid, stored, data));
  }
  return created;
}

base::Status WriteTx::flush_history() {
  if (history_.empty()) return {};
  static const sql::MultiInsert kInsert(
      "INSERT OR FAIL INTO resource_history (rid, type, id, version, last_updated, method)", 6);  // no json: see kHistoryJson
  FHIR_CHECK(kInsert.run(conn_, history_, [](sql::Query& q, const PendingHistory& h) {
    // The values stay put until history_ is cleared after the inserts: bound without a copy.
    q.bind(h.rid).bind_static(h.source->type).bind_static(h.source->id).bind_all(h.version, h.last_updated_us);
    q.bind(h.method);
  }));
  history_.clear();
  return {};
}

base::Result<WriteResult> WriteTx::create(std::string_view type, base::Json resource,
                                          std::string_view id) {
  if (id.empty()) return put_version(type, base::new_uuid(), &resource, "POST");
  FHIR_TRY(auto current, find_current(conn_, type, id));
  if (current) {
    return base::make_error(base::ErrorCode::conflict,
                            std::string(type) + "/" + std::string(id) + " already exists");
  }
  return put_version(type, id, &resource, "POST");
}

base::Result<WriteResult> WriteTx::update(std::string_view type, std::string_view id,
                                          base::Json resource, std::optional<std::int64_t> if_match) {
  if (if_match) {
    FHIR_TRY(auto current, find_current(conn_, type, id));
    if (!current || current->deleted) {
      return base::make_error(base::ErrorCode::precondition_failed,
                              "If-Match was given but " + std::string(type) + "/" + std::string(id) +
                                  " has no current version");
    }
    if (current->version != *if_match) return version_mismatch(*if_match, current->version);
  }
  return put_version(type, id, &resource, "PUT");
}

base::Result<WriteResult> WriteTx::remove(std::string_view type, std::string_view id,
                                          std::optional<std::int64_t> if_match) {
  FHIR_TRY(auto current, find_current(conn_, type, id));
  if (if_match && (!current || current->deleted || current->version != *if_match)) {
    return version_mismatch(*if_match, current && !current->deleted ? current->version : 0);
  }
  if (!current || current->deleted) {
    WriteResult nothing;
    nothing.resource.type = std::string(type);
    nothing.resource.id = std::string(id);
    nothing.resource.deleted = true;
    if (current) {
      nothing.resource.version = current->version;
      nothing.resource.last_updated_us = current->last_updated_us;
    }
    nothing.changed = false;
    return nothing;
  }
  auto r = put_version(type, id, nullptr, "DELETE");
  if (r) r->created = false;
  return r;
}

namespace {

base::Result<StoredResource> read_current(sql::Connection& conn, std::string_view type,
                                          std::string_view id) {
  sql::Query q(conn,
               "SELECT version, last_updated, deleted, json FROM resources WHERE type = ? AND id = ?");
  q.bind_all(type, id);
  FHIR_TRY(bool row, q.step());
  if (!row) return missing_error(type, id);
  StoredResource r;
  r.type = std::string(type);
  r.id = std::string(id);
  r.version = q.int_at(0);
  r.last_updated_us = q.int_at(1);
  r.deleted = q.int_at(2) != 0;
  if (r.deleted) return gone_error(type, id, r.version, r.last_updated_us);
  r.json = q.string_at(3);
  return r;
}

}  // namespace

base::Result<StoredResource> WriteTx::read(std::string_view type, std::string_view id) {
  FHIR_CHECK(flush_history());
  return read_current(conn_, type, id);
}

base::Result<StoredResource> ResourceStore::read(std::string_view type, std::string_view id) const {
  FHIR_TRY(auto conn, db_.reader());
  return read_current(*conn, type, id);
}

base::Result<StoredResource> ResourceStore::vread(std::string_view type, std::string_view id,
                                                  std::int64_t version) const {
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, std::string("SELECT h.last_updated, h.method, ") + kHistoryJson +
                          " FROM resources r JOIN resource_history h ON h.rid = r.rid "
                          "WHERE r.type = ? AND r.id = ? AND h.version = ?");
  q.bind_all(type, id, version);
  FHIR_TRY(bool row, q.step());
  if (!row) {
    return base::not_found(std::string(type) + "/" + std::string(id) + " has no version " +
                           std::to_string(version));
  }
  StoredResource r;
  r.type = std::string(type);
  r.id = std::string(id);
  r.version = version;
  r.last_updated_us = q.int_at(0);
  if (q.text_at(1) == "DELETE") return gone_error(type, id, version, r.last_updated_us);
  r.json = q.string_at(2);
  return r;
}

base::Result<HistoryPage> ResourceStore::history(const HistoryQuery& query) const {
  FHIR_TRY(auto conn, db_.reader());
  if (query.id) {
    FHIR_TRY(auto current, find_current(*conn, *query.type, *query.id));
    if (!current) return missing_error(*query.type, *query.id);
  }
  // One statement shape per level keeps every value bound and every plan indexed.
  std::string where = " WHERE 1 = 1";
  if (query.type) where += " AND type = ?";
  if (!query.type && !query.types.empty()) {
    where += " AND type IN (";
    for (std::size_t i = 0; i < query.types.size(); ++i) where += i ? ", ?" : "?";
    where += ")";
  }
  if (query.id) where += " AND id = ?";
  if (query.since_us) where += " AND last_updated >= ?";
  auto bind_filters = [&](sql::Query& q) {
    if (query.type) q.bind(*query.type);
    if (!query.type) {
      for (const auto& t : query.types) q.bind(t);
    }
    if (query.id) q.bind(*query.id);
    if (query.since_us) q.bind(*query.since_us);
  };

  HistoryPage page;
  {
    sql::Query q(*conn, "SELECT COUNT(*) FROM resource_history h" + where);
    bind_filters(q);
    FHIR_TRY(bool row, q.step());
    if (row) page.total = q.int_at(0);
  }
  std::string sql =
      std::string("SELECT h.seq, h.type, h.id, h.version, h.last_updated, h.method, ") + kHistoryJson +
      " FROM resource_history h" + where;
  if (query.before_seq) sql += " AND seq < ?";
  sql += " ORDER BY seq DESC LIMIT ?";
  sql::Query q(*conn, sql);
  bind_filters(q);
  if (query.before_seq) q.bind(*query.before_seq);
  q.bind(static_cast<std::int64_t>(query.count) + 1);
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    if (static_cast<int>(page.entries.size()) == query.count) {
      if (!page.entries.empty()) page.next_cursor = page.entries.back().seq;
      break;
    }
    HistoryEntry e;
    e.seq = q.int_at(0);
    e.resource.type = q.string_at(1);
    e.resource.id = q.string_at(2);
    e.resource.version = q.int_at(3);
    e.resource.last_updated_us = q.int_at(4);
    e.method = q.string_at(5);
    e.resource.deleted = e.method == "DELETE";
    if (!e.resource.deleted) e.resource.json = q.string_at(6);
    page.entries.push_back(std::move(e));
  }
  return page;
}

base::Status ResourceStore::write(const std::function<base::Status(WriteTx&)>& fn) {
  FHIR_TRY(auto conn, db_.writer());
  sql::Transaction tx(*conn);
  FHIR_CHECK(tx.begin_status());
  WriteTx wtx(*conn, hooks_, base::now_us());
  struct EndTransaction {
    const std::vector<WriteHook*>& hooks;
    ~EndTransaction() {
      for (WriteHook* h : hooks) h->end_transaction();
    }
  } end{hooks_};
  FHIR_CHECK(fn(wtx));
  FHIR_CHECK(wtx.flush_history());
  for (WriteHook* hook : hooks_) FHIR_CHECK(hook->before_commit(wtx));
  return tx.commit();
}

base::Result<WriteResult> ResourceStore::create(std::string_view type, base::Json resource) {
  std::optional<WriteResult> out;
  FHIR_CHECK(write([&](WriteTx& tx) -> base::Status {
    FHIR_TRY(auto r, tx.create(type, std::move(resource)));
    out = std::move(r);
    return {};
  }));
  return std::move(*out);
}

base::Result<WriteResult> ResourceStore::update(std::string_view type, std::string_view id,
                                                base::Json resource, std::optional<std::int64_t> if_match) {
  std::optional<WriteResult> out;
  FHIR_CHECK(write([&](WriteTx& tx) -> base::Status {
    FHIR_TRY(auto r, tx.update(type, id, std::move(resource), if_match));
    out = std::move(r);
    return {};
  }));
  return std::move(*out);
}

base::Result<WriteResult> ResourceStore::remove(std::string_view type, std::string_view id,
                                                std::optional<std::int64_t> if_match) {
  std::optional<WriteResult> out;
  FHIR_CHECK(write([&](WriteTx& tx) -> base::Status {
    FHIR_TRY(auto r, tx.remove(type, id, if_match));
    out = std::move(r);
    return {};
  }));
  return std::move(*out);
}

}  // namespace store
