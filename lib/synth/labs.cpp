// Laboratory results: at some encounters a panel (CBC, basic metabolic, lipids, HbA1c, TSH) as
// US Core lab Observations with UCUM quantities, reference ranges and interpretations, grouped
// by a US Core lab DiagnosticReport. Also the smoking status of adolescents and adults.
#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

constexpr std::string_view kLabCategory =
    ",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
    "\"code\":\"laboratory\",\"display\":\"Laboratory\"}],\"text\":\"Laboratory\"}]";
constexpr std::string_view kInterpretation =
    ",\"interpretation\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
    "v3-ObservationInterpretation\",\"code\":\"";

void quantity_bound(Out& o, std::string_view key, std::int64_t scaled, const codes::LabTest& t) {
  o.key_(key);
  o.quantity(scaled, t.decimals, t.unit, t.unit);
}

void lab_panel(Gen& g, Person& p, const PlannedEncounter& e, bool first_absent) {
  Rng& r = p.rng;
  Out& o = g.out;
  const auto panels = codes::lab_panels();
  const bool adult = p.age_group == Person::Age::adult;
  const auto& panel = panels[adult ? r.below(panels.size()) : r.below(2)];
  const auto tests = codes::lab_tests();
  const Seconds collected = e.start + 1200;
  const Seconds issued = collected + r.range(2, 30) * 3600;
  const int first_obs = p.obs + 1;

  for (int k = 0; k < panel.count; ++k) {
    const auto& t = tests[static_cast<std::size_t>(panel.first + k)];
    const Id id = make_id(p.id, "obs", ++p.obs, 4);
    begin(o, "Observation", id, profile::kObservationLab);
    o.raw(",\"status\":\"final\"");
    o.raw(kLabCategory);
    o.kcc("code", codes::kLoinc, t.loinc, t.display);
    subject(o, p);
    encounter_ref(o, e);
    o.kdt("effectiveDateTime", collected);
    o.kdt("issued", issued);
    if (first_absent && k == 0) {
      o.raw(",\"dataAbsentReason\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
            "data-absent-reason\",\"code\":\"error\",\"display\":\"Error\"}],\"text\":\"Specimen hemolyzed\"}");
    } else {
      const std::int64_t value = r.percent(75) ? r.range(t.ref_low > t.low ? t.ref_low : t.low, t.ref_high)
                                               : r.range(t.low, t.high);
      o.kquantity("valueQuantity", value, t.decimals, t.unit, t.unit);
      o.raw(kInterpretation);
      if (value > t.ref_high) o.raw("H\",\"display\":\"High\"}]}]");
      else if (value < t.ref_low) o.raw("L\",\"display\":\"Low\"}]}]");
      else o.raw("N\",\"display\":\"Normal\"}]}]");
    }
    o.raw(",\"referenceRange\":[{");
    if (t.ref_low > 0) {
      o.raw("\"low\":");
      o.quantity(t.ref_low, t.decimals, t.unit, t.unit);
      quantity_bound(o, "high", t.ref_high, t);
    } else {
      o.raw("\"high\":");
      o.quantity(t.ref_high, t.decimals, t.unit, t.unit);
    }
    o.raw("}]}");
    g.emit_with_provenance(Type::Observation, id, issued, e.practitioner);
  }

  const Id id = make_id(p.id, "dr", ++p.reports, 3);
  begin(o, "DiagnosticReport", id, profile::kReportLab);
  o.raw(",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
        "v2-0074\",\"code\":\"LAB\",\"display\":\"Laboratory\"}]}]");
  o.kcc("code", codes::kLoinc, panel.loinc, panel.display);
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("effectiveDateTime", collected);
  o.kdt("issued", issued);
  o.raw(",\"performer\":[");
  o.ref("Organization", Gen::organization_id(p.org));
  o.raw("],\"result\":[");
  for (int k = 0; k < panel.count; ++k) {
    if (k) o.ch(',');
    o.ref("Observation", make_id(p.id, "obs", first_obs + k, 4));
  }
  o.raw("]}");
  g.emit_with_provenance(Type::DiagnosticReport, id, issued, e.practitioner);
}

void smoking_status(Gen& g, Person& p, const PlannedEncounter& e) {
  Rng& r = p.rng;
  Out& o = g.out;
  const auto statuses = codes::smoking_statuses();
  std::size_t pick = 3;  // never smoker
  if (p.age_group == Person::Age::adult) {
    const int x = static_cast<int>(r.below(100));
    pick = x < 55 ? 3 : x < 75 ? 2 : x < 85 ? 0 : x < 90 ? 1 : 4 + static_cast<std::size_t>(r.below(4));
  } else if (r.percent(5)) {
    pick = 1;
  }
  const Seconds when = e.start + 900;
  const Id id = make_id(p.id, "obs", ++p.obs, 4);
  begin(o, "Observation", id, profile::kSmokingStatus);
  o.raw(",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
        "observation-category\",\"code\":\"social-history\",\"display\":\"Social History\"}],\"text\":\"Social "
        "History\"}]");
  o.kcc("code", codes::kLoinc, "72166-2", "Tobacco smoking status NHIS");
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("effectiveDateTime", when);
  o.kdt("issued", when + 300);
  o.kcc("valueCodeableConcept", codes::kSnomed, statuses[pick].code, statuses[pick].display);
  o.ch('}');
  g.emit_with_provenance(Type::Observation, id, when + 300, e.practitioner);
}

}  // namespace

void write_labs(Gen& g, Person& p) {
  Rng& r = p.rng;
  for (std::size_t i = 0; i < p.encounters.size(); ++i) {
    const PlannedEncounter& e = p.encounters[i];
    bool lab = false;
    switch (p.age_group) {
      case Person::Age::adult: lab = i == 0 || e.kind == Visit::inpatient || r.percent(45); break;
      case Person::Age::child: lab = i == 0 || r.percent(15); break;
      case Person::Age::infant: lab = r.percent(5); break;
    }
    if (lab) lab_panel(g, p, e, i == 0 && p.vitals_absent_first_visit());
  }
  // Smoking status from age 13: at the last encounter, and for adults also at the first.
  if (p.encounters.empty()) return;
  const PlannedEncounter& last = p.encounters.back();
  if (last.age_months >= 13 * 12) {
    if (p.age_group == Person::Age::adult && p.encounters.size() > 1) smoking_status(g, p, p.encounters.front());
    smoking_status(g, p, last);
  }
}

}  // namespace synth::detail
