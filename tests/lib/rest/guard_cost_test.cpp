// What the guard costs per request, in process (Router::handle, no HTTP): the same reads and
// searches with authentication off, with a user-level token and with a patient-level token, over
// the synthetic data of 100 patients (about 25,000 resources, as `fhir-serve --demo`).
// A measurement, not a check: DISABLED_ by default. Run it with
//   build/release/tests/test_rest --gtest_also_run_disabled_tests --gtest_filter='*GuardCost*'
// (from build/release). The token check itself is a map lookup here (MapVerifier); real JWT
// verification is auth's cost, measured by bench/read.sh once fhir-serve wires a verifier.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "lib/rest/guard_fixture.hpp"
#include "synth/generator.hpp"

namespace {

using guard_test::GuardEnv;
using guard_test::GuardTest;

class GuardCost : public GuardTest {
 protected:
  void SetUp() override {
    GuardTest::SetUp();
    env_->services.api_log = nullptr;
    env_->router = std::make_unique<rest::Router>(env_->services);
    open_services_ = env_->services;
    open_services_.tokens = nullptr;
    open_router_ = std::make_unique<rest::Router>(open_services_);
  }
  void TearDown() override {
    open_router_.reset();
    GuardTest::TearDown();
  }

  rest::Response open_get(const std::string& target) {
    rest::Request req;
    req.method = rest::Method::GET;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = rest::parse_query_string(std::string_view(target).substr(q + 1));
    req.origin = guard_test::kOrigin;
    return open_router_->handle(req);
  }

  // Microseconds per call of `f` over `targets` (`rounds` passes), the best of 5 runs (the machine
  // may be shared), after one warm-up pass.
  template <class F>
  double mean_us(const std::vector<std::string>& targets, int rounds, F f) {
    for (const auto& t : targets) EXPECT_EQ(f(t).status, 200) << t;
    double best = 1e18;
    for (int run = 0; run < 5; ++run) {
      const auto start = std::chrono::steady_clock::now();
      for (int r = 0; r < rounds; ++r) {
        for (const auto& t : targets) f(t);
      }
      const auto us =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
      best = std::min(best, static_cast<double>(us) / (static_cast<double>(targets.size()) * rounds));
    }
    return best;
  }

  rest::Services open_services_;
  std::unique_ptr<rest::Router> open_router_;
};

TEST_F(GuardCost, DISABLED_ReadAndSearchLatency) {
  std::vector<std::string> texts;
  synth::Options o;
  o.patients = 100;
  o.seed = 7;
  ASSERT_TRUE(synth::generate(o, [&](std::string_view, std::string_view json) { texts.emplace_back(json); }).ok());
  for (std::size_t i = 0; i < texts.size(); i += 1000) {
    auto s = env_->backend->resources->write([&](store::WriteTx& tx) -> base::Status {
      for (std::size_t j = i; j < std::min(texts.size(), i + 1000); ++j) {
        FHIR_TRY(auto json, base::parse_json(texts[j]));
        const std::string type = json["resourceType"].get<std::string>();
        const std::string id = json["id"].get<std::string>();
        auto w = tx.update(type, id, std::move(json));
        if (!w) return std::move(w).error();
      }
      return {};
    });
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  // Patient p000042's resources of a few types, read by id.
  const std::string a = "p000042";
  std::vector<std::string> reads;
  {
    auto conn = env_->backend->db->reader();
    sql::Query q(**conn,
                 "SELECT r.type, r.id FROM compartment c JOIN resources r ON r.rid = c.rid WHERE c.patient_id = ? "
                 "AND r.type IN ('Observation', 'Condition', 'Encounter', 'Patient') LIMIT 100");
    q.bind(a);
    while (*q.step()) reads.push_back("/r4/" + q.string_at(0) + "/" + q.string_at(1));
  }
  ASSERT_GT(reads.size(), 50u);
  token("user", "user/Observation.read user/Condition.read user/Encounter.read user/Patient.read user/Practitioner.read "
                "user/Provenance.read");
  token("patient", "patient/Observation.read patient/Condition.read patient/Encounter.read patient/Patient.read "
                   "patient/Practitioner.read patient/Provenance.read", a);
  auto with = [&](const std::string& bearer) { return [this, bearer](const std::string& t) { return get(t, bearer); }; };
  auto open = [this](const std::string& t) { return open_get(t); };

  const int rounds = 20;
  const double read_open = mean_us(reads, rounds, open);
  const double read_user = mean_us(reads, rounds, with("user"));
  const double read_patient = mean_us(reads, rounds, with("patient"));

  struct Pair {
    std::string label, open, token;  // the open request names the patient; the token's does not
  };
  const std::vector<Pair> searches{
      {"Observation page of 50", "/r4/Observation?patient=" + a + "&_count=50", "/r4/Observation?_count=50"},
      {"Condition", "/r4/Condition?patient=" + a, "/r4/Condition"},
      {"Condition, the patient token also naming the patient", "/r4/Condition?patient=" + a,
       "/r4/Condition?patient=" + a},
      {"Encounter + _revinclude Provenance", "/r4/Encounter?patient=" + a + "&_revinclude=Provenance:target",
       "/r4/Encounter?_revinclude=Provenance:target"},
      {"Observation page of 50 + _include performer + _revinclude Provenance",
       "/r4/Observation?patient=" + a + "&_count=50&_include=Observation:performer&_revinclude=Provenance:target",
       "/r4/Observation?_count=50&_include=Observation:performer&_revinclude=Provenance:target"},
      {"Practitioner (shared)", "/r4/Practitioner", "/r4/Practitioner"},
  };
  std::string search_lines;
  for (const auto& s : searches) {
    const double open_us = mean_us({s.open}, 5, open);
    const double user_us = mean_us({s.open}, 5, with("user"));
    const double patient_us = mean_us({s.token}, 5, with("patient"));
    search_lines += "  " + s.label + ": open " + std::to_string(open_us) + ", user token " + std::to_string(user_us) +
                    ", patient token " + std::to_string(patient_us) + "\n";
  }

  std::cout << "[guard cost] " << texts.size() << " resources; microseconds per request (in process, best of 5):\n"
            << "  read " << reads.size() << " resources: open " << read_open << ", user token " << read_user
            << ", patient token " << read_patient << "\n"
            << search_lines << std::flush;
}

}  // namespace
