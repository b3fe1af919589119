// The US Realm Header: document identity, recordTarget demographics (names, address, telecom,
// birth time, gender, race with sdtc:raceCode for the extra race, ethnicity, language), author,
// custodian, serviceEvent carrying the window, the stylesheet instruction; and the errors.
#include "ccd_test_util.hpp"

namespace ccda_test {
namespace {

TEST(CcdaHeader, DocumentIdentityAndTemplates) {
  const std::string x = build(record());
  EXPECT_EQ(x.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"cda.xsl\"?>", 0), 0u);
  EXPECT_NE(x.find("<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                   "xmlns:sdtc=\"urn:hl7-org:sdtc\""), std::string::npos);
  EXPECT_NE(x.find("<realmCode code=\"US\"/>"), std::string::npos);
  EXPECT_NE(x.find("<typeId root=\"2.16.840.1.113883.1.3\" extension=\"POCD_HD000040\"/>"), std::string::npos);
  for (const char* root : {"2.16.840.1.113883.10.20.22.1.1", "2.16.840.1.113883.10.20.22.1.2"}) {
    EXPECT_NE(x.find(std::string("<templateId root=\"") + root + "\"/>"), std::string::npos) << root;
    EXPECT_NE(x.find(std::string("<templateId root=\"") + root + "\" extension=\"2015-08-01\"/>"), std::string::npos);
  }
  EXPECT_NE(x.find("<id root=\"8f2c6c2e-6a4b-4c1e-9d3a-2b7c1e5f0a11\"/>"), std::string::npos);
  EXPECT_NE(x.find("<code code=\"34133-9\" codeSystem=\"2.16.840.1.113883.6.1\""), std::string::npos);
  EXPECT_NE(x.find("<effectiveTime value=\"20250701120000+0000\"/>"), std::string::npos);
  EXPECT_NE(x.find("<confidentialityCode code=\"N\" codeSystem=\"2.16.840.1.113883.5.25\""), std::string::npos);
  EXPECT_NE(x.find("<languageCode code=\"en-US\"/>"), std::string::npos);
}

TEST(CcdaHeader, RecordTargetDemographics) {
  const std::string x = build(record());
  EXPECT_NE(x.find("extension=\"http://hospital.example.org/mrn|MRN42\""), std::string::npos);
  EXPECT_NE(x.find("<addr use=\"HP\">"), std::string::npos);
  EXPECT_NE(x.find("<streetAddressLine>49 Meadow St</streetAddressLine>"), std::string::npos);
  EXPECT_NE(x.find("<telecom use=\"HP\" value=\"tel:555-555-0100\"/>"), std::string::npos);
  EXPECT_NE(x.find("<telecom value=\"mailto:amy@example.com\"/>"), std::string::npos);
  EXPECT_NE(x.find("<given>Amy</given>"), std::string::npos);
  EXPECT_NE(x.find("<given>V.</given>"), std::string::npos);
  EXPECT_NE(x.find("<family>Shaw</family>"), std::string::npos);
  EXPECT_NE(x.find("<administrativeGenderCode code=\"F\" codeSystem=\"2.16.840.1.113883.5.1\""), std::string::npos);
  EXPECT_NE(x.find("<birthTime value=\"19870220\"/>"), std::string::npos);
  EXPECT_NE(x.find("<raceCode code=\"2106-3\" codeSystem=\"2.16.840.1.113883.6.238\""), std::string::npos);
  EXPECT_NE(x.find("<sdtc:raceCode code=\"2054-5\" codeSystem=\"2.16.840.1.113883.6.238\""), std::string::npos);
  EXPECT_NE(x.find("<ethnicGroupCode code=\"2135-2\""), std::string::npos);
  EXPECT_NE(x.find("<languageCode code=\"en\"/>"), std::string::npos);
  EXPECT_NE(x.find("<preferenceInd value=\"true\"/>"), std::string::npos);
  EXPECT_LT(x.find("<birthTime"), x.find("<raceCode"));
  EXPECT_LT(x.find("<raceCode"), x.find("<sdtc:raceCode"));
  EXPECT_LT(x.find("<sdtc:raceCode"), x.find("<ethnicGroupCode"));
  EXPECT_NE(x.find("<providerOrganization>"), std::string::npos);
}

TEST(CcdaHeader, AuthorCustodianAndServiceEvent) {
  const std::string x = build(record(), "2024-03", "2024");
  const auto author = x.substr(x.find("<author>"), x.find("</author>") - x.find("<author>"));
  EXPECT_NE(author.find("<time value=\"20250701120000+0000\"/>"), std::string::npos);
  EXPECT_NE(author.find("<id root=\"2.16.840.1.113883.4.6\" extension=\"9941339108\"/>"), std::string::npos);
  EXPECT_NE(author.find("<family>Bone</family>"), std::string::npos);
  EXPECT_NE(author.find("3300 Washtenaw Avenue"), std::string::npos) << "organization address stands in";
  EXPECT_NE(x.find("<representedCustodianOrganization>"), std::string::npos);
  EXPECT_NE(x.find("<name>InPracSys EHR</name>"), std::string::npos);
  EXPECT_NE(x.find("<serviceEvent classCode=\"PCPR\">"), std::string::npos);
  EXPECT_NE(x.find("<low value=\"20240301\"/>"), std::string::npos);
  EXPECT_NE(x.find("<high value=\"20241231\"/>"), std::string::npos);
  EXPECT_NE(x.find("<performer typeCode=\"PRF\">"), std::string::npos);
}

TEST(CcdaHeader, WithoutAPractitionerTheAuthorIsTheSoftware) {
  ccda::PatientRecord r{"pat1", {kPatient}};
  const std::string x = build(r);
  EXPECT_NE(x.find("<assignedAuthoringDevice>"), std::string::npos);
  EXPECT_NE(x.find("<softwareName>InPracSys ccd-gen</softwareName>"), std::string::npos);
  EXPECT_NE(x.find("<representedOrganization>"), std::string::npos);
}

TEST(CcdaHeader, AMinimalPatientStillGivesEveryRequiredElement) {
  ccda::PatientRecord r{"bare", {R"({"resourceType":"Patient","id":"bare"})"}};
  const std::string x = build(r);
  EXPECT_NE(x.find("<addr nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<telecom nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<name nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<administrativeGenderCode nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<birthTime nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<raceCode nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<ethnicGroupCode nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_NE(x.find("<low nullFlavor=\"UNK\"/>"), std::string::npos);
  EXPECT_EQ(count(x, "<section nullFlavor=\"NI\">"), 20u) << "every section present, each without information";
}

TEST(CcdaHeader, UnknownPatientIsNotFound) {
  ccda::PatientRecord r{"nobody", {kPatient}};
  auto xml = ccda::build_ccd(r, {}, fixed_options());
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().code, base::ErrorCode::not_found);
  EXPECT_NE(xml.error().message.find("nobody"), std::string::npos);
}

TEST(CcdaHeader, AResourceThatIsNotJsonIsInvalidAndNamed) {
  for (const char* bad : {"{\"resourceType\":\"Condition\",", "not json", "[1,2]", "", "{\"resourceType\":\"Observation\"} x"}) {
    auto xml = ccda::build_ccd(record({bad}), {}, fixed_options());
    ASSERT_FALSE(xml.ok()) << bad;
    EXPECT_EQ(xml.error().code, base::ErrorCode::invalid);
    EXPECT_NE(xml.error().message.find("resource 4"), std::string::npos) << xml.error().message;
  }
}

TEST(CcdaHeader, GeneratesADocumentIdAndTimeWhenNotGiven) {
  auto a = ccda::build_ccd(record(), {}, {});
  auto b = ccda::build_ccd(record(), {}, {});
  ASSERT_TRUE(a.ok() && b.ok());
  auto id_of = [](const std::string& x) { return x.substr(x.find("<code code=\"34133-9\"") - 80, 80); };
  EXPECT_NE(id_of(*a), id_of(*b));
}

}  // namespace
}  // namespace ccda_test
