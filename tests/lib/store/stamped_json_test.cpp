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

TEST_F(StampedJsonTest, KeptBackHistoryRowsAreWrittenInWriteOrder) {
  // put_prepared inserts history rows 32 to a statement; an ordinary write in the same
  // transaction, and the end of the transaction, write what is kept back first.
  std::vector<store::PreparedResource> prepared;
  for (int i = 0; i < 40; ++i) {
    Json r = Json::parse(R"({"resourceType":"Patient","active":true})");
    prepared.push_back(rs_->prepare("Patient", "h" + std::to_string(i), r, 3'000'000 + i));
  }
  auto s = rs_->write([&](store::WriteTx& tx) -> base::Status {
    for (int i = 0; i < 35; ++i) {
      FHIR_TRY(bool created, tx.put_prepared(prepared[i]));
      (void)created;
    }
    FHIR_TRY(auto updated, tx.update("Patient", "h3", Json::parse(R"({"resourceType":"Patient","id":"h3","active":false})")));
    (void)updated;
    for (int i = 35; i < 40; ++i) {
      FHIR_TRY(bool created, tx.put_prepared(prepared[i]));
      (void)created;
    }
    FHIR_TRY(auto read, tx.read("Patient", "h39"));
    if (read.version != 1) return base::internal_error("h39 not readable in its transaction");
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto h = rs_->history({.type = std::string("Patient"), .count = 100});
  ASSERT_TRUE(h.ok()) << h.error().message;
  ASSERT_EQ(h->entries.size(), 41u);
  std::vector<std::string> order;  // oldest first
  for (auto it = h->entries.rbegin(); it != h->entries.rend(); ++it) {
    order.push_back(it->resource.id + "/" + std::to_string(it->resource.version));
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 35; ++i) expected.push_back("h" + std::to_string(i) + "/1");
  expected.push_back("h3/2");
  for (int i = 35; i < 40; ++i) expected.push_back("h" + std::to_string(i) + "/1");
  EXPECT_EQ(order, expected);
  auto v1 = rs_->vread("Patient", "h20", 1);
  ASSERT_TRUE(v1.ok()) << v1.error().message;
  EXPECT_EQ(v1->json, prepared[20].json);
}

}  // namespace
