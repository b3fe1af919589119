// Golden files: the CCD of fixed generated patients (seed 3) must match tests/golden/ccd/ byte for
// byte. After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ccd_fixture.hpp"

namespace {

std::filesystem::path golden_dir() { return std::filesystem::path(FHIR_SOURCE_DIR) / "tests" / "golden" / "ccd"; }

void check(const std::string& name, const std::string& xml) {
  const auto path = golden_dir() / (name + ".xml");
  if (std::getenv("UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden_dir());
    std::ofstream(path, std::ios::binary) << xml;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " missing; run with UPDATE_GOLDEN=1";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string want = ss.str();
  if (want == xml) return;
  std::size_t i = 0;
  while (i < want.size() && i < xml.size() && want[i] == xml[i]) ++i;
  const std::size_t line = static_cast<std::size_t>(std::count(want.begin(), want.begin() + static_cast<long>(i), '\n')) + 1;
  FAIL() << name << " differs from " << path << " at line " << line << ":\n  golden: "
         << want.substr(i > 40 ? i - 40 : 0, 120) << "\n  actual: " << xml.substr(i > 40 ? i - 40 : 0, 120);
}

const ccda_test::Dataset& data() {
  static const ccda_test::Dataset d = ccda_test::generate(12, 3);
  return d;
}

const ccda::PatientRecord& patient(const std::string& id) {
  for (const auto& r : data().records) {
    if (r.patient_id == id) return r;
  }
  static const ccda::PatientRecord none;
  return none;
}

TEST(CcdaGolden, AdultWholeRecord) {
  auto xml = ccda::build_ccd(patient("p000004"), *ccda::parse_window(std::nullopt, std::nullopt),
                             ccda_test::fixed_options());
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  check("p000004", *xml);
}

TEST(CcdaGolden, InfantWithAWindow) {
  auto xml = ccda::build_ccd(patient("p000011"), *ccda::parse_window("2024", "2025-03"), ccda_test::fixed_options());
  ASSERT_TRUE(xml.ok()) << xml.error().message;
  check("p000011-2024-to-2025-03", *xml);
}

}  // namespace
