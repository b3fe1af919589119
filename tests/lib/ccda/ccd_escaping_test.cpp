// Hostile text in any resource never breaks the document: markup characters, quotes, control
// characters, invalid UTF-8, lone surrogates and JSON escapes all come out escaped or replaced,
// and the result stays well-formed.
#include <cstdio>

#include "ccd_test_util.hpp"
#include "ccda/xml_writer.hpp"

namespace ccda_test {
namespace {

// A JSON string literal (quoted, escaped) holding `raw` bytes as they are, for invalid UTF-8.
std::string json_str(std::string_view raw) {
  std::string out = "\"";
  for (char c : raw) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

const std::string kHostile = std::string("<script>alert(\"x\")</script> & 'q' ]]> <!-- \x01\x08\x0b\x1f\x7f") +
                             "\xff\xfe bad \xc3\x28 \xed\xa0\x80 \xef\xbf\xbe ok \xe2\x82\xac";

TEST(CcdaEscaping, HostileStringsEverywhereStayWellFormed) {
  const std::string h = json_str(kHostile);
  const std::string patient = R"({"resourceType":"Patient","id":"pat1","name":[{"family":)" + h + R"(,"given":[)" + h +
                              R"(]}],"telecom":[{"system":"phone","value":)" + h + R"(}],"address":[{"line":[)" + h +
                              R"(],"city":)" + h + R"(}],"birthDate":)" + h +
                              R"(,"communication":[{"language":{"coding":[{"code":)" + h + R"(}]}}]})";
  std::vector<std::string> rs = {
      patient,
      R"({"resourceType":"Condition","id":)" + h + R"(,"code":{"coding":[{"system":"http://snomed.info/sct","code":)" + h +
          R"(,"display":)" + h + R"(}],"text":)" + h + R"(},"onsetDateTime":)" + h + "}",
      R"({"resourceType":"AllergyIntolerance","id":"a","code":{"text":)" + h +
          R"(},"reaction":[{"manifestation":[{"text":)" + h + R"(}],"severity":)" + h + R"(}],"criticality":)" + h + "}",
      R"({"resourceType":"MedicationRequest","id":"m","status":)" + h + R"(,"medicationCodeableConcept":{"text":)" + h +
          R"(},"dosageInstruction":[{"text":)" + h + R"(}]})",
      R"({"resourceType":"DocumentReference","id":"d","type":{"coding":[{"code":"11506-3"}]},"content":[{"attachment":{"contentType":"text/plain","title":)" +
          h + R"(,"url":)" + h + R"(}}]})",
      R"({"resourceType":"CarePlan","id":"cp","status":"active","text":{"div":"<div>&lt;b&gt; &#1; &#xD800; &bogus; <p>x</p></div>"},"title":)" +
          h + "}",
      R"({"resourceType":"Observation","id":"o","category":[{"coding":[{"code":"vital-signs"}]}],"code":{"text":)" + h +
          R"(},"valueQuantity":{"value":1,"unit":)" + h + R"(,"system":"http://unitsofmeasure.org","code":)" + h + "}}",
      R"({"resourceType":"Goal","id":"g","lifecycleStatus":"active","description":{"text":"\ud800 lone \udc00 \u0000 nul"}})",
  };
  ccda::PatientRecord r{"pat1", rs};
  auto w = ccda::parse_window(std::nullopt, std::nullopt);
  auto xml = ccda::build_ccd(r, *w, fixed_options());
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  EXPECT_EQ(well_formedness_error(*xml), "");
  EXPECT_EQ(xml->find("<script>"), std::string::npos);
  EXPECT_NE(xml->find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 'q' ]]&gt; &lt;!--"), std::string::npos);
  EXPECT_EQ(xml->find('\x01'), std::string::npos);
  EXPECT_EQ(xml->find('\x0b'), std::string::npos);
  EXPECT_EQ(xml->find("\xff"), std::string::npos);
  EXPECT_NE(xml->find("\xe2\x82\xac"), std::string::npos) << "valid UTF-8 is kept";
  EXPECT_NE(xml->find("\xef\xbf\xbd"), std::string::npos) << "bad bytes become U+FFFD";
}

TEST(CcdaEscaping, AttributeValuesKeepNewlinesAsReferences) {
  std::string out;
  ccda::append_escaped(out, "a\tb\nc\rd\"e<f>&", true);
  EXPECT_EQ(out, "a&#9;b&#10;c&#13;d&quot;e&lt;f&gt;&amp;");
  out.clear();
  ccda::append_escaped(out, "a\tb\nc\rd\"e", false);
  EXPECT_EQ(out, "a\tb\nc&#13;d&quot;e");
}

TEST(CcdaEscaping, XmlWriterNestsAndClosesEverything) {
  ccda::XmlWriter x;
  x.start("a").attr("k", "v<").start("b").end().start("c").text("t&").end();
  x.start("d");
  const std::string doc = x.finish();
  EXPECT_EQ(doc, "<a k=\"v&lt;\">\n  <b/>\n  <c>t&amp;</c>\n  <d/>\n</a>\n");
  EXPECT_EQ(well_formedness_error(doc), "");
}

TEST(CcdaEscaping, MalformedJsonIsRejectedNotGuessed) {
  for (const char* bad : {R"({"resourceType":"Condition","id":"x",})", R"({"resourceType":"Condition","id":"x\q"})",
                          "{\"resourceType\":\"Condition\",\"id\":\"a\nb\"}", R"({"resourceType":"Condition","n":01})",
                          R"({"resourceType":"Condition","n":1.})", R"({"resourceType":"Condition"}})",
                          R"({"resourceType":"Condition","id":"\u12"})", R"({'resourceType':'Condition'})"}) {
    auto xml = ccda::build_ccd(record({bad}), {}, fixed_options());
    EXPECT_FALSE(xml.ok()) << bad;
    if (!xml.ok()) {
      EXPECT_EQ(xml.error().code, base::ErrorCode::invalid);
    }
  }
  // Deep nesting is refused, not a stack overflow.
  std::string deep = R"({"resourceType":"Basic","x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  auto xml = ccda::build_ccd(record({R"({"resourceType":"Observation","x":)" + std::string(100000, '[') +
                                     std::string(100000, ']') + "}"}),
                             {}, fixed_options());
  EXPECT_FALSE(xml.ok());
  (void)deep;
}

}  // namespace
}  // namespace ccda_test

namespace ccda_test {
namespace {

TEST(CcdaEscaping, EvenResourcesNoSectionUsesMustBeJson) {
  auto xml = ccda::build_ccd(record({R"({"resourceType":"Provenance","id":"x","target":[)"}), {}, fixed_options());
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().code, base::ErrorCode::invalid);
  auto ok = ccda::build_ccd(record({R"({"resourceType":"Provenance","id":"x","target":[]})"}), {}, fixed_options());
  EXPECT_TRUE(ok.ok());
}

}  // namespace
}  // namespace ccda_test
