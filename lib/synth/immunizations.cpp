// Immunizations (CVX): the childhood schedule at well-child visits, influenza and age-appropriate
// adult vaccines otherwise. Some are recorded as not done (with a reason) or as reported from
// another source (primarySource false).
#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

struct Immunizer {
  Gen& g;
  Person& p;
  int count = 0;

  void write(const codes::Vaccine& v, const PlannedEncounter& e) {
    Out& o = g.out;
    Rng& r = p.rng;
    const Id id = make_id(p.id, "imm", ++count, 3);
    const bool not_done = (p.index % 10 == 6 && count == 1) || r.percent(2);
    const bool reported = !not_done && ((p.index % 10 == 7 && count == 1) || r.percent(5));
    const Seconds when = e.start + 2400;
    begin(o, "Immunization", id, profile::kImmunization);
    if (not_done) {
      o.raw(",\"status\":\"not-done\",\"statusReason\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
            "CodeSystem/v3-ActReason\",\"code\":\"PATOBJ\",\"display\":\"patient objection\"}]}");
    } else {
      o.raw(",\"status\":\"completed\"");
    }
    o.kcc("vaccineCode", codes::kCvx, v.cvx, v.display);
    o.kref("patient", "Patient", p.id);
    encounter_ref(o, e);
    o.kdt("occurrenceDateTime", when);
    o.kdt("recorded", when + 300);
    if (reported) {
      o.raw(",\"primarySource\":false,\"reportOrigin\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
            "CodeSystem/immunization-origin\",\"code\":\"record\",\"display\":\"Written Record\"}]}");
    } else {
      o.raw(",\"primarySource\":true");
    }
    if (!not_done && !reported) {
      o.raw(",\"lotNumber\":\"");
      o.raw(v.cvx);
      o.ch('K');
      o.padded(r.range(0, 99999), 5);
      o.raw("\",\"performer\":[{\"function\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
            "v2-0443\",\"code\":\"AP\",\"display\":\"Administering Provider\"}]},\"actor\":");
      o.ref("Practitioner", Gen::practitioner_id(e.practitioner));
      o.raw("}]");
    }
    o.ch('}');
    g.emit_with_provenance(Type::Immunization, id, when + 300, e.practitioner);
  }
};

}  // namespace

void write_immunizations(Gen& g, Person& p) {
  Rng& r = p.rng;
  Immunizer imm{g, p};
  const auto vaccines = codes::vaccines();
  // The table lists the childhood vaccines first, then influenza (index 9) and the adult ones.
  std::size_t pediatric = 0;
  while (pediatric < vaccines.size() && vaccines[pediatric].pediatric) ++pediatric;
  const auto& flu = vaccines[pediatric];
  std::size_t next_childhood = 0;
  for (std::size_t i = 0; i < p.encounters.size(); ++i) {
    const PlannedEncounter& e = p.encounters[i];
    const int years = e.age_months / 12;
    if (e.kind == Visit::well_child) {
      // Two or three of the childhood schedule at each well-child visit, in turn.
      const int n = e.age_months < 24 ? static_cast<int>(r.range(2, 3)) : 1;
      for (int k = 0; k < n; ++k) {
        imm.write(vaccines[next_childhood % pediatric], e);
        ++next_childhood;
      }
      if (e.age_months >= 6 && r.percent(40)) imm.write(flu, e);
    } else if (p.age_group == Person::Age::adult) {
      if (i == 0 || r.percent(35)) imm.write(flu, e);
      if (r.percent(15)) {
        // An adult vaccine that fits the age: Tdap, zoster (50+), pneumococcal (65+), hep B, HPV (< 27),
        // meningococcal (< 24).
        const std::size_t k = pediatric + 1 + r.below(vaccines.size() - pediatric - 1);
        const auto& v = vaccines[k];
        const bool fits = (v.cvx == "187" && years >= 50) || (v.cvx == "33" && years >= 65) ||
                          (v.cvx == "62" && years < 27) || (v.cvx == "114" && years < 24) || v.cvx == "115" ||
                          v.cvx == "43";
        if (fits) imm.write(v, e);
      }
    } else if (r.percent(30)) {
      imm.write(flu, e);
    }
  }
}

}  // namespace synth::detail
