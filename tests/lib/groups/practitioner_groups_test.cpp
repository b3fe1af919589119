// One Group per Practitioner, members = patients naming it as generalPractitioner, kept current
// in the same transaction as the writes (real SQLite through rest::open_backend).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "groups/practitioner_groups.hpp"
#include "rest/backend.hpp"

namespace {

using json = nlohmann::ordered_json;

class PractitionerGroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/fhir-groups-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto b = rest::open_backend(dir_);
    ASSERT_TRUE(b.ok()) << b.error().message;
    backend_ = std::move(*b);
  }
  void TearDown() override {
    backend_.reset();
    std::filesystem::remove_all(dir_);
  }
  void put(const json& r) {
    auto w = backend_->resources->update(r["resourceType"].get<std::string>(), r["id"].get<std::string>(), r);
    ASSERT_TRUE(w.ok()) << w.error().message;
  }
  void practitioner(const std::string& id, const std::string& family) {
    put({{"resourceType", "Practitioner"}, {"id", id}, {"name", {{{"family", family}, {"given", {"Ann"}}}}}});
  }
  void patient(const std::string& id, const std::vector<std::string>& gps) {
    json p = {{"resourceType", "Patient"}, {"id", id}};
    if (!gps.empty()) {
      p["generalPractitioner"] = json::array();
      for (const auto& g : gps) p["generalPractitioner"].push_back({{"reference", "Practitioner/" + g}});
    }
    put(p);
  }
  // Member patient ids of the practitioner's Group, or {"<none>"} when there is no Group.
  std::vector<std::string> members(const std::string& practitioner_id) {
    auto g = backend_->resources->read("Group", groups::group_id_for(practitioner_id));
    if (!g) return {"<none>"};
    auto j = json::parse(g->json);
    EXPECT_EQ(j["managingEntity"]["reference"], "Practitioner/" + practitioner_id);
    EXPECT_EQ(j["quantity"].get<std::size_t>(), j.value("member", json::array()).size());
    std::vector<std::string> out;
    for (const auto& m : j.value("member", json::array())) {
      out.push_back(m["entity"]["reference"].get<std::string>().substr(8));
    }
    return out;
  }
  std::int64_t group_versions(const std::string& practitioner_id) {
    auto g = backend_->resources->read("Group", groups::group_id_for(practitioner_id));
    return g ? g->version : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<rest::Backend> backend_;
};

using V = std::vector<std::string>;

TEST_F(PractitionerGroupsTest, EveryPractitionerGetsAGroupNamedAfterThem) {
  practitioner("dr1", "Jones");
  EXPECT_EQ(members("dr1"), V{});
  auto g = backend_->resources->read("Group", "pcp-dr1");
  ASSERT_TRUE(g.ok());
  auto j = json::parse(g->json);
  EXPECT_EQ(j["name"], "Patients of Ann Jones");
  EXPECT_EQ(j["type"], "person");
  EXPECT_EQ(j["actual"], true);
}

TEST_F(PractitionerGroupsTest, MembersFollowGeneralPractitioner) {
  practitioner("dr1", "Jones");
  practitioner("dr2", "Smith");
  patient("p1", {"dr1"});
  patient("p2", {"dr1", "dr2"});
  patient("p3", {});
  EXPECT_EQ(members("dr1"), (V{"p1", "p2"}));
  EXPECT_EQ(members("dr2"), (V{"p2"}));
  // p1 moves to dr2: leaves dr1's Group, joins dr2's.
  patient("p1", {"dr2"});
  EXPECT_EQ(members("dr1"), (V{"p2"}));
  EXPECT_EQ(members("dr2"), (V{"p1", "p2"}));
  // A deleted patient leaves every Group.
  ASSERT_TRUE(backend_->resources->remove("Patient", "p2").ok());
  EXPECT_EQ(members("dr1"), V{});
  EXPECT_EQ(members("dr2"), (V{"p1"}));
}

TEST_F(PractitionerGroupsTest, PatientsWrittenBeforeTheirPractitionerAreFound) {
  patient("p1", {"dr9"});
  EXPECT_EQ(members("dr9"), V{"<none>"}) << "no Group for an unknown practitioner";
  practitioner("dr9", "Late");
  EXPECT_EQ(members("dr9"), (V{"p1"}));
}

TEST_F(PractitionerGroupsTest, DeletingThePractitionerDeletesTheGroup) {
  practitioner("dr1", "Jones");
  patient("p1", {"dr1"});
  ASSERT_TRUE(backend_->resources->remove("Practitioner", "dr1").ok());
  EXPECT_EQ(members("dr1"), V{"<none>"});
}

TEST_F(PractitionerGroupsTest, UnchangedMembershipWritesNoNewVersion) {
  practitioner("dr1", "Jones");
  patient("p1", {"dr1"});
  const auto v = group_versions("dr1");
  patient("p1", {"dr1"});  // same GP again
  EXPECT_EQ(group_versions("dr1"), v);
}

TEST_F(PractitionerGroupsTest, OneTransactionUpdatesEachGroupOnce) {
  practitioner("dr1", "Jones");
  const auto before = group_versions("dr1");
  auto s = backend_->resources->write([&](store::WriteTx& tx) -> base::Status {
    for (int i = 0; i < 50; ++i) {
      json p = {{"resourceType", "Patient"}, {"id", "b" + std::to_string(i)},
                {"generalPractitioner", {{{"reference", "Practitioner/dr1"}}}}};
      FHIR_TRY(auto w, tx.update("Patient", p["id"].get<std::string>(), p));
      (void)w;
    }
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(members("dr1").size(), 50u);
  EXPECT_EQ(group_versions("dr1"), before + 1);
}

TEST_F(PractitionerGroupsTest, GroupsAreSearchable) {
  practitioner("dr1", "Jones");
  patient("p1", {"dr1"});
  auto req = search::parse_search(*backend_->search.registry, "Group",
                                  {{"member", "Patient/p1"}, {"managing-entity", "Practitioner/dr1"}}, true, "");
  ASSERT_TRUE(req.ok()) << req.error().message;
  auto page = backend_->search.engine->search(*req);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->matches.size(), 1u);
  EXPECT_EQ(page->matches[0].id, "pcp-dr1");
}

TEST_F(PractitionerGroupsTest, LongPractitionerIdsGetADigestGroupId) {
  const std::string id(64, 'a');
  EXPECT_LE(groups::group_id_for(id).size(), 64u);
  EXPECT_NE(groups::group_id_for(id), groups::group_id_for(std::string(63, 'a') + "b"));
  practitioner(id, "Long");
  patient("p1", {id});
  EXPECT_EQ(members(id), (V{"p1"}));
}

}  // namespace
