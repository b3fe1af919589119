#include "auth/scopes.hpp"

#include <gtest/gtest.h>

namespace auth {
namespace {

ScopeSet parse(std::string_view s) {
  auto r = parse_scopes(s);
  EXPECT_TRUE(r.ok()) << s;
  return r.ok() ? *r : ScopeSet{};
}

TEST(Scopes, ParsesV1AndV2AndOthers) {
  auto set = parse("openid fhirUser launch/patient patient/Observation.read user/Patient.cruds offline_access");
  ASSERT_EQ(set.resources.size(), 2u);
  EXPECT_EQ(set.resources[0].level, Level::patient);
  EXPECT_EQ(set.resources[0].type, "Observation");
  EXPECT_EQ(set.resources[0].ops, kRead | kSearch);
  EXPECT_EQ(set.resources[1].level, Level::user);
  EXPECT_EQ(set.resources[1].ops, kAllOps);
  EXPECT_TRUE(set.has("launch/patient"));
  EXPECT_TRUE(set.has("offline_access"));
  EXPECT_FALSE(set.has("launch"));
}

TEST(Scopes, V2FiltersAndOrder) {
  auto set = parse("patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory");
  ASSERT_EQ(set.resources.size(), 1u);
  EXPECT_EQ(set.resources[0].ops, kRead | kSearch);
  ASSERT_EQ(set.resources[0].filters.size(), 1u);
  EXPECT_EQ(set.resources[0].filters[0].first, "category");
  EXPECT_FALSE(parse_scopes("patient/Observation.sr").ok());        // out of order
  EXPECT_FALSE(parse_scopes("patient/Observation.rx").ok());
  EXPECT_FALSE(parse_scopes("patient/Observation.read?category=x").ok());  // v1 with a filter
  EXPECT_FALSE(parse_scopes("patient/Nope.read").ok());
  EXPECT_FALSE(parse_scopes("patient/Observation").ok());
  EXPECT_FALSE(parse_scopes("patient/Observation.rs?category").ok());
}

TEST(Scopes, OperationScopes) {
  auto set = parse("system/*.$export system/*.$bulkdata-status system/Document.read system/Group.$export");
  EXPECT_TRUE(allows_operation(set, Level::system, "*", "$export"));
  EXPECT_TRUE(allows_operation(set, Level::system, "Patient", "$export"));
  EXPECT_TRUE(allows_operation(set, Level::system, "*", "$bulkdata-status"));
  EXPECT_FALSE(allows_operation(set, Level::user, "*", "$export"));
  EXPECT_FALSE(allows_operation(set, Level::system, "*", "$docref"));
  EXPECT_TRUE(decide(set, "Document", kRead).allowed);
  EXPECT_FALSE(parse_scopes("system/*.$nope").ok());
}

TEST(Scopes, RegistrationRefusesWildcardsAndUnknowns) {
  EXPECT_TRUE(check_registration_scopes("openid fhirUser launch/patient patient/Patient.read offline_access").ok());
  EXPECT_TRUE(check_registration_scopes("system/*.$export system/*.$bulkdata-status system/Document.read").ok());
  EXPECT_FALSE(check_registration_scopes("").ok());
  EXPECT_FALSE(check_registration_scopes("patient/*.read").ok());
  EXPECT_FALSE(check_registration_scopes("user/*.*").ok());
  EXPECT_FALSE(check_registration_scopes("patient/Observation.*").ok());
  EXPECT_FALSE(check_registration_scopes("patient/*.rs").ok());
  EXPECT_FALSE(check_registration_scopes("openid bogus").ok());
}

TEST(Scopes, PatientStandalone) {
  EXPECT_TRUE(is_patient_standalone(parse("openid fhirUser launch/patient patient/Patient.read offline_access")));
  EXPECT_FALSE(is_patient_standalone(parse("launch patient/Patient.read")));
  EXPECT_FALSE(is_patient_standalone(parse("user/Patient.read")));
  EXPECT_FALSE(is_patient_standalone(parse("system/*.$export")));
}

TEST(Scopes, Intersect) {
  EXPECT_EQ(intersect_scopes("a b c b", "c b"), "b c");
  EXPECT_EQ(intersect_scopes("a", ""), "");
}

TEST(Scopes, DecideWideBeatsPatientAndFilters) {
  auto d = decide(parse("patient/Observation.read"), "Observation", kSearch);
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.patient_only);
  EXPECT_TRUE(d.filters.empty());
  EXPECT_FALSE(decide(parse("patient/Observation.read"), "Observation", kCreate).allowed);
  EXPECT_FALSE(decide(parse("patient/Observation.read"), "Condition", kRead).allowed);
  d = decide(parse("patient/Observation.read user/Observation.read"), "Observation", kRead);
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.patient_only);
  d = decide(parse("patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs"),
             "Observation", kSearch);
  EXPECT_TRUE(d.patient_only);
  EXPECT_EQ(d.filters.size(), 2u);
  d = decide(parse("patient/Observation.rs?category=laboratory patient/Observation.read"), "Observation", kSearch);
  EXPECT_TRUE(d.filters.empty());
}

}  // namespace
}  // namespace auth
