#include "search/patient_record.hpp"

#include <algorithm>
#include <cctype>

namespace search {
namespace {

// The resource types a CCD names by reference (authors, performers, custodian, locations,
// medications). Fixed text: no value comes from input.
constexpr const char* kReferencedTypes = "('Practitioner', 'Organization', 'Location', 'Medication')";

// ",Group,Provenance," for the bound `instr(?, ',' || type || ',') = 0` test ("," when empty).
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
  {
    // compartment_patient (patient_id, rid) gives the rows in rid order without a sort. The
    // Patient is in its own compartment and already first.
    sql::Query q(conn,
                 "SELECT r.json FROM compartment c JOIN resources r ON r.rid = c.rid "
                 "WHERE c.patient_id = ? AND r.deleted = 0 AND NOT (r.type = 'Patient' AND r.id = ?) "
                 "AND instr(?, ',' || r.type || ',') = 0 ORDER BY c.rid");
    q.bind_all(patient_id, patient_id, skip);
    for (;;) {
      FHIR_TRY(bool row, q.step());
      if (!row) break;
      if (!q.null_at(0)) out.push_back(q.string_at(0));
    }
  }
  {
    static const std::string kReferenced =
        std::string("SELECT r.json FROM resources r WHERE r.deleted = 0 AND r.rid IN ("
                    "SELECT t.rid FROM compartment c "
                    "JOIN resources s ON s.rid = c.rid AND instr(?, ',' || s.type || ',') = 0 "
                    "JOIN idx_reference x ON x.rid = c.rid "
                    "JOIN resources t ON t.type = x.target_type AND t.id = x.target_id "
                    "WHERE c.patient_id = ? AND x.target_type IN ") +
        kReferencedTypes + ") ORDER BY r.rid";
    sql::Query q(conn, kReferenced);
    q.bind_all(skip, patient_id);
    for (;;) {
      FHIR_TRY(bool row, q.step());
      if (!row) break;
      if (!q.null_at(0)) out.push_back(q.string_at(0));
    }
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
