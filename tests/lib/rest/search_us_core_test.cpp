// US Core 3.1.1 server conformance of search, through the Router: the 84 published examples
// (tests/data/us-core-examples.ndjson, copied from the package) plus a few resources added where
// the examples have no data for a combination, then every SHALL and SHOULD search parameter and
// combination of CapabilityStatement-us-core-server (rest.resource[].searchParam and the
// search-parameter-combination extensions), each with the exact set of ids expected from reading
// the data. The patient is given as an id, as Patient/id and as a full URL on our base.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "lib/search/search_router_fixture.hpp"

namespace {

using search_rest_test::SearchRouterTest;

// Resources the examples lack for some combinations. Several are the resources the example
// Bundles carry (a Bundle is stored as a Bundle, so its entries are not searchable by themselves).
constexpr const char* kExtras[] = {
    // From Bundle c887e62f-...: an AllergyIntolerance and its Provenance.
    R"({"resourceType":"AllergyIntolerance","id":"79613","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
        "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification","code":"confirmed"}]},
        "category":["medication"],"code":{"coding":[{"system":"http://snomed.info/sct","code":"762952008","display":"Peanuts"}],"text":"Peanuts"},
        "patient":{"reference":"Patient/example"},"onsetDateTime":"2017-06-09"})",
    R"({"resourceType":"Provenance","id":"79614","target":[{"reference":"AllergyIntolerance/79613"}],"recorded":"2019-07-09T15:26:23.217+00:00",
        "agent":[{"who":{"reference":"Practitioner/practitioner-1"},"onBehalfOf":{"reference":"Organization/saint-luke-w-endpoint"}}]})",
    // A Provenance for AllergyIntolerance/example, and one targeting a resource of every type that
    // US Core lets clients _revinclude Provenance for.
    R"({"resourceType":"Provenance","id":"prov-allergy","target":[{"reference":"AllergyIntolerance/example"}],
        "recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/practitioner-1"}}]})",
    R"({"resourceType":"Provenance","id":"prov-multi","recorded":"2020-01-01T00:00:00Z","agent":[{"who":{"reference":"Practitioner/practitioner-2"}}],
        "target":[{"reference":"Patient/example"},{"reference":"AllergyIntolerance/example"},{"reference":"CarePlan/colonoscopy"},
                  {"reference":"CareTeam/example"},{"reference":"Condition/example"},{"reference":"Device/udi-1"},
                  {"reference":"DiagnosticReport/cbc"},{"reference":"DocumentReference/episode-summary"},
                  {"reference":"Encounter/example-1"},{"reference":"Goal/goal-1"},{"reference":"Immunization/imm-1"},
                  {"reference":"MedicationRequest/uscore-mo1"},{"reference":"Observation/bmi"},{"reference":"Procedure/rehab"}]})",
    // From Bundle 66c8856b-...: a PractitionerRole (endpoints on another server) and its Practitioner.
    R"({"resourceType":"Practitioner","id":"Practitioner-1011","identifier":[{"use":"official","system":"http://hl7.org/fhir/sid/us-npi","value":"9999991011"}],
        "name":[{"family":"Richard","given":["Brenda","Jennings"],"suffix":["MD"]}],"gender":"female"})",
    R"({"resourceType":"PractitionerRole","id":"PractitionerRole-1","practitioner":{"reference":"Practitioner/Practitioner-1011"},
        "organization":{"reference":"Organization/acme-lab"},
        "code":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"261QP2300X"}]}],
        "specialty":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"208D00000X","display":"General Practice"}]}],
        "location":[{"reference":"Location/hl7east"}],
        "endpoint":[{"reference":"http://52.90.126.238:8080/fhir/baseDstu3/Endpoint/Endpoint-71"}]})",
    // PractitionerRoles for the example Practitioners, one with a local Endpoint.
    R"({"resourceType":"Endpoint","id":"ep-1","status":"active","connectionType":{"system":"http://terminology.hl7.org/CodeSystem/endpoint-connection-type","code":"direct-project"},
        "payloadType":[{"text":"CCDA"}],"address":"mailto:ronald.bone@direct.example.org"})",
    R"({"resourceType":"PractitionerRole","id":"role-1","practitioner":{"reference":"Practitioner/practitioner-1"},
        "specialty":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"208D00000X"}]}],
        "endpoint":[{"reference":"Endpoint/ep-1"}]})",
    R"({"resourceType":"PractitionerRole","id":"role-2","practitioner":{"reference":"Practitioner/practitioner-2"},
        "specialty":[{"coding":[{"system":"http://nucc.org/provider-taxonomy","code":"207RC0000X"}]}]})",
    // From Bundle uscore-mo3, and one MedicationRequest referencing Medication/uscore-med1.
    R"({"resourceType":"MedicationRequest","id":"uscore-mo3","status":"active","intent":"order",
        "medicationReference":{"reference":"Medication/uscore-med2"},"subject":{"reference":"Patient/example"},
        "authoredOn":"2008-04-05","requester":{"reference":"Practitioner/practitioner-1"}})",
    R"({"resourceType":"MedicationRequest","id":"mo-med1","status":"completed","intent":"order",
        "medicationReference":{"reference":"Medication/uscore-med1"},"subject":{"reference":"Patient/example"},
        "encounter":{"reference":"Encounter/1036"},"authoredOn":"2020-03-01","requester":{"reference":"Practitioner/practitioner-1"}})",
    // A CarePlan with a period and another status; a second CareTeam; an Encounter with an identifier.
    R"({"resourceType":"CarePlan","id":"cp-dated","status":"completed","intent":"plan",
        "category":[{"coding":[{"system":"http://hl7.org/fhir/us/core/CodeSystem/careplan-category","code":"assess-plan"}]}],
        "subject":{"reference":"Patient/example"},"period":{"start":"2019-01-01","end":"2019-06-30"}})",
    R"({"resourceType":"CareTeam","id":"ct-inactive","status":"inactive","subject":{"reference":"Patient/example"},
        "participant":[{"member":{"reference":"Practitioner/practitioner-2"}}]})",
    R"({"resourceType":"Encounter","id":"enc-ident","status":"finished","identifier":[{"system":"urn:oid:1.2.3","value":"E-100"}],
        "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},
        "subject":{"reference":"Patient/infant-example"},"period":{"start":"2020-07-01T09:00:00Z","end":"2020-07-01T10:00:00Z"}})",
};

std::filesystem::path data_file() {
  return std::filesystem::path(FHIR_SOURCE_DIR) / "tests" / "data" / "us-core-examples.ndjson";
}

class UsCoreSearch : public SearchRouterTest {
 protected:
  static void SetUpTestSuite() {
    env().wipe();
    std::ifstream in(data_file());
    ASSERT_TRUE(in) << data_file();
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      put(line);
      ++n;
    }
    ASSERT_EQ(n, 84);
    for (const char* extra : kExtras) put(extra);
  }

  // GET /r4/<query>: must be a 200 searchset with no outcome entry; returns the matches' ids.
  static Set ids(const std::string& query, rest::Params headers = {}) {
    auto res = get("/r4/" + query, std::move(headers));
    EXPECT_EQ(res.status, 200) << query << ": " << res.body;
    auto b = body(res);
    EXPECT_EQ(b["type"], "searchset");
    EXPECT_TRUE(entries(b, "outcome").empty()) << query << ": " << res.body;
    Set out;
    for (const auto& e : entries(b, "match")) out.insert(e.substr(e.find('/') + 1));
    EXPECT_EQ(b.value("total", -1), static_cast<int>(out.size())) << query;
    return out;
  }

  // The included resources ("Type/id") of GET /r4/<query>.
  static Set includes(const std::string& query) {
    auto res = get("/r4/" + query);
    EXPECT_EQ(res.status, 200) << query << ": " << res.body;
    return entries(body(res), "include");
  }

  struct Case {
    std::string query;  // "{p}" stands for the patient: tried as id, Patient/id and full URL
    Set expected;
  };

  static void check(const std::vector<Case>& cases) {
    static const std::string forms[] = {"example", "Patient/example", "https://fhir.test:8443/r4/Patient/example"};
    for (const auto& c : cases) {
      const auto pos = c.query.find("{p}");
      if (pos == std::string::npos) {
        EXPECT_EQ(ids(c.query), c.expected) << c.query;
        continue;
      }
      for (const auto& form : forms) {
        std::string q = c.query;
        q.replace(pos, 3, form);
        EXPECT_EQ(ids(q), c.expected) << q;
      }
    }
  }
};

const std::set<std::string> kVitalSigns{"blood-pressure", "bmi", "bp-data-absent", "heart-rate", "height", "length",
                                    "oxygen-saturation", "respiratory-rate", "satO2-fiO2", "temperature",
                                    "vitals-panel", "weight"};
const std::set<std::string> kLab{
    "blood-glucose", "bun", "erythrocytes", "hemoglobin", "mchc", "neutrophils", "serum-calcium", "serum-chloride",
    "serum-co2", "serum-creatinine", "serum-potassium", "serum-sodium", "serum-total-bilirubin", "urine-bacteria",
    "urine-bilirubin", "urine-cells", "urine-clarity", "urine-color", "urine-epi-cells", "urine-glucose",
    "urine-hemoglobin", "urine-ketone", "urine-leukocyte-esterase", "urine-nitrite", "urine-ph", "urine-protein",
    "urine-rbcs", "urine-sediment", "urine-wbcs", "urobilinogen", "usg"};

TEST_F(UsCoreSearch, AllergyIntolerance) {
  check({
      {"AllergyIntolerance?patient={p}", {"example", "79613"}},
      {"AllergyIntolerance?patient={p}&clinical-status=active", {"example", "79613"}},
      {"AllergyIntolerance?patient={p}&clinical-status=http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical|active",
       {"example", "79613"}},
      {"AllergyIntolerance?patient={p}&clinical-status=inactive,resolved", {}},
      {"AllergyIntolerance?patient=infant-example", {}},
  });
}

TEST_F(UsCoreSearch, CarePlan) {
  const std::string cat = "category=http://hl7.org/fhir/us/core/CodeSystem/careplan-category|assess-plan";
  check({
      {"CarePlan?patient={p}&" + cat, {"colonoscopy", "cp-dated"}},
      {"CarePlan?patient={p}&category=assess-plan&status=active", {"colonoscopy"}},
      {"CarePlan?patient={p}&" + cat + "&status=completed", {"cp-dated"}},
      {"CarePlan?patient={p}&" + cat + "&status=completed&date=ge2019-01-01", {"cp-dated"}},
      {"CarePlan?patient={p}&category=assess-plan&status=active,completed&date=lt2020", {"cp-dated"}},
      {"CarePlan?patient={p}&category=assess-plan&status=active&date=lt2020", {}},
      {"CarePlan?patient={p}&" + cat + "&date=2019", {"cp-dated"}},
      {"CarePlan?patient={p}&category=assess-plan&date=gt2019-07-01", {}},
      {"CarePlan?patient=child-example&category=assess-plan", {}},
  });
}

TEST_F(UsCoreSearch, CareTeam) {
  check({
      {"CareTeam?patient={p}&status=active", {"example"}},
      {"CareTeam?patient={p}&status=inactive", {"ct-inactive"}},
      {"CareTeam?patient={p}&status=active,inactive", {"example", "ct-inactive"}},
      {"CareTeam?patient=infant-example&status=active", {}},
  });
}

TEST_F(UsCoreSearch, Condition) {
  check({
      {"Condition?patient={p}", {"example", "hc1"}},
      {"Condition?patient={p}&onset-date=2016-08-10", {"example"}},
      {"Condition?patient={p}&onset-date=ge2010", {"example"}},
      {"Condition?patient={p}&onset-date=le2010", {"hc1"}},
      {"Condition?patient={p}&category=problem-list-item", {"example"}},
      {"Condition?patient={p}&category=http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item", {"example"}},
      {"Condition?patient={p}&category=http://hl7.org/fhir/us/core/CodeSystem/condition-category|health-concern", {"hc1"}},
      {"Condition?patient={p}&clinical-status=http://terminology.hl7.org/CodeSystem/condition-clinical|active",
       {"example", "hc1"}},
      {"Condition?patient={p}&clinical-status=resolved,inactive", {}},
      {"Condition?patient={p}&code=http://snomed.info/sct|442311008", {"example"}},
      {"Condition?patient={p}&code=442311008,404684003", {"example"}},
  });
}

TEST_F(UsCoreSearch, Device) {
  check({
      {"Device?patient={p}", {"udi-1", "udi-2", "udi-3"}},
      {"Device?patient={p}&type=http://snomed.info/sct|468063009", {"udi-1"}},
      {"Device?patient={p}&type=19257004,109228008", {"udi-2", "udi-3"}},
      {"Device?patient=infant-example", {}},
  });
}

TEST_F(UsCoreSearch, DiagnosticReport) {
  const Set all{"metabolic-panel", "cardiology-report", "urinalysis", "chest-xray-report", "cbc"};
  check({
      {"DiagnosticReport?patient={p}", all},
      {"DiagnosticReport?patient={p}&category=http://terminology.hl7.org/CodeSystem/v2-0074|LAB",
       {"metabolic-panel", "urinalysis", "cbc"}},
      {"DiagnosticReport?patient={p}&category=LAB&date=2005-07-05", {"urinalysis", "cbc"}},
      {"DiagnosticReport?patient={p}&category=LAB&date=ge2005-07-05", {"urinalysis", "cbc"}},
      {"DiagnosticReport?patient={p}&category=LAB&date=le2005-07-04", {"metabolic-panel"}},
      {"DiagnosticReport?patient={p}&category=http://loinc.org|LP29684-5,http://loinc.org|LP29708-2",
       {"chest-xray-report", "cardiology-report"}},
      {"DiagnosticReport?patient={p}&category=http://loinc.org|LP29708-2&date=gt2010", {"cardiology-report"}},
      {"DiagnosticReport?patient={p}&status=final", all},
      {"DiagnosticReport?patient={p}&status=preliminary", {}},
      {"DiagnosticReport?patient={p}&code=http://loinc.org|24323-8", {"metabolic-panel"}},
      {"DiagnosticReport?patient={p}&code=24356-8,58410-2", {"urinalysis", "cbc"}},
      {"DiagnosticReport?patient={p}&code=http://loinc.org|45033-8&date=2011-01-01", {"cardiology-report"}},
      {"DiagnosticReport?patient={p}&code=http://loinc.org|30746-2&date=lt2019", {}},
  });
}

TEST_F(UsCoreSearch, DocumentReference) {
  const Set doc{"episode-summary"};
  check({
      {"DocumentReference?_id=episode-summary", doc},
      {"DocumentReference?_id=nope", {}},
      {"DocumentReference?patient={p}", doc},
      {"DocumentReference?patient={p}&type=http://loinc.org|34133-9", doc},
      {"DocumentReference?patient={p}&type=http://loinc.org|34133-9&period=2004-12", doc},
      {"DocumentReference?patient={p}&type=34133-9&period=ge2005", {}},
      {"DocumentReference?patient={p}&category=http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category|clinical-note&date=2016-03-09",
       doc},
      {"DocumentReference?patient={p}&category=clinical-note&date=ge2016-01-01", doc},
      {"DocumentReference?patient={p}&category=clinical-note&date=lt2016", {}},
      {"DocumentReference?patient={p}&category=clinical-note", doc},
      {"DocumentReference?patient={p}&status=current", doc},
      {"DocumentReference?patient={p}&status=superseded", {}},
  });
}

TEST_F(UsCoreSearch, Encounter) {
  check({
      {"Encounter?_id=example-1", {"example-1"}},
      {"Encounter?identifier=urn:oid:1.2.3|E-100", {"enc-ident"}},
      {"Encounter?identifier=E-100", {"enc-ident"}},
      {"Encounter?patient={p}", {"example-1", "1036"}},
      {"Encounter?class=AMB&patient={p}", {"example-1"}},
      {"Encounter?class=http://terminology.hl7.org/CodeSystem/v3-ActCode|IMP&patient={p}", {"1036"}},
      {"Encounter?patient={p}&status=finished", {"example-1"}},
      {"Encounter?patient={p}&status=in-progress", {"1036"}},
      {"Encounter?patient={p}&type=http://www.ama-assn.org/go/cpt|99201", {"example-1"}},
      {"Encounter?date=2015-11-01&patient={p}", {"example-1"}},
      {"Encounter?date=ge2015-01-01&date=lt2016&patient={p}", {"example-1"}},
      {"Encounter?date=gt2016&patient={p}", {}},
      {"Encounter?date=ge2020&patient=infant-example", {"enc-ident"}},
  });
}

TEST_F(UsCoreSearch, Goal) {
  check({
      {"Goal?patient={p}", {"goal-1"}},
      {"Goal?patient={p}&lifecycle-status=active", {"goal-1"}},
      {"Goal?patient={p}&lifecycle-status=completed", {}},
      {"Goal?patient={p}&target-date=2016-04-05", {"goal-1"}},
      {"Goal?patient={p}&target-date=le2016-12-31", {"goal-1"}},
      {"Goal?patient={p}&target-date=gt2017", {}},
  });
}

TEST_F(UsCoreSearch, Immunization) {
  check({
      {"Immunization?patient={p}", {"imm-1"}},
      {"Immunization?patient={p}&date=2016-01-08", {"imm-1"}},
      {"Immunization?patient={p}&date=ge2016&date=lt2017", {"imm-1"}},
      {"Immunization?patient={p}&date=gt2016-01-08", {}},
      {"Immunization?patient={p}&status=completed", {"imm-1"}},
      {"Immunization?patient={p}&status=not-done", {}},
  });
}

TEST_F(UsCoreSearch, Location) {
  check({
      {"Location?name=Health", {"hl7east"}},
      {"Location?name=health%20level%20seven", {"hl7east"}},
      {"Location?name=Acme", {}},
      {"Location?address=Amherst", {"hl7east"}},
      {"Location?address=3300%20Washtenaw", {"hl7east"}},
      {"Location?address-city=amherst", {"hl7east"}},
      {"Location?address-state=MA", {"hl7east"}},
      {"Location?address-postalcode=01002", {"hl7east"}},
      {"Location?address-postalcode=74047", {}},
  });
}

TEST_F(UsCoreSearch, MedicationRequest) {
  check({
      {"MedicationRequest?patient={p}&intent=order", {"uscore-mo1", "uscore-mo2", "uscore-mo3", "mo-med1"}},
      {"MedicationRequest?patient={p}&intent=plan", {"self-tylenol"}},
      {"MedicationRequest?patient={p}&intent=plan&encounter=Encounter/example-1", {"self-tylenol"}},
      {"MedicationRequest?patient={p}&intent=order&encounter=1036", {"mo-med1"}},
      {"MedicationRequest?patient={p}&intent=order&encounter=example-1", {}},
      {"MedicationRequest?patient={p}&intent=order&authoredon=2008-04-05", {"uscore-mo1", "uscore-mo2", "uscore-mo3"}},
      {"MedicationRequest?patient={p}&intent=order&authoredon=ge2020", {"mo-med1"}},
      {"MedicationRequest?patient={p}&intent=order&status=active", {"uscore-mo1", "uscore-mo2", "uscore-mo3"}},
      {"MedicationRequest?patient={p}&intent=order&status=completed", {"mo-med1"}},
      {"MedicationRequest?patient={p}&intent=order,plan&status=active",
       {"uscore-mo1", "uscore-mo2", "uscore-mo3", "self-tylenol"}},
  });
}

TEST_F(UsCoreSearch, Observation) {
  Set vitals_1999 = kVitalSigns;
  vitals_1999.erase("satO2-fiO2");
  check({
      {"Observation?patient={p}&category=vital-signs", kVitalSigns},
      {"Observation?patient={p}&category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs&date=1999-07-02",
       vitals_1999},
      {"Observation?patient={p}&category=vital-signs&date=ge2010", {"satO2-fiO2"}},
      {"Observation?patient={p}&category=laboratory", kLab},
      {"Observation?patient={p}&category=laboratory&date=gt2005-07-05", {"serum-total-bilirubin"}},
      {"Observation?patient={p}&category=social-history&status=final", {"some-day-smoker"}},
      {"Observation?patient={p}&category=vital-signs&status=preliminary", {}},
      {"Observation?patient={p}&code=http://loinc.org|8310-5", {"temperature"}},
      {"Observation?patient={p}&code=http://loinc.org|85354-9", {"blood-pressure", "bp-data-absent"}},
      {"Observation?patient={p}&code=59408-5", {"satO2-fiO2", "oxygen-saturation"}},
      {"Observation?patient={p}&code=http://loinc.org|72166-2", {"some-day-smoker"}},
      {"Observation?patient={p}&code=http://loinc.org|5787-7", {"urine-cells", "urine-epi-cells"}},
      {"Observation?patient={p}&code=http://loinc.org|59408-5&date=2014", {"satO2-fiO2"}},
      {"Observation?patient={p}&code=http://loinc.org|59408-5&date=lt2000", {"oxygen-saturation"}},
      {"Observation?patient=infant-example&category=vital-signs", {"ofc-percentile", "pediatric-wt-example"}},
      {"Observation?patient=child-example&code=http://loinc.org|59576-9", {"pediatric-bmi-example"}},
  });
}

TEST_F(UsCoreSearch, Organization) {
  const Set all{"example-organization-2", "saint-luke-w-endpoint", "acme-lab"};
  check({
      {"Organization?name=Acme", {"example-organization-2", "acme-lab"}},
      {"Organization?name=acme%20labs", {"acme-lab"}},
      {"Organization?name:exact=Acme%20Clinic", {"example-organization-2"}},
      {"Organization?name=Saint", {"saint-luke-w-endpoint"}},
      {"Organization?address=Amherst", all},
      {"Organization?address=3300", all},
      {"Organization?address=4401", {"saint-luke-w-endpoint"}},
      {"Organization?address=64111", {"saint-luke-w-endpoint"}},
      {"Organization?address=USA", {"example-organization-2", "acme-lab"}},
      {"Organization?name=Acme&address=Amherst", {"example-organization-2", "acme-lab"}},
  });
}

TEST_F(UsCoreSearch, Patient) {
  const Set examples{"child-example", "infant-example"};
  check({
      {"Patient?_id=example", {"example"}},
      {"Patient?identifier=http://hospital.smarthealthit.org|1032702", {"example"}},
      {"Patient?identifier=1032703", {"infant-example"}},
      {"Patient?identifier=http://hospital.smarthealthit.org|", {"example", "child-example", "infant-example"}},
      {"Patient?name=Shaw", {"example"}},
      {"Patient?name=baxter", {"example"}},
      {"Patient?name=pharmd", {"example"}},
      {"Patient?name=Example", examples},
      {"Patient?given=Amy", {"example"}},
      {"Patient?birthdate=1987-02-20&family=Shaw", {"example"}},
      {"Patient?birthdate=2016&family=example", {"child-example"}},
      {"Patient?birthdate=ge2016&family=example", examples},
      {"Patient?family=example&gender=male", examples},
      {"Patient?family=shaw&gender=male", {}},
      {"Patient?birthdate=1987-02-20&name=Amy", {"example"}},
      {"Patient?birthdate=2020-06-02&name=infant", {"infant-example"}},
      {"Patient?gender=male&name=Example", examples},
      {"Patient?gender=female&name=infant", {}},
  });
}

TEST_F(UsCoreSearch, Practitioner) {
  check({
      {"Practitioner?name=Bone", {"practitioner-1"}},
      {"Practitioner?name=kathy", {"practitioner-2"}},
      {"Practitioner?name=Fielding", {"practitioner-2"}},
      {"Practitioner?name=dr", {"practitioner-1", "practitioner-2"}},
      {"Practitioner?name=richard", {"Practitioner-1011"}},
      {"Practitioner?identifier=http://hl7.org.fhir/sid/us-npi|9941339108", {"practitioner-1"}},
      {"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9941339108", {}},  // the examples misspell the system
      {"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999991011", {"Practitioner-1011"}},
      {"Practitioner?identifier=9941339108", {"practitioner-1"}},
      {"Practitioner?identifier=http://www.acme.org/practitioners|456789", {"practitioner-2"}},
  });
}

TEST_F(UsCoreSearch, PractitionerRole) {
  check({
      {"PractitionerRole?specialty=http://nucc.org/provider-taxonomy|208D00000X", {"role-1", "PractitionerRole-1"}},
      {"PractitionerRole?specialty=207RC0000X", {"role-2"}},
      {"PractitionerRole?practitioner=Practitioner/practitioner-1", {"role-1"}},
      {"PractitionerRole?practitioner=practitioner-2", {"role-2"}},
      {"PractitionerRole?practitioner=https://fhir.test:8443/r4/Practitioner/Practitioner-1011", {"PractitionerRole-1"}},
      {"PractitionerRole?practitioner.identifier=http://hl7.org.fhir/sid/us-npi|9941339108", {"role-1"}},
      {"PractitionerRole?practitioner.name=Richard", {"PractitionerRole-1"}},
      {"PractitionerRole?practitioner.name=kathy&specialty=207RC0000X", {"role-2"}},
  });
}

TEST_F(UsCoreSearch, Procedure) {
  check({
      {"Procedure?patient={p}", {"defib-implant", "rehab"}},
      {"Procedure?patient={p}&date=2019-03-26", {"defib-implant"}},
      {"Procedure?patient={p}&date=ge2019", {"defib-implant"}},
      {"Procedure?patient={p}&date=le2010", {"rehab"}},
      {"Procedure?patient={p}&date=ge2002-05-23&date=le2002-05-23", {"rehab"}},
      {"Procedure?patient={p}&status=completed", {"defib-implant", "rehab"}},
      {"Procedure?patient={p}&status=in-progress", {}},
      {"Procedure?patient={p}&code=http://snomed.info/sct|35637008&date=2002", {"rehab"}},
      {"Procedure?patient={p}&code=http://www.cms.gov/Medicare/Coding/ICD10|HZ30ZZZ&date=ge2002-05-01", {"rehab"}},
      {"Procedure?patient={p}&code=http://www.ama-assn.org/go/cpt|33249&date=ge2019-01-01", {"defib-implant"}},
      {"Procedure?patient={p}&code=http://www.ama-assn.org/go/cpt|33249&date=lt2019", {}},
  });
}

TEST_F(UsCoreSearch, IncludeMedication) {
  EXPECT_EQ(includes("MedicationRequest?patient=example&intent=order&_include=MedicationRequest:medication"),
            (Set{"Medication/uscore-med1", "Medication/uscore-med2"}));
  EXPECT_EQ(includes("MedicationRequest?_id=mo-med1&_include=MedicationRequest:medication"),
            (Set{"Medication/uscore-med1"}));
  EXPECT_EQ(includes("MedicationRequest?_id=uscore-mo2&_include=MedicationRequest:medication"), Set{});  // contained
}

TEST_F(UsCoreSearch, IncludePractitionerRoleTargets) {
  EXPECT_EQ(includes("PractitionerRole?specialty=http://nucc.org/provider-taxonomy|208D00000X"
                     "&_include=PractitionerRole:practitioner&_include=PractitionerRole:endpoint"),
            (Set{"Practitioner/practitioner-1", "Practitioner/Practitioner-1011", "Endpoint/ep-1"}));
  EXPECT_EQ(includes("PractitionerRole?practitioner.name=Richard&_include=PractitionerRole:endpoint"), Set{});
}

TEST_F(UsCoreSearch, RevincludeProvenanceOnEveryType) {
  const std::pair<const char*, const char*> targets[] = {
      {"Patient", "example"},         {"AllergyIntolerance", "example"}, {"CarePlan", "colonoscopy"},
      {"CareTeam", "example"},        {"Condition", "example"},          {"Device", "udi-1"},
      {"DiagnosticReport", "cbc"},    {"DocumentReference", "episode-summary"},
      {"Encounter", "example-1"},     {"Goal", "goal-1"},                {"Immunization", "imm-1"},
      {"MedicationRequest", "uscore-mo1"}, {"Observation", "bmi"},       {"Procedure", "rehab"}};
  for (const auto& [type, id] : targets) {
    Set expected{"Provenance/prov-multi"};
    if (std::string(type) == "AllergyIntolerance") expected.insert("Provenance/prov-allergy");
    EXPECT_EQ(includes(std::string(type) + "?_id=" + id + "&_revinclude=Provenance:target"), expected) << type;
  }
  EXPECT_EQ(includes("AllergyIntolerance?patient=example&_revinclude=Provenance:target"),
            (Set{"Provenance/prov-multi", "Provenance/prov-allergy", "Provenance/79614"}));
  EXPECT_EQ(includes("Observation?patient=example&code=http://loinc.org|39156-5,http://loinc.org|8310-5"
                     "&_revinclude=Provenance:target"),
            (Set{"Provenance/prov-multi"}));
  EXPECT_EQ(includes("Condition?patient=example&_id=hc1&_revinclude=Provenance:target"), Set{});
}

TEST_F(UsCoreSearch, PostSearchGivesWhatGetGives) {
  const char* queries[] = {
      "patient=example&category=laboratory&date=ge2005-07-05&_count=5&_sort=-date,_id",
      "patient=Patient%2Fexample&code=http%3A%2F%2Floinc.org%7C85354-9&_revinclude=Provenance%3Atarget",
      "patient=example&category=vital-signs&unknown-param=1",
  };
  for (const char* q : queries) {
    auto g = body(get(std::string("/r4/Observation?") + q));
    auto p = body(post_search("/r4/Observation", q));
    for (auto* b : {&g, &p}) {
      b->erase("id");
      b->erase("meta");
    }
    EXPECT_EQ(g, p) << q;
  }
  auto g = body(get("/r4/MedicationRequest?patient=example&intent=order&_include=MedicationRequest:medication"));
  auto p = body(post_search("/r4/MedicationRequest", "patient=example&intent=order&_include=MedicationRequest:medication"));
  EXPECT_EQ(entries(g, "match"), entries(p, "match"));
  EXPECT_EQ(entries(g, "include"), entries(p, "include"));
  EXPECT_EQ(entries(p, "match").size(), 4u);
  // Query string and form body together: both apply.
  auto both = call(rest::Method::POST, "/r4/Observation/_search?patient=example", "code=http://loinc.org|8310-5", {},
                   "application/x-www-form-urlencoded");
  EXPECT_EQ(entries(body(both), "match"), (Set{"Observation/temperature"}));
}

TEST_F(UsCoreSearch, UnknownParameterLenientAndStrict) {
  auto res = get("/r4/Observation?patient=example&code=http://loinc.org|8310-5&foo=bar");
  ASSERT_EQ(res.status, 200) << res.body;
  auto b = body(res);
  EXPECT_EQ(entries(b, "match"), (Set{"Observation/temperature"}));
  int outcomes = 0;
  for (const auto& e : b["entry"]) {
    if (e["search"]["mode"] != "outcome") continue;
    ++outcomes;
    EXPECT_EQ(e["resource"]["resourceType"], "OperationOutcome");
    EXPECT_NE(e["resource"].dump().find("foo"), std::string::npos);
  }
  EXPECT_EQ(outcomes, 1);
  EXPECT_EQ(b["total"], 1);
  EXPECT_EQ(link(b, "self").find("foo"), std::string::npos) << link(b, "self");

  res = get("/r4/Observation?patient=example&foo=bar", {{"prefer", "handling=strict"}});
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(body(res)["resourceType"], "OperationOutcome");
  EXPECT_NE(res.body.find("foo"), std::string::npos);
  res = post_search("/r4/Observation", "patient=example&foo=bar", {{"prefer", "return=representation; handling=strict"}});
  EXPECT_EQ(res.status, 400) << res.body;
  res = get("/r4/Observation?patient=example&foo=bar", {{"prefer", "handling=lenient"}});
  EXPECT_EQ(res.status, 200) << res.body;
}

TEST_F(UsCoreSearch, PagingLinksAreFollowable) {
  auto first = body(get("/r4/Observation?patient=example&category=laboratory&_count=10&_total=accurate"));
  EXPECT_EQ(first["total"], 31);
  EXPECT_FALSE(link(first, "self").empty());
  EXPECT_FALSE(link(first, "first").empty());
  EXPECT_TRUE(link(first, "previous").empty());
  Set seen;
  std::vector<Json> pages{first};
  while (true) {
    const Json& page = pages.back();
    for (const auto& id : entries(page, "match")) EXPECT_TRUE(seen.insert(id.substr(id.find('/') + 1)).second) << id;
    EXPECT_LE(entries(page, "match").size(), 10u);
    EXPECT_EQ(page["total"], 31);
    const std::string next = link(page, "next");
    if (next.empty()) break;
    ASSERT_LT(pages.size(), 10u);
    auto res = get(target_of(next));
    ASSERT_EQ(res.status, 200) << next << "\n" << res.body;
    pages.push_back(body(res));
  }
  EXPECT_EQ(pages.size(), 4u);
  EXPECT_EQ(seen, kLab);
  // previous of page 3 is page 2; first of any page is page 1; self of page 2 is page 2.
  auto prev = body(get(target_of(link(pages[2], "previous"))));
  EXPECT_EQ(entries(prev, "match"), entries(pages[1], "match"));
  auto again = body(get(target_of(link(pages[2], "first"))));
  EXPECT_EQ(entries(again, "match"), entries(pages[0], "match"));
  auto self = body(get(target_of(link(pages[1], "self"))));
  EXPECT_EQ(entries(self, "match"), entries(pages[1], "match"));
}

}  // namespace
