// search::patient_record and patient_ids on real SQLite: what belongs to a patient's record (its
// compartment plus the Practitioner/Organization/Location/Medication resources referenced), what
// does not (other patients' data, deleted resources, other referenced types), and a cross-check
// against the synthetic data generator's output for 20 patients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "lib/search/engine_fixture.hpp"
#include "search/patient_record.hpp"
#include "search/record_collector.hpp"
#include "store/importer.hpp"
#include "synth/generator.hpp"

namespace {

using search_test::EngineTest;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class PatientRecordTest : public EngineTest {
 protected:
  // "Type/id" of each returned resource, in order.
  static std::vector<std::string> keys(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) {
      auto j = base::parse_json(t);
      EXPECT_TRUE(j.ok()) << t;
      if (!j.ok()) continue;
      out.push_back((*j)["resourceType"].get<std::string>() + "/" + (*j)["id"].get<std::string>());
    }
    return out;
  }

  base::Result<std::vector<std::string>> record(const std::string& patient) {
    auto conn = db_->reader();
    if (!conn.ok()) return std::move(conn).error();
    return search::patient_record(**conn, patient);
  }

  std::vector<std::string> record_keys(const std::string& patient) {
    auto r = record(patient);
    EXPECT_TRUE(r.ok()) << patient << ": " << r.error().message;
    return r.ok() ? keys(*r) : std::vector<std::string>{"<error>"};
  }

  std::vector<std::string> all_ids(int batch) {
    auto conn = db_->reader();
    EXPECT_TRUE(conn.ok());
    std::vector<std::string> out;
    std::string after;
    for (int n = 0; n < 100000; ++n) {
      auto ids = search::patient_ids(**conn, after, batch);
      EXPECT_TRUE(ids.ok()) << ids.error().message;
      if (!ids.ok() || ids->empty()) break;
      EXPECT_LE(ids->size(), static_cast<std::size_t>(batch));
      out.insert(out.end(), ids->begin(), ids->end());
      after = ids->back();
    }
    return out;
  }

  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"Organization","id":"org1","name":"Clinic"})");
    put(R"({"resourceType":"Organization","id":"org-unused","name":"Elsewhere"})");
    put(R"({"resourceType":"Practitioner","id":"dr1","name":[{"family":"Doc"}]})");
    put(R"({"resourceType":"Practitioner","id":"dr2","name":[{"family":"Other"}]})");
    put(R"({"resourceType":"Location","id":"loc1","name":"Room 1"})");
    put(R"({"resourceType":"Medication","id":"med1","code":{"text":"aspirin"}})");
    put(R"({"resourceType":"Patient","id":"pa","managingOrganization":{"reference":"Organization/org1"},
            "generalPractitioner":[{"reference":"Practitioner/dr1"}]})");
    put(R"({"resourceType":"Patient","id":"pb","generalPractitioner":[{"reference":"Practitioner/dr2"}]})");
    put(R"({"resourceType":"Encounter","id":"ea1","status":"finished","class":{"code":"AMB"},
            "subject":{"reference":"Patient/pa"},"participant":[{"individual":{"reference":"Practitioner/dr1"}}],
            "location":[{"location":{"reference":"Location/loc1"}}],"serviceProvider":{"reference":"Organization/org1"}})");
    put(R"({"resourceType":"MedicationRequest","id":"mra1","status":"active","intent":"order",
            "subject":{"reference":"Patient/pa"},"medicationReference":{"reference":"Medication/med1"},
            "requester":{"reference":"Practitioner/dr1"}})");
    put(R"({"resourceType":"Observation","id":"oa1","status":"final","code":{"text":"x"},
            "subject":{"reference":"Patient/pa"},"performer":[{"reference":"Practitioner/dr1"}]})");
    put(R"({"resourceType":"Observation","id":"ob1","status":"final","code":{"text":"x"},
            "subject":{"reference":"Patient/pb"},"performer":[{"reference":"Practitioner/dr2"}]})");
  }
};

TEST_F(PatientRecordTest, PatientFirstThenCompartmentThenReferencedResourcesOnce) {
  EXPECT_THAT(record_keys("pa"), ElementsAre("Patient/pa", "Encounter/ea1", "MedicationRequest/mra1",
                                             "Observation/oa1", "Organization/org1", "Practitioner/dr1",
                                             "Location/loc1", "Medication/med1"));
  EXPECT_THAT(record_keys("pb"), ElementsAre("Patient/pb", "Observation/ob1", "Practitioner/dr2"));
}

TEST_F(PatientRecordTest, ReturnsTheStoredCurrentVersion) {
  put(R"({"resourceType":"Observation","id":"oa1","status":"amended","code":{"text":"y"},
          "subject":{"reference":"Patient/pa"}})");
  auto r = record("pa");
  ASSERT_TRUE(r.ok()) << r.error().message;
  int found = 0;
  for (const auto& text : *r) {
    auto j = base::parse_json(text);
    ASSERT_TRUE(j.ok());
    if ((*j)["id"] == "oa1") {
      ++found;
      EXPECT_EQ((*j)["status"], "amended");
      EXPECT_EQ((*j)["meta"]["versionId"], "2");
    }
  }
  EXPECT_EQ(found, 1);
  // dr1 is still referenced by the Patient, the Encounter and the MedicationRequest.
  EXPECT_THAT(record_keys("pa"), ::testing::Contains("Practitioner/dr1"));
}

TEST_F(PatientRecordTest, UnknownOrDeletedPatientIsNotFound) {
  auto r = record("nobody");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, base::ErrorCode::not_found);
  EXPECT_THAT(r.error().message, ::testing::HasSubstr("nobody"));

  remove("Patient", "pb");
  auto gone = record("pb");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, base::ErrorCode::not_found);

  // A resource of another type with the patient's id is not a Patient.
  put(R"({"resourceType":"Group","id":"grp","type":"person","actual":true})");
  EXPECT_FALSE(record("grp").ok());
  EXPECT_FALSE(record("").ok());
}

TEST_F(PatientRecordTest, DeletedResourcesAreLeftOut) {
  remove("Observation", "oa1");
  remove("Location", "loc1");
  EXPECT_THAT(record_keys("pa"), ElementsAre("Patient/pa", "Encounter/ea1", "MedicationRequest/mra1",
                                             "Organization/org1", "Practitioner/dr1", "Medication/med1"));
}

TEST_F(PatientRecordTest, ReferencesToOtherTypesAndMissingTargetsAreNotFollowed) {
  put(R"({"resourceType":"Observation","id":"oa2","status":"final","code":{"text":"x"},
          "subject":{"reference":"Patient/pa"},"performer":[{"reference":"Practitioner/ghost"},
          {"reference":"CareTeam/ct1"}],"hasMember":[{"reference":"Observation/ob1"}]})");
  put(R"({"resourceType":"CareTeam","id":"ct1","status":"active"})");
  const auto got = record_keys("pa");
  EXPECT_THAT(got, ::testing::Contains("Observation/oa2"));
  for (const char* absent : {"Practitioner/ghost", "CareTeam/ct1", "Observation/ob1", "Patient/pb",
                             "Practitioner/dr2", "Organization/org-unused"}) {
    EXPECT_THAT(got, ::testing::Not(::testing::Contains(absent)));
  }
}

TEST_F(PatientRecordTest, DevicesOfThePatientAreInTheRecordThoughNotInTheCompartment) {
  // R4 leaves Device out of the Patient compartment; the CCD's Medical Equipment needs them.
  put(R"({"resourceType":"Device","id":"dev1","status":"active","patient":{"reference":"Patient/pa"},
          "owner":{"reference":"Organization/org-unused"}})");
  put(R"({"resourceType":"Device","id":"dev2","status":"active","patient":{"reference":"Patient/pb"}})");
  put(R"({"resourceType":"Device","id":"dev3","status":"active","patient":{"reference":"http://elsewhere.example/Patient/pa"}})");
  EXPECT_THAT(record_keys("pa"), ElementsAre("Patient/pa", "Encounter/ea1", "MedicationRequest/mra1",
                                             "Observation/oa1", "Device/dev1", "Organization/org1",
                                             "Organization/org-unused", "Practitioner/dr1", "Location/loc1",
                                             "Medication/med1"));
  EXPECT_THAT(record_keys("pb"), ElementsAre("Patient/pb", "Observation/ob1", "Device/dev2", "Practitioner/dr2"));
  remove("Device", "dev1");
  EXPECT_THAT(record_keys("pa"), ::testing::Not(::testing::Contains("Device/dev1")));
}

TEST_F(PatientRecordTest, AResourceOfTwoPatientsIsInBothRecords) {
  put(R"({"resourceType":"Group","id":"g1","type":"person","actual":true,
          "member":[{"entity":{"reference":"Patient/pa"}},{"entity":{"reference":"Patient/pb"}}]})");
  EXPECT_THAT(record_keys("pa"), ::testing::Contains("Group/g1"));
  EXPECT_THAT(record_keys("pb"), ::testing::Contains("Group/g1"));
}

TEST_F(PatientRecordTest, SkippedTypesAndWhatOnlyTheyReferenceAreLeftOut) {
  put(R"({"resourceType":"Group","id":"panel","type":"person","actual":true,
          "managingEntity":{"reference":"Organization/org-unused"},
          "member":[{"entity":{"reference":"Patient/pa"}},{"entity":{"reference":"Patient/pb"}}]})");
  auto conn = db_->reader();
  ASSERT_TRUE(conn.ok());
  auto with = search::patient_record(**conn, "pa");
  ASSERT_TRUE(with.ok());
  EXPECT_THAT(keys(*with), ::testing::IsSupersetOf({"Group/panel", "Organization/org-unused"}));

  auto without = search::patient_record(**conn, "pa", {.skip_types = {"Group", "Observation"}});
  ASSERT_TRUE(without.ok()) << without.error().message;
  EXPECT_THAT(keys(*without), ElementsAre("Patient/pa", "Encounter/ea1", "MedicationRequest/mra1",
                                          "Organization/org1", "Practitioner/dr1", "Location/loc1",
                                          "Medication/med1"));
  // Observation/oa1 is skipped but dr1 stays: the Encounter references it too.
  for (const char* bad : {"", "Gro'up", "Group,Patient", "Group)"}) {
    auto r = search::patient_record(**conn, "pa", {.skip_types = {bad}});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, base::ErrorCode::invalid) << bad;
  }
}

TEST_F(PatientRecordTest, PatientIdsPageThroughEveryCurrentPatientInOrder) {
  std::set<std::string> expected = {"pa", "pb"};
  for (int i = 0; i < 57; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "q%03d", i);
    put(std::string(R"({"resourceType":"Patient","id":")") + id + R"("})");
    expected.insert(id);
  }
  remove("Patient", "q010");
  expected.erase("q010");
  for (int batch : {1, 7, 1000}) {
    const auto ids = all_ids(batch);
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), expected) << "batch " << batch;
    EXPECT_EQ(ids.size(), expected.size()) << "batch " << batch;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << "batch " << batch;
  }
  auto conn = db_->reader();
  ASSERT_TRUE(conn.ok());
  auto count = search::patient_count(**conn);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, static_cast<std::int64_t>(expected.size()));
  auto bad = search::patient_ids(**conn, "", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, base::ErrorCode::invalid);
  auto none = search::patient_ids(**conn, "zzz", 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// The generator's 20 patients, imported like `fhirctl import` does. Independently of the index,
// a resource belongs to patient P when its JSON references "Patient/P" (the generator references
// patients only from compartment elements), and the record's other resources are exactly the
// Practitioner/Organization/Location/Medication resources those resources reference.
TEST_F(PatientRecordTest, MatchesTheGeneratedDataSet) {
  auto& env = search_test::SearchEnv::get();
  struct Generated {
    std::string type, id, json;
  };
  std::vector<Generated> all;
  auto counts = synth::generate({.patients = 20, .seed = 7}, [&](std::string_view type, std::string_view json) {
    auto j = base::parse_json(std::string(json));
    ASSERT_TRUE(j.ok());
    all.push_back({std::string(type), (*j)["id"].get<std::string>(), std::string(json)});
  });
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  {
    store::Importer importer(*env.store, 500);
    std::int64_t line = 0;
    for (const auto& g : all) ASSERT_TRUE(importer.add("generated", ++line, g.json).ok());
    ASSERT_TRUE(importer.flush().ok());
    ASSERT_EQ(importer.stats().rejected, 0);
  }
  std::set<std::string> existing;
  for (const auto& g : all) existing.insert(g.type + "/" + g.id);

  static const std::regex ref(R"re("reference"\s*:\s*"(Practitioner|Organization|Location|Medication|Patient)/([^"/]+)")re");
  std::vector<std::string> patients;
  for (const auto& g : all) {
    if (g.type == "Patient") patients.push_back(g.id);
  }
  ASSERT_EQ(patients.size(), 20u);
  std::map<std::string, std::multiset<std::string>> expected;  // patient -> Type/id
  std::map<std::string, std::set<std::string>> referenced;
  for (const auto& g : all) {
    std::set<std::string> owners;
    std::set<std::string> targets;
    for (std::sregex_iterator it(g.json.begin(), g.json.end(), ref), end; it != end; ++it) {
      if ((*it)[1] == "Patient") owners.insert((*it)[2]);
      else targets.insert((*it)[1].str() + "/" + (*it)[2].str());
    }
    if (g.type == "Patient") owners.insert(g.id);
    for (const auto& p : owners) {
      expected[p].insert(g.type + "/" + g.id);
      for (const auto& t : targets) {
        if (existing.count(t)) referenced[p].insert(t);
      }
    }
  }
  // The in-memory grouping (ccd-gen --from) gives the same records as the store.
  auto collector = search::RecordCollector::create(env.search.registry);
  ASSERT_TRUE(collector.ok());
  for (const auto& g : all) {
    auto j = base::parse_json(g.json);
    ASSERT_TRUE(j.ok());
    ASSERT_TRUE((*collector)->add(*j).ok());
  }
  EXPECT_EQ((*collector)->patient_ids(), patients);

  const auto ids = all_ids(6);
  std::set<std::string> stored(patients.begin(), patients.end());
  stored.insert({"pa", "pb"});  // the fixture's
  ASSERT_EQ(std::set<std::string>(ids.begin(), ids.end()), stored);
  std::size_t total = 0;
  for (const auto& p : patients) {
    const auto got = record_keys(p);
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.front(), "Patient/" + p);
    auto want = expected[p];
    for (const auto& t : referenced[p]) want.insert(t);
    EXPECT_EQ(std::multiset<std::string>(got.begin(), got.end()), want) << p;
    EXPECT_GT(got.size(), 20u) << p;  // every generated patient has a history
    total += got.size();
    auto in_memory = (*collector)->record(p);
    ASSERT_TRUE(in_memory.ok()) << p;
    EXPECT_EQ(keys(*in_memory), got) << p;
    auto conn = db_->reader();
    ASSERT_TRUE(conn.ok());
    const search::RecordFilter no_obs{.skip_types = {"Observation", "Group"}};
    auto a = search::patient_record(**conn, p, no_obs);
    auto b = (*collector)->record(p, no_obs);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(keys(*a), keys(*b)) << p;
    EXPECT_LT(a->size(), got.size()) << p;
  }
  EXPECT_GT(total, 20u * 50u);
}

TEST(LocalReferences, FindsRelativeReferencesToTheKeptTypesAnywhere) {
  std::vector<std::pair<std::string, std::string>> got;
  search::local_references(R"({"resourceType":"Encounter","participant":[{"individual":{"reference":"Practitioner/dr-1"}}],
      "location":[{"location":{"reference" : "Location/l.1/_history/3"}}],"subject":{"reference":"Patient/p1"},
      "serviceProvider":{"reference":"https://elsewhere.example/fhir/Organization/o1"},
      "extension":[{"url":"x","valueReference":{"reference":"Medication/m1","display":"aspirin"}}],
      "contained":[{"resourceType":"Medication","id":"c1"}],"x":{"reference":"#c1"},
      "y":{"reference":"Organization\/escaped"},"z":{"reference":"Organization/bad id"},
      "note":[{"text":"the \"reference\": \"Practitioner/fake\" in text"}],
      "w":{"reference":"Organization/"},"v":{"reference":12},"u":{"reference":"Practitioner/dr-1"}})",
                           got);
  EXPECT_THAT(got, ElementsAre(std::pair<std::string, std::string>{"Practitioner", "dr-1"},
                               std::pair<std::string, std::string>{"Location", "l.1"},
                               std::pair<std::string, std::string>{"Medication", "m1"},
                               std::pair<std::string, std::string>{"Practitioner", "dr-1"}));
  got.clear();
  search::local_references("", got);
  search::local_references(R"({"reference":"Practitioner/unterminated)", got);
  search::local_references(R"("reference")", got);
  EXPECT_TRUE(got.empty());
}

class RecordCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = search::Registry::load_embedded();
    ASSERT_TRUE(registry.ok());
    auto c = search::RecordCollector::create(*registry);
    ASSERT_TRUE(c.ok());
    collector_ = std::move(*c);
  }
  base::Status add(const std::string& text) {
    auto j = base::parse_json(text);
    if (!j.ok()) return std::move(j).error();
    return collector_->add(*j);
  }
  std::vector<std::string> keys_of(const std::string& patient, const search::RecordFilter& f = {}) {
    auto r = collector_->record(patient, f);
    EXPECT_TRUE(r.ok()) << patient;
    return r.ok() ? PatientRecordKeys(*r) : std::vector<std::string>{"<error>"};
  }
  static std::vector<std::string> PatientRecordKeys(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) {
      auto j = base::parse_json(t);
      EXPECT_TRUE(j.ok());
      if (j.ok()) out.push_back((*j)["resourceType"].get<std::string>() + "/" + (*j)["id"].get<std::string>());
    }
    return out;
  }
  std::unique_ptr<search::RecordCollector> collector_;
};

TEST_F(RecordCollectorTest, GroupsByCompartmentAndFollowsReferences) {
  ASSERT_TRUE(add(R"({"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},
                      "subject":{"reference":"Patient/pa"},"performer":[{"reference":"Practitioner/dr1"}]})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Practitioner","id":"dr1"})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Patient","id":"pa","managingOrganization":{"reference":"Organization/o"}})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Organization","id":"o"})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Patient","id":"pb"})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Observation","id":"o2","status":"final","code":{"text":"x"},
                      "subject":{"reference":"http://elsewhere.example/Patient/pa"}})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/pb"},
                      "asserter":{"reference":"Practitioner/missing"}})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Device","id":"d1","patient":{"reference":"Patient/pb"}})").ok());
  EXPECT_EQ(collector_->patient_ids(), (std::vector<std::string>{"pa", "pb"}));
  EXPECT_THAT(keys_of("pa"), ElementsAre("Patient/pa", "Observation/o1", "Practitioner/dr1", "Organization/o"));
  EXPECT_THAT(keys_of("pb"), ElementsAre("Patient/pb", "Condition/c1", "Device/d1"));
  EXPECT_THAT(keys_of("pa", {.skip_types = {"Observation"}}), ElementsAre("Patient/pa", "Organization/o"));
  auto none = collector_->record("pc");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, base::ErrorCode::not_found);
}

TEST_F(RecordCollectorTest, ALaterVersionReplacesTheEarlierOne) {
  ASSERT_TRUE(add(R"({"resourceType":"Patient","id":"pa"})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Patient","id":"pb"})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Observation","id":"o1","status":"preliminary","subject":{"reference":"Patient/pa"}})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/pb"}})").ok());
  ASSERT_TRUE(add(R"({"resourceType":"Patient","id":"pa","gender":"female"})").ok());
  EXPECT_THAT(keys_of("pa"), ElementsAre("Patient/pa"));
  EXPECT_THAT(keys_of("pb"), ElementsAre("Patient/pb", "Observation/o1"));
  auto pa = collector_->record("pa");
  ASSERT_TRUE(pa.ok());
  EXPECT_THAT(pa->front(), ::testing::HasSubstr("female"));
  EXPECT_EQ(collector_->patient_ids(), (std::vector<std::string>{"pa", "pb"}));
}

TEST_F(RecordCollectorTest, RejectsWhatIsNotAResource) {
  for (const char* bad : {R"([1,2])", R"({"id":"x"})", R"({"resourceType":"Patient"})",
                          R"({"resourceType":"Patient","id":""})", R"({"resourceType":"Patient","id":7})",
                          R"({"resourceType":42,"id":"x"})"}) {
    auto s = add(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().code, base::ErrorCode::invalid) << bad;
  }
  EXPECT_EQ(collector_->size(), 0u);
}

}  // namespace
