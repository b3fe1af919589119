// build_ccd over generated patients: every document is well-formed and has every section, and the
// builder is fast. CCDA_DUMP_DIR=dir writes the documents there (for the schematron check by hand).
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <map>

#include "ccd_test_util.hpp"

namespace {

const ccda_test::Dataset& data() {
  static const ccda_test::Dataset d = ccda_test::generate(40, 3);
  return d;
}

TEST(CcdaGenerated, EveryDocumentIsWellFormedWithEverySection) {
  const char* dump = std::getenv("CCDA_DUMP_DIR");
  const auto window = ccda::parse_window(std::nullopt, std::nullopt);
  ASSERT_TRUE(window.ok());
  std::map<std::string, int> filled;  // section code -> documents where it has entries
  for (const auto& rec : data().records) {
    auto xml = ccda::build_ccd(rec, *window, ccda_test::fixed_options());
    ASSERT_TRUE(xml.ok()) << rec.patient_id << ": " << xml.error().message;
    EXPECT_EQ(ccda_test::well_formedness_error(*xml), "") << rec.patient_id;
    int empty = 0;
    for (const char* code : {"48765-2", "10160-0", "11450-4", "11369-6", "29762-2", "46264-8", "8716-3", "46240-8",
                             "47519-4", "30954-2", "47420-5", "10190-7", "51848-0", "18776-5", "61146-7", "75310-3",
                             "42349-1", "11506-3", "28570-0", "11502-2"}) {
      const std::string sec = ccda_test::section(*xml, code);
      ASSERT_FALSE(sec.empty()) << rec.patient_id << " " << code;
      if (ccda_test::empty_section(sec)) {
        ++empty;
      } else {
        ++filled[code];
      }
    }
    // Adults (index % 10 >= 3) get data in nearly every section.
    const int index = std::stoi(rec.patient_id.substr(1)) - 1;
    if (index % 10 >= 3) {
      EXPECT_LE(empty, 3) << rec.patient_id;
    }
    if (dump) {
      std::filesystem::create_directories(dump);
      std::ofstream(std::filesystem::path(dump) / (rec.patient_id + ".xml"), std::ios::binary) << *xml;
    }
  }
  EXPECT_EQ(filled.size(), 20u) << "every section has entries in some document";
}

TEST(CcdaGenerated, DISABLED_Throughput) {
  const std::clock_t g0 = std::clock();
  const auto d = ccda_test::generate(1000, 11);
  const double gen_cpu = static_cast<double>(std::clock() - g0) / CLOCKS_PER_SEC;
  std::printf("generated and grouped %zu resources in %.3f s CPU (%.0f resources/s)\n", d.resources, gen_cpu,
              static_cast<double>(d.resources) / gen_cpu);
  const auto window = ccda::parse_window(std::nullopt, std::nullopt);
  std::size_t bytes = 0;
  const std::clock_t c0 = std::clock();
  const auto t0 = std::chrono::steady_clock::now();
  for (const auto& rec : d.records) {
    auto xml = ccda::build_ccd(rec, *window, ccda_test::fixed_options());
    ASSERT_TRUE(xml.ok());
    bytes += xml->size();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  const auto n = static_cast<double>(d.records.size());
  std::printf("%zu CCDs from %zu resources: %.3f s wall (%.0f CCDs/s), %.3f s CPU (%.0f CCDs per CPU-second), "
              "%.1f KB per CCD\n",
              d.records.size(), d.resources, s, n / s, cpu, n / cpu, static_cast<double>(bytes) / n / 1024);
}

}  // namespace
