#include "base/json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

TEST(Json, ParsesValidText) {
  auto r = base::parse_json(R"({"resourceType":"Patient","active":true,"n":[1,2.5,null]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["resourceType"], "Patient");
  EXPECT_EQ((*r)["n"].size(), 3u);
}

TEST(Json, MalformedInputIsInvalidWithPosition) {
  for (const char* bad : {"", "{", R"({"a":})", R"({"a":1,})", "[1 2]", "nul", R"({"a":"x)",
                          "{} trailing"}) {
    auto r = base::parse_json(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, base::ErrorCode::invalid) << bad;
    EXPECT_EQ(r.error().message.rfind("The body is not valid JSON: ", 0), 0u) << r.error().message;
  }
  auto r = base::parse_json("{\n  \"a\": }");
  ASSERT_FALSE(r.ok());
  // The parser's position ("line 2, column ...") is kept, its exception id is dropped.
  EXPECT_NE(r.error().message.find("line 2"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().message.find("[json.exception"), std::string::npos) << r.error().message;
}

// parse_json builds the Json itself from the parser's SAX events (for speed); it must give exactly
// what nlohmann's own DOM parser gives: same values, same member order, the same handling of
// repeated keys, and the same error messages.
std::string reference_parse(const std::string& text) {
  try {
    return base::dump_compact(base::Json::parse(text));
  } catch (const nlohmann::ordered_json::exception& e) {  // parse_error, or out_of_range for 1e400
    std::string what = e.what();
    return "error: " + what.substr(what.find("] ") + 2);
  }
}

std::string our_parse(const std::string& text) {
  auto r = base::parse_json(text);
  if (r) return base::dump_compact(*r);
  const std::string prefix = "The body is not valid JSON: ";
  EXPECT_EQ(r.error().message.rfind(prefix, 0), 0u);
  return "error: " + r.error().message.substr(prefix.size());
}

TEST(Json, ParseGivesWhatTheReferenceParserGives) {
  std::vector<std::string> inputs = {
      R"({"resourceType":"Patient","id":"x","name":[{"family":"Zoë","given":["A","B"]}],"n":-0,"f":1.5e300})",
      R"({"b":1,"a":2,"b":3})",                      // repeated key: first position, last value
      R"({"a":{"x":1,"x":{"y":[1,{"x":2}]}},"a":[]})",  // repeated, nested
      R"([[],{},[[[]]],{"":""},"\u00e9\n\t\"\\\/",1,-1,18446744073709551615,-9223372036854775808,0.1,-2.5E-3])", "[1e400]",
      R"(  {"ws" :	[ 1 , 2 ] }  )",
      "\xef\xbb\xbf{\"bom\":1}",
      R"("just a string")", "42", "true", "null", R"({"a":"\ud83d\ude00"})",
      // errors
      "", "{", R"({"a":})", R"({"a":1,})", "[1 2]", "nul", R"({"a":"x)", "{} trailing", "{\"a\":\"\x01\"}",
      "{\"a\":\"\xff\"}", R"({"a":"\ud800"})", "[01]", "[1.]", "[-]", "{\n  \"a\": }", "/* c */ {}",
  };
  // A large object with repeated keys (the hash-map path).
  std::string big = "{";
  for (int i = 0; i < 100; ++i) big += "\"k" + std::to_string(i % 60) + "\":" + std::to_string(i) + ",";
  big += "\"last\":true}";
  inputs.push_back(big);
  // Deep nesting.
  inputs.push_back(std::string(500, '[') + std::string(500, ']'));
  for (const auto& text : inputs) EXPECT_EQ(our_parse(text), reference_parse(text)) << text;
}

TEST(Json, ParseAfterAnErrorStartsClean) {
  EXPECT_FALSE(base::parse_json(R"({"a":[1,{"b":)").ok());
  auto r = base::parse_json(R"({"c":[2]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(base::dump_compact(*r), R"({"c":[2]})");
}

TEST(Json, DumpCompactHasNoSpacesAndReplacesInvalidUtf8) {
  base::Json j = {{"a", 1}, {"b", {true, "x"}}};
  EXPECT_EQ(base::dump_compact(j), R"({"a":1,"b":[true,"x"]})");
  base::Json bad = std::string("ok\xff");
  EXPECT_NO_THROW((void)base::dump_compact(bad));
  EXPECT_EQ(base::dump_compact(bad), "\"ok\xEF\xBF\xBD\"");  // U+FFFD
}

TEST(Json, PrettifyIndentsTwoSpaces) {
  auto r = base::prettify(R"({"a":1,"b":[true]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}");
  EXPECT_EQ(base::dump_pretty(base::Json::object()), "{}");
}

TEST(Json, PrettifyRejectsMalformedText) {
  auto r = base::prettify("{\"a\":");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, base::ErrorCode::invalid);
}

TEST(Json, PrettifyKeepsUnicode) {
  auto r = base::prettify(R"({"name":"Zoë 日本"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "{\n  \"name\": \"Zoë 日本\"\n}");
}

}  // namespace
