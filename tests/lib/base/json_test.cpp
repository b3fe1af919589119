#include "base/json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

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
