// ccda::build_ccd: parse the record once, then the header and every section in document order.
#include "ccda/ccd.hpp"

#include <exception>

#include "base/fhir_time.hpp"
#include "base/uuid.hpp"
#include "ccda/internal.hpp"

namespace ccda {

base::Result<std::string> build_ccd(const PatientRecord& record, const Window& window, const Options& options) try {
  FHIR_TRY(detail::Record rec, detail::load_record(record));
  Options opts = options;
  if (opts.document_id.empty()) opts.document_id = base::new_uuid();
  if (opts.now_us == 0) opts.now_us = base::now_us();

  std::size_t input = 0;
  for (const auto& r : record.resources) input += r.size();
  XmlWriter x(64 * 1024 + input);
  x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"cda.xsl\"?>\n");
  x.start("ClinicalDocument")
      .attr("xmlns", "urn:hl7-org:v3")
      .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
      .attr("xmlns:sdtc", "urn:hl7-org:sdtc")
      .attr("xmlns:voc", "urn:hl7-org:v3/voc");
  detail::Ctx c{rec, window, opts, x};
  detail::write_header(c);
  x.start("component").start("structuredBody");
  // Always the entire record.
  detail::allergies_section(c);
  detail::medications_section(c);
  detail::problems_section(c);
  detail::immunizations_section(c);
  detail::social_history_section(c);
  detail::medical_equipment_section(c);
  detail::vital_signs_section(c);
  // Filtered by the window.
  detail::encounters_section(c);
  detail::procedures_section(c);
  detail::results_section(c);
  detail::functional_status_section(c);
  detail::mental_status_section(c);
  detail::assessment_section(c);
  detail::plan_of_treatment_section(c);
  detail::goals_section(c);
  detail::health_concerns_section(c);
  detail::reason_for_referral_section(c);
  detail::notes_sections(c);
  return x.finish();
} catch (const std::exception& e) {
  return base::internal_error(std::string("CCD generation failed: ") + e.what());
}

}  // namespace ccda
