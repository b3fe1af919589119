// Encounters, as planned by plan_person: ambulatory visits, emergency visits and hospital stays.
#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {

void write_encounters(Gen& g, Person& p) {
  Out& o = g.out;
  const auto types = codes::encounter_types();  // in Visit order
  for (const PlannedEncounter& e : p.encounters) {
    begin(o, "Encounter", e.id, profile::kEncounter);
    o.raw(",\"identifier\":[{\"system\":\"http://hospital.example.org/encounter\",\"value\":\"");
    o.raw(e.id);
    o.raw("\"}],\"status\":\"finished\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",");
    switch (e.kind) {
      case Visit::emergency: o.raw("\"code\":\"EMER\",\"display\":\"emergency\"}"); break;
      case Visit::inpatient: o.raw("\"code\":\"IMP\",\"display\":\"inpatient encounter\"}"); break;
      default: o.raw("\"code\":\"AMB\",\"display\":\"ambulatory\"}"); break;
    }
    const auto& type = types[static_cast<std::size_t>(e.kind)];
    o.kcc_list("type", codes::kSnomed, type.code, type.display);
    subject(o, p);
    o.raw(",\"participant\":[{\"type\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
          "v3-ParticipationType\",\"code\":\"ATND\",\"display\":\"attender\"}],\"text\":\"attender\"}]");
    o.kperiod("period", e.start, e.end);
    o.kref("individual", "Practitioner", Gen::practitioner_id(e.practitioner));
    o.raw("}]");
    o.kperiod("period", e.start, e.end);
    if (e.kind == Visit::symptom || e.kind == Visit::emergency || e.kind == Visit::inpatient) {
      const auto& reason = p.rng.pick(codes::encounter_reasons());
      o.kcc_list("reasonCode", codes::kSnomed, reason.code, reason.display);
    }
    if (e.kind == Visit::inpatient) {
      o.raw(",\"hospitalization\":{\"dischargeDisposition\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
            "CodeSystem/discharge-disposition\",\"code\":\"home\",\"display\":\"Home\"}]}}");
    }
    o.raw(",\"location\":[{\"location\":");
    o.ref("Location", Gen::location_id(e.location));
    o.raw("}]");
    o.kref("serviceProvider", "Organization", Gen::organization_id(p.org));
    o.ch('}');
    g.emit_with_provenance(Type::Encounter, e.id, e.end + 600, e.practitioner);
  }
}

}  // namespace synth::detail
