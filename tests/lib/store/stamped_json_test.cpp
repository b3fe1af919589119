// ResourceStore::prepare (bulk loads) must store exactly the bytes an ordinary write stores:
// write through ResourceStore::update, then prepare the same input at the same instant and
// compare byte for byte.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "resource_store_fixture.hpp"
#include "store/stamped_json.hpp"

namespace {

using namespace store_test;
using base::Json;

class StampedJsonTest : public ResourceStoreTest {
 protected:
  // Writes `text` through the store and checks that prepare() gives the same bytes.
  void check_same_bytes(const std::string& text) {
    const Json input = Json::parse(text);
    const std::string type = input["resourceType"].get<std::string>();
    const std::string id = input.contains("id") ? input["id"].get<std::string>() : "given-id";
    auto written = rs_->update(type, id, input);
    ASSERT_TRUE(written.ok()) << written.error().message;
    Json copy = input;
    auto prepared = rs_->prepare(type, id, copy, written->resource.last_updated_us);
    EXPECT_EQ(prepared.json, written->resource.json) << text;
    EXPECT_EQ(prepared.json.substr(prepared.version_at, 1), "1");
    EXPECT_EQ(prepared.json.substr(prepared.version_at - 13, 13), "\"versionId\":\"");
    EXPECT_EQ(prepared.id, id);
    EXPECT_STREQ(prepared.method, "PUT");
  }
};

TEST_F(StampedJsonTest, SameBytesAsAnOrdinaryWrite) {
  check_same_bytes(R"({"resourceType":"Patient","id":"p1","name":[{"family":"Smith","given":["Ann"]}]})");
  // Members out of order: resourceType, id and meta come first.
  check_same_bytes(R"({"active":true,"id":"p2","resourceType":"Patient","gender":"female"})");
  // An existing meta keeps its members and their order; versionId/lastUpdated are replaced in place.
  check_same_bytes(
      R"({"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},)"
      R"("meta":{"lastUpdated":"2001-01-01T00:00:00Z","profile":["http://x/y"],"versionId":"77",)"
      R"("tag":[{"system":"s","code":"c"}]}})");
  check_same_bytes(R"({"resourceType":"Patient","id":"p3","meta":{"security":[{"code":"R"}]}})");
  // A meta that is not an object is replaced.
  check_same_bytes(R"({"resourceType":"Patient","id":"p4","meta":"nonsense"})");
  // Escapes, non-ASCII text, odd keys, numbers, nulls and nesting.
  check_same_bytes(
      R"({"resourceType":"Patient","id":"p5","name":[{"text":"Zoë \"Q\" O'Brien\\ \n\t\u0001 ☃ 𝄞"}],)"
      R"("we\"ird":{"k\u00e9y":[1,2.5,-3e10,true,false,null,{},[]]},"extension":[{"url":"u","valueDecimal":0.1}]})");
}

TEST_F(StampedJsonTest, InvalidUtf8IsReplacedAsInOrdinaryWrites) {
  Json input = Json::object();
  input["resourceType"] = "Patient";
  input["id"] = "bad-utf8";
  input["name"] = Json::array({Json::object({{"family", std::string("ab\xff\xfe" "cd")}})});
  auto written = rs_->update("Patient", "bad-utf8", input);
  ASSERT_TRUE(written.ok()) << written.error().message;
  Json copy = input;
  auto prepared = rs_->prepare("Patient", "bad-utf8", copy, written->resource.last_updated_us);
  EXPECT_EQ(prepared.json, written->resource.json);
}

TEST_F(StampedJsonTest, WithoutAnIdANewOneIsGivenAndTheMethodIsPost) {
  Json input = Json::parse(R"({"resourceType":"Patient","active":true})");
  auto prepared = rs_->prepare("Patient", "", input, 1'000'000);
  EXPECT_EQ(prepared.id.size(), 36u);
  EXPECT_STREQ(prepared.method, "POST");
  EXPECT_EQ(input["id"], prepared.id) << "the resource is stamped in place";
  EXPECT_EQ(prepared.json, R"({"resourceType":"Patient","id":")" + prepared.id +
                               R"(","meta":{"versionId":"1","lastUpdated":"1970-01-01T00:00:01.000Z"},"active":true})");
}

TEST_F(StampedJsonTest, PutPreparedRewritesTheVersionOfAnExistingResource) {
  Json first = Json::parse(R"({"resourceType":"Patient","id":"v","active":true})");
  ASSERT_TRUE(rs_->update("Patient", "v", first).ok());
  Json second = Json::parse(R"({"resourceType":"Patient","id":"v","active":false})");
  auto prepared = rs_->prepare("Patient", "v", second, 2'000'000);
  bool created = true;
  auto s = rs_->write([&](store::WriteTx& tx) -> base::Status {
    FHIR_TRY(created, tx.put_prepared(prepared));
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(created);
  auto now = rs_->read("Patient", "v");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->version, 2);
  EXPECT_EQ(now->json, R"({"resourceType":"Patient","id":"v","meta":{"versionId":"2","lastUpdated":"1970-01-01T00:00:02.000Z"},"active":false})");
  EXPECT_EQ(prepared.json.find("\"versionId\":\"1\""), prepared.json.find("\"versionId\""))
      << "the prepared resource is left as it was, for a retry";
  auto v1 = rs_->vread("Patient", "v", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_NE(v1->json.find("\"active\":true"), std::string::npos);
}

}  // namespace
