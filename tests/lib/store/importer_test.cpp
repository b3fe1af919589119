// store::Importer: the bulk pipeline must leave the database exactly as writing every resource
// through ResourceStore::write does (same stored resources, same search index rows, same
// compartments, same Groups), and must report bad inputs with source and line, in order.
// Uses the whole backend (search indexer and Groups as store hooks) and the synthetic generator.
#include "store/importer.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "rest/backend.hpp"
#include "support/temp_dir.hpp"
#include "synth/generator.hpp"

namespace {

using base::Json;

struct Line {
  std::string type;
  std::string text;
};

std::vector<Line> generated(std::int64_t patients, std::uint64_t seed) {
  std::vector<Line> out;
  synth::Options o;
  o.patients = patients;
  o.seed = seed;
  auto counts = synth::generate(o, [&](std::string_view type, std::string_view json) {
    out.push_back({std::string(type), std::string(json)});
  });
  EXPECT_TRUE(counts.ok());
  return out;
}

std::unique_ptr<rest::Backend> open(const std::filesystem::path& dir) {
  auto b = rest::open_backend(dir);
  EXPECT_TRUE(b.ok()) << (b.ok() ? "" : b.error().message);
  return b.ok() ? std::move(*b) : nullptr;
}

// Every row of a query, each row's columns joined by '|' (NULL as \N), sorted.
std::vector<std::string> rows(rest::Backend& b, const std::string& sql) {
  std::vector<std::string> out;
  auto conn = b.db->reader();
  EXPECT_TRUE(conn.ok());
  if (!conn.ok()) return out;
  sql::Query q(**conn, sql);
  while (true) {
    auto row = q.step();
    EXPECT_TRUE(row.ok()) << (row.ok() ? "" : row.error().message) << "\n" << sql;
    if (!row.ok() || !*row) break;
    std::string line;
    for (int c = 0;; ++c) {
      // Column count is not exposed: the queries below name their columns, ending with a sentinel.
      if (q.text_at(c) == "#end") break;
      line += (q.null_at(c) ? std::string("\\N") : q.string_at(c)) + "|";
    }
    out.push_back(std::move(line));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The index of every resource, keyed by type/id instead of rid (rids differ between databases),
// with parameters by resource type and code.
std::map<std::string, std::vector<std::string>> index_rows(rest::Backend& b) {
  const std::string key = "r.type, r.id, p.resource_type, p.code";
  const std::string join = " x JOIN resources r ON r.rid = x.rid JOIN search_param p ON p.id = x.param";
  std::map<std::string, std::vector<std::string>> out;
  out["string"] = rows(b, "SELECT " + key + ", x.norm, x.exact, '#end' FROM idx_string" + join);
  out["token"] = rows(b, "SELECT " + key + ", x.system, x.code, x.text, x.of_type, '#end' FROM idx_token" + join);
  out["reference"] =
      rows(b, "SELECT " + key + ", x.target_type, x.target_id, x.url, '#end' FROM idx_reference" + join);
  out["date"] = rows(b, "SELECT " + key + ", x.low, x.high, '#end' FROM idx_date" + join);
  out["number"] = rows(b, "SELECT " + key + ", x.value, '#end' FROM idx_number" + join);
  out["quantity"] =
      rows(b, "SELECT " + key + ", x.value, x.system, x.code, x.unit, '#end' FROM idx_quantity" + join);
  out["uri"] = rows(b, "SELECT " + key + ", x.value, '#end' FROM idx_uri" + join);
  out["compartment"] =
      rows(b, "SELECT r.type, r.id, x.patient_id, '#end' FROM compartment x JOIN resources r ON r.rid = x.rid");
  return out;
}

// Current resources with meta.lastUpdated removed (the instants differ), and the version of
// each (Groups excepted: an ordinary write refreshes them once per transaction, so their version
// count depends on the transactions, not on the data).
std::vector<std::string> resources(rest::Backend& b) {
  std::vector<std::string> out;
  for (const auto& r : rows(b, "SELECT type, id, version, deleted, json, '#end' FROM resources")) {
    const auto bar = r.find("|{");
    Json j = Json::parse(r.substr(bar + 1, r.size() - bar - 2));
    j["meta"].erase("lastUpdated");
    std::string head = r.substr(0, bar);
    if (j["resourceType"] == "Group") {
      j["meta"].erase("versionId");
      head = head.substr(0, head.rfind('|', head.rfind('|') - 1)) + "|<v>|0";
    }
    out.push_back(head + "|" + j.dump());
  }
  return out;
}

class ImporterTest : public ::testing::Test {
 protected:
  test_support::TempDir dir_{"fhir-importer-test"};
};

TEST_F(ImporterTest, SameDatabaseAsWritingEachResourceThroughTheStore) {
  const auto data = generated(4, 7);
  ASSERT_GT(data.size(), 500u);
  auto written = open(dir_ / "written");
  auto imported = open(dir_ / "imported");
  ASSERT_TRUE(written && imported);

  // Twice: the second pass updates every resource (version 2, index rows replaced).
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& l : data) {
      Json j = Json::parse(l.text);
      const std::string id = j["id"].get<std::string>();
      auto w = written->resources->update(l.type, id, std::move(j));
      ASSERT_TRUE(w.ok()) << w.error().message;
    }
    store::Importer importer(*imported->resources, store::ImportOptions{97, 2});  // odd batches, two workers
    std::int64_t line = 0;
    for (const auto& l : data) ASSERT_TRUE(importer.add("gen", ++line, l.text).ok());
    ASSERT_TRUE(importer.flush().ok());
    const auto st = importer.stats();
    EXPECT_EQ(st.rejected, 0);
    EXPECT_EQ(st.created, pass == 0 ? static_cast<std::int64_t>(data.size()) : 0);
    EXPECT_EQ(st.updated, pass == 0 ? 0 : static_cast<std::int64_t>(data.size()));
  }

  const auto a = resources(*written);
  const auto b = resources(*imported);
  EXPECT_GT(a.size(), data.size()) << "Groups were made";
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]);

  const auto ia = index_rows(*written);
  const auto ib = index_rows(*imported);
  for (const auto& [table, ra] : ia) {
    const auto& rb = ib.at(table);
    EXPECT_EQ(ra.size(), rb.size()) << table;
    if (ra != rb) {
      for (std::size_t i = 0; i < std::min(ra.size(), rb.size()); ++i) {
        ASSERT_EQ(ra[i], rb[i]) << table;
      }
    }
  }
  EXPECT_GT(ia.at("token").size(), data.size());
  EXPECT_GT(ia.at("compartment").size(), data.size() / 3);

  // History: two versions of every imported resource, PUT both times.
  const auto ha = rows(*written, "SELECT type, id, version, method, '#end' FROM resource_history WHERE type != 'Group'");
  const auto hb = rows(*imported, "SELECT type, id, version, method, '#end' FROM resource_history WHERE type != 'Group'");
  EXPECT_EQ(ha, hb);
  EXPECT_EQ(hb.size(), 2 * data.size());
}

// The same id twice in one batch and again in a later load: every version reads as itself
// (the current version's history row shares the json in `resources`).
TEST_F(ImporterTest, EveryImportedVersionKeepsItsOwnJson) {
  auto b = open(dir_ / "data");
  ASSERT_TRUE(b);
  auto line = [](int n) {
    return R"({"resourceType":"Patient","id":"p1","name":[{"family":"f)" + std::to_string(n) + R"("}]})";
  };
  {
    store::Importer importer(*b->resources, store::ImportOptions{1000, 1});
    for (int n = 1; n <= 3; ++n) ASSERT_TRUE(importer.add("a.ndjson", n, line(n)).ok());
    ASSERT_TRUE(importer.flush().ok());
  }
  {
    store::Importer importer(*b->resources, store::ImportOptions{1000, 1});
    ASSERT_TRUE(importer.add("b.ndjson", 1, line(4)).ok());
    ASSERT_TRUE(importer.flush().ok());
  }
  for (int v = 1; v <= 4; ++v) {
    auto r = b->resources->vread("Patient", "p1", v);
    ASSERT_TRUE(r.ok()) << v << ": " << r.error().message;
    const Json j = Json::parse(r->json);
    EXPECT_EQ(j["name"][0]["family"], "f" + std::to_string(v));
    EXPECT_EQ(j["meta"]["versionId"], std::to_string(v));
  }
  EXPECT_EQ(rows(*b, "SELECT version, '#end' FROM resource_history WHERE json IS NULL"), std::vector<std::string>{"4|"});
}

TEST_F(ImporterTest, BadInputsAreRejectedWithSourceAndLineInOrder) {
  auto b = open(dir_ / "data");
  ASSERT_TRUE(b);
  store::Importer importer(*b->resources, store::ImportOptions{3, 2});
  ASSERT_TRUE(importer.add("a.ndjson", 1, R"({"resourceType":"Patient","id":"p1"})").ok());
  ASSERT_TRUE(importer.add("a.ndjson", 2, "not json").ok());
  ASSERT_TRUE(importer.add("a.ndjson", 3, R"({"resourceType":"Pateint","id":"x"})").ok());
  importer.reject("a.ndjson", 4, "line longer than 64 MiB; skipped");
  ASSERT_TRUE(importer.add("a.ndjson", 5, R"([1,2])").ok());
  ASSERT_TRUE(importer.add("b.ndjson", 1, R"({"resourceType":"Patient","id":"p1","active":true})").ok());
  ASSERT_TRUE(importer.add("b.ndjson", 2, R"({"resourceType":"Patient","birthDate":"1990-02-30"})").ok());
  ASSERT_TRUE(importer.add("b.ndjson", 3, R"({"resourceType":"Patient","active":false})").ok());
  ASSERT_TRUE(importer.add_resource("c.json#entry1", 1, Json::parse(R"({"resourceType":"Organization","id":"o"})")).ok());
  ASSERT_TRUE(importer.flush().ok());
  const auto st = importer.stats();
  EXPECT_EQ(st.created, 3) << "p1, the Patient without id, o";
  EXPECT_EQ(st.updated, 1) << "p1 again";
  EXPECT_EQ(st.rejected, 5);
  ASSERT_EQ(st.errors.size(), 5u);
  EXPECT_EQ(st.errors[0].rfind("a.ndjson:2: ", 0), 0u) << st.errors[0];
  EXPECT_EQ(st.errors[1].rfind("a.ndjson:3: ", 0), 0u) << st.errors[1];
  EXPECT_NE(st.errors[1].find("Pateint"), std::string::npos) << st.errors[1];
  EXPECT_EQ(st.errors[2], "a.ndjson:4: line longer than 64 MiB; skipped");
  EXPECT_EQ(st.errors[3], "a.ndjson:5: not a JSON object");
  EXPECT_EQ(st.errors[4].rfind("b.ndjson:2: ", 0), 0u) << st.errors[4];
  auto p1 = b->resources->read("Patient", "p1");
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->version, 2);
  EXPECT_NE(p1->json.find("\"active\":true"), std::string::npos);
  auto history = b->resources->history({.type = std::string("Patient"), .id = std::string("p1")});
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->total, 2);
  EXPECT_TRUE(b->resources->read("Organization", "o").ok());
}

TEST_F(ImporterTest, FlushTwiceAndCountsWhileLoading) {
  auto b = open(dir_ / "data");
  ASSERT_TRUE(b);
  store::Importer importer(*b->resources, store::ImportOptions{10, 1});
  for (int i = 0; i < 25; ++i) {
    ASSERT_TRUE(importer.add("x", i + 1, R"({"resourceType":"Patient","id":"p)" + std::to_string(i) + "\"}").ok());
  }
  ASSERT_TRUE(importer.flush().ok());
  EXPECT_EQ(importer.counts().created, 25);
  ASSERT_TRUE(importer.flush().ok()) << "nothing new";
  ASSERT_TRUE(importer.add("y", 1, R"({"resourceType":"Patient","id":"p0"})").ok());
  ASSERT_TRUE(importer.flush().ok());
  const auto st = importer.stats();
  EXPECT_EQ(st.created, 25);
  EXPECT_EQ(st.updated, 1);
  // The connection is back to durable commits after flush.
  auto conn = b->db->writer();
  ASSERT_TRUE(conn.ok());
  {
    sql::Query q(**conn, "PRAGMA synchronous");
    ASSERT_TRUE(q.step().ok());
    EXPECT_EQ(q.int_at(0), 2) << "FULL";
  }
  // ...and checks foreign keys again (the load turns them off: it makes every rid it refers to).
  sql::Query fk(**conn, "PRAGMA foreign_keys");
  ASSERT_TRUE(fk.step().ok());
  EXPECT_EQ(fk.int_at(0), 1);
}

TEST_F(ImporterTest, DestroyedWithoutFlushDoesNotHang) {
  auto b = open(dir_ / "data");
  ASSERT_TRUE(b);
  {
    store::Importer importer(*b->resources, store::ImportOptions{1000, 2});
    for (int i = 0; i < 600; ++i) {
      ASSERT_TRUE(importer.add("x", i + 1, R"({"resourceType":"Patient","id":"q)" + std::to_string(i) + "\"}").ok());
    }
  }
  SUCCEED();
}

}  // namespace
