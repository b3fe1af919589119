#include "model/resource_validator.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "lib/model/us_core_examples.hpp"

namespace {

base::Json parse(const std::string& text) {
  auto r = base::parse_json(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : base::Json();
}

std::vector<base::Issue> issues_of(const base::Json& resource) {
  auto status = model::validate_resource(resource);
  if (status.ok()) return {};
  EXPECT_EQ(status.error().code, base::ErrorCode::invalid);
  EXPECT_FALSE(status.error().message.empty());
  return status.error().issues;
}

std::vector<base::Issue> issues_of(const std::string& text) { return issues_of(parse(text)); }

// Expects exactly one issue, at `expression`, with `code`, whose diagnostics contain `diag`.
void expect_issue(const std::string& text, const std::string& expression, const std::string& code,
                  const std::string& diag) {
  auto issues = issues_of(text);
  ASSERT_EQ(issues.size(), 1u) << text;
  EXPECT_EQ(issues[0].severity, "error");
  EXPECT_EQ(issues[0].expression, expression);
  EXPECT_EQ(issues[0].code, code);
  EXPECT_NE(issues[0].diagnostics.find(diag), std::string::npos) << issues[0].diagnostics;
}

TEST(ResourceValidator, UsCoreExamplesAreValid) {
  for (const char* example : {us_core_examples::kPatient, us_core_examples::kBloodPressure,
                              us_core_examples::kEncounter, us_core_examples::kBundle}) {
    auto status = model::validate_resource(parse(example));
    EXPECT_TRUE(status.ok()) << (status.ok() ? "" : status.error().message);
  }
}

TEST(ResourceValidator, ExamplesWithOneBadValueNameTheElement) {
  base::Json patient = parse(us_core_examples::kPatient);
  patient["name"][1]["period"]["start"] = "2020-07-32";
  auto issues = issues_of(patient);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].expression, "Patient.name[1].period.start");
  EXPECT_EQ(issues[0].code, "value");
  EXPECT_EQ(issues[0].diagnostics,
            "\"2020-07-32\" is not a valid FHIR dateTime (expected YYYY, YYYY-MM, YYYY-MM-DD or "
            "YYYY-MM-DDThh:mm:ss(.sss)?(Z|+hh:mm|-hh:mm))");

  base::Json bp = parse(us_core_examples::kBloodPressure);
  bp["component"][1].erase("valueQuantity");
  bp["component"][1]["valueDateTime"] = "1999-07-02T10:00";
  issues = issues_of(bp);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].expression, "Observation.component[1].valueDateTime");

  base::Json encounter = parse(us_core_examples::kEncounter);
  encounter["period"]["end"] = "2015-11-01T18:00:14";  // no timezone
  issues = issues_of(encounter);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].expression, "Encounter.period.end");

  base::Json bundle = parse(us_core_examples::kBundle);
  bundle["entry"][1]["resource"]["recorded"] = "2019-07-09";  // instant needs a time
  issues = issues_of(bundle);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].expression, "Bundle.entry[1].resource.recorded");
  EXPECT_NE(issues[0].diagnostics.find("not a valid FHIR instant"), std::string::npos);
}

TEST(ResourceValidator, ResourceTypeProblems) {
  expect_issue(R"({"id":"x"})", "", "structure", "The resource has no \"resourceType\" element");
  expect_issue(R"({"resourceType":"Foo"})", "", "value", "\"Foo\" is not an R4 resource type");
  expect_issue(R"({"resourceType":"patient"})", "", "value", "\"patient\" is not an R4 resource type");
  expect_issue(R"({"resourceType":7})", "", "structure", "must be a string");
  expect_issue(R"([{"resourceType":"Patient"}])", "", "structure", "not a JSON object");
}

TEST(ResourceValidator, IdProblems) {
  EXPECT_TRUE(model::validate_resource(parse(R"({"resourceType":"Patient","id":"a-B.9"})")).ok());
  expect_issue(R"({"resourceType":"Patient","id":7})", "Patient.id", "structure",
               "must be a string, not a number");
  expect_issue(R"({"resourceType":"Patient","id":"a b"})", "Patient.id", "value",
               "\"a b\" is not a valid id");
  expect_issue(R"({"resourceType":"Patient","id":""})", "Patient.id", "value", "not a valid id");
  expect_issue(R"({"resourceType":"Patient","id":")" + std::string(65, 'a') + "\"}",
               "Patient.id", "value", "not a valid id");
}

TEST(ResourceValidator, DateElementsOfEachType) {
  expect_issue(R"({"resourceType":"Patient","birthDate":"1987-02-29"})", "Patient.birthDate",
               "value", "\"1987-02-29\" is not a valid FHIR date");
  expect_issue(R"({"resourceType":"Observation","effectiveInstant":"2024-01-01"})",
               "Observation.effectiveInstant", "value", "not a valid FHIR instant");
  expect_issue(R"({"resourceType":"Observation","effectivePeriod":{"start":"2024-01-01T10:00Z"}})",
               "Observation.effectivePeriod.start", "value", "not a valid FHIR dateTime");
  expect_issue(
      R"({"resourceType":"Location","hoursOfOperation":[{"openingTime":"08:00:00"},
          {"openingTime":"25:00:00"}]})",
      "Location.hoursOfOperation[1].openingTime", "value", "not a valid FHIR time");
  expect_issue(R"({"resourceType":"Patient","meta":{"lastUpdated":"2024-01-01"}})",
               "Patient.meta.lastUpdated", "value", "not a valid FHIR instant");
  EXPECT_TRUE(model::validate_resource(parse(R"({"resourceType":"Observation",
      "effectiveInstant":"2024-01-01T10:00:00.5+01:00","issued":"2024-01-01T10:00:00Z",
      "valueTime":"10:00:00","component":[{"valuePeriod":{"start":"2024","end":"2025-02"}}]})"))
                  .ok());
}

TEST(ResourceValidator, NonStringsWhereADateIsExpected) {
  expect_issue(R"({"resourceType":"Patient","birthDate":19870220})", "Patient.birthDate",
               "structure", "must be a string holding a FHIR date, not a number");
  expect_issue(R"({"resourceType":"Patient","birthDate":null})", "Patient.birthDate", "structure",
               "not null");
  expect_issue(R"({"resourceType":"Patient","birthDate":{"value":"1987"}})", "Patient.birthDate",
               "structure", "not an object");
  expect_issue(R"({"resourceType":"Patient","name":["Amy"]})", "Patient.name[0]", "structure",
               "must be an object (HumanName), not a string");
}

TEST(ResourceValidator, DatatypesAtAnyDepth) {
  expect_issue(R"({"resourceType":"Observation","subject":{"identifier":{"assigner":
      {"identifier":{"period":{"end":"2024-02-30"}}}}}})",
               "Observation.subject.identifier.assigner.identifier.period.end", "value", "2024-02-30");
  expect_issue(R"({"resourceType":"MedicationRequest","dosageInstruction":[{"timing":
      {"event":[null,"2024-01-01T10:00:00Z","2024-01-01T10:00"]}}]})",
               "MedicationRequest.dosageInstruction[0].timing.event[2]", "value", "dateTime");
  expect_issue(R"({"resourceType":"MedicationRequest","dosageInstruction":[{"timing":
      {"repeat":{"timeOfDay":["08:00:00","8:00"]}}}]})",
               "MedicationRequest.dosageInstruction[0].timing.repeat.timeOfDay[1]", "value", "time");
  expect_issue(R"({"resourceType":"Condition","note":[{"text":"x","time":"yesterday"}]})",
               "Condition.note[0].time", "value", "\"yesterday\"");
}

TEST(ResourceValidator, ExtensionsEverywhere) {
  expect_issue(R"({"resourceType":"Patient","extension":[{"url":"u","valueDateTime":"2024-13"}]})",
               "Patient.extension[0].valueDateTime", "value", "dateTime");
  expect_issue(R"({"resourceType":"Patient","extension":[{"url":"u","extension":[
      {"url":"a","valueString":"x"},{"url":"b","valueDate":"2024-01-01T00:00:00Z"}]}]})",
               "Patient.extension[0].extension[1].valueDate", "value", "date");
  expect_issue(R"({"resourceType":"Patient","modifierExtension":[{"url":"u","valueInstant":"now"}]})",
               "Patient.modifierExtension[0].valueInstant", "value", "instant");
  expect_issue(R"({"resourceType":"Patient","name":[{"extension":[{"url":"u",
      "valuePeriod":{"start":"2024-1-1"}}]}]})",
               "Patient.name[0].extension[0].valuePeriod.start", "value", "dateTime");
  expect_issue(R"({"resourceType":"Observation","component":[{"extension":[{"url":"u",
      "valueTime":"12:00"}]}]})",
               "Observation.component[0].extension[0].valueTime", "value", "time");
  // Extensions on elements the table does not know (here Patient.gender's primitive companion,
  // and an unprofiled backbone) are still checked.
  expect_issue(R"({"resourceType":"Patient","gender":"female","_gender":{"extension":[
      {"url":"u","valueDate":"x"}]}})",
               "Patient.gender.extension[0].valueDate", "value", "date");
  expect_issue(R"({"resourceType":"Patient","name":[{"given":["A","B"],"_given":[null,{"extension":
      [{"url":"u","valueDate":"x"}]}]}]})",
               "Patient.name[0].given[1].extension[0].valueDate", "value", "date");
}

TEST(ResourceValidator, ContainedResources) {
  expect_issue(R"({"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"p"},
      {"resourceType":"Practitioner","id":"x","birthDate":"1970-02-31"}]})",
               "Observation.contained[1].birthDate", "value", "date");
  expect_issue(R"({"resourceType":"Observation","contained":[{"id":"p"}]})",
               "Observation.contained[0]", "structure", "no \"resourceType\"");
  expect_issue(R"({"resourceType":"Observation","contained":[{"resourceType":"Bar"}]})",
               "Observation.contained[0]", "value", "\"Bar\" is not an R4 resource type");
  expect_issue(R"({"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"a/b"}]})",
               "Observation.contained[0].id", "value", "not a valid id");
}

TEST(ResourceValidator, BundleEntries) {
  expect_issue(R"({"resourceType":"Bundle","type":"collection","timestamp":"2024-01-01"})",
               "Bundle.timestamp", "value", "instant");
  expect_issue(R"({"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET",
      "url":"Patient","ifModifiedSince":"2024-01-01"}}]})",
               "Bundle.entry[0].request.ifModifiedSince", "value", "instant");
  expect_issue(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":
      {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient",
      "contained":[{"resourceType":"Patient","birthDate":"19870220"}]}}]}}]})",
               "Bundle.entry[0].resource.entry[0].resource.contained[0].birthDate", "value",
               "date");
  expect_issue(R"({"resourceType":"Bundle","type":"collection","entry":[{"resource":{}}]})",
               "Bundle.entry[0].resource", "structure", "no \"resourceType\"");
}

TEST(ResourceValidator, UnprofiledTypesStillHaveMetaChecked) {
  expect_issue(R"({"resourceType":"Appointment","meta":{"lastUpdated":"2024"}})",
               "Appointment.meta.lastUpdated", "value", "instant");
  EXPECT_TRUE(model::validate_resource(parse(R"({"resourceType":"Appointment","status":"booked",
      "meta":{"lastUpdated":"2024-01-01T00:00:00Z"}})")).ok());
}

TEST(ResourceValidator, CollectsEveryIssue) {
  auto status = model::validate_resource(parse(R"({"resourceType":"Patient","id":"a b",
      "birthDate":"x","deceasedDateTime":"y","meta":{"lastUpdated":"z"}})"));
  ASSERT_FALSE(status.ok());
  const auto& issues = status.error().issues;
  ASSERT_EQ(issues.size(), 4u);
  std::vector<std::string> expressions;
  for (const auto& i : issues) expressions.push_back(i.expression);
  EXPECT_EQ(expressions, (std::vector<std::string>{"Patient.id", "Patient.birthDate",
                                                   "Patient.deceasedDateTime",
                                                   "Patient.meta.lastUpdated"}));
  EXPECT_NE(status.error().message.find("(and 3 more problems)"), std::string::npos)
      << status.error().message;
}

TEST(ResourceValidator, CapsTheNumberOfIssues) {
  base::Json r = parse(R"({"resourceType":"MedicationRequest","dosageInstruction":[{"timing":{}}]})");
  auto& events = r["dosageInstruction"][0]["timing"]["event"];
  for (int i = 0; i < 500; ++i) events.push_back("bad");
  auto status = model::validate_resource(r);
  ASSERT_FALSE(status.ok());
  const auto& issues = status.error().issues;
  ASSERT_EQ(issues.size(), 101u);
  EXPECT_EQ(issues.back().severity, "information");
  EXPECT_EQ(issues[99].expression, "MedicationRequest.dosageInstruction[0].timing.event[99]");
}

TEST(ResourceValidator, DeepNestingIsRefusedNotFollowed) {
  base::Json ext = {{"url", "u"}, {"valueDate", "2024-01-01"}};
  for (int i = 0; i < 5000; ++i) {
    base::Json outer = {{"url", "u"}};
    outer["extension"] = base::Json::array({std::move(ext)});
    ext = std::move(outer);
  }
  base::Json r = {{"resourceType", "Patient"}, {"extension", base::Json::array({std::move(ext)})}};
  auto issues = issues_of(r);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].code, "structure");
  EXPECT_NE(issues[0].diagnostics.find("nested too deeply"), std::string::npos);
}

TEST(ResourceValidator, IsSafeToCallFromManyThreads) {
  const base::Json good = parse(us_core_examples::kPatient);
  const base::Json bad = parse(R"({"resourceType":"Patient","birthDate":"x"})");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!model::validate_resource(good).ok()) ++failures[t];
        if (model::validate_resource(bad).ok()) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
