// Number, quantity and uri search; the Resource-level parameters (_id, _tag, _profile, _security,
// _source); system-level search over several types.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/search/engine_fixture.hpp"

namespace {

using search_test::EngineTest;

// ChargeItem.factorOverride (decimal): 0.8, 1.25, 97, 100; ci5 has none.
class NumberSearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"ChargeItem","id":"ci1","status":"billable","code":{"text":"x"},"subject":{"reference":"Patient/p"},"factorOverride":0.8})");
    put(R"({"resourceType":"ChargeItem","id":"ci2","status":"billable","code":{"text":"x"},"subject":{"reference":"Patient/p"},"factorOverride":1.25})");
    put(R"({"resourceType":"ChargeItem","id":"ci3","status":"billable","code":{"text":"x"},"subject":{"reference":"Patient/p"},"factorOverride":97})");
    put(R"({"resourceType":"ChargeItem","id":"ci4","status":"billable","code":{"text":"x"},"subject":{"reference":"Patient/p"},"factorOverride":100})");
    put(R"({"resourceType":"ChargeItem","id":"ci5","status":"billable","code":{"text":"x"},"subject":{"reference":"Patient/p"}})");
  }
};

TEST_F(NumberSearch, EqUsesTheImpliedPrecision) {
  EXPECT_EQ(id_set("ChargeItem", "factor-override=0.8"), (Set{"ci1"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=0.80"), (Set{"ci1"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=0.81"), Set{});
  EXPECT_EQ(id_set("ChargeItem", "factor-override=1"), (Set{"ci1", "ci2"}));  // [0.5, 1.5)
  EXPECT_EQ(id_set("ChargeItem", "factor-override=1.25"), (Set{"ci2"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=100"), (Set{"ci4"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=100.00"), (Set{"ci4"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=0.8,100"), (Set{"ci1", "ci4"}));
}

TEST_F(NumberSearch, ExponentFormHasOneSignificantFigure) {
  // R4 3.1.1.4.1: "[parameter]=1e2  Values that equal 100, to 1 significant figures precision, so
  // this is actually searching for values in the range [95 ... 105)".
  // BUG (semantics differ from R4): lib/search/query_parser.cpp parse_number() derives the
  // precision only from digits after the '.', so 1e2 is read as [99.5, 100.5) and misses 97.
  EXPECT_EQ(id_set("ChargeItem", "factor-override=1e2"), (Set{"ci3", "ci4"}));
}

TEST_F(NumberSearch, ComparisonPrefixes) {
  EXPECT_EQ(id_set("ChargeItem", "factor-override=gt1"), (Set{"ci2", "ci3", "ci4"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=lt1"), (Set{"ci1"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=ge100"), (Set{"ci4"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=le0.8"), (Set{"ci1"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=gt100"), Set{});
  EXPECT_EQ(id_set("ChargeItem", "factor-override=ne100"), (Set{"ci1", "ci2", "ci3"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=ap100"), (Set{"ci3", "ci4"}));  // within 10%
  EXPECT_EQ(id_set("ChargeItem", "factor-override=ap1"), (Set{"ci1", "ci2"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=gt0.5&factor-override=lt1.5"), (Set{"ci1", "ci2"}));
}

TEST_F(NumberSearch, SaAndEbExcludeTheSearchValuesRange) {
  // sa: the target does not overlap the search value's range [0.5, 1.5) and lies above it.
  // BUG (semantics differ from R4): number_condition() in lib/search/sql_compiler.cpp compiles
  // sa as `value > number` and eb as `value < number` (the same as gt/lt), ignoring the range.
  EXPECT_EQ(id_set("ChargeItem", "factor-override=sa1"), (Set{"ci3", "ci4"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override=eb1"), Set{});
}

TEST_F(NumberSearch, SortAndPage) {
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids("ChargeItem", "_sort=factor-override"), (Ids{"ci1", "ci2", "ci3", "ci4", "ci5"}));
  EXPECT_EQ(walk("ChargeItem", "_sort=-factor-override&_count=1"), (Ids{"ci4", "ci3", "ci2", "ci1", "ci5"}));
  EXPECT_EQ(walk("ChargeItem", "_sort=factor-override&_count=2"), (Ids{"ci1", "ci2", "ci3", "ci4", "ci5"}));
}

TEST_F(NumberSearch, MissingAndBadValues) {
  EXPECT_EQ(id_set("ChargeItem", "factor-override:missing=true"), (Set{"ci5"}));
  EXPECT_EQ(id_set("ChargeItem", "factor-override:missing=false"), (Set{"ci1", "ci2", "ci3", "ci4"}));
  for (const char* v : {"abc", "1.2.3", "inf", "nan", "0x10", "ap", "xx1", "", "1 2", "'; DROP TABLE resources; --",
                        "%", "_", "\\"}) {
    EXPECT_EQ(error_of("ChargeItem", std::string("factor-override=") + v), base::ErrorCode::invalid) << v;
  }
  EXPECT_EQ(error_of("ChargeItem", "factor-override:exact=1"), base::ErrorCode::invalid);
}

TEST_F(NumberSearch, ChoiceElementNumber) {
  put(R"({"resourceType":"RiskAssessment","id":"ra1","status":"final","subject":{"reference":"Patient/p"},
          "prediction":[{"probabilityDecimal":0.3}]})");
  put(R"({"resourceType":"RiskAssessment","id":"ra2","status":"final","subject":{"reference":"Patient/p"},
          "prediction":[{"probabilityDecimal":0.7}]})");
  EXPECT_EQ(id_set("RiskAssessment", "probability=0.3"), (Set{"ra1"}));
  EXPECT_EQ(id_set("RiskAssessment", "probability=gt0.5"), (Set{"ra2"}));
}

class QuantitySearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"Observation","id":"q1","status":"final","code":{"text":"x"},
            "valueQuantity":{"value":5.4,"unit":"mmol/l","system":"http://unitsofmeasure.org","code":"mmol/L"}})");
    put(R"({"resourceType":"Observation","id":"q2","status":"final","code":{"text":"x"},
            "valueQuantity":{"value":100,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}})");
    put(R"({"resourceType":"Observation","id":"q3","status":"final","code":{"text":"x"},
            "valueQuantity":{"value":5.4,"unit":"mg"}})");
    put(R"({"resourceType":"Observation","id":"q4","status":"final","code":{"text":"x"},
            "valueQuantity":{"value":6,"system":"http://unitsofmeasure.org","code":"mmol/L"}})");
    put(R"({"resourceType":"Observation","id":"q5","status":"final","code":{"text":"x"},"valueString":"high"})");
  }
};

TEST_F(QuantitySearch, ValueSystemAndCode) {
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4"), (Set{"q1", "q3"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=5"), (Set{"q1", "q3"}));  // [4.5, 5.5)
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4|http://unitsofmeasure.org|mmol/L"), (Set{"q1"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4||mmol/L"), (Set{"q1"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4||mg"), (Set{"q3"}));  // matches the unit
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4|http://snomed.info/sct|mmol/L"), Set{});
  EXPECT_EQ(id_set("Observation", "value-quantity=gt5|http://unitsofmeasure.org|mmol/L"), (Set{"q1", "q4"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=le6||mmol/L"), (Set{"q1", "q4"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=lt10"), (Set{"q1", "q3", "q4"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=ap100"), (Set{"q2"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=ne5.4"), (Set{"q2", "q4"}));
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4||mg,100||mg/dL"), (Set{"q2", "q3"}));
  EXPECT_EQ(id_set("Observation", "value-quantity:missing=true"), (Set{"q5"}));
}

TEST_F(QuantitySearch, SortAndPage) {
  using Ids = std::vector<std::string>;
  EXPECT_EQ(walk("Observation", "_sort=value-quantity,-_id&_count=1"), (Ids{"q3", "q1", "q4", "q2", "q5"}));
}

TEST_F(QuantitySearch, BadValues) {
  for (const char* v : {"5.4|mg", "abc||mg", "5.4|a|b|c", "|http://unitsofmeasure.org|mg", "zz5", ""}) {
    EXPECT_EQ(error_of("Observation", std::string("value-quantity=") + v), base::ErrorCode::invalid) << v;
  }
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4||'; DROP TABLE resources; --"), Set{});
  EXPECT_EQ(id_set("Observation", "value-quantity=5.4|%|%"), Set{});
  EXPECT_EQ(ids("Observation", "").size(), 5u);
}

class UriSearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"ValueSet","id":"vs1","status":"active","url":"http://acme.org/fhir/ValueSet/123"})");
    put(R"({"resourceType":"ValueSet","id":"vs2","status":"active","url":"http://acme.org/other/ValueSet/9"})");
    put(R"({"resourceType":"ValueSet","id":"vs3","status":"active","url":"urn:oid:1.2.3"})");
    put(R"({"resourceType":"ValueSet","id":"vs4","status":"active","url":"http://acme.org/fhir/ValueSet/12"})");
    put(R"({"resourceType":"ValueSet","id":"vs5","status":"draft"})");
  }
};

TEST_F(UriSearch, ExactBelowAbove) {
  EXPECT_EQ(id_set("ValueSet", "url=http://acme.org/fhir/ValueSet/123"), (Set{"vs1"}));
  EXPECT_EQ(id_set("ValueSet", "url=http://acme.org/fhir/ValueSet/12"), (Set{"vs4"}));
  EXPECT_EQ(id_set("ValueSet", "url=HTTP://ACME.ORG/fhir/ValueSet/123"), Set{});  // case-sensitive
  EXPECT_EQ(id_set("ValueSet", "url=urn:oid:1.2.3"), (Set{"vs3"}));
  EXPECT_EQ(id_set("ValueSet", "url:below=http://acme.org/fhir/"), (Set{"vs1", "vs4"}));
  EXPECT_EQ(id_set("ValueSet", "url:below=http://acme.org/"), (Set{"vs1", "vs2", "vs4"}));
  EXPECT_EQ(id_set("ValueSet", "url:above=http://acme.org/other/ValueSet/9/_history/2"), (Set{"vs2"}));
  EXPECT_EQ(id_set("ValueSet", "url:missing=true"), (Set{"vs5"}));
  EXPECT_EQ(id_set("ValueSet", "url=http://acme.org/fhir/ValueSet/123,urn:oid:1.2.3"), (Set{"vs1", "vs3"}));
}

TEST_F(UriSearch, AboveAndBelowWorkOnPathSegments) {
  // ".../ValueSet/12" is not above ".../ValueSet/123/_history/5", nor ".../ValueSet/123" below
  // ".../ValueSet/12" (R4 3.1.1.4.7: above/below are about URL hierarchy).
  // BUG (semantics differ from R4): lib/search/sql_compiler.cpp value_condition() uri :above is a
  // plain string-prefix test (`substr(?, 1, length(x.value)) = x.value`) and :below a string range,
  // so a sibling whose last segment is a prefix of the other's matches.
  EXPECT_EQ(id_set("ValueSet", "url:above=http://acme.org/fhir/ValueSet/123/_history/5"), (Set{"vs1"}));
  EXPECT_EQ(id_set("ValueSet", "url:below=http://acme.org/fhir/ValueSet/12"), (Set{"vs4"}));
}

TEST_F(UriSearch, MetacharactersAreLiteral) {
  for (const char* v : {"%", "_", "http://acme.org/%", "'; DROP TABLE resources; --", "\\\\"}) {
    for (const char* p : {"url", "url:below", "url:above"}) {
      EXPECT_EQ(id_set("ValueSet", std::string(p) + "=" + v), Set{}) << p << "=" << v;
    }
  }
  EXPECT_EQ(ids("ValueSet", "").size(), 5u);
  EXPECT_EQ(error_of("ValueSet", "url:contains=acme"), base::ErrorCode::invalid);
}

class MetaSearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"Patient","id":"t1","meta":{"tag":[{"system":"urn:tags","code":"vip"}],
            "profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]}})");
    put(R"({"resourceType":"Patient","id":"t2","meta":{"tag":[{"system":"urn:tags","code":"test"}],
            "profile":["http://example.org/StructureDefinition/other"]}})");
    put(R"({"resourceType":"Patient","id":"t3","meta":{"source":"http://src.example/a",
            "security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]}})");
    put(R"({"resourceType":"Observation","id":"t1","status":"final","code":{"text":"x"},
            "meta":{"tag":[{"system":"urn:tags","code":"vip"}]}})");
  }
};

TEST_F(MetaSearch, TagProfileSecuritySource) {
  EXPECT_EQ(id_set("Patient", "_tag=vip"), (Set{"t1"}));
  EXPECT_EQ(id_set("Patient", "_tag=urn:tags|test"), (Set{"t2"}));
  EXPECT_EQ(id_set("Patient", "_tag=urn:tags|"), (Set{"t1", "t2"}));
  EXPECT_EQ(id_set("Patient", "_tag:not=vip"), (Set{"t2", "t3"}));
  EXPECT_EQ(id_set("Patient", "_tag:missing=true"), (Set{"t3"}));
  EXPECT_EQ(id_set("Patient", "_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R"), (Set{"t3"}));
  EXPECT_EQ(id_set("Patient", "_profile=http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"),
            (Set{"t1"}));
  EXPECT_EQ(id_set("Patient", "_profile:below=http://hl7.org/fhir/us/core/"), (Set{"t1"}));
  EXPECT_EQ(id_set("Patient", "_profile:missing=true"), (Set{"t3"}));
  EXPECT_EQ(id_set("Patient", "_source=http://src.example/a"), (Set{"t3"}));
}

TEST_F(MetaSearch, IdSearch) {
  EXPECT_EQ(id_set("Patient", "_id=t1"), (Set{"t1"}));
  EXPECT_EQ(id_set("Patient", "_id=t1,t3,nope"), (Set{"t1", "t3"}));
  EXPECT_EQ(id_set("Patient", "_id=nope"), Set{});
  EXPECT_EQ(id_set("Patient", "_id:not=t1"), (Set{"t2", "t3"}));
  EXPECT_EQ(id_set("Patient", "_id=t1&_tag=vip"), (Set{"t1"}));
  EXPECT_EQ(id_set("Patient", "_id=t2&_tag=vip"), Set{});
  EXPECT_EQ(id_set("Patient", "_id=T1"), Set{});  // ids are case-sensitive
  EXPECT_EQ(id_set("Patient", "_id=t1' OR '1'='1"), Set{});
}

TEST_F(MetaSearch, SystemLevelSearch) {
  auto page = run("", params("_id=t1"));
  ASSERT_TRUE(page.ok()) << page.error().message;
  std::set<std::string> got;
  for (const auto& m : page->matches) got.insert(m.type + "/" + m.id);
  EXPECT_EQ(got, (Set{"Patient/t1", "Observation/t1"}));
  EXPECT_EQ(page->total, 2);

  page = run("", params("_type=Observation&_id=t1"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->matches.size(), 1u);
  EXPECT_EQ(page->matches[0].type, "Observation");

  page = run("", params("_tag=vip"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->matches.size(), 2u);

  page = run("", params("_type=Patient"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->matches.size(), 3u);

  // A type-specific parameter is not known at system level: ignored (listed), or 400 when strict.
  auto req = parse("", params("family=x&_id=t2"));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->ignored.size(), 1u);
  EXPECT_EQ(error_of("", "family=x", /*strict=*/true), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("", "_type=Patient,Nope"), base::ErrorCode::invalid);
}

}  // namespace
