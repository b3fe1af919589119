#pragma once
// The generator's built-in code tables: small, real LOINC, SNOMED CT, RxNorm, CVX, ICD-10-CM,
// NUCC and UCUM codes (ASCII only), plus names and places. Defined in code_tables.cpp.
#include <cstdint>
#include <span>
#include <string_view>

namespace synth::codes {

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kRxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view kCvx = "http://hl7.org/fhir/sid/cvx";
inline constexpr std::string_view kIcd10 = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr std::string_view kNucc = "http://nucc.org/provider-taxonomy";
inline constexpr std::string_view kCdcRace = "urn:oid:2.16.840.1.113883.6.238";
inline constexpr std::string_view kBcp47 = "urn:ietf:bcp:47";
inline constexpr std::string_view kNpi = "http://hl7.org/fhir/sid/us-npi";

struct Code {
  std::string_view code;
  std::string_view display;
};

struct Place {
  std::string_view city;
  std::string_view state;
  std::string_view zip;
  std::string_view area_code;
};

struct Condition {
  std::string_view snomed;
  std::string_view display;
  std::string_view icd10;
  bool chronic;   // stays active; otherwise usually resolved
  int min_age;    // years
  int max_age;
};

struct Allergy {
  std::string_view system;  // RxNorm for drugs, SNOMED for other substances
  std::string_view code;
  std::string_view display;
  std::string_view category;  // food | medication | environment
};

struct Vaccine {
  std::string_view cvx;
  std::string_view display;
  bool pediatric;
};

struct Medication {
  std::string_view rxnorm;
  std::string_view display;
  std::string_view sig;  // dosage instruction text
};

struct Procedure {
  std::string_view snomed;
  std::string_view display;
  bool period;  // takes long enough to record a performedPeriod
};

struct Implant {
  std::string_view procedure;  // SNOMED procedure that places it
  std::string_view procedure_display;
  std::string_view device;  // SNOMED device type
  std::string_view device_display;
  std::string_view gtin;  // GS1 device identifier (14 digits)
};

struct LabTest {
  std::string_view loinc;
  std::string_view display;
  std::string_view unit;  // UCUM
  std::int64_t low;       // plausible values, scaled by 10^decimals
  std::int64_t high;
  std::int64_t ref_low;   // reference range, scaled
  std::int64_t ref_high;
  int decimals;
};

struct LabPanel {
  std::string_view loinc;
  std::string_view display;
  int first;  // index into lab_tests()
  int count;
};

struct Report {
  std::string_view category;  // LP29708-2 | LP29684-5 | LP7839-6
  std::string_view category_display;
  std::string_view code;      // LOINC report code
  std::string_view display;
  std::string_view conclusion;
};

struct Specialty {
  std::string_view code;  // NUCC
  std::string_view display;
};

std::span<const std::string_view> male_given();
std::span<const std::string_view> female_given();
std::span<const std::string_view> family_names();
std::span<const std::string_view> streets();
std::span<const Place> places();
std::span<const Code> races();       // OMB race categories
std::span<const Code> ethnicities();  // OMB ethnicity categories
std::span<const Code> languages();    // BCP 47
std::span<const Code> encounter_types();  // SNOMED, ambulatory
std::span<const Code> encounter_reasons();  // SNOMED
std::span<const Condition> conditions();
std::span<const Code> health_concerns();  // SNOMED
std::span<const Allergy> allergies();
std::span<const Code> reactions();  // SNOMED clinical findings
std::span<const Vaccine> vaccines();
std::span<const Medication> medications();
std::span<const Procedure> procedures();
std::span<const Implant> implants();
std::span<const LabTest> lab_tests();
std::span<const LabPanel> lab_panels();
std::span<const Code> smoking_statuses();  // SNOMED, US Core smoking status value set
std::span<const Code> clinical_note_types();  // LOINC, the five US Core clinical note types
std::span<const Report> note_reports();
std::span<const std::string_view> goals();  // free-text goal descriptions
std::span<const Specialty> specialties();
std::span<const std::string_view> organization_names();
std::span<const Code> functional_statuses();  // SNOMED findings for LOINC 75276-6
std::span<const Code> cognitive_findings();    // SNOMED qualifiers for LOINC 75275-8
std::span<const Code> referrals();             // SNOMED, C-CDA Referral Types value set
std::span<const Procedure> planned_procedures();  // SNOMED screening/diagnostic procedures

}  // namespace synth::codes
