#include "search/registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using search::ParamType;
using search::Registry;
using search::SearchParam;

std::shared_ptr<const Registry> embedded() {
  auto r = Registry::load_embedded();
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

std::vector<std::string> codes_of(const std::vector<const SearchParam*>& params) {
  std::vector<std::string> out;
  for (const auto* p : params) out.push_back(p->code);
  return out;
}

TEST(SearchRegistry, EmbeddedDefinitionsLoad) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);
  EXPECT_GT(reg->size(), 1000u);
  EXPECT_GT(reg->for_type("Observation").size(), 20u);
  // Loaded once: the same registry every time.
  auto again = Registry::load_embedded();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), reg.get());
}

TEST(SearchRegistry, ParamTypeText) {
  for (auto t : {ParamType::number, ParamType::date, ParamType::string, ParamType::token, ParamType::reference,
                 ParamType::composite, ParamType::quantity, ParamType::uri, ParamType::special}) {
    EXPECT_EQ(search::param_type_from(search::to_string(t)), t) << search::to_string(t);
  }
  EXPECT_EQ(search::param_type_from("token"), ParamType::token);
  EXPECT_EQ(search::param_type_from("Token"), ParamType::special);
  EXPECT_EQ(search::param_type_from(""), ParamType::special);
  EXPECT_EQ(search::to_string(ParamType::reference), "reference");
}

TEST(SearchRegistry, ObservationCoreParameters) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);

  const auto* patient = reg->find("Observation", "patient");
  ASSERT_NE(patient, nullptr);
  EXPECT_EQ(patient->resource_type, "Observation");
  EXPECT_EQ(patient->type, ParamType::reference);
  EXPECT_THAT(patient->expression, HasSubstr("subject"));
  EXPECT_THAT(patient->expression, Not(HasSubstr("Condition")));
  EXPECT_THAT(patient->targets, Contains("Patient"));

  for (const char* code : {"category", "code", "status"}) {
    const auto* p = reg->find("Observation", code);
    ASSERT_NE(p, nullptr) << code;
    EXPECT_EQ(p->type, ParamType::token) << code;
    EXPECT_EQ(p->expression, std::string("Observation.") + code) << code;
  }

  const auto* date = reg->find("Observation", "date");
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(date->type, ParamType::date);
  EXPECT_EQ(date->expression, "Observation.effective");
  EXPECT_THAT(date->comparators, Contains("ge"));

  const auto* subject = reg->find("Observation", "subject");
  ASSERT_NE(subject, nullptr);
  EXPECT_FALSE(subject->us_core);
  EXPECT_EQ(subject->url, "http://hl7.org/fhir/SearchParameter/Observation-subject");

  const auto* value = reg->find("Observation", "value-quantity");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->type, ParamType::quantity);
}

TEST(SearchRegistry, CompositeComponentsNameTheirParameters) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);
  const auto* p = reg->find("Observation", "code-value-quantity");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type, ParamType::composite);
  ASSERT_EQ(p->components.size(), 2u);
  EXPECT_EQ(p->components[0].code, "code");
  EXPECT_EQ(p->components[0].expression, "code");
  EXPECT_EQ(p->components[1].code, "value-quantity");
  EXPECT_THAT(p->components[1].expression, HasSubstr("Quantity"));
}

TEST(SearchRegistry, UsCoreOverridesAndAdditions) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);

  for (const char* code : {"race", "ethnicity"}) {
    const auto* p = reg->find("Patient", code);
    ASSERT_NE(p, nullptr) << code;
    EXPECT_TRUE(p->us_core) << code;
    EXPECT_EQ(p->type, ParamType::token) << code;
    EXPECT_THAT(p->expression, HasSubstr(std::string("us-core-") + code)) << code;
    EXPECT_THAT(p->url, StartsWith("http://hl7.org/fhir/us/core/SearchParameter/")) << code;
  }
  for (const char* code : {"family", "given"}) {
    const auto* p = reg->find("Patient", code);
    ASSERT_NE(p, nullptr) << code;
    EXPECT_TRUE(p->us_core) << code;
    EXPECT_EQ(p->type, ParamType::string) << code;
    EXPECT_EQ(p->expression, std::string("Patient.name.") + code) << code;
  }
  EXPECT_EQ(reg->find("Observation", "patient")->url,
            "http://hl7.org/fhir/us/core/SearchParameter/us-core-observation-patient");
  // Practitioner's `family` is R4's (individual-family split to its own term), not US Core's.
  const auto* pf = reg->find("Practitioner", "family");
  ASSERT_NE(pf, nullptr);
  EXPECT_FALSE(pf->us_core);
  EXPECT_EQ(pf->expression, "Practitioner.name.family");
}

TEST(SearchRegistry, MultiBaseExpressionsAreSplitPerBase) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);
  const auto* code = reg->find("Condition", "code");
  ASSERT_NE(code, nullptr);
  EXPECT_THAT(code->expression, StartsWith("Condition.code"));
  EXPECT_THAT(code->expression, Not(HasSubstr("AllergyIntolerance")));

  // A parenthesised term stays whole and is kept for its own base only.
  const auto* dr = reg->find("DeviceRequest", "code");
  ASSERT_NE(dr, nullptr);
  EXPECT_EQ(dr->expression, "(DeviceRequest.code as CodeableConcept)");

  // Several terms of the same base are all kept.
  const auto* allergy = reg->find("AllergyIntolerance", "code");
  ASSERT_NE(allergy, nullptr);
  EXPECT_EQ(allergy->expression, "AllergyIntolerance.code | AllergyIntolerance.reaction.substance");

  // "Medication." must not match "MedicationRequest." terms.
  const auto* med = reg->find("Medication", "code");
  ASSERT_NE(med, nullptr);
  EXPECT_EQ(med->expression, "Medication.code");

  // No entry of the embedded registry names another base in its expression's union terms.
  std::size_t checked = 0;
  for (const char* type : {"Condition", "Encounter", "Patient", "Practitioner", "CodeSystem", "ValueSet"}) {
    for (const auto* p : reg->for_type(type)) {
      if (p->resource_type != type) continue;
      const bool own = p->expression.rfind(type, 0) == 0 ||
                       p->expression.rfind(std::string("(") + type + ".", 0) == 0;
      EXPECT_TRUE(own) << type << " " << p->code << ": " << p->expression;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50u);
}

TEST(SearchRegistry, ResourceLevelParametersApplyToEveryType) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);

  const auto* last_updated = reg->find("Patient", "_lastUpdated");
  ASSERT_NE(last_updated, nullptr);
  EXPECT_EQ(last_updated->resource_type, "Resource");
  EXPECT_EQ(last_updated->type, ParamType::date);
  EXPECT_EQ(last_updated->expression, "Resource.meta.lastUpdated");

  // US Core defines Patient._id of its own; Observation falls back to Resource._id.
  const auto* patient_id = reg->find("Patient", "_id");
  ASSERT_NE(patient_id, nullptr);
  EXPECT_EQ(patient_id->type, ParamType::token);
  EXPECT_EQ(patient_id->resource_type, "Patient");
  EXPECT_TRUE(patient_id->us_core);
  const auto* obs_id = reg->find("Observation", "_id");
  ASSERT_NE(obs_id, nullptr);
  EXPECT_EQ(obs_id->resource_type, "Resource");
  EXPECT_EQ(obs_id->expression, "Resource.id");

  for (const char* code : {"_id", "_lastUpdated", "_tag", "_profile", "_security", "_source"}) {
    const auto* p = reg->find("Resource", code);
    ASSERT_NE(p, nullptr) << code;
    EXPECT_FALSE(p->expression.empty()) << code;
  }
  // Definitions without an expression are not in the registry.
  EXPECT_EQ(reg->find("Patient", "_text"), nullptr);
  EXPECT_EQ(reg->find("Patient", "_content"), nullptr);
  EXPECT_EQ(reg->find("Patient", "_query"), nullptr);
}

TEST(SearchRegistry, ForTypeListsSpecificThenResourceLevelWithoutDuplicates) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);
  auto params = reg->for_type("Patient");
  ASSERT_FALSE(params.empty());

  std::vector<std::string> specific, common;
  for (const auto* p : params) (p->resource_type == "Patient" ? specific : common).push_back(p->code);
  // Grouping: every type-specific entry before every Resource-level one.
  auto first_common = std::find_if(params.begin(), params.end(),
                                   [](const SearchParam* p) { return p->resource_type == "Resource"; });
  EXPECT_TRUE(std::all_of(first_common, params.end(),
                          [](const SearchParam* p) { return p->resource_type == "Resource"; }));
  EXPECT_TRUE(std::is_sorted(specific.begin(), specific.end()));
  EXPECT_TRUE(std::is_sorted(common.begin(), common.end()));

  auto codes = codes_of(params);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), codes.size());
  EXPECT_THAT(specific, Contains("_id"));  // US Core's Patient._id hides Resource._id
  EXPECT_THAT(common, Not(Contains("_id")));
  EXPECT_THAT(common, ElementsAre("_lastUpdated", "_profile", "_security", "_source", "_tag"));
  EXPECT_THAT(specific, Contains("birthdate"));

  // An unknown type still gets the Resource-level parameters; "Resource" itself gets just those.
  EXPECT_EQ(codes_of(reg->for_type("NoSuchType")),
            (std::vector<std::string>{"_id", "_lastUpdated", "_profile", "_security", "_source", "_tag"}));
  EXPECT_EQ(reg->for_type("Resource").size(), 6u);
}

TEST(SearchRegistry, UnknownParametersAreNull) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->find("Observation", "no-such-param"), nullptr);
  EXPECT_EQ(reg->find("NoSuchType", "code"), nullptr);
  EXPECT_EQ(reg->find("Observation", ""), nullptr);
  EXPECT_EQ(reg->find("", ""), nullptr);
  EXPECT_EQ(reg->find("Observatio", "code"), nullptr);
}

TEST(SearchRegistry, PatientCompartment) {
  auto reg = embedded();
  ASSERT_NE(reg, nullptr);
  EXPECT_THAT(reg->patient_compartment("Observation"), Contains("subject"));
  EXPECT_THAT(reg->patient_compartment("Observation"), Contains("performer"));
  EXPECT_THAT(reg->patient_compartment("Patient"), ElementsAre("{def}"));
  EXPECT_THAT(reg->patient_compartment("AllergyIntolerance"), Contains("patient"));
  EXPECT_THAT(reg->patient_compartment("Organization"), IsEmpty());  // not in the compartment
  EXPECT_THAT(reg->patient_compartment("NoSuchType"), IsEmpty());
  // Every compartment parameter of a real type is a known parameter of that type.
  for (const char* type : {"Observation", "Condition", "Encounter", "MedicationRequest", "Procedure"}) {
    for (const auto& code : reg->patient_compartment(type)) {
      EXPECT_NE(reg->find(type, code), nullptr) << type << "." << code;
    }
  }
}

TEST(SearchRegistry, LoadFromText) {
  auto r = Registry::load(
      R"([{"base":"Resource","code":"_id","type":"token","expression":"Resource.id"},
          {"base":"Thing","code":"_id","type":"token","expression":"Thing.id","us_core":true},
          {"base":"Thing","code":"when","type":"date","expression":"Thing.when","comparator":["eq","gt"]},
          {"base":"Thing","code":"who","type":"reference","expression":"Thing.who","target":["Patient"]},
          {"base":"Thing","code":"combo","type":"composite","expression":"Thing",
           "component":[{"code":"when","expression":"when"},{"code":"who","expression":"who"}]}])",
      R"({"Thing":["who"],"Patient":["{def}"]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& reg = **r;
  EXPECT_EQ(reg.size(), 5u);
  EXPECT_EQ(codes_of(reg.for_type("Thing")), (std::vector<std::string>{"_id", "combo", "when", "who"}));
  EXPECT_TRUE(reg.find("Thing", "_id")->us_core);
  EXPECT_EQ(reg.find("Other", "_id")->expression, "Resource.id");
  EXPECT_THAT(reg.find("Thing", "when")->comparators, ElementsAre("eq", "gt"));
  EXPECT_THAT(reg.find("Thing", "who")->targets, ElementsAre("Patient"));
  EXPECT_TRUE(reg.find("Thing", "who")->modifiers.empty());
  ASSERT_EQ(reg.find("Thing", "combo")->components.size(), 2u);
  EXPECT_EQ(reg.find("Thing", "combo")->components[1].code, "who");
  EXPECT_THAT(reg.patient_compartment("Thing"), ElementsAre("who"));

  auto empty = Registry::load("[]", "{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->size(), 0u);
  EXPECT_EQ((*empty)->find("Patient", "_id"), nullptr);
  EXPECT_TRUE((*empty)->for_type("Patient").empty());
}

TEST(SearchRegistry, AParameterWhoseTermsAreOthersIsStoredAsThem) {
  auto r = Registry::load(
      R"([{"base":"Thing","code":"a","type":"token","expression":"Thing.x"},
          {"base":"Thing","code":"b","type":"token","expression":"(Thing.y as Coding) | Thing.w"},
          {"base":"Thing","code":"ab","type":"token","expression":"Thing.x | ((Thing.y as Coding)) | Thing.w"},
          {"base":"Thing","code":"az","type":"token","expression":"Thing.x | Thing.z"},
          {"base":"Thing","code":"as","type":"string","expression":"Thing.x | Thing.w"},
          {"base":"Thing","code":"r1","type":"reference","expression":"Thing.x"},
          {"base":"Thing","code":"r2","type":"reference","expression":"Thing.x | Thing.y"},
          {"base":"Other","code":"ab","type":"token","expression":"Thing.x | Thing.w"}])",
      "{}");
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto codes = [](const SearchParam* p) {
    std::vector<std::string> out;
    for (const SearchParam* q : p->stored_as) out.push_back(q->code);
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto& reg = **r;
  EXPECT_THAT(codes(reg.find("Thing", "ab")), ElementsAre("a", "b")) << "outer parentheses do not count";
  EXPECT_THAT(codes(reg.find("Thing", "az")), IsEmpty()) << "Thing.z is no other parameter's";
  EXPECT_THAT(codes(reg.find("Thing", "as")), IsEmpty()) << "another type";
  EXPECT_THAT(codes(reg.find("Thing", "r2")), IsEmpty()) << "references keep their own rows";
  EXPECT_THAT(codes(reg.find("Other", "ab")), IsEmpty()) << "another base";
  EXPECT_THAT(codes(reg.find("Thing", "a")), IsEmpty());

  auto official = Registry::load_embedded();
  ASSERT_TRUE(official.ok());
  EXPECT_THAT(codes((*official)->find("Observation", "combo-code")), ElementsAre("code", "component-code"));
  EXPECT_THAT(codes((*official)->find("Observation", "combo-value-quantity")),
              ElementsAre("component-value-quantity", "value-quantity"));
  EXPECT_THAT(codes((*official)->find("Observation", "code")), IsEmpty());
}

TEST(SearchRegistry, MalformedInputIsAnErrorNotACrash) {
  const std::string ok_params = R"([{"base":"Thing","code":"x","type":"token"}])";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "{}"},
      {"[", "{}"},
      {"{\"not\":\"an array\"}", "{}"},
      {"[1]", "{}"},
      {"[{\"code\":\"x\",\"type\":\"token\"}]", "{}"},                      // no base
      {"[{\"base\":\"Thing\",\"type\":\"token\"}]", "{}"},                  // no code
      {"[{\"base\":\"Thing\",\"code\":\"x\"}]", "{}"},                      // no type
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"tokn\"}]", "{}"},    // unknown type
      {"[{\"base\":7,\"code\":\"x\",\"type\":\"token\"}]", "{}"},
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"token\",\"expression\":[1]}]", "{}"},
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"token\",\"target\":\"Patient\"}]", "{}"},
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"token\",\"comparator\":[1]}]", "{}"},
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"composite\",\"component\":[{\"expression\":\"a\"}]}]", "{}"},
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"token\",\"us_core\":\"yes\"}]", "{}"},
      {"[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"token\"},{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"date\"}]",
       "{}"},  // duplicate
      {ok_params, ""},
      {ok_params, "[]"},
      {ok_params, "{\"Thing\":\"x\"}"},
      {ok_params, "{\"Thing\":[1]}"},
      {ok_params, "{\"Thing\":[\"x\"]"},
  };
  for (const auto& [params, compartment] : cases) {
    auto r = Registry::load(params, compartment);
    ASSERT_FALSE(r.ok()) << params << " / " << compartment;
    EXPECT_EQ(r.error().code, base::ErrorCode::internal);
    EXPECT_THAT(r.error().message, HasSubstr("search registry")) << r.error().message;
  }
  auto r = Registry::load("[{\"base\":\"Thing\",\"code\":\"x\",\"type\":\"tokn\"}]", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("search-parameters.json"));
  EXPECT_THAT(r.error().message, HasSubstr("Thing x"));
  r = Registry::load(ok_params, "{");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("patient-compartment.json"));
}

TEST(SearchRegistry, SoleTargetFromTheExpressionOrTheOnlyTarget) {
  auto r = embedded();
  ASSERT_TRUE(r);
  // .where(resolve() is Patient) keeps Patient references only, though Group is a declared target.
  EXPECT_EQ(r->find("Observation", "patient")->sole_target, "Patient");
  EXPECT_EQ(r->find("Encounter", "practitioner")->sole_target, "Practitioner");
  EXPECT_EQ(r->find("Observation", "subject")->sole_target, "") << "several targets, no filter";
  EXPECT_EQ(r->find("Observation", "code")->sole_target, "") << "not a reference";

  const auto one = [](std::string expression, std::vector<std::string> targets) {
    search::SearchParam p;
    p.type = ParamType::reference;
    p.expression = std::move(expression);
    p.targets = std::move(targets);
    const auto json = nlohmann::json::array({{{"base", "Observation"},
                                              {"code", "x"},
                                              {"type", "reference"},
                                              {"expression", p.expression},
                                              {"target", p.targets},
                                              {"url", "http://x"}}});
    auto reg = Registry::load(json.dump(), "{}");
    EXPECT_TRUE(reg.ok()) << (reg.ok() ? "" : reg.error().message);
    return reg.ok() ? (*reg)->find("Observation", "x")->sole_target : std::string("?");
  };
  EXPECT_EQ(one("Observation.subject.where(resolve() is Patient) | Observation.focus.where(resolve() is Patient)",
                {"Patient", "Group"}),
            "Patient");
  EXPECT_EQ(one("Observation.subject.where(resolve() is Patient) | Observation.focus.where(resolve() is Group)",
                {"Patient", "Group"}),
            "");
  EXPECT_EQ(one("Observation.subject.where(resolve() is Patient) | Observation.focus", {"Patient", "Group"}), "");
  EXPECT_EQ(one("Observation.performer", {"Practitioner"}), "Practitioner");
  EXPECT_EQ(one("Observation.subject.where(resolve() is NotAType)", {"Patient", "Group"}), "");
}

}  // namespace
