#pragma once
// What the generator's parts share: the generator state (pool sizes, output buffers, counts), the
// patient being generated with its planned encounters, and the profile URLs. Not a public API.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "synth/generator.hpp"
#include "synth/json_out.hpp"
#include "synth/rng.hpp"

namespace synth::detail {

enum class Type : int {
  AllergyIntolerance,
  CarePlan,
  CareTeam,
  ClinicalImpression,
  Condition,
  Device,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Endpoint,
  Goal,
  Immunization,
  Location,
  Medication,
  MedicationRequest,
  Observation,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Procedure,
  Provenance,
  ServiceRequest,
  kCount,
};

std::string_view type_name(Type t);

namespace profile {
#define SYNTH_US_CORE "http://hl7.org/fhir/us/core/StructureDefinition/"
#define SYNTH_FHIR_CORE "http://hl7.org/fhir/StructureDefinition/"
inline constexpr std::string_view kAllergy = SYNTH_US_CORE "us-core-allergyintolerance";
inline constexpr std::string_view kCarePlan = SYNTH_US_CORE "us-core-careplan";
inline constexpr std::string_view kCareTeam = SYNTH_US_CORE "us-core-careteam";
inline constexpr std::string_view kCondition = SYNTH_US_CORE "us-core-condition";
inline constexpr std::string_view kDevice = SYNTH_US_CORE "us-core-implantable-device";
inline constexpr std::string_view kReportLab = SYNTH_US_CORE "us-core-diagnosticreport-lab";
inline constexpr std::string_view kReportNote = SYNTH_US_CORE "us-core-diagnosticreport-note";
inline constexpr std::string_view kDocument = SYNTH_US_CORE "us-core-documentreference";
inline constexpr std::string_view kEncounter = SYNTH_US_CORE "us-core-encounter";
inline constexpr std::string_view kGoal = SYNTH_US_CORE "us-core-goal";
inline constexpr std::string_view kImmunization = SYNTH_US_CORE "us-core-immunization";
inline constexpr std::string_view kLocation = SYNTH_US_CORE "us-core-location";
inline constexpr std::string_view kMedication = SYNTH_US_CORE "us-core-medication";
inline constexpr std::string_view kMedicationRequest = SYNTH_US_CORE "us-core-medicationrequest";
inline constexpr std::string_view kObservationLab = SYNTH_US_CORE "us-core-observation-lab";
inline constexpr std::string_view kOrganization = SYNTH_US_CORE "us-core-organization";
inline constexpr std::string_view kPatient = SYNTH_US_CORE "us-core-patient";
inline constexpr std::string_view kPractitioner = SYNTH_US_CORE "us-core-practitioner";
inline constexpr std::string_view kPractitionerRole = SYNTH_US_CORE "us-core-practitionerrole";
inline constexpr std::string_view kProcedure = SYNTH_US_CORE "us-core-procedure";
inline constexpr std::string_view kProvenance = SYNTH_US_CORE "us-core-provenance";
inline constexpr std::string_view kPulseOximetry = SYNTH_US_CORE "us-core-pulse-oximetry";
inline constexpr std::string_view kSmokingStatus = SYNTH_US_CORE "us-core-smokingstatus";
inline constexpr std::string_view kPediatricBmi = SYNTH_US_CORE "pediatric-bmi-for-age";
inline constexpr std::string_view kPediatricWeight = SYNTH_US_CORE "pediatric-weight-for-height";
inline constexpr std::string_view kHeadPercentile = SYNTH_US_CORE "head-occipital-frontal-circumference-percentile";
inline constexpr std::string_view kVitalSigns = SYNTH_FHIR_CORE "vitalsigns";
inline constexpr std::string_view kVitalsPanel = SYNTH_FHIR_CORE "vitalspanel";
inline constexpr std::string_view kBloodPressure = SYNTH_FHIR_CORE "bp";
inline constexpr std::string_view kHeartRate = SYNTH_FHIR_CORE "heartrate";
inline constexpr std::string_view kRespRate = SYNTH_FHIR_CORE "resprate";
inline constexpr std::string_view kBodyTemp = SYNTH_FHIR_CORE "bodytemp";
inline constexpr std::string_view kBodyHeight = SYNTH_FHIR_CORE "bodyheight";
inline constexpr std::string_view kBodyWeight = SYNTH_FHIR_CORE "bodyweight";
inline constexpr std::string_view kBmi = SYNTH_FHIR_CORE "bmi";
inline constexpr std::string_view kHeadCircum = SYNTH_FHIR_CORE "headcircum";
inline constexpr std::string_view kOxygenSat = SYNTH_FHIR_CORE "oxygensat";
#undef SYNTH_US_CORE
#undef SYNTH_FHIR_CORE
}  // namespace profile

// All dates are relative to this fixed "today" (2025-06-30), never the clock.
inline constexpr Days kToday = days_from_civil(2025, 6, 30);

// Encounter kinds.
enum class Visit : int { checkup, symptom, followup, well_child, emergency, inpatient };

struct PlannedEncounter {
  Id id;
  Seconds start = 0;
  Seconds end = 0;
  Visit kind = Visit::checkup;
  std::int64_t practitioner = 0;  // index into the pool
  std::int64_t location = 0;
  int age_months = 0;  // at start
};

// The patient being generated: demographics decided up front, the encounter plan, and the ids of
// what other resources refer to.
struct Person {
  Person(std::uint64_t seed, std::int64_t i) : index(i), rng(seed, static_cast<std::uint64_t>(i)) {}

  std::int64_t index;
  Id id;
  Rng rng;
  bool female = false;
  enum class Age { infant, child, adult } age_group = Age::adult;
  Days birth = 0;
  bool deceased = false;
  Seconds death = 0;
  std::int64_t gp = 0;   // general practitioner (pool index)
  std::int64_t org = 0;  // managing organization (pool index)
  std::string_view given, family;
  std::int64_t adult_height = 0;  // mm (cm x 10)
  std::int64_t bmi = 0;           // x 10
  std::vector<PlannedEncounter> encounters;
  std::vector<Id> conditions;  // ids, for CarePlan.addresses
  std::vector<Id> goals;
  std::vector<const PlannedEncounter*> procedure_visits;  // encounters with a Procedure
  Id care_team;
  int obs = 0;  // Observation counter (ids)
  int reports = 0;
  int documents = 0;

  // Coverage schedule: some cases are made to happen on fixed patient indexes, so that every
  // code, status and profile shows up even in a few dozen patients.
  bool vitals_absent_first_visit() const { return index % 20 == 3 || index % 20 == 10 || index % 20 == 11; }
  int months_at(Seconds t) const { return static_cast<int>((day_of(t) - birth) * 12 * 100 / 36525); }
  Seconds last_seen() const { return encounters.empty() ? (kToday - 1) * kDay : encounters.back().end; }
};

class Gen {
 public:
  Gen(const Options& options, const Sink& sink);

  const Options& options;
  const Sink& sink;
  std::int64_t practitioners = 0;  // pool sizes
  std::int64_t organizations = 0;
  std::int64_t locations = 0;
  Out out;   // the resource being written
  Out prov;  // its Provenance
  std::array<std::int64_t, static_cast<int>(Type::kCount)> counts{};

  // Hands the resource in `out` to the sink and clears `out`.
  void emit(Type t);
  // emit(t), then writes and emits a Provenance for it: authored by `author` (a practitioner of
  // the pool) on behalf of their organization at `recorded`, transmitted by that organization.
  void emit_with_provenance(Type t, std::string_view id, Seconds recorded, std::int64_t author);

  // Pool ids and where each member belongs.
  static Id practitioner_id(std::int64_t i) { return make_id("prac", i + 1, 4); }
  static Id role_id(std::int64_t i) { return make_id("role", i + 1, 4); }
  static Id organization_id(std::int64_t i) { return make_id("org", i + 1, 3); }
  static Id endpoint_id(std::int64_t i) { return make_id("ep", i + 1, 3); }
  static Id location_id(std::int64_t i) { return make_id("loc", i + 1, 3); }
  std::int64_t organization_of_practitioner(std::int64_t i) const { return i % organizations; }
  std::int64_t organization_of_location(std::int64_t i) const { return i % organizations; }
  // A practitioner of organization `org`, chosen by `r`.
  std::int64_t practitioner_in(std::int64_t org, Rng& r) const;
  std::int64_t location_in(std::int64_t org, Rng& r) const;
};

// Starts a resource: {"resourceType":"T","id":"ID","meta":{"profile":["P"]}
void begin(Out& o, std::string_view type, std::string_view id, std::string_view profile);
// Writes the `",status":..` style helpers shared by several families.
void subject(Out& o, const Person& p);  // ,"subject":{"reference":"Patient/.."}
void encounter_ref(Out& o, const PlannedEncounter& e);  // ,"encounter":{"reference":"Encounter/.."}

// The generator's parts, by resource family (one file each).
void generate_pool(Gen& g);                   // pool.cpp: Organization, Endpoint, Location, Practitioner, PractitionerRole
void plan_person(Gen& g, Person& p);          // patient.cpp: demographics and encounter plan
void write_patient(Gen& g, Person& p);        // patient.cpp
void write_encounters(Gen& g, Person& p);     // encounters.cpp
void write_vitals(Gen& g, Person& p, const PlannedEncounter& e, bool absent);  // vitals.cpp
void write_labs(Gen& g, Person& p);           // labs.cpp: lab Observations, DiagnosticReport lab, smoking status
void write_problems(Gen& g, Person& p);       // problems.cpp: Condition, AllergyIntolerance, Procedure, Device
void write_immunizations(Gen& g, Person& p);  // immunizations.cpp
void write_medications(Gen& g, Person& p);    // medications.cpp: Medication, MedicationRequest
void write_care(Gen& g, Person& p);           // care.cpp: Goal, CareTeam, CarePlan
void write_documents(Gen& g, Person& p);      // documents.cpp: DocumentReference, DiagnosticReport note
void write_assessments(Gen& g, Person& p);    // assessments.cpp: functional/mental status, ClinicalImpression
void write_requests(Gen& g, Person& p);       // requests.cpp: referral and planned ServiceRequests

// Base64 of ASCII text (attachments, UDI carrier AIDC).
void base64(Out& o, std::string_view text);

}  // namespace synth::detail
