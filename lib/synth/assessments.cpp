// Assessments: functional status (LOINC 75276-6 with a SNOMED finding) and mental status
// Observations (PHQ-9 and GAD-7 total scores, cognitive function) of category "survey" (no US Core
// 3.1.1 profile covers them; later US Core versions add the functional-status / cognitive-status
// categories, written here as a second category), and a ClinicalImpression (assessment) with its
// findings at the last visit.
#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

constexpr std::string_view kSurvey =
    "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"survey\","
    "\"display\":\"Survey\"}],\"text\":\"Survey\"}";

// Starts an Observation of category survey plus the US Core category `us_core` (display given).
Id begin_status(Gen& g, Person& p, const PlannedEncounter& e, std::string_view us_core, std::string_view display,
                std::string_view loinc, std::string_view loinc_display, Seconds when) {
  Out& o = g.out;
  const Id id = make_id(p.id, "obs", ++p.obs, 4);
  o.raw("{\"resourceType\":\"Observation\",\"id\":\"");
  o.raw(id);
  o.raw("\",\"status\":\"final\",\"category\":[");
  o.raw(kSurvey);
  o.raw(",{\"coding\":[{\"system\":\"http://hl7.org/fhir/us/core/CodeSystem/us-core-category\",\"code\":\"");
  o.raw(us_core);
  o.raw("\",\"display\":\"");
  o.raw(display);
  o.raw("\"}]}]");
  o.kcc("code", codes::kLoinc, loinc, loinc_display);
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("effectiveDateTime", when);
  o.kdt("issued", when + 600);
  o.raw(",\"performer\":[");
  o.ref("Practitioner", Gen::practitioner_id(e.practitioner));
  o.ch(']');
  return id;
}

void finish(Gen& g, const Id& id, Seconds when, const PlannedEncounter& e) {
  g.out.ch('}');
  g.emit_with_provenance(Type::Observation, id, when + 600, e.practitioner);
}

void status_observations(Gen& g, Person& p) {
  Rng& r = p.rng;
  // Functional status at the last visit, and for some at another one.
  const int visits = p.encounters.size() > 2 && r.percent(40) ? 2 : 1;
  for (int k = 0; k < visits; ++k) {
    const PlannedEncounter& e = k == 0 ? p.encounters.back() : p.encounters[r.below(p.encounters.size() - 1)];
    const Seconds when = e.start + 1500;
    // Infants are assisted; others mostly independent.
    const auto table = codes::functional_statuses();
    const auto& v = p.age_group == Person::Age::infant ? table[3] : r.percent(80) ? table[r.below(3)] : table[3];
    const Id id = begin_status(g, p, e, "functional-status", "Functional Status", "75276-6",
                               "Functional status [Interpretation]", when);
    g.out.kcc("valueCodeableConcept", codes::kSnomed, v.code, v.display);
    finish(g, id, when, e);
  }
  if (p.age_group == Person::Age::infant) return;
  const PlannedEncounter& e = p.encounters.back();
  const Seconds when = e.start + 1700;
  if (e.age_months >= 12 * 12) {  // depression and anxiety screening from age 12
    Id id = begin_status(g, p, e, "cognitive-status", "Cognitive Status", "44261-6",
                         "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]", when);
    g.out.kn("valueInteger", r.percent(75) ? r.range(0, 4) : r.range(5, 27));
    finish(g, id, when, e);
    if (p.index % 2 == 0 || r.percent(30)) {
      id = begin_status(g, p, e, "cognitive-status", "Cognitive Status", "70274-6",
                        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]", when);
      g.out.kn("valueInteger", r.percent(75) ? r.range(0, 4) : r.range(5, 21));
      finish(g, id, when, e);
    }
  }
  // Cognitive function: everyone past infancy, impaired mostly in the old.
  const auto findings = codes::cognitive_findings();
  const bool old = e.age_months >= 70 * 12;
  const auto& f = old && r.percent(30) ? findings[1 + r.below(2)] : findings[0];
  const Id id = begin_status(g, p, e, "cognitive-status", "Cognitive Status", "75275-8",
                             "Cognitive function [Interpretation]", when + 60);
  g.out.kcc("valueCodeableConcept", codes::kSnomed, f.code, f.display);
  finish(g, id, when + 60, e);
}

void impression(Gen& g, Person& p) {
  Out& o = g.out;
  const PlannedEncounter& e = p.encounters.back();
  const Seconds when = e.end - 300;
  const Id id = make_id(p.id, "ci", 1, 3);
  o.raw("{\"resourceType\":\"ClinicalImpression\",\"id\":\"");
  o.raw(id);
  o.raw("\",\"status\":\"completed\",\"description\":\"Assessment at the visit\"");
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("effectiveDateTime", when);
  o.kdt("date", when);
  o.kref("assessor", "Practitioner", Gen::practitioner_id(e.practitioner));
  std::string summary;
  if (p.conditions.empty()) {
    summary = "Well visit. No active problems; continue routine care.";
  } else {
    o.raw(",\"problem\":[");
    for (std::size_t i = 0; i < p.conditions.size(); ++i) {
      if (i) o.ch(',');
      o.ref("Condition", p.conditions[i]);
    }
    o.raw("],\"finding\":[");
    for (std::size_t i = 0; i < p.conditions.size(); ++i) {
      if (i) o.ch(',');
      o.raw("{\"itemReference\":");
      o.ref("Condition", p.conditions[i]);
      o.ch('}');
    }
    o.ch(']');
    summary = p.conditions.size() == 1 ? "One known problem, stable on current management."
                                       : std::to_string(p.conditions.size()) +
                                             " known problems reviewed; stable on current management.";
  }
  o.kv("summary", summary);
  o.ch('}');
  g.emit_with_provenance(Type::ClinicalImpression, id, when, e.practitioner);
}

}  // namespace

void write_assessments(Gen& g, Person& p) {
  if (p.encounters.empty()) return;
  status_observations(g, p);
  impression(g, p);
}

}  // namespace synth::detail
