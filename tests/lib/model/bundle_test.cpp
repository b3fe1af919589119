// BundleWriter and json_quote: the JSON text they write parses back to what was put in.
#include "model/bundle.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

TEST(JsonQuote, EscapesWhatJsonRequiresAndKeepsTheRest) {
  EXPECT_EQ(model::json_quote(""), "\"\"");
  EXPECT_EQ(model::json_quote("plain text"), "\"plain text\"");
  EXPECT_EQ(model::json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(model::json_quote("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(model::json_quote(std::string("x\x01y\x1f", 4)), "\"x\\u0001y\\u001f\"");
  EXPECT_EQ(model::json_quote("Zoë \xe2\x9c\x93"), "\"Zoë \xe2\x9c\x93\"") << "UTF-8 passes through";
  const std::string nasty = std::string("\"\\\x00\x7f/end", 7);
  EXPECT_EQ(json::parse(model::json_quote(nasty)).get<std::string>(), nasty);
}

// The escape scan reads eight bytes at a time: every byte value at every position of a word, next
// to neighbours that could make a borrow flag the wrong byte, must come out as a byte-wise escape.
TEST(JsonQuote, EveryByteAtEveryPositionOfAWord) {
  const auto bytewise = [](const std::string& in) {
    std::string out = "\"";
    for (unsigned char c : in) {
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else out.push_back(static_cast<char>(c));
    }
    return out + "\"";
  };
  for (int b = 0; b < 256; ++b) {
    for (const char fill : {'a', '\x21', '\x23', '\x5b', '\x5d', '\x1f', '\xff', '\x80'}) {
      for (std::size_t len : {1u, 7u, 8u, 9u, 17u}) {
        for (std::size_t pos = 0; pos < len; ++pos) {
          std::string in(len, fill);
          in[pos] = static_cast<char>(b);
          ASSERT_EQ(model::json_quote(in), bytewise(in)) << "byte " << b << " at " << pos << " of " << len;
        }
      }
    }
  }
}

TEST(BundleWriter, EntriesWithEveryPartParseBack) {
  model::BundleWriter writer("searchset");
  writer.set_total(2);
  writer.add_link("self", "https://h/r4/Patient?name=\"x\"");
  model::BundleEntry match;
  match.full_url = "https://h/r4/Patient/1";
  match.resource_json = R"({"resourceType":"Patient","id":"1"})";
  match.search_mode = "match";
  writer.add_entry(match);
  model::BundleEntry response;
  response.request_method = "POST";
  response.request_url = "Patient";
  response.response_status = "201 Created";
  response.response_location = "Patient/2/_history/1";
  response.response_etag = "W/\"1\"";
  response.response_outcome_json = R"({"resourceType":"OperationOutcome"})";
  writer.add_entry(response);

  const auto b = json::parse(writer.finish());
  EXPECT_EQ(b["resourceType"], "Bundle");
  EXPECT_EQ(b["type"], "searchset");
  EXPECT_EQ(b["total"], 2);
  EXPECT_EQ(b["link"][0]["url"], "https://h/r4/Patient?name=\"x\"");
  ASSERT_EQ(b["entry"].size(), 2u);
  EXPECT_EQ(b["entry"][0]["fullUrl"], "https://h/r4/Patient/1");
  EXPECT_EQ(b["entry"][0]["resource"]["id"], "1");
  EXPECT_EQ(b["entry"][0]["search"], json({{"mode", "match"}}));
  EXPECT_FALSE(b["entry"][1].contains("fullUrl")) << "empty fields are left out";
  EXPECT_EQ(b["entry"][1]["request"], json({{"method", "POST"}, {"url", "Patient"}}));
  EXPECT_EQ(b["entry"][1]["response"]["status"], "201 Created");
  EXPECT_EQ(b["entry"][1]["response"]["etag"], "W/\"1\"");
  EXPECT_FALSE(b["entry"][1]["response"].contains("lastModified"));
  EXPECT_EQ(b["entry"][1]["response"]["outcome"]["resourceType"], "OperationOutcome");
}

TEST(BundleWriter, NoEntriesNoEntryArray) {
  const auto b = json::parse(model::BundleWriter("history").finish());
  EXPECT_FALSE(b.contains("entry"));
  EXPECT_FALSE(b.contains("total"));
  EXPECT_TRUE(b["id"].is_string());
}

TEST(BundleWriter, AddMatchWritesWhatAddEntryWrites) {
  const std::string json_text = R"({"resourceType":"Observation","id":"o\"1"})";
  model::BundleWriter a("searchset");
  a.add_link("self", "https://h/r4/Observation");
  model::BundleEntry e;
  e.full_url = "https://h/r4/Observation/o\"1";
  e.resource_json = json_text;
  e.search_mode = "match";
  a.add_entry(e);
  model::BundleWriter b("searchset");
  b.add_link("self", "https://h/r4/Observation");
  b.reserve(4096);
  b.add_match("https://h/r4", "Observation", "o\"1", json_text, "match");
  auto ja = json::parse(a.finish());
  auto jb = json::parse(b.finish());
  EXPECT_EQ(jb["entry"][0]["fullUrl"], "https://h/r4/Observation/o\"1") << "escaped, and parses back";
  ja.erase("id");
  jb.erase("id");
  ja["meta"].erase("lastUpdated");
  jb["meta"].erase("lastUpdated");
  EXPECT_EQ(ja, jb);
}

TEST(BundleWriter, HeaderMembersAfterTheFirstEntryAreRefused) {
  model::BundleWriter w("searchset");
  w.add_match("https://h/r4", "Patient", "1", R"({"resourceType":"Patient","id":"1"})", "match");
  EXPECT_THROW(w.set_total(1), std::logic_error);
  EXPECT_THROW(w.add_link("next", "x"), std::logic_error);
  const auto b = json::parse(w.finish());
  EXPECT_FALSE(b.contains("total"));
  EXPECT_EQ(b["entry"].size(), 1u);
}

}  // namespace
