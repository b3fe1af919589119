// parse_search: prefixes, token and reference forms, escapes, chains, _has, _include, _sort,
// _count, result controls, strict vs lenient handling, and the modifiers each type accepts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "base/fhir_time.hpp"
#include "search/query.hpp"
#include "search/registry.hpp"

namespace {

using ::testing::HasSubstr;
using search::ParamList;
using search::Prefix;
using search::SearchRequest;

constexpr const char* kBase = "https://fhir.test/r4";

class QueryParser : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = search::Registry::load_embedded();
    ASSERT_TRUE(r.ok()) << r.error().message;
    registry_ = *r;
  }

  base::Result<SearchRequest> parse(const std::string& type, const ParamList& params, bool strict = false) {
    return search::parse_search(*registry_, type, params, strict, kBase);
  }

  // Parses one parameter that must succeed and yield one criterion.
  search::Criterion one(const std::string& type, const std::string& name, const std::string& value) {
    auto r = parse(type, {{name, value}}, /*strict=*/true);
    EXPECT_TRUE(r.ok()) << name << "=" << value << ": " << (r.ok() ? "" : r.error().message);
    if (!r.ok() || r->criteria.size() != 1) {
      ADD_FAILURE() << "expected one criterion for " << name;
      return {};
    }
    return r->criteria[0];
  }

  // The error message of a parameter that must be refused with `invalid`.
  std::string refused(const std::string& type, const std::string& name, const std::string& value, bool strict = false) {
    auto r = parse(type, {{name, value}}, strict);
    EXPECT_FALSE(r.ok()) << type << "?" << name << "=" << value << " was accepted";
    if (r.ok()) return "";
    EXPECT_EQ(r.error().code, base::ErrorCode::invalid) << name << "=" << value;
    return r.error().message;
  }

  std::shared_ptr<const search::Registry> registry_;
};

TEST_F(QueryParser, DatePrefixes) {
  const std::pair<const char*, Prefix> cases[] = {{"", Prefix::eq},   {"eq", Prefix::eq}, {"ne", Prefix::ne},
                                                  {"gt", Prefix::gt}, {"lt", Prefix::lt}, {"ge", Prefix::ge},
                                                  {"le", Prefix::le}, {"sa", Prefix::sa}, {"eb", Prefix::eb},
                                                  {"ap", Prefix::ap}};
  auto jan1 = base::parse_date_time("2020-01-01");
  ASSERT_TRUE(jan1.ok());
  for (const auto& [text, prefix] : cases) {
    auto c = one("Patient", "birthdate", std::string(text) + "2020-01-01");
    ASSERT_EQ(c.values.size(), 1u) << text;
    EXPECT_EQ(c.values[0].prefix, prefix) << text;
    EXPECT_EQ(c.values[0].time.low_us, jan1->low_us) << text;
    EXPECT_EQ(c.values[0].time.high_us, jan1->high_us) << text;
  }
  EXPECT_THAT(refused("Patient", "birthdate", "xx2020"), HasSubstr("not a search prefix"));
  EXPECT_THAT(refused("Patient", "birthdate", "GT2020"), HasSubstr("not a search prefix"));
  refused("Patient", "birthdate", "gt");
  refused("Patient", "birthdate", "2020-02-30");
  refused("Patient", "birthdate", "2020,ne");
}

TEST_F(QueryParser, DateTimeWithoutZoneIsAccepted) {
  // R4 3.1.1.4.2 (date): the search value format is yyyy-mm-ddThh:mm:ss[Z|(+|-)hh:mm], the zone
  // optional ("Where both search parameters and resource element date times do not have time
  // zones, the servers local time zone should be assumed").
  // BUG (semantics differ from R4): query_parser.cpp parse_value() uses base::parse_date_time(raw,
  // true), which requires an offset after a time, so these are refused with 400.
  for (const char* v : {"2020-01-01T10:00:00", "ge2020-01-01T10:00", "lt2020-01-01T10:00:00.5"}) {
    auto r = parse("Patient", {{"birthdate", v}});
    EXPECT_TRUE(r.ok()) << v << ": " << (r.ok() ? "" : r.error().message);
  }
}

TEST_F(QueryParser, NumberAndQuantity) {
  auto c = one("ChargeItem", "factor-override", "ge1.50");
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0].prefix, Prefix::ge);
  EXPECT_DOUBLE_EQ(c.values[0].number, 1.5);
  EXPECT_DOUBLE_EQ(c.values[0].low, 1.495);
  EXPECT_DOUBLE_EQ(c.values[0].high, 1.505);
  c = one("ChargeItem", "factor-override", "100");
  EXPECT_DOUBLE_EQ(c.values[0].low, 99.5);
  EXPECT_DOUBLE_EQ(c.values[0].high, 100.5);
  c = one("ChargeItem", "factor-override", "-2");
  EXPECT_DOUBLE_EQ(c.values[0].number, -2);

  c = one("Observation", "value-quantity", "lt5.4|http://unitsofmeasure.org|mg");
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0].prefix, Prefix::lt);
  EXPECT_DOUBLE_EQ(c.values[0].number, 5.4);
  EXPECT_EQ(c.values[0].system, "http://unitsofmeasure.org");
  EXPECT_EQ(c.values[0].code, "mg");
  c = one("Observation", "value-quantity", "5.4||mg");
  EXPECT_FALSE(c.values[0].system);
  EXPECT_EQ(c.values[0].code, "mg");
  c = one("Observation", "value-quantity", "5.4");
  EXPECT_FALSE(c.values[0].system);
  EXPECT_EQ(c.values[0].code, "");

  refused("ChargeItem", "factor-override", "abc");
  refused("ChargeItem", "factor-override", "1.2.3");
  refused("ChargeItem", "factor-override", "zz1");
  refused("Observation", "value-quantity", "5.4|mg");
  refused("Observation", "value-quantity", "x||mg");
}

TEST_F(QueryParser, StringAndTokenValuesKeepLettersThatLookLikePrefixes) {
  auto c = one("Patient", "family", "gtx");
  EXPECT_EQ(c.values[0].code, "gtx");
  EXPECT_EQ(c.values[0].prefix, Prefix::eq);
  c = one("Patient", "gender", "ne");
  EXPECT_EQ(c.values[0].code, "ne");
}

TEST_F(QueryParser, TokenForms) {
  auto c = one("Observation", "code", "1234-5");
  EXPECT_FALSE(c.values[0].system);
  EXPECT_EQ(c.values[0].code, "1234-5");

  c = one("Observation", "code", "http://loinc.org|1234-5");
  EXPECT_EQ(c.values[0].system, "http://loinc.org");
  EXPECT_EQ(c.values[0].code, "1234-5");

  c = one("Observation", "code", "|1234-5");
  ASSERT_TRUE(c.values[0].system);
  EXPECT_EQ(*c.values[0].system, "");
  EXPECT_EQ(c.values[0].code, "1234-5");

  c = one("Observation", "code", "http://loinc.org|");
  EXPECT_EQ(c.values[0].system, "http://loinc.org");
  EXPECT_EQ(c.values[0].code, "");

  c = one("Observation", "code", "a,http://loinc.org|b,|c");
  ASSERT_EQ(c.values.size(), 3u);
  EXPECT_EQ(c.values[1].code, "b");

  refused("Patient", "identifier", "http://terminology.hl7.org/CodeSystem/v2-0203|MR|123");  // needs :of-type
  refused("Observation", "code", "a|b|c");
  refused("Observation", "code", "");
  refused("Observation", "code", "|");
  refused("Observation", "code", "a,");  // an empty OR value

  c = one("Patient", "identifier:of-type", "http://terminology.hl7.org/CodeSystem/v2-0203|MR|123");
  EXPECT_EQ(c.modifier, "of-type");
  EXPECT_EQ(c.values[0].of_type, "http://terminology.hl7.org/CodeSystem/v2-0203|MR|123");
  refused("Patient", "identifier:of-type", "MR|123");
  refused("Patient", "identifier:of-type", "a|b|");

  c = one("Observation", "code:text", "blood|sugar,x");
  ASSERT_EQ(c.values.size(), 2u);
  EXPECT_EQ(c.values[0].code, "blood|sugar");
}

TEST_F(QueryParser, TokenEscapes) {
  auto c = one("Observation", "identifier", "a\\|b");
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_FALSE(c.values[0].system);
  EXPECT_EQ(c.values[0].code, "a|b");

  c = one("Observation", "identifier", "urn:x|a\\|b");
  EXPECT_EQ(c.values[0].system, "urn:x");
  EXPECT_EQ(c.values[0].code, "a|b");

  c = one("Observation", "identifier", "a\\,b,c");
  ASSERT_EQ(c.values.size(), 2u);
  EXPECT_EQ(c.values[0].code, "a,b");
  EXPECT_EQ(c.values[1].code, "c");

  c = one("Observation", "identifier", "a\\\\b");
  EXPECT_EQ(c.values[0].code, "a\\b");

  c = one("Observation", "identifier", "a\\$b");
  EXPECT_EQ(c.values[0].code, "a$b");
}

TEST_F(QueryParser, StringEscapes) {
  auto c = one("Patient", "family", "O\\,Brien,Smith");
  ASSERT_EQ(c.values.size(), 2u);
  EXPECT_EQ(c.values[0].code, "O,Brien");
  EXPECT_EQ(c.values[1].code, "Smith");
}

TEST_F(QueryParser, StringAndUriEscapesOtherThanCommaAreUndone) {
  // BUG: lib/search/query_parser.cpp parse_value() case string/uri sets out.code = raw, where
  // split_escaped_keep() kept "\\", "\|" and "\$" escaped for the type parsers; only the token
  // and quantity parsers (split_bars) unescape. R4 3.1.1.6: "param=xx\\xx" is the value xx\xx.
  EXPECT_EQ(one("Patient", "family", "a\\\\b").values[0].code, "a\\b");
  EXPECT_EQ(one("Patient", "family", "a\\|b").values[0].code, "a|b");
  EXPECT_EQ(one("Patient", "family", "a\\$b").values[0].code, "a$b");
  EXPECT_EQ(one("ValueSet", "url", "http://x/a\\|b").values[0].code, "http://x/a|b");
}

TEST_F(QueryParser, ReferenceForms) {
  auto c = one("Observation", "patient", "123");
  EXPECT_EQ(c.values[0].code, "123");
  EXPECT_EQ(c.values[0].type, "");
  EXPECT_EQ(c.values[0].url, "");

  c = one("Observation", "patient", "Patient/123");
  EXPECT_EQ(c.values[0].code, "123");
  EXPECT_EQ(c.values[0].type, "Patient");

  c = one("Observation", "patient", std::string(kBase) + "/Patient/123");
  EXPECT_EQ(c.values[0].code, "123");
  EXPECT_EQ(c.values[0].type, "Patient");
  EXPECT_EQ(c.values[0].url, "");  // our own base: a local reference

  c = one("Observation", "patient", "Patient/123/_history/4");
  EXPECT_EQ(c.values[0].code, "123");

  c = one("Observation", "subject", "http://other.example/fhir/Patient/9");
  EXPECT_EQ(c.values[0].url, "http://other.example/fhir/Patient/9");

  c = one("Observation", "subject", "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0");
  EXPECT_EQ(c.values[0].url, "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0");

  c = one("Observation", "subject:Patient", "123");
  EXPECT_EQ(c.modifier, "Patient");
  c = one("Observation", "subject:Patient", "Patient/123");
  EXPECT_EQ(c.values[0].type, "Patient");
  EXPECT_THAT(refused("Observation", "subject:Group", "Patient/123"), HasSubstr("does not match"));
  refused("Observation", "subject", "not an id");
  refused("Observation", "subject", "");
  refused("Observation", "subject", "Patient/");
}

TEST_F(QueryParser, Chains) {
  auto c = one("Observation", "subject:Patient.name", "peter");
  EXPECT_EQ(c.param->code, "subject");
  EXPECT_EQ(c.chain_type, "Patient");
  ASSERT_TRUE(c.chain);
  EXPECT_EQ(c.chain->param->code, "name");
  EXPECT_EQ(c.chain->values[0].code, "peter");

  c = one("Observation", "patient.name:exact", "Peter");
  EXPECT_EQ(c.chain_type, "Patient");  // from where(resolve() is Patient)
  ASSERT_TRUE(c.chain);
  EXPECT_EQ(c.chain->modifier, "exact");

  c = one("MedicationRequest", "medication.code", "http://www.nlm.nih.gov/research/umls/rxnorm|206765");
  EXPECT_EQ(c.chain_type, "Medication");  // the only target

  c = one("PractitionerRole", "practitioner.identifier", "http://hl7.org.fhir/sid/us-npi|9941339108");
  EXPECT_EQ(c.chain_type, "Practitioner");

  EXPECT_THAT(refused("Observation", "subject.name", "x"), HasSubstr("ambiguous"));
  EXPECT_THAT(refused("Observation", "code.name", "x"), HasSubstr("reference"));
  EXPECT_THAT(refused("Patient", "name.family", "x"), HasSubstr("reference"));
  EXPECT_THAT(refused("Observation", "patient.organization.name", "x"), HasSubstr("one level"));
  EXPECT_THAT(refused("Observation", "patient.nope", "x"), HasSubstr("nope"));
  refused("Observation", "subject:Nope.name", "x");
  refused("Observation", "patient.birthdate", "bad");
  refused("Observation", "patient.name:below", "x");
  // Unknown chained parameters are errors even when lenient (the chain itself is understood).
  refused("Observation", "patient.nope", "x", /*strict=*/false);
}

TEST_F(QueryParser, Has) {
  auto c = one("Patient", "_has:Observation:patient:code", "1234-5");
  ASSERT_TRUE(c.has);
  EXPECT_EQ(c.has->type, "Observation");
  EXPECT_EQ(c.has->reference->code, "patient");
  ASSERT_TRUE(c.has->criterion);
  EXPECT_EQ(c.has->criterion->param->code, "code");
  EXPECT_EQ(c.has->criterion->values[0].code, "1234-5");

  c = one("Patient", "_has:Observation:subject:status:not", "final");
  EXPECT_EQ(c.has->criterion->modifier, "not");

  refused("Patient", "_has:Observation:patient", "x");
  refused("Patient", "_has:Nope:patient:code", "x");
  refused("Patient", "_has:Observation:code:status", "x");  // not a reference
  refused("Patient", "_has:Observation:patient:nope", "x");
  EXPECT_THAT(refused("Patient", "_has:Observation:patient:_has:Provenance:target:agent", "x"), HasSubstr("one level"));
  refused("", "_has:Observation:patient:code", "x");  // needs a type
  refused("Patient", "_has:Observation:patient:date", "notadate");
}

TEST_F(QueryParser, IncludeForms) {
  auto r = parse("MedicationRequest", {{"_include", "MedicationRequest:medication"},
                                       {"_include:iterate", "Medication:manufacturer"},
                                       {"_include", "MedicationRequest:subject:Patient"},
                                       {"_revinclude", "Provenance:target"},
                                       {"_revinclude:iterate", "Provenance:agent:Practitioner"},
                                       {"_include:recurse", "Organization:partof"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->includes.size(), 4u);
  EXPECT_EQ(r->includes[0].source_type, "MedicationRequest");
  EXPECT_EQ(r->includes[0].param->code, "medication");
  EXPECT_FALSE(r->includes[0].iterate);
  EXPECT_EQ(r->includes[1].source_type, "Medication");
  EXPECT_TRUE(r->includes[1].iterate);
  EXPECT_EQ(r->includes[2].target_type, "Patient");
  EXPECT_TRUE(r->includes[3].iterate);
  ASSERT_EQ(r->revincludes.size(), 2u);
  EXPECT_EQ(r->revincludes[0].source_type, "Provenance");
  EXPECT_EQ(r->revincludes[0].param->code, "target");
  EXPECT_TRUE(r->revincludes[1].iterate);
  EXPECT_EQ(r->revincludes[1].target_type, "Practitioner");

  refused("MedicationRequest", "_include", "MedicationRequest");
  refused("MedicationRequest", "_include", "MedicationRequest:status");
  refused("MedicationRequest", "_include", "MedicationRequest:*");
  refused("MedicationRequest", "_include", "Patient:organization");  // not the searched type, no :iterate
  refused("MedicationRequest", "_include", "Nope:x");
  refused("MedicationRequest", "_include", "MedicationRequest:subject:Nope");
  refused("MedicationRequest", "_revinclude", "Provenance:target:Patient:x");

  // An unknown _include modifier is ignored, or refused when strict.
  r = parse("MedicationRequest", {{"_include:weird", "MedicationRequest:medication"}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->includes.empty());
  EXPECT_EQ(r->ignored.size(), 1u);
  refused("MedicationRequest", "_include:weird", "MedicationRequest:medication", /*strict=*/true);
}

TEST_F(QueryParser, Sort) {
  auto r = parse("Patient", {{"_sort", "family,-birthdate,_lastUpdated,-_id"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->sort.size(), 4u);
  EXPECT_EQ(r->sort[0].code, "family");
  EXPECT_FALSE(r->sort[0].descending);
  EXPECT_EQ(r->sort[0].param->code, "family");
  EXPECT_EQ(r->sort[1].code, "birthdate");
  EXPECT_TRUE(r->sort[1].descending);
  EXPECT_EQ(r->sort[2].param, nullptr);
  EXPECT_TRUE(r->sort[3].descending);

  r = parse("Patient", {{"_sort", "family"}, {"_sort", "gender"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sort.size(), 2u);

  refused("Patient", "_sort", "nope");
  refused("Patient", "_sort", "-nope");
  refused("Patient", "_sort", "organization");  // reference: not sortable
  refused("Patient", "_sort", "family,");
  refused("", "_sort", "family");
  r = parse("", {{"_sort", "-_lastUpdated"}});
  ASSERT_TRUE(r.ok());
}

TEST_F(QueryParser, CountTotalSummaryElements) {
  auto r = parse("Patient", {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->count, 50);
  EXPECT_EQ(r->total, search::TotalMode::automatic);
  EXPECT_EQ(r->summary, search::SummaryMode::none);

  for (const auto& [text, n] : std::vector<std::pair<std::string, int>>{{"0", 0}, {"1", 1}, {"1000", 1000},
                                                                          {"1001", 1000}, {"2147483647", 1000}}) {
    r = parse("Patient", {{"_count", text}});
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->count, n) << text;
  }
  for (const char* bad : {"-1", "abc", "1.5", "", " 5", "5 ", "0x10", "'; DROP TABLE resources; --"}) {
    refused("Patient", "_count", bad);
  }

  r = parse("Patient", {{"_total", "none"}});
  EXPECT_EQ(r->total, search::TotalMode::none);
  r = parse("Patient", {{"_total", "estimate"}});
  EXPECT_EQ(r->total, search::TotalMode::estimate);
  refused("Patient", "_total", "all");

  const std::pair<const char*, search::SummaryMode> summaries[] = {{"count", search::SummaryMode::count},
                                                                   {"data", search::SummaryMode::data},
                                                                   {"text", search::SummaryMode::text},
                                                                   {"true", search::SummaryMode::summary},
                                                                   {"false", search::SummaryMode::none}};
  for (const auto& [text, mode] : summaries) {
    r = parse("Patient", {{"_summary", text}});
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r->summary, mode) << text;
  }
  refused("Patient", "_summary", "maybe");

  r = parse("Patient", {{"_elements", "name,birthDate,,gender"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->elements, (std::vector<std::string>{"name", "birthDate", "gender"}));
}

TEST_F(QueryParser, HugeCountIsCapped) {
  // BUG: lib/search/query_parser.cpp parse_count(): std::from_chars into int fails with
  // result_out_of_range for a number above INT_MAX, which is refused instead of capped at 1000.
  auto r = parse("Patient", {{"_count", "99999999999"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->count, search::kMaxCount);
}

TEST_F(QueryParser, UnknownParametersLenientAndStrict) {
  auto r = parse("Patient", {{"family", "x"}, {"nope", "1"}, {"_format", "json"}, {"_pretty", "true"},
                             {"_cursor", "abc"}, {"name:exact", "y"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->criteria.size(), 2u);
  ASSERT_EQ(r->ignored.size(), 1u);
  EXPECT_THAT(r->ignored[0], HasSubstr("nope"));
  EXPECT_EQ(r->cursor, "abc");
  // The echo (for links) has what was applied: no unknown parameter, no _format/_pretty/_cursor.
  EXPECT_EQ(r->echo, (ParamList{{"family", "x"}, {"name:exact", "y"}}));

  auto s = parse("Patient", {{"family", "x"}, {"nope", "1"}}, /*strict=*/true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, base::ErrorCode::invalid);
  EXPECT_THAT(s.error().message, HasSubstr("nope"));

  // Composite parameters are not supported: treated like unknown ones.
  r = parse("Observation", {{"code-value-quantity", "http://loinc.org|1234-5$gt5"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ignored.size(), 1u);
  EXPECT_FALSE(parse("Observation", {{"code-value-quantity", "x$1"}}, true).ok());

  // An unknown parameter is ignored even with a value that would be invalid for any type.
  r = parse("Patient", {{"nope:exact", "'; DROP TABLE resources; --"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ignored.size(), 1u);
}

TEST_F(QueryParser, ModifiersAllowedPerType) {
  struct Case {
    const char* type;
    const char* name;
    const char* value;
    bool ok;
  };
  const Case cases[] = {
      {"Patient", "family:exact", "x", true},          {"Patient", "family:contains", "x", true},
      {"Patient", "family:missing", "true", true},     {"Patient", "family:not", "x", false},
      {"Patient", "family:text", "x", false},          {"Patient", "family:below", "x", false},
      {"Patient", "gender:not", "male", true},         {"Patient", "gender:text", "male", true},
      {"Patient", "gender:missing", "false", true},    {"Patient", "gender:exact", "male", false},
      {"Patient", "gender:contains", "male", false},   {"Patient", "gender:below", "male", false},
      {"Patient", "gender:in", "http://x/vs", false},  {"Patient", "identifier:of-type", "a|b|c", true},
      {"ValueSet", "url:below", "http://x", true},     {"ValueSet", "url:above", "http://x", true},
      {"ValueSet", "url:missing", "true", true},       {"ValueSet", "url:exact", "http://x", false},
      {"ValueSet", "url:contains", "x", false},        {"Patient", "birthdate:missing", "true", true},
      {"Patient", "birthdate:exact", "2020", false},   {"Patient", "birthdate:not", "2020", false},
      {"ChargeItem", "factor-override:missing", "true", true},
      {"ChargeItem", "factor-override:not", "1", false},
      {"Observation", "value-quantity:missing", "true", true},
      {"Observation", "value-quantity:exact", "1", false},
      {"Observation", "subject:Patient", "1", true},   {"Observation", "subject:missing", "true", true},
      {"Observation", "subject:Nope", "1", false},     {"Observation", "subject:not", "1", false},
      {"Observation", "subject:exact", "1", false},    {"Observation", "subject:identifier", "a|b", false},
      {"Patient", "_id:missing", "true", true},        {"Patient", "_tag:not", "x", true},
      {"Patient", "_profile:below", "http://x", true}, {"Patient", "_lastUpdated:exact", "2020", false},
      {"Patient", "family:missing", "yes", false},     {"Patient", "family:missing", "", false},
  };
  for (const auto& c : cases) {
    auto r = parse(c.type, {{c.name, c.value}}, /*strict=*/false);
    EXPECT_EQ(r.ok(), c.ok) << c.type << "?" << c.name << "=" << c.value << " "
                            << (r.ok() ? "" : r.error().message);
    if (r.ok()) {
      EXPECT_TRUE(r->ignored.empty()) << c.name;
    }
  }
}

TEST_F(QueryParser, SystemLevel) {
  auto r = parse("", {{"_id", "a,b"}, {"_type", "Patient,Observation"}, {"_lastUpdated", "gt2020"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->type, "");
  EXPECT_EQ(r->types, (std::vector<std::string>{"Patient", "Observation"}));
  EXPECT_EQ(r->criteria.size(), 2u);
  refused("", "_type", "Patient,Nope");
  r = parse("", {{"family", "x"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ignored.size(), 1u);
  refused("", "family", "x", /*strict=*/true);
}

TEST_F(QueryParser, RepeatsAreAndedCommasOred) {
  auto r = parse("Patient", {{"family", "a,b"}, {"family", "c"}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->criteria.size(), 2u);
  EXPECT_EQ(r->criteria[0].values.size(), 2u);
  EXPECT_EQ(r->criteria[1].values.size(), 1u);
}

}  // namespace
