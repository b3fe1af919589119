// The property the SMART issue asks for: a patient-context token never sees another patient's data.
// Data: synthetic patients (lib/synth, with their shared organizations, practitioners, locations,
// the practitioner Groups the server derives) plus the US Core 3.1.1 examples. For a patient A
// with patient/<Type>.read on EVERY stored type, every type x {read, vread and history of each
// resource A may not see; search without and with parameters (GET and POST); _include of all
// the type's reference parameters (plain and :iterate); _revinclude of every revinclude the
// registry knows plus Provenance:target (plain and :iterate); system search _type=; type and
// system history} is requested, and every resource in every answer is checked against an oracle
// computed independently from the stored JSON (not from the index tables the guard uses):
//   - a resource that references one or more patients (or is a Patient) may be seen only when A is
//     among them;
//   - a resource that references no patient may be seen only when a resource naming A references
//     it (a shared Practitioner, Organization, Medication, ...), or it references such a resource
//     (a Provenance of A's data).
// A second test runs the same oracle over a user-level token and requires it to find "leaks",
// so the oracle can fail.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>

#include "lib/rest/guard_fixture.hpp"
#include "model/resource_types.hpp"
#include "search/registry.hpp"
#include "synth/generator.hpp"

namespace {

using guard_test::GuardEnv;
using guard_test::GuardTest;
using rest::Method;

std::filesystem::path us_core_file() {
  return std::filesystem::path(FHIR_SOURCE_DIR) / "tests" / "data" / "us-core-examples.ndjson";
}

// "Type/id" of a reference string: relative, or absolute on our base; "" otherwise.
std::string local_reference(std::string ref) {
  const std::string base = std::string(guard_test::kBase) + "/";
  if (ref.rfind(base, 0) == 0) ref = ref.substr(base.size());
  if (ref.empty() || !(ref[0] >= 'A' && ref[0] <= 'Z') || ref.find("://") != std::string::npos) return "";
  const auto slash = ref.find('/');
  if (slash == std::string::npos) return "";
  const auto end = ref.find('/', slash + 1);
  return ref.substr(0, end);
}

void collect_references(const nlohmann::json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "reference" && it.value().is_string()) {
        auto r = local_reference(it.value().get<std::string>());
        if (!r.empty()) out.insert(r);
      } else {
        collect_references(it.value(), out);
      }
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_references(v, out);
  }
}

struct Dataset {
  std::map<std::string, std::set<std::string>> refs;      // "Type/id" -> local references it makes
  std::map<std::string, std::set<std::string>> patients;  // "Type/id" -> patient ids it names (itself for a Patient)
  std::map<std::string, std::int64_t> versions;           // "Type/id" -> current version
  std::set<std::string> types;
  std::vector<std::string> patient_ids;
};

// The oracle: may patient A's token see `key`?
class Oracle {
 public:
  Oracle(const Dataset& d, const std::string& a) : d_(d), a_(a) {
    for (const auto& [key, pats] : d.patients) {
      if (pats.count(a)) naming_a_.insert(key);
    }
    for (const auto& key : naming_a_) {
      for (const auto& r : d.refs.at(key)) referenced_by_a_.insert(r);
    }
  }
  bool allowed(const std::string& key) const {
    auto p = d_.patients.find(key);
    if (p == d_.patients.end()) return false;  // not stored at all
    if (!p->second.empty()) return p->second.count(a_) > 0;
    if (referenced_by_a_.count(key)) return true;
    for (const auto& r : d_.refs.at(key)) {
      if (naming_a_.count(r)) return true;
    }
    return false;
  }

 private:
  const Dataset& d_;
  std::string a_;
  std::set<std::string> naming_a_;
  std::set<std::string> referenced_by_a_;
};

class GuardProperty : public GuardTest {
 protected:
  // Loaded on first use (in SetUp, so that a missing data file fails the tests instead of skipping them).
  static std::string load_once() {
    static std::string error = [] {
      try {
        shared_ = std::make_unique<GuardEnv>();
        shared_->services.api_log = nullptr;  // thousands of requests: no need to record them
        shared_->router = std::make_unique<rest::Router>(shared_->services);
        load(*shared_);
        return std::string();
      } catch (const std::exception& e) {
        return std::string(e.what());
      }
    }();
    return error;
  }
  static void TearDownTestSuite() {
    shared_.reset();
    data_ = Dataset();
  }

  static void write_all(GuardEnv& e, const std::vector<std::string>& texts) {
    for (std::size_t i = 0; i < texts.size(); i += 500) {
      auto s = e.backend->resources->write([&](store::WriteTx& tx) -> base::Status {
        for (std::size_t j = i; j < std::min(texts.size(), i + 500); ++j) {
          FHIR_TRY(auto json, base::parse_json(texts[j]));
          const std::string type = json["resourceType"].get<std::string>();
          const std::string id = json["id"].get<std::string>();
          auto w = tx.update(type, id, std::move(json));
          if (!w) return std::move(w).error();
        }
        return {};
      });
      if (!s.ok()) throw std::runtime_error(s.error().message);
    }
  }

  static void load(GuardEnv& e) {
    std::vector<std::string> texts;
    synth::Options o;
    o.patients = 4;
    o.seed = 20240501;
    auto counts = synth::generate(o, [&](std::string_view, std::string_view json) { texts.emplace_back(json); });
    if (!counts.ok()) throw std::runtime_error(counts.error().message);
    std::ifstream in(us_core_file());
    if (!in) throw std::runtime_error("missing " + us_core_file().string());
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) texts.push_back(line);
    }
    write_all(e, texts);
  }

  void SetUp() override {
    ASSERT_EQ(load_once(), "");
    env_ = shared_.get();
    if (data_.types.empty()) read_dataset();
  }
  void TearDown() override { env_ = nullptr; }

  // Everything stored, read straight from the resources table (after the Group hook ran).
  void read_dataset() {
    auto conn = env_->backend->db->reader();
    ASSERT_TRUE(conn.ok());
    sql::Query q(**conn, "SELECT type, id, version, json FROM resources WHERE deleted = 0");
    while (true) {
      auto row = q.step();
      ASSERT_TRUE(row.ok());
      if (!*row) break;
      const std::string type = q.string_at(0), id = q.string_at(1), key = type + "/" + id;
      auto j = nlohmann::json::parse(q.string_at(3));
      std::set<std::string> refs;
      collect_references(j, refs);
      std::set<std::string> pats;
      if (type == "Patient") {
        pats.insert(id);
        data_.patient_ids.push_back(id);
      }
      for (const auto& r : refs) {
        if (r.rfind("Patient/", 0) == 0) pats.insert(r.substr(8));
      }
      data_.refs[key] = std::move(refs);
      data_.patients[key] = std::move(pats);
      data_.versions[key] = q.int_at(2);
      data_.types.insert(type);
    }
  }

  std::string scopes_for_every_type(const std::string& level) const {
    std::string s = "launch/patient";
    for (const auto& t : data_.types) s += " " + level + "/" + t + ".read";
    return s;
  }

  // Reference-parameter includes of `type` and every revinclude targeting it, as the
  // CapabilityStatement lists them.
  std::vector<std::string> include_params(const std::string& type) const {
    std::vector<std::string> out;
    for (const auto* p : env_->backend->search.registry->for_type(type)) {
      if (p->type == search::ParamType::reference && p->resource_type == type) out.push_back(type + ":" + p->code);
    }
    return out;
  }
  std::vector<std::string> revinclude_params(const std::string& type) const {
    std::vector<std::string> out;
    for (std::string_view other : model::resource_types()) {
      for (const auto* p : env_->backend->search.registry->for_type(other)) {
        if (p->type != search::ParamType::reference || p->resource_type != other) continue;
        if (p->targets.empty() || std::find(p->targets.begin(), p->targets.end(), type) != p->targets.end()) {
          out.push_back(std::string(other) + ":" + p->code);
        }
      }
    }
    if (std::find(out.begin(), out.end(), "Provenance:target") == out.end()) out.push_back("Provenance:target");
    return out;
  }

  struct Tally {
    int requests = 0;
    int refused_reads = 0;      // reads/vreads/histories of resources A may not see: 404
    int allowed_reads = 0;      // reads of A's compartment resources: 200
    long checked = 0;           // resources in answers checked against the oracle
    int leaks = 0;
    int history_refused = 0;    // type/system history: 403
  };

  // Checks every resource of a Bundle answer; returns the `next` target or "".
  std::string check_bundle(const rest::Response& res, const std::string& target, const Oracle& oracle, Tally& t,
                           bool expect_leaks = false) {
    EXPECT_EQ(res.status, 200) << target << ": " << res.body.substr(0, 500);
    if (res.status != 200) return "";
    auto b = body(res);
    for (const auto& e : b.value("entry", nlohmann::json::array())) {
      if (!e.contains("resource")) continue;
      const auto& r = e["resource"];
      if (r.value("resourceType", "") == "OperationOutcome") continue;
      const std::string key = r.value("resourceType", std::string()) + "/" + r.value("id", std::string());
      ++t.checked;
      if (!oracle.allowed(key)) {
        ++t.leaks;
        if (!expect_leaks) ADD_FAILURE() << "LEAK: " << key << " in the answer to " << target;
      }
    }
    for (const auto& l : b.value("link", nlohmann::json::array())) {
      if (l["relation"] == "next") return l["url"].get<std::string>().substr(std::string(guard_test::kOrigin).size());
    }
    return "";
  }

  void sweep_search(const std::string& first, const std::string& bearer, const Oracle& oracle, Tally& t,
                    bool expect_leaks = false) {
    std::string next = first;
    for (int n = 0; n < 500 && !next.empty(); ++n) {
      ++t.requests;
      next = check_bundle(get(next, bearer), next, oracle, t, expect_leaks);
    }
  }

  Tally run_property(const std::string& a) {
    Tally t;
    const std::string bearer = "token-" + a;
    token(bearer, scopes_for_every_type("patient"), a, "user-" + a, "app-property");
    const Oracle oracle(data_, a);

    // Compartment table, only for liveness: A's own resources must stay readable.
    std::set<std::string> compartment;
    {
      auto conn = env_->backend->db->reader();
      sql::Query q(**conn, "SELECT r.type, r.id FROM compartment c JOIN resources r ON r.rid = c.rid WHERE c.patient_id = ?");
      q.bind(a);
      while (*q.step()) compartment.insert(q.string_at(0) + "/" + q.string_at(1));
    }

    for (const auto& [key, version] : data_.versions) {
      if (!oracle.allowed(key)) {
        for (const std::string& target : {"/r4/" + key, "/r4/" + key + "/_history/" + std::to_string(version),
                                          "/r4/" + key + "/_history"}) {
          ++t.requests;
          auto res = get(target, bearer);
          EXPECT_EQ(res.status, 404) << "LEAK: " << target << " answered " << res.status;
          if (res.status == 404) ++t.refused_reads;
        }
      } else if (compartment.count(key) && key.rfind("Group/", 0) != 0) {
        ++t.requests;
        auto res = get("/r4/" + key, bearer);
        EXPECT_EQ(res.status, 200) << key;
        if (res.status == 200) ++t.allowed_reads;
      }
    }

    for (const auto& type : data_.types) {
      sweep_search("/r4/" + type + "?_count=100", bearer, oracle, t);
      sweep_search("/r4/" + type + "?_lastUpdated=ge2000-01-01&_count=37&_sort=_id", bearer, oracle, t);
      {
        ++t.requests;
        auto res = call(Method::POST, "/r4/" + type + "/_search", bearer, "_count=1000", "application/x-www-form-urlencoded");
        check_bundle(res, "POST /r4/" + type + "/_search", oracle, t);
      }
      std::string inc, inc_iter;
      for (const auto& p : include_params(type)) {
        inc += "&_include=" + p;
        inc_iter += "&_include:iterate=" + p;
      }
      std::string rev, rev_iter;
      for (const auto& p : revinclude_params(type)) {
        rev += "&_revinclude=" + p;
        rev_iter += "&_revinclude:iterate=" + p;
      }
      if (!inc.empty()) {
        sweep_search("/r4/" + type + "?_count=50" + inc, bearer, oracle, t);
        sweep_search("/r4/" + type + "?_count=50" + inc_iter + "&_include:iterate=Provenance:agent", bearer, oracle, t);
      }
      sweep_search("/r4/" + type + "?_count=50" + rev, bearer, oracle, t);
      sweep_search("/r4/" + type + "?_count=50" + rev_iter + "&_include:iterate=Provenance:agent", bearer, oracle, t);
      sweep_search("/r4?_type=" + type + "&_count=100", bearer, oracle, t);
      ++t.requests;
      auto hist = get("/r4/" + type + "/_history", bearer);
      EXPECT_EQ(hist.status, 403) << type;
      if (hist.status == 403) ++t.history_refused;
    }
    sweep_search("/r4?_count=200", bearer, oracle, t);
    std::string all_types;
    for (const auto& type : data_.types) all_types += (all_types.empty() ? "" : ",") + type;
    sweep_search("/r4?_type=" + all_types + "&_count=200&_revinclude=Provenance:target", bearer, oracle, t);
    ++t.requests;
    auto hist = get("/r4/_history", bearer);
    EXPECT_EQ(hist.status, 403);
    if (hist.status == 403) ++t.history_refused;

    std::cout << "[property] patient " << a << ": " << data_.versions.size() << " resources of "
              << data_.types.size() << " types stored; " << t.requests << " requests; " << t.checked
              << " returned resources checked against the oracle; " << t.refused_reads
              << " reads/vreads/histories of others' resources answered 404; " << t.allowed_reads
              << " own resources read; " << t.history_refused << " type/system histories refused; leaks: " << t.leaks
              << std::endl;
    return t;
  }

  static std::unique_ptr<GuardEnv> shared_;
  static Dataset data_;
};

std::unique_ptr<GuardEnv> GuardProperty::shared_;
Dataset GuardProperty::data_;

TEST_F(GuardProperty, APatientTokenNeverSeesAnotherPatientsData) {
  ASSERT_GE(data_.patient_ids.size(), 7u);  // 4 synthetic + 3 US Core
  // A synthetic patient (their data shares practitioners, organizations and Groups with the
  // others) and the US Core example patient.
  std::string synthetic;
  for (const auto& id : data_.patient_ids) {
    if (id != "example" && id != "infant-example" && id != "child-example") synthetic = id;
  }
  for (const std::string& a : {synthetic, std::string("example")}) {
    SCOPED_TRACE("patient " + a);
    auto t = run_property(a);
    EXPECT_EQ(t.leaks, 0);
    EXPECT_GT(t.allowed_reads, 10);
    EXPECT_GT(t.refused_reads, 1000);
    EXPECT_GT(t.checked, 200);
  }
}

// The oracle is not vacuous: a user-level token (no patient restriction) does see what a patient
// token of A may not, and the oracle flags it.
TEST_F(GuardProperty, TheOracleFlagsAnUnrestrictedToken) {
  const std::string a = "example";
  token("user-token", scopes_for_every_type("user"), a);
  const Oracle oracle(data_, a);
  Tally t;
  for (const std::string type : {"Observation", "Patient", "Practitioner", "Provenance"}) {
    sweep_search("/r4/" + type + "?_count=200", "user-token", oracle, t, true);
  }
  std::cout << "[property] oracle check: a user-level token's " << t.requests << " searches returned " << t.checked
            << " resources, " << t.leaks << " of which the oracle flags as not patient " << a << "'s" << std::endl;
  EXPECT_GT(t.leaks, 100);
}

}  // namespace
