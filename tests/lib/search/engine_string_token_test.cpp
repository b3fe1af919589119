// String and token search on real SQLite: normalisation, modifiers, OR/AND, :missing, :not,
// :text, :of-type, escapes, and SQL metacharacters in values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/search/engine_fixture.hpp"

namespace {

using search_test::EngineTest;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class StringSearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"Patient","id":"p1","name":[{"family":"Châlmers","given":["Peter","James"]}],
            "address":[{"city":"Zürich","line":["Bahnhofstraße 1"],"postalCode":"8001"}]})");
    put(R"({"resourceType":"Patient","id":"p2","name":[{"family":"Chalmers","given":["Ann"]}],
            "address":[{"city":"Amherst","state":"MA"}]})");
    put(R"({"resourceType":"Patient","id":"p3","name":[{"family":"CHALMERSON","given":["Bob"]}]})");
    put(R"({"resourceType":"Patient","id":"p4","name":[{"family":"Smith","given":["Chal"],"text":"Dr Chal Smith"}]})");
    put(R"({"resourceType":"Patient","id":"p5","name":[{"family":"Windsor","given":["Élodie"]}]})");
    put(R"({"resourceType":"Patient","id":"p6","name":[{"family":"O'Brien"}]})");
    put(R"({"resourceType":"Patient","id":"p7","name":[{"family":"50%_off\\x"}]})");
  }
};

TEST_F(StringSearch, PrefixMatchIgnoresCaseAndAccents) {
  EXPECT_EQ(id_set("Patient", "family=chalmers"), (Set{"p1", "p2", "p3"}));
  EXPECT_EQ(id_set("Patient", "family=CHALMERS"), (Set{"p1", "p2", "p3"}));
  EXPECT_EQ(id_set("Patient", "family=Châlmers"), (Set{"p1", "p2", "p3"}));
  EXPECT_EQ(id_set("Patient", "family=chÂl"), (Set{"p1", "p2", "p3"}));
  EXPECT_EQ(id_set("Patient", "given=elodie"), (Set{"p5"}));
  EXPECT_EQ(id_set("Patient", "given=ÉLO"), (Set{"p5"}));
  // Prefix, not substring.
  EXPECT_THAT(ids("Patient", "family=halmers"), IsEmpty());
  EXPECT_THAT(ids("Patient", "family=chalmersons"), IsEmpty());
}

TEST_F(StringSearch, ExactIsCaseAndAccentSensitive) {
  EXPECT_EQ(id_set("Patient", "family:exact=Chalmers"), (Set{"p2"}));
  EXPECT_EQ(id_set("Patient", "family:exact=Châlmers"), (Set{"p1"}));
  EXPECT_THAT(ids("Patient", "family:exact=chalmers"), IsEmpty());
  EXPECT_THAT(ids("Patient", "family:exact=Chal"), IsEmpty());
}

TEST_F(StringSearch, ContainsMatchesAnywhere) {
  EXPECT_EQ(id_set("Patient", "family:contains=ALM"), (Set{"p1", "p2", "p3"}));
  EXPECT_EQ(id_set("Patient", "family:contains=merson"), (Set{"p3"}));
  EXPECT_EQ(id_set("Patient", "family:contains=âlm"), (Set{"p1", "p2", "p3"}));
}

TEST_F(StringSearch, NameCoversEveryPartAndAddressEveryField) {
  EXPECT_EQ(id_set("Patient", "name=chal"), (Set{"p1", "p2", "p3", "p4"}));
  EXPECT_EQ(id_set("Patient", "name=james"), (Set{"p1"}));
  EXPECT_EQ(id_set("Patient", "name=dr"), (Set{"p4"}));  // HumanName.text
  EXPECT_EQ(id_set("Patient", "address=zurich"), (Set{"p1"}));
  EXPECT_EQ(id_set("Patient", "address=bahnhofstra"), (Set{"p1"}));
  EXPECT_EQ(id_set("Patient", "address=8001"), (Set{"p1"}));
  EXPECT_EQ(id_set("Patient", "address=ma"), (Set{"p2"}));
  EXPECT_EQ(id_set("Patient", "address-city=amh"), (Set{"p2"}));
  EXPECT_EQ(id_set("Patient", "address-state=MA"), (Set{"p2"}));
}

TEST_F(StringSearch, CommasOrRepeatsAnd) {
  EXPECT_EQ(id_set("Patient", "family=windsor,smith"), (Set{"p4", "p5"}));
  EXPECT_EQ(id_set("Patient", "family=chal&given=ann"), (Set{"p2"}));
  EXPECT_EQ(id_set("Patient", "name=chal&name=bob"), (Set{"p3"}));
  EXPECT_THAT(ids("Patient", "family=chal&family=windsor"), IsEmpty());
}

TEST_F(StringSearch, MissingModifier) {
  put(R"({"resourceType":"Patient","id":"noname","gender":"other"})");
  EXPECT_EQ(id_set("Patient", "family:missing=true"), (Set{"noname"}));
  EXPECT_EQ(id_set("Patient", "given:missing=true"), (Set{"noname", "p6", "p7"}));
  EXPECT_EQ(ids("Patient", "family:missing=false").size(), 7u);
}

TEST_F(StringSearch, SqlMetacharactersAreLiteral) {
  EXPECT_EQ(id_set("Patient", "family=o'b"), (Set{"p6"}));
  EXPECT_EQ(id_set("Patient", "family=o'brien"), (Set{"p6"}));
  EXPECT_EQ(id_set("Patient", "family:contains='"), (Set{"p6"}));
  EXPECT_EQ(id_set("Patient", "family:contains=%"), (Set{"p7"}));
  EXPECT_EQ(id_set("Patient", "family:contains=_"), (Set{"p7"}));
  EXPECT_EQ(id_set("Patient", "family=50%"), (Set{"p7"}));
  EXPECT_EQ(id_set("Patient", "family=%"), Set{});
  EXPECT_EQ(id_set("Patient", "family=_"), Set{});
  EXPECT_EQ(id_set("Patient", "family:exact=%"), Set{});
  for (const char* v : {"'; DROP TABLE resources; --", "\" OR 1=1 --", "') OR ('1'='1", "%%", "*"}) {
    for (const char* p : {"family", "family:exact", "family:contains", "address", "name:contains"}) {
      EXPECT_EQ(id_set("Patient", std::string(p) + "=" + v), Set{}) << p << "=" << v;
    }
  }
  EXPECT_EQ(ids("Patient", "").size(), 7u);  // the table is still there
}

TEST_F(StringSearch, EscapedBackslashIsOneLiteralBackslash) {
  // "50%_off\x": search value 50%_off\\x means the literal text 50%_off\x (R4 3.1.1.6 escaping).
  // BUG: lib/search/query_parser.cpp parse_value() for string/uri keeps `raw` as given
  // (split_escaped_keep leaves "\\" and "\|" "\$" escaped), so the search text still holds two
  // backslashes and never matches.
  EXPECT_EQ(id_set("Patient", "family:exact=50%_off\\\\x"), (Set{"p7"}));
  EXPECT_EQ(id_set("Patient", "family:contains=f\\\\x"), (Set{"p7"}));
}

class TokenSearch : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    put(R"({"resourceType":"Observation","id":"o1","status":"final",
            "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
            "code":{"coding":[{"system":"http://loinc.org","code":"1234-5","display":"Glucose"}],"text":"Blood sugar"},
            "identifier":[{"system":"urn:ids","value":"a|b"},{"system":"urn:ids","value":"c,d"},{"system":"urn:ids","value":"e\\f"}]})");
    put(R"({"resourceType":"Observation","id":"o2","status":"preliminary",
            "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
            "code":{"coding":[{"system":"http://snomed.info/sct","code":"1234-5"}]}})");
    put(R"({"resourceType":"Observation","id":"o3","status":"final","code":{"coding":[{"code":"1234-5"}]}})");
    put(R"({"resourceType":"Observation","id":"o4","status":"amended","code":{"text":"Free text glucose note"}})");
    put(R"({"resourceType":"Patient","id":"mr","active":true,"gender":"female",
            "identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}],
                                   "text":"Medical Record Number"},"system":"http://hosp.example","value":"123"}]})");
    put(R"({"resourceType":"Patient","id":"plain","active":false,"gender":"male",
            "identifier":[{"system":"http://hosp.example","value":"456"}],
            "telecom":[{"system":"phone","value":"555-1234"}]})");
  }
};

TEST_F(TokenSearch, CodeSystemForms) {
  EXPECT_EQ(id_set("Observation", "code=1234-5"), (Set{"o1", "o2", "o3"}));
  EXPECT_EQ(id_set("Observation", "code=http://loinc.org|1234-5"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "code=|1234-5"), (Set{"o3"}));
  EXPECT_EQ(id_set("Observation", "code=http://snomed.info/sct|"), (Set{"o2"}));
  EXPECT_EQ(id_set("Observation", "code=http://loinc.org|9999-9"), Set{});
  EXPECT_EQ(id_set("Observation", "code=http://loinc.org|1234-5,http://snomed.info/sct|1234-5"), (Set{"o1", "o2"}));
  EXPECT_EQ(id_set("Observation", "status=final,amended"), (Set{"o1", "o3", "o4"}));
  EXPECT_EQ(id_set("Observation", "status=final&code=http://loinc.org|"), (Set{"o1"}));
  // Codes are matched exactly (no prefix, case-sensitive).
  EXPECT_EQ(id_set("Observation", "code=1234"), Set{});
  EXPECT_EQ(id_set("Observation", "status=FINAL"), Set{});
}

TEST_F(TokenSearch, BooleanCodeAndIdentifier) {
  EXPECT_EQ(id_set("Patient", "active=true"), (Set{"mr"}));
  EXPECT_EQ(id_set("Patient", "active=false"), (Set{"plain"}));
  EXPECT_EQ(id_set("Patient", "gender=female"), (Set{"mr"}));
  EXPECT_EQ(id_set("Patient", "identifier=123"), (Set{"mr"}));
  EXPECT_EQ(id_set("Patient", "identifier=http://hosp.example|456"), (Set{"plain"}));
  EXPECT_EQ(id_set("Patient", "identifier=http://hosp.example|"), (Set{"mr", "plain"}));
  EXPECT_EQ(id_set("Patient", "telecom=phone|555-1234"), (Set{"plain"}));
  EXPECT_EQ(id_set("Patient", "phone=555-1234"), (Set{"plain"}));
}

TEST_F(TokenSearch, NotIncludesResourcesWithoutAValue) {
  EXPECT_EQ(id_set("Observation", "status:not=final"), (Set{"o2", "o4"}));
  EXPECT_EQ(id_set("Observation", "category:not=laboratory"), (Set{"o2", "o3", "o4"}));
  EXPECT_EQ(id_set("Observation", "code:not=http://loinc.org|1234-5"), (Set{"o2", "o3", "o4"}));
  EXPECT_EQ(id_set("Observation", "status:not=final,amended"), (Set{"o2"}));
}

TEST_F(TokenSearch, TextSearchesDisplayAndText) {
  EXPECT_EQ(id_set("Observation", "code:text=sugar"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "code:text=GLUCOSE"), (Set{"o1", "o4"}));
  EXPECT_EQ(id_set("Observation", "code:text=%"), Set{});
  EXPECT_EQ(id_set("Patient", "identifier:text=medical record"), (Set{"mr"}));
}

TEST_F(TokenSearch, OfType) {
  EXPECT_EQ(id_set("Patient", "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|123"),
            (Set{"mr"}));
  EXPECT_EQ(id_set("Patient", "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|456"), Set{});
  EXPECT_EQ(error_of("Patient", "identifier:of-type=MR|123"), base::ErrorCode::invalid);
}

TEST_F(TokenSearch, MissingModifier) {
  EXPECT_EQ(id_set("Observation", "category:missing=true"), (Set{"o3", "o4"}));
  EXPECT_EQ(id_set("Observation", "category:missing=false"), (Set{"o1", "o2"}));
  EXPECT_EQ(id_set("Observation", "identifier:missing=false"), (Set{"o1"}));
  EXPECT_EQ(error_of("Observation", "category:missing=maybe"), base::ErrorCode::invalid);
}

TEST_F(TokenSearch, EscapedSeparatorsInValues) {
  EXPECT_EQ(id_set("Observation", "identifier=urn:ids|a\\|b"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "identifier=a\\|b"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "identifier=c\\,d"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "identifier=e\\\\f"), (Set{"o1"}));
  EXPECT_EQ(id_set("Observation", "identifier=c,d"), Set{});  // two values, neither stored
}

TEST_F(TokenSearch, SqlMetacharactersAreLiteral) {
  for (const char* v : {"'; DROP TABLE resources; --", "%", "_", "\\\\", "1234-5' OR '1'='1", "urn:ids|%"}) {
    for (const char* p : {"code", "identifier", "status:not", "code:text", "_id", "_tag"}) {
      auto got = id_set("Observation", std::string(p) + "=" + v);
      if (std::string(p) == "status:not") {
        EXPECT_EQ(got, (Set{"o1", "o2", "o3", "o4"})) << p << "=" << v;
      } else {
        EXPECT_EQ(got, Set{}) << p << "=" << v;
      }
    }
  }
  EXPECT_EQ(ids("Observation", "").size(), 4u);
}

TEST_F(TokenSearch, MalformedTokensAre400) {
  EXPECT_EQ(error_of("Observation", "code=a|b|c"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Observation", "code=|"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Observation", "code="), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Observation", "code:below=x"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Observation", "code:exact=x"), base::ErrorCode::invalid);
}

}  // namespace
