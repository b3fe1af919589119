// One test per section mapping: hand-written resources in, the section's templates, codes,
// narrative and entries out; window filtering for the filtered sections; "No information" when
// empty.
#include "ccd_test_util.hpp"

namespace ccda_test {
namespace {

const char* kEnc1 = R"({"resourceType":"Encounter","id":"enc1","status":"finished",
  "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB","display":"ambulatory"},
  "type":[{"coding":[{"system":"http://snomed.info/sct","code":"185349003","display":"Encounter for check up"}]}],
  "subject":{"reference":"Patient/pat1"},
  "participant":[{"individual":{"reference":"Practitioner/doc1"}}],
  "period":{"start":"2023-05-10T09:00:00-05:00","end":"2023-05-10T09:30:00-05:00"},
  "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"25064002","display":"Headache"}]}],
  "location":[{"location":{"reference":"Location/loc1"}}]})";
const char* kEnc2 = R"({"resourceType":"Encounter","id":"enc2","status":"finished",
  "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"EMER"},
  "subject":{"reference":"Patient/pat1"},
  "period":{"start":"2024-08-01T20:00:00-05:00","end":"2024-08-02T01:00:00-05:00"}})";
const char* kLocation = R"({"resourceType":"Location","id":"loc1","name":"Acme Main Campus",
  "address":{"line":["1 Main St"],"city":"Ann Arbor","state":"MI","postalCode":"48104"}})";

TEST(CcdaSections, EverySectionIsPresentInOrderAndEmptyOnesSayNoInformation) {
  const std::string x = build(record());
  const char* codes[] = {"48765-2", "10160-0", "11450-4", "11369-6", "29762-2", "46264-8", "8716-3",
                         "46240-8", "47519-4", "30954-2", "47420-5", "10190-7", "51848-0", "18776-5",
                         "61146-7", "75310-3", "42349-1", "11506-3", "28570-0", "11502-2"};
  std::size_t last = 0;
  for (const char* code : codes) {
    const std::string sec = section(x, code);
    ASSERT_FALSE(sec.empty()) << code;
    const auto at = x.find(sec);
    EXPECT_GT(at, last) << code;
    last = at;
    if (std::string(code) == "29762-2") {
      EXPECT_NE(sec.find("76689-9"), std::string::npos) << "birth sex is social history";
    } else {
      EXPECT_TRUE(empty_section(sec)) << code << "\n" << sec;
    }
  }
  EXPECT_EQ(count(x, "<section"), 20u);
}

TEST(CcdaSections, Allergies) {
  const std::string x = build(record({R"({"resourceType":"AllergyIntolerance","id":"a1",
    "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
    "type":"allergy","category":["medication"],"criticality":"high",
    "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7980","display":"Penicillin G"}]},
    "patient":{"reference":"Patient/pat1"},"recordedDate":"2020-01-02",
    "reaction":[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"271807003","display":"Rash"}]}],"severity":"moderate"}]})",
                                      R"({"resourceType":"AllergyIntolerance","id":"a2",
    "code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003","display":"No known allergy"}]},
    "patient":{"reference":"Patient/pat1"}})"}));
  const std::string s = section(x, "48765-2");
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.2.6.1\" extension=\"2015-08-01\"/>"), std::string::npos);
  EXPECT_EQ(count(s, "<templateId root=\"2.16.840.1.113883.10.20.22.4.30\" extension=\"2015-08-01\"/>"), 2u);
  EXPECT_NE(s.find("<code code=\"CONC\" codeSystem=\"2.16.840.1.113883.5.6\""), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"CD\" code=\"416098002\""), std::string::npos) << "drug allergy";
  EXPECT_NE(s.find("code=\"7980\" codeSystem=\"2.16.840.1.113883.6.88\""), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"CD\" code=\"271807003\""), std::string::npos) << "reaction";
  EXPECT_NE(s.find("code=\"6736007\""), std::string::npos) << "moderate severity";
  EXPECT_NE(s.find("code=\"CRITH\""), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"CE\" code=\"55561003\""), std::string::npos) << "active status";
  EXPECT_NE(s.find("negationInd=\"true\""), std::string::npos) << "no known allergy";
  EXPECT_NE(s.find("<code nullFlavor=\"NA\"/>"), std::string::npos);
  EXPECT_NE(s.find("<td>Penicillin G</td>"), std::string::npos);
}

TEST(CcdaSections, MedicationsResolveReferencedMedicationsAndKeepTheSig) {
  const std::string x = build(record({R"({"resourceType":"Medication","id":"m1",
    "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197361","display":"Amlodipine 5 MG Oral Tablet"}]}})",
                                      R"({"resourceType":"MedicationRequest","id":"mr1","status":"stopped","intent":"order",
    "medicationReference":{"reference":"Medication/m1"},"subject":{"reference":"Patient/pat1"},
    "authoredOn":"2021-03-04T10:00:00-05:00","requester":{"reference":"Practitioner/doc1"},
    "dosageInstruction":[{"text":"1 tablet daily","doseAndRate":[{"doseQuantity":{"value":1,"system":"http://unitsofmeasure.org","code":"{tbl}"}}]}]})"}));
  const std::string s = section(x, "10160-0");
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.16\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(s.find("<statusCode code=\"aborted\"/>"), std::string::npos);
  EXPECT_NE(s.find("<low value=\"20210304100000-0500\"/>"), std::string::npos);
  EXPECT_NE(s.find("<doseQuantity value=\"1\" unit=\"{tbl}\"/>"), std::string::npos);
  EXPECT_NE(s.find("code=\"197361\" codeSystem=\"2.16.840.1.113883.6.88\""), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.147\"/>"), std::string::npos);
  EXPECT_NE(s.find("ID=\"medication-1-sig\">1 tablet daily</td>"), std::string::npos);
  EXPECT_NE(s.find("<reference value=\"#medication-1-sig\"/>"), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.119\"/>"), std::string::npos) << "author";
}

TEST(CcdaSections, ProblemsAreTheWholeRecordWithoutHealthConcerns) {
  const std::string x = build(record({R"({"resourceType":"Condition","id":"c1",
    "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
    "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item"}]}],
    "code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"I10"},{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},
    "subject":{"reference":"Patient/pat1"},"onsetDateTime":"2010-06-01","recordedDate":"2010-06-02"})",
                                      R"({"resourceType":"Condition","id":"c2",
    "clinicalStatus":{"coding":[{"code":"resolved"}]},"abatementDateTime":"2012-01-01",
    "category":[{"coding":[{"code":"encounter-diagnosis"}]}],
    "code":{"text":"Sprained ankle"},"subject":{"reference":"Patient/pat1"},"onsetDateTime":"2011-12-01"})",
                                      R"({"resourceType":"Condition","id":"c3",
    "category":[{"coding":[{"system":"http://hl7.org/fhir/us/core/CodeSystem/condition-category","code":"health-concern"}]}],
    "code":{"coding":[{"system":"http://snomed.info/sct","code":"73595000","display":"Stress"}]},
    "subject":{"reference":"Patient/pat1"},"recordedDate":"2024-02-01"})"}),
                              "2024-01-01", "2024-12-31");
  const std::string s = section(x, "11450-4");
  EXPECT_EQ(count(s, "<templateId root=\"2.16.840.1.113883.10.20.22.4.3\" extension=\"2015-08-01\"/>"), 2u)
      << "window does not filter the problem list";
  EXPECT_NE(s.find("<value xsi:type=\"CD\" code=\"38341003\" codeSystem=\"2.16.840.1.113883.6.96\""), std::string::npos)
      << "SNOMED preferred";
  EXPECT_NE(s.find("<translation code=\"I10\" codeSystem=\"2.16.840.1.113883.6.90\""), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"CD\" nullFlavor=\"UNK\">"), std::string::npos);
  EXPECT_NE(s.find("<originalText>Sprained ankle</originalText>"), std::string::npos);
  EXPECT_NE(s.find("<statusCode code=\"completed\"/>"), std::string::npos);
  EXPECT_NE(s.find("<high value=\"20120101\"/>"), std::string::npos);
  EXPECT_EQ(s.find("73595000"), std::string::npos) << "health concerns have their own section";
  const std::string hc = section(x, "75310-3");
  EXPECT_NE(hc.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.132\" extension=\"2015-08-01\"/>"), std::string::npos);
  EXPECT_NE(hc.find("code=\"73595000\""), std::string::npos);
  EXPECT_NE(hc.find("<entryRelationship typeCode=\"REFR\">"), std::string::npos);
}

TEST(CcdaSections, HealthConcernsAreFilteredByTheWindow) {
  const auto r = record({R"({"resourceType":"Condition","id":"c3",
    "category":[{"coding":[{"code":"health-concern"}]}],"clinicalStatus":{"coding":[{"code":"resolved"}]},
    "code":{"text":"Stress"},"subject":{"reference":"Patient/pat1"},"onsetDateTime":"2020-02-01",
    "abatementDateTime":"2020-06-01"})"});
  EXPECT_TRUE(empty_section(section(build(r, "2021"), "75310-3")));
  EXPECT_FALSE(empty_section(section(build(r, "2020-05", "2020-05"), "75310-3")));
}

TEST(CcdaSections, ImmunizationsIncludingNotDone) {
  const std::string x = build(record({R"({"resourceType":"Immunization","id":"i1","status":"completed",
    "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140","display":"Influenza, seasonal"}]},
    "patient":{"reference":"Patient/pat1"},"occurrenceDateTime":"2022-10-01T10:00:00-05:00","lotNumber":"140K1",
    "performer":[{"actor":{"reference":"Practitioner/doc1"}}]})",
                                      R"({"resourceType":"Immunization","id":"i2","status":"not-done",
    "statusReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"PATOBJ"}]},
    "vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"115"}]},
    "patient":{"reference":"Patient/pat1"},"occurrenceDateTime":"2023-01-01"})"}));
  const std::string s = section(x, "11369-6");
  EXPECT_EQ(count(s, "<templateId root=\"2.16.840.1.113883.10.20.22.4.52\" extension=\"2015-08-01\"/>"), 2u);
  EXPECT_NE(s.find("negationInd=\"false\""), std::string::npos);
  EXPECT_NE(s.find("negationInd=\"true\""), std::string::npos);
  EXPECT_NE(s.find("code=\"140\" codeSystem=\"2.16.840.1.113883.12.292\""), std::string::npos);
  EXPECT_NE(s.find("<lotNumberText>140K1</lotNumberText>"), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.53\"/>"), std::string::npos);
  EXPECT_NE(s.find("code=\"PATOBJ\" codeSystem=\"2.16.840.1.113883.5.8\""), std::string::npos);
}

TEST(CcdaSections, SocialHistorySmokingStatusAndBirthSex) {
  const std::string x = build(record({R"({"resourceType":"Observation","id":"o1","status":"final",
    "category":[{"coding":[{"code":"social-history"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"72166-2"}]},"subject":{"reference":"Patient/pat1"},
    "effectiveDateTime":"2019-01-01","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"8517006","display":"Former smoker"}]}})"}));
  const std::string s = section(x, "29762-2");
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.78\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"CD\" code=\"8517006\""), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.200\" extension=\"2016-06-01\"/>"), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"CD\" code=\"F\" codeSystem=\"2.16.840.1.113883.5.1\""), std::string::npos);
}

TEST(CcdaSections, MedicalEquipmentWithUdi) {
  const std::string x = build(record({R"({"resourceType":"Device","id":"d1","status":"active",
    "udiCarrier":[{"deviceIdentifier":"00643169007222","carrierHRF":"(01)00643169007222(17)160128(21)BLC200461H"}],
    "type":{"coding":[{"system":"http://snomed.info/sct","code":"704708004","display":"Cardiac resynchronization therapy implantable pacemaker"}]},
    "patient":{"reference":"Patient/pat1"}})"}));
  const std::string s = section(x, "46264-8");
  EXPECT_NE(s.find("<supply classCode=\"SPLY\" moodCode=\"EVN\">"), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.37\"/>"), std::string::npos);
  EXPECT_NE(s.find("<id root=\"2.16.840.1.113883.3.3719\" extension=\"(01)00643169007222(17)160128(21)BLC200461H\"/>"),
            std::string::npos);
  EXPECT_NE(s.find("code=\"704708004\""), std::string::npos);
}

TEST(CcdaSections, VitalSignsAreTheLatestOnlyWithBloodPressureSplit) {
  auto vital = [](const char* id, const char* enc, const char* when, const char* code, int value, const char* unit) {
    return std::string(R"({"resourceType":"Observation","id":")") + id +
           R"(","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":")" +
           code + R"("}]},"subject":{"reference":"Patient/pat1"},"encounter":{"reference":"Encounter/)" + enc +
           R"("},"effectiveDateTime":")" + when + R"(","valueQuantity":{"value":)" + std::to_string(value) +
           R"(,"system":"http://unitsofmeasure.org","code":")" + unit + R"("}})";
  };
  const std::string bp = R"({"resourceType":"Observation","id":"bp2","status":"final",
    "category":[{"coding":[{"code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
    "subject":{"reference":"Patient/pat1"},"encounter":{"reference":"Encounter/enc2"},"effectiveDateTime":"2024-08-01T20:10:00-05:00",
    "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6","display":"Systolic"}]},"valueQuantity":{"value":128,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
                 {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4","display":"Diastolic"}]},"valueQuantity":{"value":82,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]})";
  const std::string x = build(record({kEnc1, kEnc2, vital("hr1", "enc1", "2023-05-10T09:10:00-05:00", "8867-4", 99, "/min"),
                                      vital("hr2", "enc2", "2024-08-01T20:10:00-05:00", "8867-4", 71, "/min"), bp,
                                      vital("wt2", "enc2", "2024-08-01T20:12:00-05:00", "29463-7", 80, "kg")}),
                              "2019", "2019");
  const std::string s = section(x, "8716-3");
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.26\" extension=\"2015-08-01\"/>"), std::string::npos);
  EXPECT_NE(s.find("code=\"46680005\""), std::string::npos);
  EXPECT_EQ(count(s, "<templateId root=\"2.16.840.1.113883.10.20.22.4.27\" extension=\"2014-06-09\"/>"), 4u)
      << "heart rate, systolic, diastolic, weight of the latest encounter";
  EXPECT_NE(s.find("value=\"71\" unit=\"/min\""), std::string::npos);
  EXPECT_EQ(s.find("value=\"99\""), std::string::npos) << "older vitals are left out";
  EXPECT_NE(s.find("value=\"128\" unit=\"mm[Hg]\""), std::string::npos);
  EXPECT_NE(s.find("code=\"8462-4\""), std::string::npos);
}

TEST(CcdaSections, EncountersAreFilteredByTheWindowWithLocationAndReason) {
  const auto r = record({kEnc1, kEnc2, kLocation});
  const std::string all = section(build(r), "46240-8");
  EXPECT_EQ(count(all, "<encounter classCode=\"ENC\" moodCode=\"EVN\">"), 2u);
  const std::string s = section(build(r, "2023", "2023"), "46240-8");
  EXPECT_EQ(count(s, "<encounter classCode=\"ENC\" moodCode=\"EVN\">"), 1u);
  EXPECT_NE(s.find("code=\"185349003\""), std::string::npos);
  EXPECT_NE(s.find("<translation code=\"AMB\" codeSystem=\"2.16.840.1.113883.5.4\""), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.32\"/>"), std::string::npos);
  EXPECT_NE(s.find("<name>Acme Main Campus</name>"), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.19\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(s.find("code=\"25064002\""), std::string::npos);
  EXPECT_TRUE(empty_section(section(build(r, "2025-01-01"), "46240-8")));
  EXPECT_EQ(count(section(build(r, std::nullopt, "2024-08-01"), "46240-8"), "<encounter classCode"), 2u)
      << "the end day is included";
  EXPECT_EQ(count(section(build(r, "2024-08-02", "2024-08-02"), "46240-8"), "<encounter classCode"), 1u)
      << "a stay overlapping the service day counts";
}

TEST(CcdaSections, ProceduresAreFilteredWithPerformerAndDevice) {
  const auto r = record({R"({"resourceType":"Procedure","id":"pr1","status":"completed",
    "code":{"coding":[{"system":"http://snomed.info/sct","code":"80146002","display":"Appendectomy"}]},
    "subject":{"reference":"Patient/pat1"},"performedPeriod":{"start":"2022-02-02T10:00:00-05:00","end":"2022-02-02T11:00:00-05:00"},
    "performer":[{"actor":{"reference":"Practitioner/doc1"}}],"focalDevice":[{"manipulated":{"reference":"Device/d1"}}]})",
                         R"({"resourceType":"Device","id":"d1","udiCarrier":[{"carrierHRF":"(01)123"}],"patient":{"reference":"Patient/pat1"}})"});
  const std::string s = section(build(r, "2022-02-02", "2022-02-02"), "47519-4");
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.14\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(s.find("code=\"80146002\""), std::string::npos);
  EXPECT_NE(s.find("<low value=\"20220202100000-0500\"/>"), std::string::npos);
  EXPECT_NE(s.find("<performer>"), std::string::npos);
  EXPECT_NE(s.find("<participant typeCode=\"DEV\">"), std::string::npos);
  EXPECT_TRUE(empty_section(section(build(r, "2022-02-03"), "47519-4")));
  EXPECT_TRUE(empty_section(section(build(r, std::nullopt, "2022-02-01"), "47519-4")));
  EXPECT_FALSE(empty_section(section(build(r), "46264-8"))) << "the device is equipment whatever the window";
}

TEST(CcdaSections, ResultsGroupLabObservationsUnderTheirReport) {
  const auto r = record({R"({"resourceType":"DiagnosticReport","id":"dr1","status":"final",
    "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"LAB"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"58410-2","display":"CBC panel"}]},
    "subject":{"reference":"Patient/pat1"},"effectiveDateTime":"2023-03-03T08:00:00-05:00",
    "result":[{"reference":"Observation/lab1"}]})",
                         R"({"resourceType":"Observation","id":"lab1","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"718-7","display":"Hemoglobin"}]},"subject":{"reference":"Patient/pat1"},
    "effectiveDateTime":"2023-03-03T08:00:00-05:00","valueQuantity":{"value":11.5,"unit":"g/dL","system":"http://unitsofmeasure.org","code":"g/dL"},
    "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"L"}]}],
    "referenceRange":[{"low":{"value":12,"code":"g/dL"},"high":{"value":16,"code":"g/dL"}}]})",
                         R"({"resourceType":"Observation","id":"lab2","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
    "code":{"coding":[{"system":"http://loinc.org","code":"2093-3","display":"Cholesterol"}]},"subject":{"reference":"Patient/pat1"},
    "effectiveDateTime":"2021-01-01","valueQuantity":{"value":190,"system":"http://unitsofmeasure.org","code":"mg/dL"}})"});
  const std::string s = section(build(r, "2023"), "30954-2");
  EXPECT_EQ(count(s, "<templateId root=\"2.16.840.1.113883.10.20.22.4.1\" extension=\"2015-08-01\"/>"), 1u);
  EXPECT_NE(s.find("<organizer classCode=\"BATTERY\" moodCode=\"EVN\">"), std::string::npos);
  EXPECT_NE(s.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.2\" extension=\"2015-08-01\"/>"), std::string::npos);
  EXPECT_NE(s.find("<value xsi:type=\"PQ\" value=\"11.5\" unit=\"g/dL\"/>"), std::string::npos);
  EXPECT_NE(s.find("<interpretationCode code=\"L\" codeSystem=\"2.16.840.1.113883.5.83\""), std::string::npos);
  EXPECT_NE(s.find("<low value=\"12\" unit=\"g/dL\"/>"), std::string::npos);
  EXPECT_EQ(s.find("2093-3"), std::string::npos) << "outside the window";
  const std::string all = section(build(r), "30954-2");
  EXPECT_NE(all.find("<organizer classCode=\"CLUSTER\""), std::string::npos) << "a lab without a report";
  const std::string lab_notes = section(build(r), "11502-2");
  EXPECT_NE(lab_notes.find("Hemoglobin: 11.5 g/dL"), std::string::npos) << "lab report narrative";
  EXPECT_NE(lab_notes.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.202\" extension=\"2016-11-01\"/>"),
            std::string::npos);
}

std::string survey(const char* id, const char* code, const char* value, const char* when = "2024-04-04T10:00:00-05:00") {
  return std::string(R"({"resourceType":"Observation","id":")") + id +
         R"(","status":"final","category":[{"coding":[{"code":"survey"}]}],"code":{"coding":[{"system":"http://loinc.org","code":")" +
         code + R"("}]},"subject":{"reference":"Patient/pat1"},"effectiveDateTime":")" + when + "\"," + value + "}";
}

TEST(CcdaSections, FunctionalAndMentalStatus) {
  const auto r = record({survey("f1", "75276-6", R"("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"165245003","display":"Independent walking"}]})"),
                         survey("m1", "44261-6", R"("valueInteger":7)"),
                         survey("m2", "75275-8", R"("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"11163003","display":"Intact"}]})")});
  const std::string x = build(r);
  const std::string f = section(x, "47420-5");
  EXPECT_NE(f.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.67\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(f.find("code=\"75276-6\""), std::string::npos);
  EXPECT_NE(f.find("<value xsi:type=\"CD\" code=\"165245003\""), std::string::npos);
  const std::string m = section(x, "10190-7");
  EXPECT_NE(m.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.69\"/>"), std::string::npos) << "PHQ-9 is a scale";
  EXPECT_NE(m.find("<value xsi:type=\"INT\" value=\"7\"/>"), std::string::npos);
  EXPECT_NE(m.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.74\" extension=\"2015-08-01\"/>"), std::string::npos);
  EXPECT_NE(m.find("code=\"373930000\""), std::string::npos);
  EXPECT_NE(m.find("<translation code=\"75275-8\""), std::string::npos);
  EXPECT_EQ(m.find("165245003"), std::string::npos);
  EXPECT_TRUE(empty_section(section(build(r, "2025"), "10190-7")));
}

TEST(CcdaSections, AssessmentsPlanGoalsAndReferrals) {
  const auto r = record({kEnc1,
    R"({"resourceType":"ClinicalImpression","id":"ci1","status":"completed","subject":{"reference":"Patient/pat1"},
        "encounter":{"reference":"Encounter/enc1"},"effectiveDateTime":"2023-05-10T09:25:00-05:00",
        "assessor":{"reference":"Practitioner/doc1"},"summary":"Stable hypertension.",
        "finding":[{"itemCodeableConcept":{"text":"Elevated blood pressure"}}]})",
    R"({"resourceType":"CarePlan","id":"cp1","status":"active","intent":"plan",
        "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Walk &amp; rest daily.</p></div>"},
        "category":[{"coding":[{"system":"http://hl7.org/fhir/us/core/CodeSystem/careplan-category","code":"assess-plan"}]}],
        "subject":{"reference":"Patient/pat1"},"period":{"start":"2023-05-10T09:30:00-05:00"}})",
    R"({"resourceType":"ServiceRequest","id":"sr1","status":"active","intent":"plan",
        "category":[{"coding":[{"system":"http://snomed.info/sct","code":"108252007"}]}],
        "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
        "subject":{"reference":"Patient/pat1"},"occurrenceDateTime":"2023-09-01","authoredOn":"2023-05-10"})",
    R"({"resourceType":"ServiceRequest","id":"sr2","status":"active","intent":"plan",
        "category":[{"coding":[{"system":"http://snomed.info/sct","code":"103693007"}]}],
        "code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001","display":"Colonoscopy"}]},
        "subject":{"reference":"Patient/pat1"},"occurrenceDateTime":"2023-10-01","authoredOn":"2023-05-10"})",
    R"({"resourceType":"ServiceRequest","id":"sr3","status":"active","intent":"order",
        "category":[{"coding":[{"system":"http://snomed.info/sct","code":"3457005"}]}],
        "code":{"coding":[{"system":"http://snomed.info/sct","code":"183519002","display":"Referral to cardiology service"}]},
        "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"29857009","display":"Chest pain"}]}],
        "subject":{"reference":"Patient/pat1"},"authoredOn":"2023-05-10T09:29:00-05:00"})",
    R"({"resourceType":"Goal","id":"g1","lifecycleStatus":"active","description":{"text":"Lose 5 kg"},
        "subject":{"reference":"Patient/pat1"},"startDate":"2023-05-10","target":[{"dueDate":"2023-12-31"}]})"});
  const std::string x = build(r, "2023");
  const std::string a = section(x, "51848-0");
  EXPECT_NE(a.find("<templateId root=\"2.16.840.1.113883.10.20.22.2.8\"/>"), std::string::npos);
  EXPECT_NE(a.find("<td>Stable hypertension.</td>"), std::string::npos);
  EXPECT_NE(a.find("<td>Elevated blood pressure</td>"), std::string::npos);
  EXPECT_NE(a.find("<translation code=\"51848-0\""), std::string::npos) << "note activity";
  const std::string p = section(x, "18776-5");
  EXPECT_NE(p.find("<td>Walk &amp; rest daily.</td>"), std::string::npos);
  EXPECT_NE(p.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.39\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(p.find("<observation classCode=\"OBS\" moodCode=\"INT\">"), std::string::npos);
  EXPECT_NE(p.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.44\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_NE(p.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.41\" extension=\"2014-06-09\"/>"), std::string::npos);
  EXPECT_EQ(p.find("183519002"), std::string::npos) << "referrals are not the plan";
  const std::string g = section(x, "61146-7");
  EXPECT_NE(g.find("<observation classCode=\"OBS\" moodCode=\"GOL\">"), std::string::npos);
  EXPECT_NE(g.find("<originalText>Lose 5 kg</originalText>"), std::string::npos);
  EXPECT_NE(g.find("<high value=\"20231231\"/>"), std::string::npos);
  const std::string rf = section(x, "42349-1");
  EXPECT_NE(rf.find("<templateId root=\"2.16.840.1.113883.10.20.22.4.140\"/>"), std::string::npos);
  EXPECT_NE(rf.find("code=\"183519002\""), std::string::npos);
  EXPECT_NE(rf.find("<value xsi:type=\"CD\" code=\"29857009\""), std::string::npos);
  const std::string later = build(r, "2024");
  for (const char* code : {"51848-0", "61146-7", "42349-1"}) EXPECT_TRUE(empty_section(section(later, code))) << code;
  const std::string later_plan = section(later, "18776-5");
  EXPECT_NE(later_plan.find("Walk &amp; rest daily."), std::string::npos) << "an active plan goes on";
  EXPECT_EQ(later_plan.find("4548-4"), std::string::npos) << "planned for 2023";
}

TEST(CcdaSections, NotesShowTheirTextAndLinks) {
  // "Progress note for Amy.\nPlan: rest." in base64.
  const auto r = record({kEnc1,
    R"({"resourceType":"DocumentReference","id":"n1","status":"current",
        "type":{"coding":[{"system":"http://loinc.org","code":"11506-3","display":"Progress note"}]},
        "subject":{"reference":"Patient/pat1"},"date":"2023-05-10T10:00:00-05:00","author":[{"reference":"Practitioner/doc1"}],
        "content":[{"attachment":{"contentType":"text/plain","data":"UHJvZ3Jlc3Mgbm90ZSBmb3IgQW15LgpQbGFuOiByZXN0Lg=="}}],
        "context":{"encounter":[{"reference":"Encounter/enc1"}]}})",
    R"({"resourceType":"DocumentReference","id":"n2","status":"current",
        "type":{"coding":[{"system":"http://loinc.org","code":"28570-0","display":"Procedure note"}]},
        "subject":{"reference":"Patient/pat1"},"date":"2023-05-11T10:00:00-05:00",
        "content":[{"attachment":{"contentType":"text/plain","url":"https://ehr.example.org/n2.txt","title":"Biopsy"}}]})"});
  const std::string x = build(r);
  const std::string p = section(x, "11506-3");
  EXPECT_NE(p.find("<templateId root=\"2.16.840.1.113883.10.20.22.2.65\" extension=\"2016-11-01\"/>"), std::string::npos);
  EXPECT_NE(p.find(">Progress note for Amy.</paragraph>"), std::string::npos);
  EXPECT_NE(p.find("<paragraph>Plan: rest.</paragraph>"), std::string::npos);
  EXPECT_NE(p.find("<code code=\"34109-9\""), std::string::npos);
  EXPECT_NE(p.find("<entryRelationship typeCode=\"COMP\" inversionInd=\"true\">"), std::string::npos);
  const std::string pn = section(x, "28570-0");
  EXPECT_NE(pn.find("<linkHtml href=\"https://ehr.example.org/n2.txt\">"), std::string::npos);
  EXPECT_NE(pn.find("Biopsy"), std::string::npos);
  EXPECT_TRUE(empty_section(section(build(r, "2023-05-11", "2023-05-11"), "11506-3")));
  EXPECT_FALSE(empty_section(section(build(r, "2023-05-11", "2023-05-11"), "28570-0")));
}

TEST(CcdaSections, ResourcesMissingOptionalFieldsStillGiveValidDocuments) {
  const std::string x = build(record({
      R"({"resourceType":"Condition","id":"x1"})", R"({"resourceType":"AllergyIntolerance","id":"x2"})",
      R"({"resourceType":"MedicationRequest","id":"x3"})", R"({"resourceType":"Immunization","id":"x4"})",
      R"({"resourceType":"Observation","id":"x5","category":[{"coding":[{"code":"vital-signs"}]}]})",
      R"({"resourceType":"Observation","id":"x6","category":[{"coding":[{"code":"laboratory"}]}]})",
      R"({"resourceType":"Observation","id":"x7","code":{"coding":[{"code":"72166-2"}]}})",
      R"({"resourceType":"Observation","id":"x8","category":[{"coding":[{"code":"functional-status"}]}]})",
      R"({"resourceType":"Procedure","id":"x9"})", R"({"resourceType":"Encounter","id":"x10"})",
      R"({"resourceType":"Goal","id":"x11"})", R"({"resourceType":"CarePlan","id":"x12"})",
      R"({"resourceType":"ServiceRequest","id":"x13"})", R"({"resourceType":"DocumentReference","id":"x14","type":{"coding":[{"code":"11506-3"}]}})",
      R"({"resourceType":"Device","id":"x15"})", R"({"resourceType":"ClinicalImpression","id":"x16"})",
      R"({"resourceType":"DiagnosticReport","id":"x17","category":[{"coding":[{"code":"LAB"}]}],"result":[{"reference":"Observation/nope"}]})",
      R"({"resourceType":"Observation","id":"x18","category":[{"coding":[{"code":"vital-signs"}]}],"effectiveDateTime":"not a date","valueQuantity":{"value":"12"}})",
      R"({"resourceType":"Condition","code":{"coding":[{"system":"http://snomed.info/sct"}]},"subject":{"reference":42}})",
      R"({"resourceType":"Unknown","id":"x20"})", R"({"id":"x21"})", R"({"resourceType":"Patient","id":"other"})"}));
  ASSERT_FALSE(x.empty());
  EXPECT_NE(x.find("<family>Shaw</family>"), std::string::npos) << "the right patient";
  EXPECT_NE(section(x, "11450-4").find("<value xsi:type=\"CD\" nullFlavor=\"UNK\""), std::string::npos);
  EXPECT_NE(x.find("<effectiveTime nullFlavor=\"UNK\"/>"), std::string::npos);
}

}  // namespace
}  // namespace ccda_test
