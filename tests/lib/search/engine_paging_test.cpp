// _sort (several keys, descending, missing values last), keyset paging through every page (no
// duplicates, no gaps, also while resources are inserted between fetches), previous links,
// _count/_total/_summary=count, and paging cursors that are tampered with or replayed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/search/engine_fixture.hpp"

namespace {

using search_test::EngineTest;
using Ids = std::vector<std::string>;

class PagingTest : public EngineTest {
 protected:
  // family, birthDate (may be empty: none), gender
  void patient(const std::string& id, const std::string& family, const std::string& birth,
               const std::string& gender = "female") {
    std::string j = R"({"resourceType":"Patient","id":")" + id + R"(","gender":")" + gender + "\"";
    if (!family.empty()) j += R"(,"name":[{"family":")" + family + "\"}]";
    if (!birth.empty()) j += R"(,"birthDate":")" + birth + "\"";
    put(j + "}");
  }

  void SetUp() override {
    EngineTest::SetUp();
    patient("p1", "Baker", "1980-01-01");
    patient("p2", "Adams", "1990-05-05", "male");
    patient("p3", "Baker", "1975-03-03", "male");
    patient("p4", "Clark", "");
    patient("p5", "", "1985-07-07");
    patient("p6", "adams", "1990-05-05");
    patient("p7", "Baker", "1980-01-01");
  }

  base::Result<search::SearchPage> page(const std::string& query, const std::string& cursor = "") {
    auto p = params(query);
    if (!cursor.empty()) p.emplace_back("_cursor", cursor);
    return run("Patient", p);
  }

  static Ids ids_of(const search::SearchPage& p) {
    Ids out;
    for (const auto& m : p.matches) out.push_back(m.id);
    return out;
  }

  // Follows next cursors to the end; returns every match in order.
  Ids walk(const std::string& query, int* pages = nullptr) {
    Ids out;
    auto p = page(query);
    int n = 0;
    while (p.ok() && n < 100) {
      ++n;
      for (auto& id : ids_of(*p)) out.push_back(id);
      if (!p->next_cursor) break;
      p = page(query, *p->next_cursor);
    }
    EXPECT_TRUE(p.ok()) << p.error().message;
    if (pages) *pages = n;
    return out;
  }
};

TEST_F(PagingTest, DefaultOrderIsInsertionOrder) {
  EXPECT_EQ(ids("Patient", ""), (Ids{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}));
  int pages = 0;
  EXPECT_EQ(walk("_count=2", &pages), (Ids{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}));
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(walk("_count=7", &pages).size(), 7u);
  EXPECT_EQ(pages, 1);
}

TEST_F(PagingTest, SortByOneKey) {
  // Missing values sort last in both directions; ties by insertion order.
  EXPECT_EQ(ids("Patient", "_sort=family"), (Ids{"p2", "p6", "p1", "p3", "p7", "p4", "p5"}));
  EXPECT_EQ(ids("Patient", "_sort=-family"), (Ids{"p4", "p1", "p3", "p7", "p2", "p6", "p5"}));
  EXPECT_EQ(ids("Patient", "_sort=birthdate"), (Ids{"p3", "p1", "p7", "p5", "p2", "p6", "p4"}));
  EXPECT_EQ(ids("Patient", "_sort=-birthdate"), (Ids{"p2", "p6", "p5", "p1", "p7", "p3", "p4"}));
  EXPECT_EQ(ids("Patient", "_sort=-_id"), (Ids{"p7", "p6", "p5", "p4", "p3", "p2", "p1"}));
  EXPECT_EQ(ids("Patient", "_sort=gender"), (Ids{"p1", "p4", "p5", "p6", "p7", "p2", "p3"}));
}

TEST_F(PagingTest, SortBySeveralKeys) {
  EXPECT_EQ(ids("Patient", "_sort=family,-birthdate"), (Ids{"p2", "p6", "p1", "p7", "p3", "p4", "p5"}));
  EXPECT_EQ(ids("Patient", "_sort=-gender,birthdate,-_id"), (Ids{"p3", "p2", "p7", "p1", "p5", "p6", "p4"}));
}

TEST_F(PagingTest, EveryPageOnceForEverySortAndPageSize) {
  for (const char* sort : {"", "family", "-family", "birthdate", "-birthdate", "family,-birthdate",
                           "-gender,birthdate,-_id", "_lastUpdated", "-_lastUpdated", "_id", "gender,family"}) {
    const std::string q = std::string(*sort ? "_sort=" : "") + sort;
    const Ids all = ids("Patient", q);
    ASSERT_EQ(all.size(), 7u) << q;
    for (int count = 1; count <= 8; ++count) {
      EXPECT_EQ(walk(q + (q.empty() ? "" : "&") + "_count=" + std::to_string(count)), all) << q << " count " << count;
    }
  }
}

TEST_F(PagingTest, InsertsBetweenPagesCauseNoDuplicatesOrGaps) {
  auto first = page("_sort=family&_count=3");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(ids_of(*first), (Ids{"p2", "p6", "p1"}));
  ASSERT_TRUE(first->next_cursor);
  // One that sorts before the cursor (must not appear later), one after it (must appear).
  patient("n-before", "Aaron", "2000-01-01");
  patient("n-after", "Zed", "2000-01-01");
  patient("n-tie", "Baker", "2000-01-01");  // same key as the cursor row, inserted later: after it
  Ids rest;
  auto p = page("_sort=family&_count=3", *first->next_cursor);
  while (p.ok()) {
    for (auto& id : ids_of(*p)) rest.push_back(id);
    if (!p->next_cursor) break;
    patient("n-" + std::to_string(rest.size()), "Aardvark", "");  // keeps inserting before the cursor
    p = page("_sort=family&_count=3", *p->next_cursor);
  }
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(rest, (Ids{"p3", "p7", "n-tie", "p4", "n-after", "p5"}));

  // Default order: new resources come at the end.
  auto d = page("_count=4");
  ASSERT_TRUE(d.ok());
  patient("late", "Late", "");
  auto d2 = page("_count=100", *d->next_cursor);
  ASSERT_TRUE(d2.ok());
  const Ids tail = ids_of(*d2);
  EXPECT_EQ(std::count(tail.begin(), tail.end(), "late"), 1);
  for (const auto& id : ids_of(*d)) EXPECT_EQ(std::count(tail.begin(), tail.end(), id), 0) << id;
}

TEST_F(PagingTest, DeletesBetweenPagesCauseNoDuplicates) {
  auto first = page("_sort=birthdate&_count=2");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(ids_of(*first), (Ids{"p3", "p1"}));
  remove("Patient", "p1");  // the cursor row itself
  remove("Patient", "p2");
  auto second = page("_sort=birthdate&_count=10", *first->next_cursor);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(ids_of(*second), (Ids{"p7", "p5", "p6", "p4"}));
}

TEST_F(PagingTest, PreviousLinks) {
  const std::string q = "_sort=-family,_id&_count=2";
  const Ids all = ids("Patient", "_sort=-family,_id");
  std::vector<search::SearchPage> pages;
  auto p = page(q);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->prev_cursor);
  pages.push_back(*p);
  while (pages.back().next_cursor) {
    auto n = page(q, *pages.back().next_cursor);
    ASSERT_TRUE(n.ok());
    EXPECT_TRUE(n->prev_cursor);
    pages.push_back(*n);
  }
  ASSERT_EQ(pages.size(), 4u);
  // Walk back from the last page: each previous page is exactly the page seen going forward.
  for (std::size_t i = pages.size() - 1; i > 0; --i) {
    ASSERT_TRUE(pages[i].prev_cursor) << i;
    auto prev = page(q, *pages[i].prev_cursor);
    ASSERT_TRUE(prev.ok()) << prev.error().message;
    EXPECT_EQ(ids_of(*prev), ids_of(pages[i - 1])) << i;
    EXPECT_TRUE(prev->next_cursor) << i;
    EXPECT_EQ(prev->prev_cursor.has_value(), i - 1 > 0) << i;
    if (prev->next_cursor) {
      auto again = page(q, *prev->next_cursor);
      ASSERT_TRUE(again.ok());
      EXPECT_EQ(ids_of(*again), ids_of(pages[i])) << i;
    }
  }
  Ids joined;
  for (const auto& pg : pages) {
    for (auto& id : ids_of(pg)) joined.push_back(id);
  }
  EXPECT_EQ(joined, all);
}

TEST_F(PagingTest, CountAndTotal) {
  auto p = page("_count=2&_total=accurate");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 7);
  EXPECT_EQ(p->matches.size(), 2u);

  // Without _total, the total is given only when it is free (everything on the first page).
  p = page("_count=2");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->total);
  p = page("_count=50");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 7);

  p = page("_count=0");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 7);
  EXPECT_TRUE(p->matches.empty());
  EXPECT_FALSE(p->next_cursor);

  p = page("_summary=count&family=baker");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->total, 3);
  EXPECT_TRUE(p->matches.empty());

  p = page("_total=none&_count=2");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->total);
  EXPECT_TRUE(p->next_cursor);

  p = page("_total=estimate");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->total);

  auto req = parse("Patient", params("_count=5000"));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->count, search::kMaxCount);
  req = parse("Patient", params(""));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->count, 50);
  EXPECT_EQ(error_of("Patient", "_count=-1"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Patient", "_count=abc"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Patient", "_total=all"), base::ErrorCode::invalid);
}

TEST_F(PagingTest, HugeCountIsCapped) {
  // BUG: lib/search/query_parser.cpp parse_count() rejects a count that does not fit an int
  // (std::from_chars -> result_out_of_range) with a 400 instead of capping it at kMaxCount.
  auto req = parse("Patient", params("_count=99999999999999999999"));
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->count, search::kMaxCount);
}

TEST_F(PagingTest, BadSorts) {
  EXPECT_EQ(error_of("Patient", "_sort=nope"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Patient", "_sort=family,nope"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("Patient", "_sort=organization"), base::ErrorCode::invalid);  // reference
  EXPECT_EQ(error_of("Patient", "_sort='; DROP TABLE resources; --"), base::ErrorCode::invalid);
  EXPECT_EQ(error_of("", "_sort=family"), base::ErrorCode::invalid);
  EXPECT_EQ(ids("Patient", "").size(), 7u);
}

TEST_F(PagingTest, TamperedCursorsAreRefused) {
  auto first = page("_sort=family&_count=2");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->next_cursor);
  const std::string good = *first->next_cursor;
  ASSERT_TRUE(page("_sort=family&_count=2", good).ok());

  std::vector<std::string> bad{"", "x", ".", "abc.def", good + "x", good.substr(1), "." + good,
                               good.substr(0, good.find('.')), good.substr(0, good.find('.') + 1),
                               std::string(9000, 'a') + "." + "b", "'; DROP TABLE resources; --", "%", "_", "\\"};
  // (Not the last character: in base64url its low bits are padding, so changing it may decode to
  // the same bytes.)
  for (std::size_t i = 0; i + 1 < good.size(); i += 3) {
    std::string t = good;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    bad.push_back(t);
  }
  for (const auto& c : bad) {
    if (c.empty()) continue;  // an empty _cursor means "first page"
    auto p = page("_sort=family&_count=2", c);
    ASSERT_FALSE(p.ok()) << c;
    EXPECT_EQ(p.error().code, base::ErrorCode::invalid) << c;
  }
  EXPECT_EQ(ids("Patient", "").size(), 7u);
}

TEST_F(PagingTest, CursorReplayedOnAnotherQueryIsRefused) {
  auto first = page("_sort=family&_count=2");
  ASSERT_TRUE(first.ok());
  const std::string c = *first->next_cursor;
  for (const char* other : {"_sort=-family&_count=2", "_sort=birthdate&_count=2", "_sort=family&gender=male&_count=2",
                            "_count=2", "_sort=family&_include=Patient:organization&_count=2"}) {
    auto p = page(other, c);
    ASSERT_FALSE(p.ok()) << other;
    EXPECT_EQ(p.error().code, base::ErrorCode::invalid) << other;
  }
  auto obs = run("Observation", {{"_sort", "_lastUpdated"}, {"_cursor", c}});
  EXPECT_FALSE(obs.ok());
  // Changing only _count between pages is fine.
  auto p = page("_sort=family&_count=3", c);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(ids_of(*p), (Ids{"p1", "p3", "p7"}));
}

TEST_F(PagingTest, CursorCannotBeMovedToAQueryWithTheSameTextAfterJoining) {
  // name=["x&family=y"] and name=x&family=y are different searches, but the fingerprint of
  // lib/search/engine.cpp SearchEngine::fingerprint() joins "k=v&" without escaping, so both
  // canonicalise to "Patient?name=x&family=y&" and a cursor of one is accepted by the other.
  // BUG: engine.cpp fingerprint(): keys/values are not escaped (or length-prefixed) before joining.
  patient("amp1", "x&family=y1", "");
  patient("amp2", "x&family=y2", "");
  auto first = run("Patient", {{"name", "x&family=y"}, {"_count", "1"}});
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->matches.size(), 1u);
  ASSERT_TRUE(first->next_cursor);
  auto other = run("Patient", {{"name", "x"}, {"family", "y"}, {"_cursor", *first->next_cursor}});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, base::ErrorCode::invalid);
}

}  // namespace
