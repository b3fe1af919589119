#include "search/engine.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "base/crypto.hpp"
#include "base/json_escape.hpp"
#include "base/uuid.hpp"
#include "search/access.hpp"
#include "search/sql_compiler.hpp"

namespace search {
namespace {

void bind_all(sql::Query& q, const std::vector<Bind>& binds) {
  for (const auto& b : binds) {
    if (const auto* i = std::get_if<std::int64_t>(&b)) q.bind(*i);
    else if (const auto* d = std::get_if<double>(&b)) q.bind_real(*d);
    else q.bind(std::get<std::string>(b));
  }
}

base::Error bad_cursor() {
  return base::invalid("The paging cursor (_cursor) is not valid for this search; follow the Bundle's links "
                       "as given, or start again without _cursor");
}

// A decoded cursor: direction, the sort-key values and rid of the row to continue after.
struct Cursor {
  bool previous = false;
  std::vector<Bind> keys;
  std::int64_t rid = 0;
  std::optional<std::int64_t> total;  // counted on the first page, carried to the others
};

std::string encode_cursor(const Cursor& c, const std::string& fingerprint, const std::string& key) {
  // The JSON is written by hand (it is made for every page with a next link); decode_cursor
  // parses it back with nlohmann.
  std::string j = c.previous ? "{\"d\":\"p\",\"q\":" : "{\"d\":\"n\",\"q\":";
  base::append_json_quoted(j, fingerprint);
  j += ",\"r\":" + std::to_string(c.rid);
  if (c.total) j += ",\"t\":" + std::to_string(*c.total);
  j += ",\"k\":[";
  for (std::size_t i = 0; i < c.keys.size(); ++i) {
    if (i) j.push_back(',');
    const auto& b = c.keys[i];
    if (const auto* n = std::get_if<std::int64_t>(&b)) j += std::to_string(*n);
    else if (const auto* d = std::get_if<double>(&b)) j += nlohmann::json(*d).dump();
    else base::append_json_quoted(j, std::get<std::string>(b));
  }
  j += "]}";
  const std::string payload = base::base64url_encode(j);
  return payload + "." + base::base64url_encode(base::hmac_sha256(key, payload));
}

base::Result<Cursor> decode_cursor(const std::string& text, const std::string& fingerprint, const std::string& key,
                                   std::size_t key_count) {
  const auto dot = text.find('.');
  if (dot == std::string::npos || text.size() > 8192) return bad_cursor();
  const std::string payload = text.substr(0, dot);
  auto mac = base::base64url_decode(std::string_view(text).substr(dot + 1));
  if (!mac || !base::constant_time_equal(*mac, base::hmac_sha256(key, payload))) return bad_cursor();
  auto json_text = base::base64url_decode(payload);
  if (!json_text) return bad_cursor();
  auto j = nlohmann::json::parse(*json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("q", "") != fingerprint || !j.contains("r") ||
      !j["r"].is_number_integer() || !j.contains("k") || !j["k"].is_array() || j["k"].size() != key_count) {
    return bad_cursor();
  }
  Cursor c;
  c.previous = j.value("d", "n") == "p";
  c.rid = j["r"].get<std::int64_t>();
  if (j.contains("t") && j["t"].is_number_integer()) c.total = j["t"].get<std::int64_t>();
  for (const auto& k : j["k"]) {
    if (k.is_number_integer()) c.keys.emplace_back(k.get<std::int64_t>());
    else if (k.is_number()) c.keys.emplace_back(k.get<double>());
    else if (k.is_string()) c.keys.emplace_back(k.get<std::string>());
    else return bad_cursor();
  }
  return c;
}

store::StoredResource row_resource(const sql::Query& q) {
  store::StoredResource r;
  r.type = q.string_at(1);
  r.id = q.string_at(2);
  r.version = q.int_at(3);
  r.last_updated_us = q.int_at(4);
  r.json = q.string_at(5);
  return r;
}

}  // namespace

base::Result<std::unique_ptr<SearchEngine>> SearchEngine::create(sql::Database& db, std::shared_ptr<const Registry> registry,
                                                                 std::shared_ptr<const ParamIds> ids) {
  auto engine = std::unique_ptr<SearchEngine>(new SearchEngine());
  engine->db_ = &db;
  engine->registry_ = std::move(registry);
  engine->ids_ = std::move(ids);
  FHIR_TRY(auto conn, db.writer());
  {
    sql::Query ins(*conn, "INSERT OR IGNORE INTO server_secret (name, value) VALUES ('cursor_key', ?)");
    ins.bind(base::random_hex(32));
    FHIR_CHECK(ins.run());
  }
  sql::Query q(*conn, "SELECT value FROM server_secret WHERE name = 'cursor_key'");
  FHIR_TRY(bool row, q.step());
  if (!row) return base::internal_error("cursor key missing");
  engine->cursor_key_ = q.string_at(0);
  return engine;
}

std::string SearchEngine::fingerprint(const SearchRequest& req) const {
  // Length-prefixed, so that no two different parameter lists give the same text.
  auto field = [](std::string& out, const std::string& s) { out += std::to_string(s.size()) + ":" + s; };
  std::string canon;
  field(canon, req.type);
  for (const auto& [k, v] : req.echo) {
    if (k == "_count") continue;
    field(canon, k);
    field(canon, v);
  }
  canon += req.access ? "A" : "-";
  if (req.access) field(canon, req.access->key);
  canon += req.include_access ? "I" : "-";
  if (req.include_access) field(canon, req.include_access->key);
  return base::to_hex(base::sha256(canon)).substr(0, 24);
}

base::Result<SearchPage> SearchEngine::search(const SearchRequest& req) const {
  std::vector<std::string> keys;
  std::vector<bool> desc;
  for (const auto& k : req.sort) {
    keys.push_back(sort_expression(k, *ids_));
    desc.push_back(k.descending);
  }
  const std::string fp = fingerprint(req);
  std::optional<Cursor> cursor;
  if (!req.cursor.empty()) {
    FHIR_TRY(auto c, decode_cursor(req.cursor, fp, cursor_key_, keys.size()));
    cursor = std::move(c);
  }
  FHIR_TRY(auto conn, db_->reader());
  SearchPage page;

  // The total is counted on the first page and carried in the signed cursor to later pages
  // (for those it is the total as of the first page, which keyset paging keeps consistent).
  const bool counted = req.total == TotalMode::accurate || req.total == TotalMode::estimate ||
                       req.summary == SummaryMode::count || (req.count == 0 && req.total != TotalMode::none);
  if (cursor && cursor->total && req.summary != SummaryMode::count) {
    if (req.total != TotalMode::none) page.total = cursor->total;
  } else if (counted) {
    FHIR_TRY(SqlFragment where, compile_where(req, *ids_));
    sql::Query q(*conn, "SELECT COUNT(*) FROM resources r WHERE " + where.sql);
    bind_all(q, where.binds);
    FHIR_TRY(bool row, q.step());
    if (row) page.total = q.int_at(0);
  }
  if (req.summary == SummaryMode::count || req.count == 0) return page;

  // In rid order only (no _sort), the page may be read as a join over an index (compile_page).
  FHIR_TRY(PageSql ps, compile_page(req, *ids_, keys.empty()));
  // Keyset condition: rows strictly after (or, for a previous page, before) the cursor row.
  const bool backwards = cursor && cursor->previous;
  SqlFragment after;
  if (cursor) {
    after.sql = " AND (";
    for (std::size_t i = 0; i <= keys.size(); ++i) {
      if (i) after.sql += " OR ";
      after.sql += "(";
      for (std::size_t j = 0; j < i; ++j) {
        after.sql += keys[j] + " = ? AND ";
        after.binds.push_back(cursor->keys[j]);
      }
      if (i < keys.size()) {
        const bool greater = desc[i] == backwards;
        after.sql += keys[i] + (greater ? " > ?" : " < ?");
        after.binds.push_back(cursor->keys[i]);
      } else if (ps.joined) {
        // A range on the driving index.
        after.sql += ps.rid_column + (backwards ? " < ?" : " > ?");
        after.binds.emplace_back(cursor->rid);
      } else {
        // Unary + keeps SQLite from using this as an index range on resources (which turns the
        // driving IN list into a per-row check and scans every later row of the type).
        after.sql += backwards ? "+r.rid < ?" : "+r.rid > ?";
        after.binds.emplace_back(cursor->rid);
      }
      after.sql += ")";
    }
    after.sql += ")";
  }
  std::string select = "SELECT r.rid, r.type, r.id, r.version, r.last_updated, r.json";
  for (const auto& k : keys) select += ", " + k;
  std::string order = " ORDER BY ";
  for (std::size_t i = 0; i < keys.size(); ++i) order += keys[i] + ((desc[i] != backwards) ? " DESC, " : " ASC, ");
  order += ps.rid_column + (backwards ? " DESC" : " ASC");
  // A joined page has no sorter, so rows are read only as far as they are stepped: no LIMIT
  // (it could cut the page short when a rid repeats).
  sql::Query q(*conn, select + " FROM " + ps.from + " WHERE " + ps.where.sql + after.sql +
                          order + (ps.joined ? "" : " LIMIT ?"));
  bind_all(q, ps.where.binds);
  bind_all(q, after.binds);
  if (!ps.joined) q.bind(static_cast<std::int64_t>(req.count) + 1);

  std::vector<Cursor> row_keys;
  page.matches.reserve(static_cast<std::size_t>(std::min(req.count, 1000)));
  row_keys.reserve(page.matches.capacity());
  bool more = false;
  std::int64_t last_rid = 0;
  bool any = false;
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    const std::int64_t rid = q.int_at(0);
    if (ps.joined && any && rid == last_rid) continue;  // the same resource again
    any = true;
    last_rid = rid;
    if (static_cast<int>(page.matches.size()) == req.count) {
      more = true;
      break;
    }
    page.matches.push_back(row_resource(q));
    Cursor c;
    c.rid = rid;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const int col = 6 + static_cast<int>(i);
      const auto& k = req.sort[i];
      const bool textual = k.code == "_id" || (k.param && (k.param->type == ParamType::string ||
                                                           k.param->type == ParamType::token ||
                                                           k.param->type == ParamType::uri));
      const bool real = k.param && (k.param->type == ParamType::number || k.param->type == ParamType::quantity);
      if (textual) c.keys.emplace_back(q.string_at(col));
      else if (real) c.keys.emplace_back(q.real_at(col));
      else c.keys.emplace_back(q.int_at(col));
    }
    row_keys.push_back(std::move(c));
  }
  // Without _total, the total is given when it is free: a first page that holds every match.
  if (req.total == TotalMode::automatic && !page.total && !cursor && !more) {
    page.total = static_cast<std::int64_t>(page.matches.size());
  }
  if (backwards) {
    std::reverse(page.matches.begin(), page.matches.end());
    std::reverse(row_keys.begin(), row_keys.end());
  }
  if (!row_keys.empty()) {
    const bool has_next = backwards || more;
    const bool has_prev = backwards ? more : cursor.has_value();
    for (auto* c : {&row_keys.front(), &row_keys.back()}) c->total = page.total;
    if (has_next) {
      Cursor next = row_keys.back();
      next.previous = false;
      page.next_cursor = encode_cursor(next, fp, cursor_key_);
    }
    if (has_prev) {
      Cursor prev = row_keys.front();
      prev.previous = true;
      page.prev_cursor = encode_cursor(prev, fp, cursor_key_);
    }
  }
  FHIR_CHECK(add_includes(*conn, req, page));
  return page;
}

base::Result<bool> SearchEngine::visible(std::string_view type, std::string_view id, const Access& access,
                                         sql::Connection* conn) const {
  FHIR_TRY(SqlFragment cond, access_condition(access, type, "r", *ids_, access.base_url + "/"));
  std::optional<sql::Lease> reader;
  if (!conn) {
    FHIR_TRY(auto r, db_->reader());
    reader.emplace(std::move(r));
    conn = &**reader;
  }
  sql::Query q(*conn, "SELECT 1 FROM resources r WHERE r.type = ? AND r.id = ? AND r.deleted = 0 AND " + cond.sql);
  q.bind_all(type, id);
  bind_all(q, cond.binds);
  return q.step();
}

base::Status SearchEngine::add_includes(sql::Connection& conn, const SearchRequest& req, SearchPage& page) const {
  if (req.includes.empty() && req.revincludes.empty()) return {};
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& m : page.matches) seen.emplace(m.type, m.id);
  std::vector<const store::StoredResource*> frontier;
  for (const auto& m : page.matches) frontier.push_back(&m);
  std::vector<store::StoredResource> found;

  // Included resources must be visible under the include restriction, whatever their type.
  // Forward includes first try the cheap sufficient test (a shared resource referenced by a
  // source in the patient's compartment).
  SqlFragment restrict, forward_restrict;
  if (req.include_access) {
    FHIR_TRY(SqlFragment cond, access_condition(*req.include_access, "", "r", *ids_, req.base_url + "/"));
    restrict.sql = " AND " + cond.sql;
    restrict.binds = cond.binds;
    forward_restrict = restrict;
    if (auto fast = referenced_via(*req.include_access, "r", "x")) {
      forward_restrict.sql = " AND (" + fast->sql + " OR " + cond.sql + ")";
      forward_restrict.binds = std::move(fast->binds);
      forward_restrict.binds.insert(forward_restrict.binds.end(), cond.binds.begin(), cond.binds.end());
    }
  }

  for (int round = 0; round < 4 && !frontier.empty(); ++round) {
    std::vector<store::StoredResource> added;
    auto add = [&](sql::Query& q) -> base::Status {
      while (true) {
        FHIR_TRY(bool row, q.step());
        if (!row) return {};
        auto r = row_resource(q);
        if (seen.emplace(r.type, r.id).second) added.push_back(std::move(r));
      }
    };
    for (const Include& inc : req.includes) {
      if (round > 0 && !inc.iterate) continue;
      auto pid = ids_->id(*inc.param);
      if (!pid) continue;
      for (const auto* src : frontier) {
        if (src->type != inc.source_type) continue;
        std::string sql =
            "SELECT r.rid, r.type, r.id, r.version, r.last_updated, r.json FROM idx_reference x "
            "JOIN resources r ON r.type = x.target_type AND r.id = x.target_id AND r.deleted = 0 "
            "WHERE x.param = " + std::to_string(*pid) +
            " AND x.rid = (SELECT rid FROM resources WHERE type = ? AND id = ?)";
        if (!inc.target_type.empty()) sql += " AND x.target_type = ?";
        sql += forward_restrict.sql;
        sql::Query q(conn, sql);
        q.bind_all(src->type, src->id);
        if (!inc.target_type.empty()) q.bind(inc.target_type);
        bind_all(q, forward_restrict.binds);
        FHIR_CHECK(add(q));
      }
    }
    for (const Include& inc : req.revincludes) {
      if (round > 0 && !inc.iterate) continue;
      auto pid = ids_->id(*inc.param);
      if (!pid) continue;
      for (const auto* target : frontier) {
        if (!inc.target_type.empty() && target->type != inc.target_type) continue;
        std::string sql =
            "SELECT r.rid, r.type, r.id, r.version, r.last_updated, r.json FROM idx_reference x "
            "JOIN resources r ON r.rid = x.rid AND r.deleted = 0 "
            "WHERE x.param = " + std::to_string(*pid) + " AND x.target_id = ? AND x.target_type = ? AND r.type = ?" +
            restrict.sql;
        sql::Query q(conn, sql);
        q.bind_all(target->id, target->type, inc.source_type);
        bind_all(q, restrict.binds);
        FHIR_CHECK(add(q));
      }
    }
    for (auto& a : added) found.push_back(std::move(a));
    frontier.clear();
    // Only :iterate includes continue from included resources.
    const bool any_iterate = std::any_of(req.includes.begin(), req.includes.end(), [](const Include& i) { return i.iterate; }) ||
                             std::any_of(req.revincludes.begin(), req.revincludes.end(), [](const Include& i) { return i.iterate; });
    if (!any_iterate) break;
    const std::size_t start = found.size() - std::min(found.size(), added.size());
    for (std::size_t i = start; i < found.size(); ++i) frontier.push_back(&found[i]);
  }
  page.included = std::move(found);
  return {};
}

}  // namespace search
