#pragma once
// Helpers for the per-section tests: a small hand-written patient record, building a CCD from it,
// and cutting one section out of the document to look at.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ccd_fixture.hpp"

namespace ccda_test {

inline const char* kPatient = R"({"resourceType":"Patient","id":"pat1",
  "extension":[
    {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race","extension":[
      {"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2106-3","display":"White"}},
      {"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2054-5","display":"Black or African American"}},
      {"url":"text","valueString":"Mixed"}]},
    {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity","extension":[
      {"url":"ombCategory","valueCoding":{"system":"urn:oid:2.16.840.1.113883.6.238","code":"2135-2","display":"Hispanic or Latino"}},
      {"url":"text","valueString":"Hispanic"}]},
    {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"F"}],
  "identifier":[{"system":"http://hospital.example.org/mrn","value":"MRN42"}],
  "name":[{"use":"official","family":"Shaw","given":["Amy","V."]}],
  "telecom":[{"system":"phone","value":"555-555-0100","use":"home"},{"system":"email","value":"amy@example.com"}],
  "gender":"female","birthDate":"1987-02-20",
  "address":[{"use":"home","line":["49 Meadow St"],"city":"Mounds","state":"OK","postalCode":"74047","country":"US"}],
  "communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"en"}]},"preferred":true}],
  "generalPractitioner":[{"reference":"Practitioner/doc1"}],
  "managingOrganization":{"reference":"Organization/org1"}})";

inline const char* kPractitioner = R"({"resourceType":"Practitioner","id":"doc1",
  "identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"9941339108"}],
  "name":[{"family":"Bone","given":["Ronald"],"prefix":["Dr."]}],
  "telecom":[{"system":"phone","value":"555-555-0199","use":"work"}]})";

inline const char* kOrganization = R"({"resourceType":"Organization","id":"org1","name":"Acme Clinic",
  "identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"1144221847"}],
  "telecom":[{"system":"phone","value":"555-555-0150"}],
  "address":[{"line":["3300 Washtenaw Avenue"],"city":"Ann Arbor","state":"MI","postalCode":"48104"}]})";

// A record of the base patient, practitioner and organization plus `extra`.
inline ccda::PatientRecord record(std::vector<std::string> extra = {}) {
  ccda::PatientRecord r{"pat1", {kPatient, kPractitioner, kOrganization}};
  for (auto& e : extra) r.resources.push_back(std::move(e));
  return r;
}

inline std::string build(const ccda::PatientRecord& r, std::optional<std::string_view> start = std::nullopt,
                         std::optional<std::string_view> end = std::nullopt) {
  auto w = ccda::parse_window(start, end);
  EXPECT_TRUE(w.ok());
  auto xml = ccda::build_ccd(r, *w, fixed_options());
  EXPECT_TRUE(xml.ok()) << (xml.ok() ? "" : xml.error().message);
  if (!xml.ok()) return {};
  EXPECT_EQ(well_formedness_error(*xml), "");
  if (const char* dump = std::getenv("CCDA_DUMP_DIR")) {  // for checking by hand (schematron)
    static int n = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::filesystem::create_directories(dump);
    std::ofstream(std::filesystem::path(dump) / (std::string(info->name()) + "-" + std::to_string(++n) + ".xml"),
                  std::ios::binary)
        << *xml;
  }
  return *xml;
}

// The <section> whose code is `loinc` (from <section to </section>), or "".
inline std::string section(const std::string& xml, std::string_view loinc) {
  const auto code = xml.find("<code code=\"" + std::string(loinc) + "\" codeSystem=\"2.16.840.1.113883.6.1\"");
  if (code == std::string::npos) return {};
  const auto start = xml.rfind("<section", code);
  const auto end = xml.find("</section>", code);
  if (start == std::string::npos) return {};
  return xml.substr(start, (end == std::string::npos ? xml.size() : end + 10) - start);
}

inline std::size_t count(const std::string& s, std::string_view what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

inline bool empty_section(const std::string& sec) {
  return sec.rfind("<section nullFlavor=\"NI\">", 0) == 0 && sec.find("No information") != std::string::npos &&
         sec.find("<entry") == std::string::npos;
}

}  // namespace ccda_test
