#pragma once
// Test support for the CCD builder: generated patients (synth) split into PatientRecords the way
// a caller would gather them (the patient's own resources plus the shared Practitioners,
// Organizations and Locations), a fixed build time and document id, and a small XML
// well-formedness checker (elements nest and match, attributes are quoted and unique, only the
// five predefined entities and character references, no stray '<' or '&', valid UTF-8, no
// characters XML 1.0 forbids).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/fhir_time.hpp"
#include "ccda/ccd.hpp"
#include "synth/generator.hpp"

namespace ccda_test {

struct Dataset {
  std::vector<ccda::PatientRecord> records;
  std::size_t resources = 0;
};

inline Dataset generate(std::int64_t patients, std::uint64_t seed = 1) {
  Dataset d;
  std::vector<std::string> pool;
  std::map<std::string, std::size_t> index;  // patient id -> record
  auto r = synth::generate({patients, seed}, [&](std::string_view type, std::string_view json) {
    ++d.resources;
    const auto k = json.find("\"id\":\"");
    const auto e = json.find('"', k + 6);
    const std::string id(json.substr(k + 6, e - k - 6));
    if (type == "Patient") {
      index[id] = d.records.size();
      d.records.push_back({id, {}});
    }
    if (type == "Practitioner" || type == "Organization" || type == "Location") {
      pool.emplace_back(json);
      return;
    }
    const auto dash = id.find('-');
    const std::string owner = id.substr(0, dash);
    auto it = index.find(owner);
    if (it != index.end()) d.records[it->second].resources.emplace_back(json);
  });
  for (auto& rec : d.records) rec.resources.insert(rec.resources.end(), pool.begin(), pool.end());
  return d;
}

inline ccda::Options fixed_options() {
  ccda::Options o;
  o.document_id = "8f2c6c2e-6a4b-4c1e-9d3a-2b7c1e5f0a11";
  o.now_us = base::parse_date_time("2025-07-01T12:00:00Z")->low_us;
  return o;
}

// Returns "" when `xml` is well-formed, else what is wrong and where.
std::string well_formedness_error(std::string_view xml);

}  // namespace ccda_test
