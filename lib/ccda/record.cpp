// The patient record: resources parsed once (types no section uses are skipped before parsing),
// indexed by reference and grouped by type; Observation classification; each resource's time.
#include <algorithm>
#include <array>

#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

// The resourceType of a JSON text without parsing it (the first "resourceType" member at any
// depth is the resource's own in practice: FHIR writers put it first). "" when not found.
std::string_view peek_type(std::string_view text) {
  const auto k = text.find("\"resourceType\"");
  if (k == std::string_view::npos) return {};
  std::size_t i = k + 14;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  if (i >= text.size() || text[i] != ':') return {};
  ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  if (i >= text.size() || text[i] != '"') return {};
  const auto e = text.find('"', i + 1);
  if (e == std::string_view::npos) return {};
  return text.substr(i + 1, e - i - 1);
}

constexpr std::array<std::string_view, 21> kUsed = {
    "Patient",       "Practitioner", "Organization",      "Location",         "Medication",
    "Condition",     "AllergyIntolerance", "MedicationRequest", "MedicationStatement", "Immunization",
    "Observation",   "DiagnosticReport",   "Procedure",         "Encounter",        "Goal",
    "CarePlan",      "ServiceRequest",     "DocumentReference", "Device",           "ClinicalImpression",
    "PractitionerRole"};

bool used(std::string_view type) { return std::find(kUsed.begin(), kUsed.end(), type) != kUsed.end(); }

}  // namespace

base::Result<Record> load_record(const PatientRecord& input) {
  Record rec;
  rec.resources.reserve(input.resources.size());
  for (std::size_t i = 0; i < input.resources.size(); ++i) {
    const std::string& text = input.resources[i];
    // Every resource is checked to be JSON (the contract promises the error); the ones no section
    // uses (Provenance, CareTeam, ...) are parsed into a scratch arena that is reused.
    const std::string_view peeked = peek_type(text);
    if (!peeked.empty() && !used(peeked)) {
      thread_local JsonArena scratch;
      scratch.reset();
      Json ignored;
      const std::string problem = parse_json(text, scratch, ignored);
      if (!problem.empty() || !ignored.is_object()) {
        return base::invalid("resource " + std::to_string(i + 1) + " of patient '" + input.patient_id +
                             "' is not a JSON object" + (problem.empty() ? std::string() : ": " + problem));
      }
      continue;
    }
    Json j;
    const std::string problem = parse_json(text, rec.arena, j);
    if (!problem.empty() || !j.is_object()) {
      return base::invalid("resource " + std::to_string(i + 1) + " of patient '" + input.patient_id +
                           "' is not a JSON object" + (problem.empty() ? std::string() : ": " + problem));
    }
    std::string type(str(j, "resourceType"));
    if (!used(type)) continue;
    rec.resources.push_back({std::move(type), j});
  }
  rec.by_ref.reserve(rec.resources.size() * 2);
  for (const Resource& r : rec.resources) {
    const std::string_view id = str(r.json, "id");
    if (!id.empty()) rec.by_ref.emplace(r.type + "/" + std::string(id), &r.json);
    const Json* j = &r.json;
    const std::string& t = r.type;
    if (t == "Patient") {
      if (id == input.patient_id) rec.patient = j;
    } else if (t == "Condition") rec.conditions.push_back(j);
    else if (t == "AllergyIntolerance") rec.allergies.push_back(j);
    else if (t == "MedicationRequest") rec.medication_requests.push_back(j);
    else if (t == "MedicationStatement") rec.medication_statements.push_back(j);
    else if (t == "Immunization") rec.immunizations.push_back(j);
    else if (t == "Observation") rec.observations.push_back(j);
    else if (t == "DiagnosticReport") rec.reports.push_back(j);
    else if (t == "Procedure") rec.procedures.push_back(j);
    else if (t == "Encounter") rec.encounters.push_back(j);
    else if (t == "Goal") rec.goals.push_back(j);
    else if (t == "CarePlan") rec.care_plans.push_back(j);
    else if (t == "ServiceRequest") rec.service_requests.push_back(j);
    else if (t == "DocumentReference") rec.documents.push_back(j);
    else if (t == "Device") rec.devices.push_back(j);
    else if (t == "ClinicalImpression") rec.impressions.push_back(j);
  }
  if (!rec.patient) return base::not_found("no Patient '" + input.patient_id + "' among the resources");
  return rec;
}

const Json* Record::resolve(const Json* reference) const {
  if (!reference || !reference->is_object()) return nullptr;
  std::string_view ref = str(*reference, "reference");
  if (ref.empty()) return nullptr;
  // Absolute URL or relative: keep the last two path segments (Type/id), dropping _history.
  if (auto h = ref.find("/_history/"); h != std::string_view::npos) ref = ref.substr(0, h);
  const auto last = ref.rfind('/');
  if (last == std::string_view::npos || last == 0) return nullptr;
  const auto prev = ref.rfind('/', last - 1);
  if (prev != std::string_view::npos) ref = ref.substr(prev + 1);
  auto it = by_ref.find(std::string(ref));
  return it == by_ref.end() ? nullptr : it->second;
}

// ---- Classification ------------------------------------------------------------------------

bool has_category(const Json& resource, std::string_view code) {
  return has_code(array(resource, "category"), code);
}

bool is_vital_sign(const Json& obs) { return has_category(obs, "vital-signs"); }
bool is_lab(const Json& obs) { return has_category(obs, "laboratory"); }
bool is_smoking_status(const Json& obs) {
  const Json* code = member(obs, "code");
  return has_code(code, "72166-2") || has_code(code, "11367-0");
}

namespace {

// LOINC codes of functional and mental (cognitive, mood) status assessments.
constexpr std::array<std::string_view, 4> kFunctional = {"75276-6", "54522-8", "46008-9", "89245-2"};
constexpr std::array<std::string_view, 9> kMental = {"44261-6", "55758-7", "70274-6", "11332-4", "75275-8",
                                                     "72172-0", "44249-1", "69737-5", "10190-7"};

bool code_in_list(const Json& obs, const auto& list) {
  const Json* codings = member(obs, "code") ? array(*member(obs, "code"), "coding") : nullptr;
  if (!codings) return false;
  for (const Json& c : *codings) {
    if (std::find(list.begin(), list.end(), str(c, "code")) != list.end()) return true;
  }
  return false;
}

}  // namespace

bool is_functional_status(const Json& obs) {
  return has_category(obs, "functional-status") || code_in_list(obs, kFunctional);
}

bool is_mental_status(const Json& obs) {
  return !is_functional_status(obs) && (has_category(obs, "cognitive-status") || has_category(obs, "mental-status") ||
                                        code_in_list(obs, kMental));
}

// ---- Times ---------------------------------------------------------------------------------

namespace {

std::optional<TimeRange> period_range(const Json* period) {
  if (!period || !period->is_object()) return std::nullopt;
  auto lo = time_range(str(*period, "start"));
  auto hi = time_range(str(*period, "end"));
  if (lo && hi) return TimeRange{lo->low, std::max(lo->high, hi->high)};
  if (lo) return TimeRange{lo->low, INT64_MAX};  // still going on
  if (hi) return TimeRange{INT64_MIN, hi->high};
  return std::nullopt;
}

// The first of the named dateTime members, or of the Period members, that is present.
std::optional<TimeRange> first_time(const Json& r, std::initializer_list<std::string_view> times,
                                    std::initializer_list<std::string_view> periods = {}) {
  for (auto k : times) {
    if (auto t = time_range(str(r, k))) return t;
  }
  for (auto k : periods) {
    if (auto t = period_range(member(r, k))) return t;
  }
  return std::nullopt;
}

}  // namespace

std::optional<TimeRange> resource_time(const Record& rec, const Json& r) {
  const std::string_view type = str(r, "resourceType");
  std::optional<TimeRange> t;
  if (type == "Encounter") t = period_range(member(r, "period"));
  else if (type == "Procedure") t = first_time(r, {"performedDateTime"}, {"performedPeriod"});
  else if (type == "Observation") t = first_time(r, {"effectiveDateTime", "effectiveInstant"}, {"effectivePeriod"});
  else if (type == "DiagnosticReport") t = first_time(r, {"effectiveDateTime"}, {"effectivePeriod"});
  else if (type == "DocumentReference") {
    const Json* context = member(r, "context");
    if (context) t = period_range(member(*context, "period"));
    if (!t) t = first_time(r, {"date"});
  } else if (type == "Goal") t = first_time(r, {"startDate", "statusDate"});
  else if (type == "Condition") {
    auto onset = first_time(r, {"onsetDateTime"}, {"onsetPeriod"});
    if (!onset) onset = first_time(r, {"recordedDate"});
    if (onset) {
      auto abated = first_time(r, {"abatementDateTime"}, {"abatementPeriod"});
      t = TimeRange{onset->low, abated ? std::max(onset->high, abated->high) : INT64_MAX};
    }
  } else if (type == "CarePlan") t = first_time(r, {}, {"period"});
  else if (type == "ServiceRequest") t = first_time(r, {"occurrenceDateTime", "authoredOn"}, {"occurrencePeriod"});
  else if (type == "ClinicalImpression") t = first_time(r, {"effectiveDateTime", "date"}, {"effectivePeriod"});
  else if (type == "MedicationRequest") t = first_time(r, {"authoredOn"});
  else if (type == "Immunization") t = first_time(r, {"occurrenceDateTime", "recorded"});
  else if (type == "AllergyIntolerance") t = first_time(r, {"onsetDateTime", "recordedDate"});
  if (!t) {
    if (type == "CarePlan") t = first_time(r, {"created"});
    else if (type == "Observation" || type == "DiagnosticReport") t = first_time(r, {"issued"});
  }
  if (!t) {  // an encounter-related event without its own date: the encounter's
    const Json* enc = rec.resolve(member(r, "encounter"));
    if (!enc) {
      if (const Json* ctx = member(r, "context")) {
        if (const Json* encs = first(*ctx, "encounter")) enc = rec.resolve(encs);
      }
    }
    if (enc) t = period_range(member(*enc, "period"));
  }
  return t;
}

bool Ctx::in_window(const std::optional<TimeRange>& r) const {
  if (!window.start_us && !window.end_us) return true;
  if (!r) return false;
  if (window.start_us && r->high <= *window.start_us) return false;
  if (window.end_us && r->low >= *window.end_us) return false;
  return true;
}

}  // namespace ccda::detail
