#include "demo.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "store/importer.hpp"
#include "synth/generator.hpp"

namespace serve {

base::Result<DemoLoad> load_demo_data(rest::Backend& backend, std::int64_t patients) {
  DemoLoad out;
  {
    FHIR_TRY(auto conn, backend.db->reader());
    sql::Query q(*conn, "SELECT EXISTS (SELECT 1 FROM resources)");
    FHIR_TRY(bool row, q.step());
    if (row && q.int_at(0) != 0) return out;
  }
  const auto started = std::chrono::steady_clock::now();
  store::Importer importer(*backend.resources, 2000);
  base::Status failure;
  std::int64_t n = 0;
  synth::Options options;
  options.patients = patients;
  FHIR_TRY(auto counts, synth::generate(options, [&](std::string_view type, std::string_view json) {
             if (!failure.ok()) return;
             if (out.first_patient.empty() && type == "Patient") {
               if (auto j = base::parse_json(json); j) out.first_patient = base::dump_compact((*j)["id"]);
             }
             failure = importer.add("demo", ++n, json);
           }));
  FHIR_CHECK(failure);
  FHIR_CHECK(importer.flush());
  if (importer.stats().rejected > 0) {
    return base::internal_error("demo data rejected: " + importer.stats().errors.front());
  }
  out.loaded = true;
  out.resources = counts.total;
  out.patients = patients;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (out.first_patient.size() >= 2) out.first_patient = out.first_patient.substr(1, out.first_patient.size() - 2);
  return out;
}

}  // namespace serve
