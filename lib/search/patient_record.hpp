#pragma once
// A patient's whole record read from the store, for documents built outside the database (the
// CCD generator lib/ccda, ccd-gen, $docref): the Patient, every current resource in its
// compartment (table `compartment`, filled by the indexer) plus the kRecordExtras, and the
// Practitioner, Organization, Location and Medication resources those resources reference (table
// idx_reference). Read-only; three bound statements, cached by the connection.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace search {

// Resources that belong in a patient's record although the R4 Patient compartment leaves their
// type out: (resource type, reference search parameter that names the patient). A Device's
// patient is the one it is implanted in or used by (the CCD's Medical Equipment section).
inline constexpr std::pair<std::string_view, std::string_view> kRecordExtras[] = {{"Device", "patient"}};

struct RecordFilter {
  // Compartment resources of these types are left out, and so is what only they reference. E.g.
  // {"Group"} for a clinical document: the practitioner panels (lib/groups) list thousands of
  // members and say nothing about the patient.
  std::vector<std::string> skip_types;
};

// The stored JSON texts of patient `patient_id`'s record: the Patient first, then the resources
// of its compartment and the kRecordExtras naming it, in storage order (other Patients that link
// to it included), then the
// Practitioner/Organization/Location/Medication resources they reference, each once. Deleted
// resources are never returned. Errors: not_found when there is no current Patient with that id;
// invalid for a skip type that is not a resource type name; internal for database failures.
base::Result<std::vector<std::string>> patient_record(sql::Connection& conn, std::string_view patient_id,
                                                      const RecordFilter& filter = {});

// Up to `limit` ids of current Patients, in id order, starting after `after` ("" = from the
// first). Page through all patients by passing the last id of the previous batch; an empty batch
// means done. Errors: invalid when limit < 1; internal for database failures.
base::Result<std::vector<std::string>> patient_ids(sql::Connection& conn, std::string_view after, int limit);

// The number of current Patients. Errors: internal for database failures.
base::Result<std::int64_t> patient_count(sql::Connection& conn);

}  // namespace search
