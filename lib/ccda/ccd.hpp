#pragma once
// C-CDA R2.1 Continuity of Care Documents: a pure transform from one patient's FHIR R4 resources
// (JSON texts) to one CCD as XML text (US Realm Header + CCD templates, R2.1 "2015-08-01"
// extensions). No I/O, no database: callers gather the resources and write the result.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace ccda {

// The service date window, microseconds since the epoch (UTC). Sections that the window filters
// (procedures, results, notes, encounters, ...) keep only what overlaps [start_us, end_us); a
// resource's times are read on the clock they were recorded in (their UTC offset is ignored), so
// that a service day is the day the record shows.
struct Window {
  std::optional<std::int64_t> start_us;  // inclusive; nullopt = no lower bound
  std::optional<std::int64_t> end_us;    // exclusive; nullopt = no upper bound
  std::string start_text, end_text;      // as given (for documentationOf/serviceEvent), may be empty
};

// Parses the user's --start/--end (YYYY, YYYY-MM, YYYY-MM-DD): a start widens to the beginning of
// its period, an end to the end of its period; start == end means that service day/period.
// Errors: invalid (malformed date, or end before start) with a message naming the bad value.
base::Result<Window> parse_window(std::optional<std::string_view> start, std::optional<std::string_view> end);

struct Options {
  std::string document_id;  // unique id (UUID) for ClinicalDocument/id; generated when empty
  std::int64_t now_us = 0;  // effectiveTime; 0 = now
  std::string custodian_name = "InPracSys EHR";
  // Custodian contact (the custodian organization needs an address and a telecom; these are used
  // when the patient's managing Organization is not among the resources).
  std::string custodian_phone = "tel:+1-555-555-0100";
  std::string custodian_street = "1 Main Street";
  std::string custodian_city = "Springfield";
  std::string custodian_state = "IL";
  std::string custodian_zip = "62701";
  // Root OID of the ids the document mints from FHIR ids (<id root="ROOT.N" extension="Type/id">).
  std::string id_root = "2.16.840.1.113883.3.9999";
  std::string author_software = "InPracSys ccd-gen";  // the authoring device when no practitioner
};

// One patient's resources: the Patient itself and every resource of their compartment, plus the
// Practitioner / Organization / Location / Medication resources those reference, as FHIR JSON texts
// (one resource each, any order).
struct PatientRecord {
  std::string patient_id;
  std::vector<std::string> resources;
};

// Builds one C-CDA R2.1 CCD as XML text. Errors: not_found when no Patient with patient_id is among
// the resources; invalid for a resource that is not JSON (message names it). Never throws.
base::Result<std::string> build_ccd(const PatientRecord& record, const Window& window, const Options& options);

}  // namespace ccda
