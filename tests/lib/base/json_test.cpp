#include "base/json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
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

TEST(Json, IdenticalJsonComparesTypesAndOrder) {
  EXPECT_TRUE(base::identical_json(base::Json::parse(R"({"a":[1,2.5,"x",null]})"),
                                   base::Json::parse(R"({"a":[1,2.5,"x",null]})")));
  EXPECT_FALSE(base::identical_json(base::Json(5), base::Json(5u)));
  EXPECT_FALSE(base::identical_json(base::Json(1), base::Json(1.0)));
  EXPECT_FALSE(base::identical_json(base::Json(0.0), base::Json(-0.0)));
  EXPECT_FALSE(base::identical_json(base::Json::parse(R"({"a":1,"b":2})"), base::Json::parse(R"({"b":2,"a":1})")));
  EXPECT_FALSE(base::identical_json(base::Json::parse("[1,[2]]"), base::Json::parse("[1,[3]]")));
}

// The value nlohmann's own parser gives (nullopt for an error).
std::optional<base::Json> reference_value(const std::string& text) {
  try {
    return base::Json::parse(text);
  } catch (const nlohmann::ordered_json::exception&) {
    return std::nullopt;
  }
}

TEST(Json, FastPathTakesTheCommonCaseAndGivesWhatNlohmannGives) {
  const std::vector<std::string> taken = {
      R"({"resourceType":"Observation","id":"o-1","meta":{"versionId":"1"},"valueQuantity":{"value":120.5,"unit":"mm[Hg]"},"component":[{"n":-3},{"n":0},{"n":-0},{"n":123456789012345678}],"f":[1e5,2.5E-3,-0.0],"t":true,"x":null,"e":""})",
      R"({"name":"Zoë 日本 😀","esc":"a\"b\\c\/d\b\f\n\r\t"})",
      R"({"b":1,"a":2,"b":3})", "  [ 1 ,\t2\n]\r\n", R"("s")", "0", "-12", "false",
      std::string(150, '[') + std::string(150, ']'),
  };
  for (const auto& text : taken) {
    base::Json fast;
    ASSERT_TRUE(base::parse_json_fast_path(text, fast)) << text;
    auto ref = reference_value(text);
    ASSERT_TRUE(ref.has_value()) << text;
    EXPECT_TRUE(base::identical_json(fast, *ref)) << text << "\nfast: " << fast.dump() << "\nref:  " << ref->dump();
  }
  // Left to nlohmann: \u escapes, integers over 18 digits, a byte-order mark, very deep nesting,
  // anything invalid. parse_json still answers them as nlohmann does (test above).
  const std::vector<std::string> left = {
      R"({"a":"\u00e9"})", "[1234567890123456789]", "[-1234567890123456789]", "\xef\xbb\xbf{}",
      std::string(300, '[') + std::string(300, ']'), "[1e400]", "{\"a\":\"\xff\"}", "{\"a\":\"\xed\xa0\x80\"}",
      "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\x01\"}", "[01]", "[1.]", "[.5]", "[+1]", "[-]", "[1e]", "tru", "nulls",
      "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{'a':1}", "", "   ", "{} {}", "[\"\\x\"]",
  };
  for (const auto& text : left) {
    base::Json fast;
    EXPECT_FALSE(base::parse_json_fast_path(text, fast)) << text;
  }
}

TEST(Json, RandomTextParsesAsNlohmannParsesIt) {
  // Short strings over JSON's own alphabet, with some multi-byte and invalid bytes: mostly
  // invalid, many valid; parse_json (fast path or not) must agree with nlohmann on every one.
  const std::vector<std::string> atoms = {"{", "}", "[", "]", ",", ":", "\"", "\"a\"", "\\", "\\n", "\\u0041",
                                          "0", "1", "-", ".", "e", "9", "true", "null", " ", "\n", "\xc3\xa9",
                                          "\xe6\x97\xa5", "\xff", "\xc3", "\x01", "1.5", "12345678901234567890"};
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  int valid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const auto n = 1 + next() % 12;
    for (std::uint32_t k = 0; k < n; ++k) text += atoms[next() % atoms.size()];
    auto ours = base::parse_json(text);
    auto ref = reference_value(text);
    ASSERT_EQ(ours.ok(), ref.has_value()) << text;
    if (ref) {
      ++valid;
      ASSERT_TRUE(base::identical_json(*ours, *ref)) << text;
    }
  }
  EXPECT_GT(valid, 500) << "the generator should make a fair share of valid JSON";
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
