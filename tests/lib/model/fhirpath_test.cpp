#include "model/fhirpath.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fp = model::fhirpath;

base::Json parse(const std::string& text) {
  auto r = base::parse_json(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : base::Json();
}

std::shared_ptr<const fp::Expression> compiled(const std::string& text) {
  auto r = fp::compile(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : nullptr;
}

// Each selected node as compact JSON, followed by "@type" when the node has a type.
std::vector<std::string> eval(const std::string& expression, const base::Json& resource) {
  std::vector<std::string> out;
  auto expr = compiled(expression);
  if (!expr) return out;
  for (const auto& node : fp::evaluate(*expr, resource)) {
    EXPECT_NE(node.value, nullptr);
    if (!node.value) continue;
    out.push_back(base::dump_compact(*node.value) + (node.type.empty() ? "" : "@" + node.type));
  }
  return out;
}

using Strings = std::vector<std::string>;

std::string compile_error(const std::string& text) {
  auto r = fp::compile(text);
  if (r.ok()) {
    ADD_FAILURE() << "compiled but should not: " << text;
    return {};
  }
  EXPECT_EQ(r.error().code, base::ErrorCode::invalid) << text;
  return r.error().message;
}

const char* kObservation = R"({
  "resourceType": "Observation", "id": "o1", "status": "final",
  "statusReason": {"text": "not a choice"},
  "category": [{"coding": [{"system": "http://x", "code": "vital-signs"}]}, {"text": "second"}],
  "code": {"coding": [{"system": "http://loinc.org", "code": "8302-2"}], "text": "Height"},
  "subject": {"reference": "Patient/p1"},
  "effectiveDateTime": "2020-01-02",
  "valueQuantity": {"value": 180, "unit": "cm"},
  "component": [
    {"code": {"text": "a"}, "valueQuantity": {"value": 1}},
    {"code": {"text": "b"}, "valueString": "two"},
    {"code": {"text": "c"}, "valueCodeableConcept": {"text": "three"}}
  ]
})";

TEST(FhirPath, PathsSelectMembersAndFlattenArrays) {
  const base::Json obs = parse(kObservation);
  EXPECT_EQ(eval("Observation.status", obs), Strings{"\"final\""});
  EXPECT_EQ(eval("Observation.code.text", obs), Strings{"\"Height\""});
  EXPECT_EQ(eval("Observation.category.coding.code", obs), Strings{"\"vital-signs\""});
  EXPECT_EQ(eval("Observation.category.text", obs), Strings{"\"second\""});
  EXPECT_EQ(eval("Observation.component.code.text", obs), (Strings{"\"a\"", "\"b\"", "\"c\""}));
  EXPECT_EQ(eval("Observation.missing", obs), Strings{});
  EXPECT_EQ(eval("Observation.status.missing", obs), Strings{});
  EXPECT_EQ(eval("Patient.status", obs), Strings{});  // resource type must match
  EXPECT_EQ(eval("Resource.id", obs), Strings{"\"o1\""});
  EXPECT_EQ(eval("DomainResource.id", obs), Strings{"\"o1\""});
  EXPECT_EQ(eval("status", obs), Strings{"\"final\""});  // no type: a member of the resource
  EXPECT_EQ(eval("Observation.`status`", obs), Strings{"\"final\""});
  EXPECT_EQ(eval("$this.id", obs), Strings{"\"o1\""});

  // Nodes point into the resource.
  auto expr = compiled("Observation.subject");
  auto nodes = fp::evaluate(*expr, obs);
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].value, &obs["subject"]);
  EXPECT_EQ(nodes[0].type, "");
}

TEST(FhirPath, ChoiceElementsCarryTheirType) {
  const base::Json obs = parse(kObservation);
  EXPECT_EQ(eval("Observation.value", obs), Strings{"{\"value\":180,\"unit\":\"cm\"}@Quantity"});
  EXPECT_EQ(eval("Observation.effective", obs), Strings{"\"2020-01-02\"@dateTime"});
  EXPECT_EQ(eval("Observation.component.value", obs),
            (Strings{"{\"value\":1}@Quantity", "\"two\"@string", "{\"text\":\"three\"}@CodeableConcept"}));
  // `status` exists, and statusReason is not a choice variant of anything.
  EXPECT_EQ(eval("Observation.status", obs), Strings{"\"final\""});
  base::Json no_status = obs;
  no_status.erase("status");
  EXPECT_EQ(eval("Observation.status", no_status), Strings{});
  // The exact member wins over look-alikes.
  EXPECT_EQ(eval("Observation.code", parse(R"({"resourceType":"Observation","codeString":"x","code":{"text":"t"}})")),
            Strings{"{\"text\":\"t\"}"});
  // Primitive suffixes get their lower-case type names.
  const base::Json ext = parse(R"({"resourceType":"Basic","extension":[
      {"url":"a","valueBoolean":true},{"url":"b","valueBase64Binary":"AA=="},{"url":"c","valueUnsignedInt":3},
      {"url":"d","valueCode":"x"},{"url":"e","valueInstant":"2020-01-01T00:00:00Z"}]})");
  EXPECT_EQ(eval("Basic.extension.value", ext),
            (Strings{"true@boolean", "\"AA==\"@base64Binary", "3@unsignedInt", "\"x\"@code",
                     "\"2020-01-01T00:00:00Z\"@instant"}));
}

TEST(FhirPath, AsOfTypeAndIsFilterByType) {
  const base::Json obs = parse(kObservation);
  EXPECT_EQ(eval("Observation.value as Quantity", obs), Strings{"{\"value\":180,\"unit\":\"cm\"}@Quantity"});
  EXPECT_EQ(eval("(Observation.value as Quantity)", obs), Strings{"{\"value\":180,\"unit\":\"cm\"}@Quantity"});
  EXPECT_EQ(eval("Observation.value.as(Quantity)", obs), Strings{"{\"value\":180,\"unit\":\"cm\"}@Quantity"});
  EXPECT_EQ(eval("Observation.value.ofType(FHIR.Quantity)", obs), Strings{"{\"value\":180,\"unit\":\"cm\"}@Quantity"});
  EXPECT_EQ(eval("Observation.value as SampledData", obs), Strings{});
  EXPECT_EQ(eval("Observation.value as string", obs), Strings{});
  EXPECT_EQ(eval("(Observation.component.value as Quantity) | (Observation.component.value as SampledData)", obs),
            Strings{"{\"value\":1}@Quantity"});
  EXPECT_EQ(eval("(Observation.value as string) | (Observation.component.value as CodeableConcept).text", obs),
            Strings{"\"three\""});
  EXPECT_EQ(eval("Observation.effective.ofType(dateTime)", obs), Strings{"\"2020-01-02\"@dateTime"});
  EXPECT_EQ(eval("Observation.effective as Period", obs), Strings{});
  EXPECT_EQ(eval("Observation.value is Quantity", obs), Strings{"true"});
  EXPECT_EQ(eval("Observation.value.is(Period)", obs), Strings{"false"});
  EXPECT_EQ(eval("Observation.missing is Period", obs), Strings{});

  // Specialisations: Age is a Quantity, code is a string; the more specific type is kept.
  const base::Json cond = parse(R"({"resourceType":"Condition","onsetAge":{"value":40},
      "abatementString":"later","extension":[{"url":"u","valueCode":"c"}]})");
  EXPECT_EQ(eval("Condition.onset.as(Age) | Condition.onset.as(Range)", cond), Strings{"{\"value\":40}@Age"});
  EXPECT_EQ(eval("Condition.onset as Quantity", cond), Strings{"{\"value\":40}@Age"});
  EXPECT_EQ(eval("Condition.onset.as(dateTime) | Condition.onset.as(Period)", cond), Strings{});
  EXPECT_EQ(eval("Condition.abatement.as(string)", cond), Strings{"\"later\"@string"});
  EXPECT_EQ(eval("Condition.extension.value as string", cond), Strings{"\"c\"@code"});

  // Without a choice suffix the type is inferred leniently from the JSON, and as() records it.
  const base::Json goal = parse(R"({"resourceType":"Goal","start":"2020-01-01","count":3,"flag":true,
      "target":[{"dueDate":"2021-01-01"},{"dueDuration":{"value":3}}],"code":{"text":"x"}})");
  EXPECT_EQ(eval("(Goal.target.due as date)", goal), Strings{"\"2021-01-01\"@date"});
  EXPECT_EQ(eval("Goal.start as date", goal), Strings{"\"2020-01-01\"@date"});
  EXPECT_EQ(eval("Goal.start as uri", goal), Strings{"\"2020-01-01\"@uri"});
  EXPECT_EQ(eval("Goal.start as Quantity", goal), Strings{});
  EXPECT_EQ(eval("Goal.start as boolean", goal), Strings{});
  EXPECT_EQ(eval("Goal.count as integer", goal), Strings{"3@integer"});
  EXPECT_EQ(eval("Goal.flag as boolean", goal), Strings{"true@boolean"});
  EXPECT_EQ(eval("Goal.code as CodeableConcept", goal), Strings{"{\"text\":\"x\"}@CodeableConcept"});
  EXPECT_EQ(eval("Goal.code as string", goal), Strings{});

  const base::Json bundle = parse(R"({"resourceType":"Bundle","entry":[
      {"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Observation","id":"b"}}]})");
  EXPECT_EQ(eval("Bundle.entry.resource.ofType(Patient).id", bundle), Strings{"\"a\""});
  EXPECT_EQ(eval("Bundle.entry.resource as Resource", bundle).size(), 2u);
  EXPECT_EQ(eval("Bundle.entry.resource.ofType(CodeableConcept)", bundle), Strings{});
}

TEST(FhirPath, ResolveIsChecksTheReferencedType) {
  const std::string expr = "Observation.subject.where(resolve() is Patient)";
  auto with_subject = [](const std::string& subject) {
    return parse(R"({"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"c1"},
        {"resourceType":"Group","id":"g1"}],"subject":)" + subject + "}");
  };
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"Patient/123"})")).size(), 1u);
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"Patient/123/_history/2"})")).size(), 1u);
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"https://example.org/fhir/Patient/123"})")).size(), 1u);
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"https://example.org/fhir/Patient/123/_history/7"})")).size(), 1u);
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"#c1"})")).size(), 1u);
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"#g1"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"#nope"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"Group/123"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"https://example.org/fhir/Group/123"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"Patient"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"NotAType/1"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"display":"Amy"})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":42})")), Strings{});
  EXPECT_EQ(eval(expr, with_subject(R"("Patient/1")")), (Strings{"\"Patient/1\""}));  // a bare string
  // Reference.type when the text names no type.
  EXPECT_EQ(eval(expr, with_subject(R"({"identifier":{"value":"1"},"type":"Patient"})")).size(), 1u);
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"urn:uuid:1","type":"http://hl7.org/fhir/StructureDefinition/Patient"})"))
                .size(),
            1u);
  // The node is the Reference itself.
  EXPECT_EQ(eval(expr, with_subject(R"({"reference":"Patient/123"})")), Strings{"{\"reference\":\"Patient/123\"}"});

  // Several references, filtered one by one.
  const base::Json appt = parse(R"({"resourceType":"Appointment","participant":[
      {"actor":{"reference":"Practitioner/1"}},{"actor":{"reference":"Patient/2"}},
      {"actor":{"reference":"Location/3"}},{"actor":{"reference":"Patient/4"}}]})");
  EXPECT_EQ(eval("Appointment.participant.actor.where(resolve() is Patient).reference", appt),
            (Strings{"\"Patient/2\"", "\"Patient/4\""}));
  EXPECT_EQ(eval("Appointment.participant.actor.where(resolve() is Location).reference", appt),
            Strings{"\"Location/3\""});
  EXPECT_EQ(eval("Appointment.participant.actor.where(resolve() is Resource)", appt).size(), 4u);

  // resolve() outside `is` selects nothing (nothing to load), except contained resources.
  EXPECT_EQ(eval("Observation.subject.resolve()", with_subject(R"({"reference":"Patient/1"})")), Strings{});
  EXPECT_EQ(eval("Observation.subject.resolve().id", with_subject(R"({"reference":"#c1"})")), Strings{"\"c1\""});
  EXPECT_EQ(eval("Observation.subject.resolve() as Patient", with_subject(R"({"reference":"Patient/1"})")), Strings{});
}

TEST(FhirPath, ExtensionByUrl) {
  const base::Json patient = parse(R"({"resourceType":"Patient","extension":[
      {"url":"http://x/race","extension":[{"url":"ombCategory","valueCoding":{"code":"2106-3"}},
                                           {"url":"ombCategory","valueCoding":{"code":"1002-5"}},
                                           {"url":"text","valueString":"Mixed"}]},
      {"url":"http://x/birthsex","valueCode":"F"}]})");
  EXPECT_EQ(eval("Patient.extension('http://x/birthsex').value", patient), Strings{"\"F\"@code"});
  EXPECT_EQ(eval("Patient.extension.where(url = 'http://x/birthsex').value", patient), Strings{"\"F\"@code"});
  EXPECT_EQ(eval("Patient.extension('http://x/race').extension('ombCategory').value.code", patient),
            (Strings{"\"2106-3\"", "\"1002-5\""}));
  EXPECT_EQ(eval("Patient.extension.where(url = 'http://x/race').extension.value.code", patient),
            (Strings{"\"2106-3\"", "\"1002-5\""}));
  EXPECT_EQ(eval("Patient.extension('http://x/other')", patient), Strings{});
  EXPECT_EQ(eval("extension('http://x/birthsex').value", patient), Strings{"\"F\"@code"});
}

TEST(FhirPath, WhereWithLogic) {
  const base::Json patient = parse(R"({"resourceType":"Patient","telecom":[
      {"system":"phone","value":"1","use":"home"},{"system":"email","value":"a@b"},
      {"system":"phone","value":"2","use":"work"},{"system":"phone","value":"3"}],
      "active":true,"deceasedBoolean":false})");
  EXPECT_EQ(eval("Patient.telecom.where(system='phone').value", patient), (Strings{"\"1\"", "\"2\"", "\"3\""}));
  EXPECT_EQ(eval("Patient.telecom.where(system = 'phone' and use = 'work').value", patient), Strings{"\"2\""});
  EXPECT_EQ(eval("Patient.telecom.where(system = 'email' or use = 'work').value", patient),
            (Strings{"\"a@b\"", "\"2\""}));
  EXPECT_EQ(eval("Patient.telecom.where(system != 'phone').value", patient), Strings{"\"a@b\""});
  EXPECT_EQ(eval("Patient.telecom.where(use.exists()).value", patient), (Strings{"\"1\"", "\"2\""}));
  EXPECT_EQ(eval("Patient.telecom.where(use.empty()).value", patient), (Strings{"\"a@b\"", "\"3\""}));
  EXPECT_EQ(eval("Patient.telecom.where((use = 'home').not()).value", patient), Strings{"\"2\""});
  EXPECT_EQ(eval("Patient.telecom.where(use = 'home' xor system = 'phone').value", patient),
            Strings{"\"2\""});  // use empty -> xor empty for 3 and a@b
  EXPECT_EQ(eval("Patient.telecom.where(value.hasValue() and $this.system = 'email').value", patient),
            Strings{"\"a@b\""});
  EXPECT_EQ(eval("Patient.telecom.where(use)", patient).size(), 2u);  // a single non-boolean is true
  EXPECT_EQ(eval("Patient.telecom.exists(system = 'email')", patient), Strings{"true"});
  EXPECT_EQ(eval("Patient.telecom.exists(system = 'fax')", patient), Strings{"false"});
  EXPECT_EQ(eval("Patient.telecom.empty()", patient), Strings{"false"});
  EXPECT_EQ(eval("Patient.photo.empty()", patient), Strings{"true"});
  EXPECT_EQ(eval("Patient.active = true", patient), Strings{"true"});
  EXPECT_EQ(eval("Patient.active.not()", patient), Strings{"false"});
  EXPECT_EQ(eval("Patient.missing.not()", patient), Strings{});
  EXPECT_EQ(eval("Patient.active.hasValue()", patient), Strings{"true"});
  EXPECT_EQ(eval("Patient.telecom.hasValue()", patient), Strings{"false"});
  EXPECT_EQ(eval("Patient.telecom.value = '1'", patient), Strings{"false"});  // 4 items vs 1
  EXPECT_EQ(eval("Patient.missing = '1'", patient), Strings{});               // empty propagates
  EXPECT_EQ(eval("Patient.missing and false", patient), Strings{"false"});
  EXPECT_EQ(eval("Patient.missing and true", patient), Strings{});
  EXPECT_EQ(eval("Patient.missing or true", patient), Strings{"true"});
  EXPECT_EQ(eval("Patient.missing or false", patient), Strings{});
  EXPECT_EQ(eval("{}", patient), Strings{});
  EXPECT_EQ(eval("1 = 1.0", patient), Strings{"true"});
  EXPECT_EQ(eval("'a' = 'a' and 2 != 3", patient), Strings{"true"});
  EXPECT_EQ(eval("'it\\'s\\n\\u00e9'", patient), Strings{"\"it's\\n\u00e9\""});  // escapes decoded
  EXPECT_EQ(eval("Patient.telecom.where(value = 'a@b').system", patient), Strings{"\"email\""});
}

TEST(FhirPath, DeceasedSearchParameter) {
  const std::string expr = "Patient.deceased.exists() and Patient.deceased != false";
  EXPECT_EQ(eval(expr, parse(R"({"resourceType":"Patient","deceasedBoolean":true})")), Strings{"true"});
  EXPECT_EQ(eval(expr, parse(R"({"resourceType":"Patient","deceasedBoolean":false})")), Strings{"false"});
  EXPECT_EQ(eval(expr, parse(R"({"resourceType":"Patient","deceasedDateTime":"2020-01-01"})")), Strings{"true"});
  EXPECT_EQ(eval(expr, parse(R"({"resourceType":"Patient"})")), Strings{"false"});
  EXPECT_EQ(eval(expr, parse(R"({"resourceType":"Person"})")), Strings{"false"});
}

TEST(FhirPath, UnionKeepsOrderAndDropsDuplicates) {
  const base::Json patient = parse(R"({"resourceType":"Patient","name":[{"family":"A"},{"family":"B"}],
      "telecom":[{"system":"phone","value":"1"}]})");
  EXPECT_EQ(eval("Patient.name | Patient.name", patient), (Strings{"{\"family\":\"A\"}", "{\"family\":\"B\"}"}));
  EXPECT_EQ(eval("Patient.name[1] | Patient.name", patient), (Strings{"{\"family\":\"B\"}", "{\"family\":\"A\"}"}));
  EXPECT_EQ(eval("Patient.name.family | Patient.telecom.value | Person.name", patient),
            (Strings{"\"A\"", "\"B\"", "\"1\""}));
  EXPECT_EQ(eval("(Patient.name | Patient.name).family", patient), (Strings{"\"A\"", "\"B\""}));
  // Equal values at different places are different nodes.
  const base::Json twice = parse(R"({"resourceType":"Patient","name":[{"family":"A"},{"family":"A"}]})");
  EXPECT_EQ(eval("Patient.name.family | Patient.name.family", twice), (Strings{"\"A\"", "\"A\""}));
  // Large unions too.
  base::Json many = parse(R"({"resourceType":"Patient"})");
  for (int i = 0; i < 200; ++i) many["identifier"].push_back({{"value", std::to_string(i)}});
  EXPECT_EQ(eval("Patient.identifier | Patient.identifier | Patient.identifier[5]", many).size(), 200u);
}

TEST(FhirPath, IndexersFirstAndLast) {
  const base::Json bundle = parse(R"({"resourceType":"Bundle","entry":[
      {"resource":{"resourceType":"Composition","id":"c"}},{"resource":{"resourceType":"Patient","id":"p"}}]})");
  EXPECT_EQ(eval("Bundle.entry[0].resource.id", bundle), Strings{"\"c\""});
  EXPECT_EQ(eval("Bundle.entry[1].resource.id", bundle), Strings{"\"p\""});
  EXPECT_EQ(eval("Bundle.entry[2].resource.id", bundle), Strings{});
  EXPECT_EQ(eval("Bundle.entry.resource.id[1]", bundle), Strings{"\"p\""});  // index over the flattened list
  EXPECT_EQ(eval("Bundle.entry.first().resource.id", bundle), Strings{"\"c\""});
  EXPECT_EQ(eval("Bundle.entry.last().resource.id", bundle), Strings{"\"p\""});
  EXPECT_EQ(eval("Bundle.missing.first()", bundle), Strings{});
  EXPECT_EQ(eval("Bundle.missing.last()", bundle), Strings{});
  EXPECT_EQ(eval("Bundle.id[0]", parse(R"({"resourceType":"Bundle","id":"b"})")), Strings{"\"b\""});
  EXPECT_EQ(eval("(Bundle.entry.resource.id | Bundle.entry.resource.id)[1]", bundle), Strings{"\"p\""});
}

TEST(FhirPath, MalformedExpressionsAreInvalidWithUsefulMessages) {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "empty expression"},
      {"   ", "empty expression"},
      {"Patient.", "expected a name after '.' but the expression ended"},
      {"Patient..name", "expected a name after '.', found '.' at column 9"},
      {"Patient.name.substring(1)", "function 'substring()' is not supported"},
      {"Patient.name.where(", "expected an expression but the expression ended"},
      {"Patient.name.where()", "where() needs a criteria expression"},
      {"Patient.name.where(use = 'x'", "expected ')' to close where( but the expression ended"},
      {"Patient.name.first(1)", "first() takes no arguments"},
      {"(Patient.name", "expected ')' but the expression ended"},
      {"Patient.name)", "expected an operator or the end of the expression, found ')' at column 13"},
      {"Patient.name Patient.id", "found 'Patient' at column 14"},
      {"Patient.name[", "expected an expression but the expression ended"},
      {"Patient.name[0", "expected ']'"},
      {"Patient.name[use]", "only a non-negative integer literal is supported as an index"},
      {"Patient.name[1.5]", "only a non-negative integer literal"},
      {"Patient.name[-1]", "unary '-' is not supported"},
      {"Patient.birthDate < '2000'", "operator '<' is not supported at column 19"},
      {"Patient.name.given + 'x'", "operator '+' is not supported"},
      {"Patient.name.given & 'x'", "operator '&' is not supported"},
      {"Patient.gender ~ 'male'", "operator '~' is not supported"},
      {"Patient.gender in 'male'", "operator 'in' is not supported"},
      {"Patient.active implies true", "operator 'implies' is not supported"},
      {"Patient.name.given.where(1 div 2)", "operator 'div' is not supported"},
      {"Patient.name = 'abc", "unterminated string at column 16"},
      {"'a\\qb'", "unknown escape '\\q'"},
      {"'\\u12'", "\\u must be followed by four hex digits"},
      {"%resource.id", "environment variables (%name) are not supported"},
      {"Patient.birthDate = @2000", "date/time literals (@...) are not supported"},
      {"Patient.name.where($index = 0)", "variable '$index' is not supported"},
      {"Observation.value as strng", "unknown type 'strng'"},
      {"Observation.value as System.String", "System types (System.String) are not supported"},
      {"Observation.value.as()", "expected a type name, found ')'"},
      {"Observation.value as", "expected a type name but the expression ended"},
      {"Patient.extension(url)", "extension() takes the extension url as a string literal"},
      {"Patient.name and", "expected an expression but the expression ended"},
      {"and", "expected an expression, found keyword 'and'"},
      {"Patient.name # x", "unexpected character '#' at column 14"},
      {"Patient /* open", "unterminated comment"},
      {"`unterminated", "unterminated `identifier`"},
      {"{1}", "only the empty collection {} is supported"},
      {"99999999999999999999 = 1", "out of range"},
      {"'it\\'s' = 'it''s'", "found ''s'' at column 15"},
  };
  for (const auto& c : cases) {
    const std::string message = compile_error(c.text);
    EXPECT_NE(message.find(c.message), std::string::npos) << c.text << " -> " << message;
    EXPECT_NE(message.find("FHIRPath \""), std::string::npos) << message;  // names the expression
  }
  // Nesting and size are bounded, so compiling and evaluating stay within the stack.
  std::string deep(5000, '(');
  EXPECT_NE(compile_error(deep + "a" + std::string(5000, ')')).find("nested too deeply"), std::string::npos);
  std::string chain = "a";
  for (int i = 0; i < 1000; ++i) chain += " | a";
  EXPECT_NE(compile_error(chain).find("too complex"), std::string::npos);
  // Comments and whitespace are fine.
  EXPECT_TRUE(fp::compile("Patient.name // the names\n | Patient.id /* and id */").ok());
}

TEST(FhirPath, OddJsonNeverCrashes) {
  const std::vector<std::string> expressions = {
      "Observation.subject.where(resolve() is Patient)",
      "Observation.value as Quantity",
      "Observation.extension('u').value.code",
      "Observation.extension.where(url = 'u').extension.value.code",
      "Observation.component[0].code | Observation.code.coding.first()",
      "Observation.a = Observation.b",
      "Observation.a.exists() and Observation.b != false",
      "Resource.meta.profile | Observation.last().not().hasValue()",
      "Observation.deep.deep.deep.deep",
      "Observation.contained.resolve()",
      "'literal'",
  };
  std::vector<base::Json> docs = {
      base::Json(), base::Json(1), base::Json("Observation"), base::Json::array(), base::Json::object(),
      parse(R"([{"resourceType":"Observation"}])"),
      parse(R"({"resourceType":1})"),
      parse(R"({"resourceType":"Observation","subject":"Patient/1","extension":{"url":"u"},
          "component":{"code":1},"code":{"coding":[null,[1,[2]],{}]},"valueQuantity":null,
          "a":{"x":[1,{"y":null}]},"b":{"x":[1,{"y":null}]},"contained":"#x","meta":[]})"),
      parse(R"({"resourceType":"Observation","subject":[{"reference":null},{"reference":"#"},{"reference":"/"},
          {"reference":"//"},{"reference":"Patient/"},{"reference":"/Patient/1"}],
          "extension":[1,"u",null,{"url":null},{"url":"u","extension":[{"valueCode":{"code":[]}}]}],
          "a":[],"b":false,"contained":[1,null,{"id":5}]})"),
  };
  // Deep nesting, built without recursion (copying would recurse).
  auto nest = [](base::Json& at, int depth) {
    base::Json* cur = &at;
    for (int i = 0; i < depth; ++i) cur = &((*cur)["deep"] = base::Json::object());
  };
  docs.push_back(parse(R"({"resourceType":"Observation"})"));
  nest(docs.back(), 20000);
  docs.push_back(parse(R"({"resourceType":"Observation","a":{},"b":{}})"));
  nest(docs.back()["a"], 20000);
  nest(docs.back()["b"], 20000);

  for (const auto& text : expressions) {
    auto expr = compiled(text);
    ASSERT_TRUE(expr);
    for (const auto& doc : docs) {
      for (const auto& node : fp::evaluate(*expr, doc)) EXPECT_NE(node.value, nullptr) << text;
    }
  }
  EXPECT_EQ(fp::evaluate(*compiled("Observation.deep.deep.deep.deep"), docs[9]).size(), 1u);
  EXPECT_EQ(eval("Observation.a = Observation.b", docs[10]), Strings{"false"});  // too deep to compare: unequal
  EXPECT_EQ(eval("Observation.a = Observation.b", docs[7]), Strings{"true"});
}

TEST(FhirPath, EvaluateIsThreadSafe) {
  const base::Json obs = parse(kObservation);
  auto expr = compiled("Observation.subject.where(resolve() is Patient) | (Observation.value as Quantity)");
  ASSERT_TRUE(expr);
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) ok[t] += fp::evaluate(*expr, obs).size() == 2 ? 1 : 0;
    });
  }
  for (auto& th : threads) th.join();
  for (int n : ok) EXPECT_EQ(n, 2000);
}

}  // namespace
