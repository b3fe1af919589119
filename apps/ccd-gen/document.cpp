#include "document.hpp"

namespace ccdgen {

base::Result<std::string> DocumentMaker::make(Reader& reader, std::string_view patient_id) const {
  ccda::PatientRecord record;
  record.patient_id = std::string(patient_id);
  FHIR_TRY(record.resources, reader.record(patient_id));
  FHIR_TRY(std::string xml, ccda::build_ccd(record, window, options));
  if (html == nullptr) return xml;
  return html->render(xml);
}

}  // namespace ccdgen
