#pragma once
// fhir-serve --demo: a fresh data directory gets the default demo data set (synthetic US Core
// 3.1.1 patients from lib/synth), loaded like `fhirctl import` does.
#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "rest/backend.hpp"

namespace serve {

struct DemoLoad {
  bool loaded = false;          // false: the store already held resources; nothing was loaded
  std::int64_t resources = 0;
  std::int64_t patients = 0;
  double seconds = 0;
  std::string first_patient;    // an id to try
};

// Loads `patients` demo patients (seed 1) when the store holds no resources yet.
// Errors: a database failure while loading.
base::Result<DemoLoad> load_demo_data(rest::Backend& backend, std::int64_t patients = 100);

}  // namespace serve
