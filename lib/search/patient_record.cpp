#include "search/patient_record.hpp"

#include <algorithm>
#include <cctype>

namespace search {
namespace {

// The resource types a CCD names by reference (authors, performers, custodian, locations,
// medications). Fixed text: no value comes from input.
constexpr const char* kReferencedTypes = "('Practitioner', 'Organization', 'Location', 'Medication')";

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
// that reference it (relative references only, as for the compartment).
std::string members_cte() {
  std::string extras;
  for (const auto& [type, code] : kRecordExtras) {
    if (!extras.empty()) extras += " OR ";
    extras += "(resource_type = '" + std::string(type) + "' AND code = '" + std::string(code) + "')";
  }
  return "WITH members(rid) AS ("
         "SELECT c.rid FROM compartment c WHERE c.patient_id = ?1 "
         "UNION SELECT x.rid FROM idx_reference x WHERE x.param IN (SELECT id FROM search_param WHERE " +
         extras +
         ") AND x.target_id = ?1 AND x.target_type = 'Patient' AND x.url IS NULL) ";
}

base::Status append_rows(sql::Query& q, std::vector<std::string>& out) {
  for (;;) {
    FHIR_TRY(bool row, q.step());
    if (!row) return {};
    if (!q.null_at(0)) out.push_back(q.string_at(0));
  }
}

}  // namespace

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
  // ?1 patient id, ?2 the skip list ",Type,Type,". The Patient is in its own compartment and
  // already first.
  {
    static const std::string kMembers =
        members_cte() +
        "SELECT r.json FROM members m JOIN resources r ON r.rid = m.rid "
        "WHERE r.deleted = 0 AND NOT (r.type = 'Patient' AND r.id = ?1) "
        "AND instr(?2, ',' || r.type || ',') = 0 ORDER BY r.rid";
    sql::Query q(conn, kMembers);
    q.bind_all(patient_id, skip);
    FHIR_CHECK(append_rows(q, out));
  }
  {
    static const std::string kReferenced =
        members_cte() +
        "SELECT r.json FROM resources r WHERE r.deleted = 0 AND r.rid IN ("
        "SELECT t.rid FROM members m "
        "JOIN resources s ON s.rid = m.rid AND instr(?2, ',' || s.type || ',') = 0 "
        "JOIN idx_reference x ON x.rid = m.rid "
        "JOIN resources t ON t.type = x.target_type AND t.id = x.target_id "
        "WHERE x.target_type IN " +
        kReferencedTypes + ") ORDER BY r.rid";
    sql::Query q(conn, kReferenced);
    q.bind_all(patient_id, skip);
    FHIR_CHECK(append_rows(q, out));
  }
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
