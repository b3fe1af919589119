#include "auth/clock.hpp"

#include "base/fhir_time.hpp"

namespace auth {

Clock system_clock() { return [] { return base::now_us(); }; }

}  // namespace auth
