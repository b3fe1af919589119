// Pages read as a join over an index (search::compile_page): when they are chosen, that a resource
// referencing the same target twice still comes once, and that paging forward and back, with
// and without a patient-scoped token, gives what the IN-list form gives.
#include <gtest/gtest.h>

#include "lib/search/engine_fixture.hpp"
#include "search/sql_compiler.hpp"

namespace {

using search_test::EngineTest;
using search_test::SearchEnv;
using Ids = std::vector<std::string>;

class JoinTest : public EngineTest {
 protected:
  void encounter(const std::string& id, const std::string& patient, const std::vector<std::string>& practitioners) {
    std::string j = R"({"resourceType":"Encounter","id":")" + id +
                    R"(","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Patient/)" + patient +
                    R"("},"participant":[)";
    for (std::size_t i = 0; i < practitioners.size(); ++i) {
      // "abs:" marks an absolute reference on our base.
      const bool absolute = practitioners[i].rfind("abs:", 0) == 0;
      const std::string ref = absolute ? std::string(search_test::kBase) + "/Practitioner/" + practitioners[i].substr(4)
                                       : "Practitioner/" + practitioners[i];
      j += (i ? "," : "") + std::string(R"({"individual":{"reference":")") + ref + "\"}}";
    }
    put(j + "]}");
  }
  void observation(const std::string& id, const std::string& subject) {
    put(R"({"resourceType":"Observation","id":")" + id + R"(","status":"final","code":{"text":"x"},)"
        R"("subject":{"reference":")" + subject + "\"}}");
  }

  bool joined(const std::string& type, const std::string& query, std::optional<std::string> patient = {}) {
    auto req = parse(type, params(query));
    EXPECT_TRUE(req.ok()) << req.error().message;
    if (!req.ok()) return false;
    restrict_to(*req, patient);
    auto ps = search::compile_page(*req, *SearchEnv::get().search.ids, req->sort.empty());
    EXPECT_TRUE(ps.ok()) << ps.error().message;
    return ps.ok() && ps->joined;
  }

  // Every match, following next cursors; and the same walked back from the last page.
  Ids walk(const std::string& type, const std::string& query, std::optional<std::string> patient = {},
           Ids* backwards = nullptr) {
    Ids out;
    std::vector<Ids> pages;
    auto p = params(query);
    auto page = run(type, p, patient);
    std::optional<std::string> last_prev;
    for (int n = 0; page.ok() && n < 100; ++n) {
      Ids ids;
      for (const auto& m : page->matches) ids.push_back(m.id);
      out.insert(out.end(), ids.begin(), ids.end());
      pages.push_back(ids);
      last_prev = page->prev_cursor;
      if (!page->next_cursor) break;
      auto next = p;
      next.emplace_back("_cursor", *page->next_cursor);
      page = run(type, next, patient);
    }
    EXPECT_TRUE(page.ok()) << page.error().message;
    if (backwards) {
      // From the last page back to the first: each previous page as seen going forward.
      backwards->clear();
      for (std::size_t i = pages.size() - 1; i-- > 0 && last_prev;) {
        auto prev = p;
        prev.emplace_back("_cursor", *last_prev);
        auto back = run(type, prev, patient);
        if (!back.ok()) {
          ADD_FAILURE() << back.error().message;
          break;
        }
        Ids ids;
        for (const auto& m : back->matches) ids.push_back(m.id);
        EXPECT_EQ(ids, pages[i]) << "page " << i;
        backwards->insert(backwards->begin(), ids.begin(), ids.end());
        last_prev = back->prev_cursor;
      }
      backwards->insert(backwards->end(), pages.back().begin(), pages.back().end());
    }
    return out;
  }
};

TEST_F(JoinTest, ChosenForOneTypedReferenceOrTheCompartmentInRidOrder) {
  EXPECT_TRUE(joined("Observation", "patient=p1"));
  EXPECT_TRUE(joined("Observation", "patient=Patient/p1&code=x"));
  EXPECT_TRUE(joined("Encounter", "practitioner=d1"));
  EXPECT_TRUE(joined("Observation", "", "p1")) << "a patient's compartment drives";
  EXPECT_FALSE(joined("Observation", "patient=p1&_sort=date")) << "sorted: not in rid order";
  EXPECT_FALSE(joined("Observation", "patient=p1,p2")) << "two targets: two index ranges";
  EXPECT_FALSE(joined("Observation", "subject=p1")) << "several target types";
  EXPECT_FALSE(joined("Observation", "code=x")) << "a token drives";
  EXPECT_FALSE(joined("Observation", ""));
}

TEST_F(JoinTest, AResourceReferencingTheTargetTwiceComesOnce) {
  encounter("e1", "p1", {"d1"});
  // The indexer drops identical references; the same target written relative and absolute (on our
  // base) stays as two index rows that both match.
  encounter("e2", "p1", {"d1", "d2", "abs:d1"});
  encounter("e3", "p2", {"d2"});
  encounter("e4", "p1", {"abs:d1", "d1"});
  encounter("e5", "p2", {"d1"});
  const Ids all{"e1", "e2", "e4", "e5"};
  EXPECT_EQ(ids("Encounter", "practitioner=d1"), all);
  for (int count = 1; count <= 5; ++count) {
    Ids back;
    EXPECT_EQ(walk("Encounter", "practitioner=d1&_count=" + std::to_string(count), std::nullopt, &back), all)
        << "count " << count;
    EXPECT_EQ(back, all) << "count " << count;
  }
  auto one_page = run("Encounter", params("practitioner=d1"));
  ASSERT_TRUE(one_page.ok());
  EXPECT_EQ(one_page->total, 4) << "every match on the first page: the total is given";
  EXPECT_FALSE(one_page->next_cursor);
  auto counted = run("Encounter", params("practitioner=d1&_total=accurate&_count=1"));
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->total, 4) << "the count is not inflated by the repeated references";
}

TEST_F(JoinTest, PatientByIdMatchesPatientReferencesOnly) {
  observation("o1", "Patient/x");
  observation("o2", "Group/x");
  observation("o3", "Patient/y");
  observation("o4", std::string(search_test::kBase) + "/Patient/x");
  observation("o5", "https://elsewhere.test/r4/Patient/x");
  EXPECT_EQ(ids("Observation", "patient=x"), (Ids{"o1", "o4"}));
  EXPECT_EQ(ids("Observation", "patient=Patient/x"), (Ids{"o1", "o4"}));
  EXPECT_EQ(ids("Observation", "subject=x"), (Ids{"o1", "o2", "o4"}));
  EXPECT_EQ(ids("Observation", "subject=Group/x"), (Ids{"o2"}));
}

TEST_F(JoinTest, PagingUnderAPatientTokenSeesOnlyThatPatient) {
  Ids mine;
  for (int i = 0; i < 7; ++i) {
    observation("a" + std::to_string(i), "Patient/p1");
    mine.push_back("a" + std::to_string(i));
    observation("b" + std::to_string(i), "Patient/p2");
  }
  for (const std::string query : {"", "patient=p1"}) {
    for (int count = 1; count <= 8; ++count) {
      Ids back;
      const std::string q = query + (query.empty() ? "" : "&") + "_count=" + std::to_string(count);
      EXPECT_EQ(walk("Observation", q, "p1", &back), mine) << q;
      EXPECT_EQ(back, mine) << q;
    }
  }
  EXPECT_TRUE(walk("Observation", "patient=p2", "p1").empty()) << "another patient's data: nothing";
}

}  // namespace
