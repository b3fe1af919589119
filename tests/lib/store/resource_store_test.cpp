#include "store/resource_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "base/fhir_time.hpp"
#include "resource_store_fixture.hpp"

namespace {

using namespace store_test;
using base::ErrorCode;
using base::Json;

TEST_F(ResourceStoreTest, CreateStampsIdVersionAndLastUpdated) {
  Json body = {{"name", Json::array({Json{{"family", "Chalmers"}}})},
               {"id", "client-supplied"},
               {"meta", {{"versionId", "99"}, {"profile", {"http://example.org/p"}},
                         {"tag", {Json{{"system", "urn:s"}, {"code", "c"}}}}}},
               {"resourceType", "Patient"},
               {"active", true}};
  const auto before = base::now_us();
  auto r = rs_->create("Patient", body);
  const auto after = base::now_us();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->resource.version, 1);
  EXPECT_FALSE(r->resource.deleted);
  EXPECT_TRUE(std::regex_match(r->resource.id,
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << r->resource.id;
  EXPECT_GE(r->resource.last_updated_us, before);
  EXPECT_LE(r->resource.last_updated_us, after);

  const Json j = Json::parse(r->resource.json);
  EXPECT_EQ(keys(j), (std::vector<std::string>{"resourceType", "id", "meta", "name", "active"}));
  EXPECT_EQ(j["id"], r->resource.id);
  auto meta_keys = keys(j["meta"]);
  std::sort(meta_keys.begin(), meta_keys.end());
  EXPECT_EQ(meta_keys, (std::vector<std::string>{"lastUpdated", "profile", "tag", "versionId"}));
  EXPECT_EQ(j["meta"]["versionId"], "1");
  EXPECT_EQ(j["meta"]["lastUpdated"], base::format_instant(r->resource.last_updated_us));
  EXPECT_EQ(j["meta"]["profile"], body["meta"]["profile"]);
  EXPECT_EQ(j["meta"]["tag"], body["meta"]["tag"]);
  EXPECT_EQ(j["name"], body["name"]);

  auto second = rs_->create("Patient", body);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->resource.id, r->resource.id);
}

TEST_F(ResourceStoreTest, ReadReturnsTheStoredBytesExactly) {
  Json body = Json::parse(R"({"resourceType":"Patient","text":{"div":"<div>a \"q\" ü \u00e9</div>"},"n":1.50})");
  auto c = rs_->create("Patient", body);
  ASSERT_TRUE(c.ok());
  auto r = rs_->read("Patient", c->resource.id);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->json, c->resource.json);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->last_updated_us, c->resource.last_updated_us);
  auto conn = db_->reader();
  ASSERT_TRUE(conn.ok());
  sql::Query q(**conn, "SELECT json FROM resources WHERE id = ?");
  q.bind(c->resource.id);
  auto row = q.step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(q.string_at(0), r->json);
  auto v = rs_->vread("Patient", c->resource.id, 1);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->json, c->resource.json);
}

TEST_F(ResourceStoreTest, ReadOfUnknownIsNotFound) {
  auto r = rs_->read("Patient", "nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  auto c = rs_->create("Patient", patient("x"));
  ASSERT_TRUE(c.ok());
  auto wrong_type = rs_->read("Observation", c->resource.id);
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().code, ErrorCode::not_found);
}

TEST_F(ResourceStoreTest, UpdateIncrementsVersion) {
  auto c = rs_->create("Patient", patient("a"));
  ASSERT_TRUE(c.ok());
  const std::string id = c->resource.id;
  for (std::int64_t v = 2; v <= 4; ++v) {
    auto u = rs_->update("Patient", id, patient("v" + std::to_string(v)));
    ASSERT_TRUE(u.ok()) << u.error().message;
    EXPECT_FALSE(u->created);
    EXPECT_EQ(u->resource.version, v);
    EXPECT_EQ(Json::parse(u->resource.json)["meta"]["versionId"], std::to_string(v));
  }
  auto r = rs_->read("Patient", id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 4);
  EXPECT_EQ(Json::parse(r->json)["name"][0]["family"], "v4");
  auto v2 = rs_->vread("Patient", id, 2);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(Json::parse(v2->json)["name"][0]["family"], "v2");
}

TEST_F(ResourceStoreTest, UpdateOfMissingIdCreatesWithTheClientId) {
  Json body = patient("new");
  body["id"] = "something-else";
  auto u = rs_->update("Patient", "client-id-1", body);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->created);
  EXPECT_EQ(u->resource.id, "client-id-1");
  EXPECT_EQ(u->resource.version, 1);
  EXPECT_EQ(Json::parse(u->resource.json)["id"], "client-id-1");
  auto r = rs_->read("Patient", "client-id-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(methods(history({.type = "Patient", .id = "client-id-1"})), std::vector<std::string>{"PUT"});
}

TEST_F(ResourceStoreTest, IfMatchMismatchIsPreconditionFailedAndStoresNothing) {
  auto c = rs_->create("Patient", patient("a"));
  ASSERT_TRUE(c.ok());
  const std::string id = c->resource.id;
  ASSERT_TRUE(rs_->update("Patient", id, patient("b")).ok());  // version 2
  auto bad = rs_->update("Patient", id, patient("c"), 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::precondition_failed);
  auto bad_delete = rs_->remove("Patient", id, 1);
  ASSERT_FALSE(bad_delete.ok());
  EXPECT_EQ(bad_delete.error().code, ErrorCode::precondition_failed);
  auto r = rs_->read("Patient", id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(Json::parse(r->json)["name"][0]["family"], "b");
  EXPECT_EQ(history({.type = "Patient", .id = id}).total, 2);

  auto missing = rs_->update("Patient", "not-there", patient("x"), 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::precondition_failed);
  EXPECT_EQ(code_of(rs_->read("Patient", "not-there")), "not_found");

  auto good = rs_->update("Patient", id, patient("c"), 2);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->resource.version, 3);
  auto good_delete = rs_->remove("Patient", id, 3);
  ASSERT_TRUE(good_delete.ok());
  EXPECT_TRUE(good_delete->changed);
}

TEST_F(ResourceStoreTest, DeleteMakesReadGoneButKeepsOldVersions) {
  auto c = rs_->create("Patient", patient("a"));
  ASSERT_TRUE(c.ok());
  const std::string id = c->resource.id;
  auto d = rs_->remove("Patient", id);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->changed);
  EXPECT_FALSE(d->created);
  EXPECT_TRUE(d->resource.deleted);
  EXPECT_EQ(d->resource.version, 2);
  EXPECT_TRUE(d->resource.json.empty());

  auto r = rs_->read("Patient", id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::gone);
  EXPECT_NE(r.error().message.find("deleted"), std::string::npos) << r.error().message;

  auto v1 = rs_->vread("Patient", id, 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->json, c->resource.json);
  auto v2 = rs_->vread("Patient", id, 2);
  ASSERT_FALSE(v2.ok());
  EXPECT_EQ(v2.error().code, ErrorCode::gone);
  for (std::int64_t v : {0, 3, 99}) {
    auto vx = rs_->vread("Patient", id, v);
    ASSERT_FALSE(vx.ok());
    EXPECT_EQ(vx.error().code, ErrorCode::not_found) << v;
  }
  EXPECT_EQ(code_of(rs_->vread("Patient", "unknown", 1)), "not_found");
}

TEST_F(ResourceStoreTest, DeleteOfMissingOrDeletedIsANoOp) {
  auto d = rs_->remove("Patient", "never-existed");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_FALSE(d->changed);
  EXPECT_EQ(history({}).total, 0);

  auto c = rs_->create("Patient", patient("a"));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(rs_->remove("Patient", c->resource.id).ok());
  auto again = rs_->remove("Patient", c->resource.id);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->resource.version, 2);
  EXPECT_EQ(history({}).total, 2);
}

TEST_F(ResourceStoreTest, UpdateAfterDeleteResurrects) {
  auto c = rs_->create("Patient", patient("a"));
  ASSERT_TRUE(c.ok());
  const std::string id = c->resource.id;
  ASSERT_TRUE(rs_->remove("Patient", id).ok());
  auto u = rs_->update("Patient", id, patient("back"));
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->created);
  EXPECT_EQ(u->resource.version, 3);
  auto r = rs_->read("Patient", id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ(Json::parse(r->json)["meta"]["versionId"], "3");
  EXPECT_EQ(methods(history({.type = "Patient", .id = id})),
            (std::vector<std::string>{"PUT", "DELETE", "POST"}));
}

}  // namespace
