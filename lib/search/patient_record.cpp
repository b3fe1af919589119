#include "search/patient_record.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

namespace search {
namespace {

// ",Group,Provenance," for the bound `instr(?2, ',' || type || ',') = 0` test ("," when empty).
base::Result<std::string> skip_list(const RecordFilter& filter) {
  std::string list = ",";
  for (const auto& t : filter.skip_types) {
    if (t.empty() || !std::all_of(t.begin(), t.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      return base::invalid("not a resource type: " + t);
    }
    list += t;
    list += ',';
  }
  return list;
}

// The rids of the patient's record (?1 = patient id): its compartment, and the kRecordExtras
// that reference it (relative references only, as for the compartment). As `rid IN (...)` the
// UNION's rows come out in rid order, so the caller's ORDER BY needs no sort of the JSON rows.
std::string members() {
  std::string extras;
  for (const auto& [type, code] : kRecordExtras) {
    if (!extras.empty()) extras += " OR ";
    extras += "(resource_type = '" + std::string(type) + "' AND code = '" + std::string(code) + "')";
  }
  return "SELECT c.rid FROM compartment c WHERE c.patient_id = ?1 "
         "UNION SELECT x.rid FROM idx_reference x WHERE x.param IN (SELECT id FROM search_param WHERE " +
         extras + ") AND x.target_id = ?1 AND x.target_type = 'Patient' AND x.url IS NULL";
}

bool referenced_type(std::string_view t) {
  return std::find(std::begin(kReferencedTypes), std::end(kReferencedTypes), t) != std::end(kReferencedTypes);
}

bool id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

void skip_space(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

}  // namespace

void local_references(std::string_view json, std::vector<std::pair<std::string, std::string>>& out) {
  static constexpr std::string_view kKey = "\"reference\"";
  // '"' is JSON's most frequent byte, so string_view::find (memchr for it, then compare) crawls;
  // Boyer-Moore-Horspool skips up to the key's length at a time.
  static const std::boyer_moore_horspool_searcher searcher(kKey.begin(), kKey.end());
  auto next = [&](std::size_t from) -> std::size_t {
    auto it = std::search(json.begin() + static_cast<std::ptrdiff_t>(from), json.end(), searcher);
    return it == json.end() ? std::string_view::npos : static_cast<std::size_t>(it - json.begin());
  };
  for (std::size_t at = next(0); at != std::string_view::npos; at = next(at + 1)) {
    std::size_t i = at + kKey.size();
    skip_space(json, i);
    if (i >= json.size() || json[i] != ':') continue;
    ++i;
    skip_space(json, i);
    if (i >= json.size() || json[i] != '"') continue;
    const std::size_t start = ++i;
    const std::size_t end = json.find('"', start);
    if (end == std::string_view::npos) return;
    std::string_view value = json.substr(start, end - start);
    if (value.find('\\') != std::string_view::npos) continue;
    if (auto h = value.find("/_history/"); h != std::string_view::npos) value = value.substr(0, h);
    const auto slash = value.find('/');
    if (slash == std::string_view::npos) continue;
    const std::string_view type = value.substr(0, slash);
    const std::string_view id = value.substr(slash + 1);
    if (!referenced_type(type) || id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), id_char)) {
      continue;
    }
    out.emplace_back(std::string(type), std::string(id));
  }
}

base::Result<std::vector<std::string>> patient_record(sql::Connection& conn, std::string_view patient_id,
                                                      const RecordFilter& filter) {
  FHIR_TRY(const std::string skip, skip_list(filter));
  std::vector<std::string> out;
  {
    sql::Query q(conn, "SELECT json FROM resources WHERE type = 'Patient' AND id = ? AND deleted = 0");
    q.bind(patient_id);
    FHIR_TRY(bool row, q.step());
    if (!row || q.null_at(0)) return base::not_found("no Patient with id " + std::string(patient_id));
    out.push_back(q.string_at(0));
  }
  {
    // ?1 patient id, ?2 the skip list. The Patient is in its own compartment and already first.
    static const std::string kMembers =
        "SELECT r.json FROM resources r WHERE r.rid IN (" + members() +
        ") AND r.deleted = 0 AND NOT (r.type = 'Patient' AND r.id = ?1) "
        "AND instr(?2, ',' || r.type || ',') = 0 ORDER BY r.rid";
    sql::Query q(conn, kMembers);
    q.bind_all(patient_id, skip);
    for (;;) {
      FHIR_TRY(bool row, q.step());
      if (!row) break;
      if (!q.null_at(0)) out.push_back(q.string_at(0));
    }
  }
  // What they reference: found in the texts just read (faster than joining the reference index
  // of every member), each target read by its key.
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& text : out) local_references(text, keys);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<std::pair<std::int64_t, std::string>> targets;
  for (const auto& [type, id] : keys) {
    sql::Query q(conn, "SELECT rid, json FROM resources WHERE type = ? AND id = ? AND deleted = 0");
    q.bind_all(type, id);
    FHIR_TRY(bool row, q.step());
    if (row && !q.null_at(1)) targets.emplace_back(q.int_at(0), q.string_at(1));
  }
  std::sort(targets.begin(), targets.end());
  for (auto& t : targets) out.push_back(std::move(t.second));
  return out;
}

base::Result<std::vector<std::string>> patient_ids(sql::Connection& conn, std::string_view after, int limit) {
  if (limit < 1) return base::invalid("patient_ids: limit must be at least 1");
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(limit));
  // UNIQUE (type, id) serves both the range and the order.
  sql::Query q(conn,
               "SELECT id FROM resources WHERE type = 'Patient' AND id > ? AND deleted = 0 ORDER BY id LIMIT ?");
  q.bind(after).bind(limit);
  for (;;) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    out.push_back(q.string_at(0));
  }
  return out;
}

base::Result<std::int64_t> patient_count(sql::Connection& conn) {
  sql::Query q(conn, "SELECT count(*) FROM resources WHERE type = 'Patient' AND deleted = 0");
  FHIR_TRY(bool row, q.step());
  return row ? q.int_at(0) : 0;
}

}  // namespace search
