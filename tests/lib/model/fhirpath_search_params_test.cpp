// The FHIRPath subset against the real thing: every SearchParameter.expression of R4 and US Core
// 3.1.1 (copied into tests/data/search_param_expressions.txt) must compile, and a few of them are
// checked node by node over US Core-like resources.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/model/us_core_examples.hpp"
#include "model/fhirpath.hpp"

namespace {

namespace fp = model::fhirpath;

std::vector<std::string> search_param_expressions() {
  const auto path = std::filesystem::path(FHIR_SOURCE_DIR) / "tests" / "data" /
                    "search_param_expressions.txt";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

base::Json parse(const std::string& text) {
  auto r = base::parse_json(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : base::Json();
}

// Each node as compact JSON, followed by "@type" when the node has a type.
std::vector<std::string> eval(const std::string& expression, const base::Json& resource) {
  auto expr = fp::compile(expression);
  EXPECT_TRUE(expr.ok()) << expression;
  std::vector<std::string> out;
  if (!expr.ok()) return out;
  for (const auto& node : fp::evaluate(**expr, resource)) {
    out.push_back(base::dump_compact(*node.value) + (node.type.empty() ? "" : "@" + node.type));
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(FhirPathSearchParams, EveryR4AndUsCoreExpressionCompiles) {
  const auto expressions = search_param_expressions();
  ASSERT_GT(expressions.size(), 1300u);
  std::size_t compiled = 0;
  for (const auto& text : expressions) {
    auto expr = fp::compile(text);
    EXPECT_TRUE(expr.ok()) << text << "\n  -> " << (expr.ok() ? "" : expr.error().message);
    if (expr.ok()) ++compiled;
  }
  EXPECT_EQ(compiled, expressions.size());
}

TEST(FhirPathSearchParams, EveryExpressionEvaluatesOverTheExamples) {
  std::vector<base::Json> resources;
  for (const char* text : {us_core_examples::kPatient, us_core_examples::kBloodPressure,
                           us_core_examples::kEncounter, us_core_examples::kBundle}) {
    resources.push_back(parse(text));
  }
  std::size_t selected = 0;
  for (const auto& text : search_param_expressions()) {
    auto expr = fp::compile(text);
    if (!expr.ok()) continue;  // reported by the test above
    for (const auto& resource : resources) {
      for (const auto& node : fp::evaluate(**expr, resource)) {
        ASSERT_NE(node.value, nullptr) << text;
        ++selected;
      }
    }
  }
  EXPECT_GT(selected, 50u);
}

// Expressions used below, as published (asserted present in the data file).
const char* kPatientParam =  // R4 clinical `patient`
    "AllergyIntolerance.patient | CarePlan.subject.where(resolve() is Patient) | CareTeam.subject.where(resolve() "
    "is Patient) | ClinicalImpression.subject.where(resolve() is Patient) | Composition.subject.where(resolve() is "
    "Patient) | Condition.subject.where(resolve() is Patient) | Consent.patient | DetectedIssue.patient | "
    "DeviceRequest.subject.where(resolve() is Patient) | DeviceUseStatement.subject | "
    "DiagnosticReport.subject.where(resolve() is Patient) | DocumentManifest.subject.where(resolve() is Patient) | "
    "DocumentReference.subject.where(resolve() is Patient) | Encounter.subject.where(resolve() is Patient) | "
    "EpisodeOfCare.patient | FamilyMemberHistory.patient | Flag.subject.where(resolve() is Patient) | "
    "Goal.subject.where(resolve() is Patient) | ImagingStudy.subject.where(resolve() is Patient) | "
    "Immunization.patient | List.subject.where(resolve() is Patient) | "
    "MedicationAdministration.subject.where(resolve() is Patient) | MedicationDispense.subject.where(resolve() is "
    "Patient) | MedicationRequest.subject.where(resolve() is Patient) | MedicationStatement.subject.where(resolve() "
    "is Patient) | NutritionOrder.patient | Observation.subject.where(resolve() is Patient) | "
    "Procedure.subject.where(resolve() is Patient) | RiskAssessment.subject.where(resolve() is Patient) | "
    "ServiceRequest.subject.where(resolve() is Patient) | SupplyDelivery.patient | VisionPrescription.patient";
const char* kClinicalDate =  // R4 clinical `date`
    "AllergyIntolerance.recordedDate | CarePlan.period | CareTeam.period | ClinicalImpression.date | "
    "Composition.date | Consent.dateTime | DiagnosticReport.effective | Encounter.period | EpisodeOfCare.period | "
    "FamilyMemberHistory.date | Flag.period | Immunization.occurrence | List.date | Observation.effective | "
    "Procedure.performed | (RiskAssessment.occurrence as dateTime) | SupplyRequest.authoredOn";
const char* kValueQuantity = "(Observation.value as Quantity) | (Observation.value as SampledData)";
const char* kValueConcept = "(Observation.value as CodeableConcept)";
const char* kComboValueQuantity =
    "(Observation.value as Quantity) | (Observation.value as SampledData) | (Observation.component.value as "
    "Quantity) | (Observation.component.value as SampledData)";
const char* kObservationCategory = "Observation.category";
const char* kUsCoreObservationPatient = "Observation.subject.where(resolve() is Patient)";
const char* kRace =
    "Patient.extension.where(url = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race').extension.value.code";
const char* kEthnicity =
    "Patient.extension.where(url = "
    "'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity').extension.value.code";
const char* kPatientName = "Patient.name";
const char* kPatientPhone =
    "Patient.telecom.where(system='phone') | Person.telecom.where(system='phone') | "
    "Practitioner.telecom.where(system='phone') | PractitionerRole.telecom.where(system='phone') | "
    "RelatedPerson.telecom.where(system='phone')";
const char* kOnsetDate = "Condition.onset.as(dateTime) | Condition.onset.as(Period)";
const char* kUsCoreOnsetDate = "Condition.onset.as(dateTime)";
const char* kOnsetAge = "Condition.onset.as(Age) | Condition.onset.as(Range)";
const char* kOnsetInfo = "Condition.onset.as(string)";
const char* kBundleComposition = "Bundle.entry[0].resource";
const char* kDeceased = "Patient.deceased.exists() and Patient.deceased != false";
const char* kProfile = "Resource.meta.profile";

TEST(FhirPathSearchParams, TheExpressionsBelowArePublished) {
  const auto all = search_param_expressions();
  for (const char* e : {kPatientParam, kClinicalDate, kValueQuantity, kValueConcept, kComboValueQuantity,
                        kObservationCategory, kUsCoreObservationPatient, kRace, kEthnicity, kPatientName,
                        kPatientPhone, kOnsetDate, kUsCoreOnsetDate, kOnsetAge, kOnsetInfo, kBundleComposition,
                        kDeceased, kProfile}) {
    EXPECT_NE(std::find(all.begin(), all.end(), e), all.end()) << e;
  }
}

TEST(FhirPathSearchParams, UsCoreObservation) {
  const base::Json obs = parse(R"({
    "resourceType": "Observation", "id": "bmi",
    "meta": {"profile": ["http://hl7.org/fhir/StructureDefinition/vitalsigns"]},
    "status": "final",
    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                              "code": "vital-signs"}], "text": "Vital Signs"}],
    "code": {"coding": [{"system": "http://loinc.org", "code": "39156-5"}], "text": "BMI"},
    "subject": {"reference": "https://fhir.example.org/r4/Patient/example/_history/3"},
    "effectiveDateTime": "1999-07-02",
    "valueQuantity": {"value": 16.2, "unit": "kg/m2", "system": "http://unitsofmeasure.org", "code": "kg/m2"}
  })");
  const std::string subject = R"({"reference":"https://fhir.example.org/r4/Patient/example/_history/3"})";
  const std::string quantity = R"({"value":16.2,"unit":"kg/m2","system":"http://unitsofmeasure.org","code":"kg/m2"})";
  EXPECT_EQ(eval(kPatientParam, obs), Strings{subject});
  EXPECT_EQ(eval(kUsCoreObservationPatient, obs), Strings{subject});
  EXPECT_EQ(eval(kClinicalDate, obs), Strings{"\"1999-07-02\"@dateTime"});
  EXPECT_EQ(eval(kValueQuantity, obs), Strings{quantity + "@Quantity"});
  EXPECT_EQ(eval(kComboValueQuantity, obs), Strings{quantity + "@Quantity"});
  EXPECT_EQ(eval(kValueConcept, obs), Strings{});
  EXPECT_EQ(eval(kObservationCategory, obs),
            Strings{R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}],"text":"Vital Signs"})"});
  EXPECT_EQ(eval(kProfile, obs), Strings{"\"http://hl7.org/fhir/StructureDefinition/vitalsigns\""});
  EXPECT_EQ(eval(kRace, obs), Strings{});

  // Nodes are the resource's own JSON.
  auto expr = fp::compile(kValueQuantity);
  ASSERT_TRUE(expr.ok());
  auto nodes = fp::evaluate(**expr, obs);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].value, &obs["valueQuantity"]);
  EXPECT_EQ(nodes[0].type, "Quantity");

  // A Group subject is not a patient.
  base::Json group_obs = obs;
  group_obs["subject"]["reference"] = "Group/g1";
  EXPECT_EQ(eval(kPatientParam, group_obs), Strings{});

  // Blood pressure: the components' quantities.
  const base::Json bp = parse(us_core_examples::kBloodPressure);
  EXPECT_EQ(eval(kComboValueQuantity, bp),
            (Strings{R"({"value":109,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}@Quantity)",
                     R"({"value":44,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}@Quantity)"}));
  EXPECT_EQ(eval(kValueQuantity, bp), Strings{});
  EXPECT_EQ(eval(kPatientParam, bp), Strings{R"({"reference":"Patient/example","display":"Amy Shaw"})"});
}

TEST(FhirPathSearchParams, UsCorePatient) {
  const base::Json patient = parse(us_core_examples::kPatient);
  EXPECT_EQ(eval(kRace, patient), (Strings{"\"2106-3\"", "\"1002-5\"", "\"2028-9\"", "\"1586-7\"", "\"2036-2\""}));
  EXPECT_EQ(eval(kEthnicity, patient), (Strings{"\"2135-2\"", "\"2184-0\"", "\"2148-5\""}));
  // The race codes are the patient's own Coding.code members.
  auto expr = fp::compile(kRace);
  ASSERT_TRUE(expr.ok());
  auto nodes = fp::evaluate(**expr, patient);
  ASSERT_EQ(nodes.size(), 5u);
  EXPECT_EQ(nodes[0].value, &patient["extension"][0]["extension"][0]["valueCoding"]["code"]);
  EXPECT_EQ(nodes[4].value, &patient["extension"][0]["extension"][4]["valueCoding"]["code"]);

  EXPECT_EQ(eval(kPatientName, patient).size(), 2u);
  EXPECT_EQ(eval(kPatientPhone, patient), Strings{R"({"system":"phone","value":"555-555-5555","use":"home"})"});
  EXPECT_EQ(eval(kDeceased, patient), Strings{"false"});
  EXPECT_EQ(eval(kPatientParam, patient), Strings{});
  EXPECT_EQ(eval("Patient.extension('http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex').value", patient),
            Strings{"\"F\"@code"});
}

TEST(FhirPathSearchParams, ConditionOnset) {
  const base::Json cond = parse(R"({
    "resourceType": "Condition", "id": "c1",
    "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item"}]}],
    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]},
    "subject": {"reference": "Patient/example"},
    "onsetPeriod": {"start": "2019-01-01", "end": "2019-06-30"}
  })");
  const std::string period = R"({"start":"2019-01-01","end":"2019-06-30"}@Period)";
  EXPECT_EQ(eval(kOnsetDate, cond), Strings{period});
  EXPECT_EQ(eval(kUsCoreOnsetDate, cond), Strings{});
  EXPECT_EQ(eval(kOnsetAge, cond), Strings{});
  EXPECT_EQ(eval(kOnsetInfo, cond), Strings{});
  EXPECT_EQ(eval(kPatientParam, cond), Strings{R"({"reference":"Patient/example"})"});

  base::Json dated = cond;
  dated.erase("onsetPeriod");
  dated["onsetDateTime"] = "2019-01-01T10:00:00Z";
  EXPECT_EQ(eval(kOnsetDate, dated), Strings{"\"2019-01-01T10:00:00Z\"@dateTime"});
  EXPECT_EQ(eval(kUsCoreOnsetDate, dated), Strings{"\"2019-01-01T10:00:00Z\"@dateTime"});
}

TEST(FhirPathSearchParams, BundleComposition) {
  const base::Json bundle = parse(us_core_examples::kBundle);
  auto nodes = eval(kBundleComposition, bundle);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_NE(nodes[0].find("\"resourceType\":\"AllergyIntolerance\""), std::string::npos);
  EXPECT_EQ(eval(kProfile, bundle), Strings{});  // the Bundle itself has no profile
}

}  // namespace
