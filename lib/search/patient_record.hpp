#pragma once
// A patient's whole record read from the store, for documents built outside the database (the
// CCD generator lib/ccda, ccd-gen, $docref): the Patient, every current resource in its
// compartment (table `compartment`, filled by the indexer) plus the kRecordExtras, and the
// Practitioner, Organization, Location and Medication resources those resources reference.
// Read-only, bound statements cached by the connection; about 0.3 ms for a generated patient's
// ~130 resources.
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

// The types of the resources a record carries because its resources reference them (authors,
// performers, custodian, locations, medications).
inline constexpr std::string_view kReferencedTypes[] = {"Practitioner", "Organization", "Location", "Medication"};

// The stored JSON texts of patient `patient_id`'s record: the Patient first, then the resources
// of its compartment and the kRecordExtras naming it, in storage order (other Patients that link
// to it included), then the kReferencedTypes resources they reference (local_references), each
// once, in storage order. Deleted resources are never returned. Errors: not_found when there is
// no current Patient with that id; invalid for a skip type that is not a resource type name;
// internal for database failures.
base::Result<std::vector<std::string>> patient_record(sql::Connection& conn, std::string_view patient_id,
                                                      const RecordFilter& filter = {});

// The relative references to kReferencedTypes in a resource's JSON text: every
// "reference": "Type/id" (or "Type/id/_history/n") value, found by scanning the text, so any
// element counts, not only those a search parameter indexes. Absolute URLs, contained ("#x") and
// escaped values are not local references. Appends (type, id) pairs to `out`, duplicates included.
void local_references(std::string_view json, std::vector<std::pair<std::string, std::string>>& out);

// Up to `limit` ids of current Patients, in id order, starting after `after` ("" = from the
// first). Page through all patients by passing the last id of the previous batch; an empty batch
// means done. Errors: invalid when limit < 1; internal for database failures.
base::Result<std::vector<std::string>> patient_ids(sql::Connection& conn, std::string_view after, int limit);

// The number of current Patients. Errors: internal for database failures.
base::Result<std::int64_t> patient_count(sql::Connection& conn);

}  // namespace search
