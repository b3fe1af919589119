#pragma once
// Synthetic US Core 3.1.1 data: patients with their encounters, vital signs, labs, notes,
// medications, problems, ... and a Provenance for each clinical resource, plus a shared pool of
// organizations, locations and practitioners. Deterministic: a pure function of the options (own
// PRNG, fixed reference date, no clock, no I/O), so the same seed gives byte-identical output.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace synth {

struct Options {
  std::int64_t patients = 100;  // >= 1
  std::uint64_t seed = 1;
};

// Receives each resource: its type ("Observation") and the resource as one compact JSON text
// (no newline). Both views are valid only during the call.
using Sink = std::function<void(std::string_view resource_type, std::string_view json)>;

// Resources generated, by resource type.
struct Counts {
  std::map<std::string, std::int64_t> by_type;
  std::int64_t total = 0;
};

// Generates the data set described by `options` and hands every resource to `sink`, pool
// resources first, then each patient's resources. About 200-300 resources per patient.
// Errors: ErrorCode::invalid when patients < 1 or absurdly large (> 100,000,000).
base::Result<Counts> generate(const Options& options, const Sink& sink);

}  // namespace synth
