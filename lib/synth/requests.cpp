// ServiceRequests (no US Core 3.1.1 profile): a referral (category "Patient referral", a code from
// the C-CDA Referral Types value set, the reason as a reference to one of the patient's
// Conditions or as a coded symptom), and for adults a planned lab panel and, from 50, a planned
// screening procedure, after the last visit.
#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

void begin_request(Gen& g, Person& p, const Id& id, std::string_view status, std::string_view intent,
                   std::string_view category_code, std::string_view category_display) {
  Out& o = g.out;
  o.raw("{\"resourceType\":\"ServiceRequest\",\"id\":\"");
  o.raw(id);
  o.ch('"');
  o.kv("status", status);
  o.kv("intent", intent);
  o.key_("category");
  o.ch('[');
  o.cc(codes::kSnomed, category_code, category_display);
  o.ch(']');
  (void)p;
}

void referral(Gen& g, Person& p) {
  Out& o = g.out;
  Rng& r = p.rng;
  const PlannedEncounter& e = p.encounters[r.below(p.encounters.size())];
  const auto& ref = r.pick(codes::referrals());
  const Seconds authored = e.end - 600;
  const bool done = authored < (kToday - 120) * kDay;
  const Id id = make_id(p.id, "sr", 1, 3);
  begin_request(g, p, id, done ? "completed" : "active", "order", "3457005", "Patient referral (procedure)");
  o.kcc("code", codes::kSnomed, ref.code, ref.display);
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("occurrenceDateTime", authored + r.range(7, 60) * kDay);
  o.kdt("authoredOn", authored);
  o.kref("requester", "Practitioner", Gen::practitioner_id(e.practitioner));
  if (!p.conditions.empty()) {
    o.raw(",\"reasonReference\":[");
    o.ref("Condition", p.conditions[r.below(p.conditions.size())]);
    o.ch(']');
  } else {
    const auto& reason = r.pick(codes::encounter_reasons());
    o.kcc_list("reasonCode", codes::kSnomed, reason.code, reason.display);
  }
  o.raw(",\"note\":[{\"text\":\"Please evaluate and advise on management.\"}]}");
  g.emit_with_provenance(Type::ServiceRequest, id, authored, e.practitioner);
}

void planned(Gen& g, Person& p) {
  Out& o = g.out;
  Rng& r = p.rng;
  const PlannedEncounter& e = p.encounters.back();
  const Seconds authored = e.end - 300;
  int n = 1;
  {
    const auto& panel = r.pick(codes::lab_panels());
    const Id id = make_id(p.id, "sr", ++n, 3);
    begin_request(g, p, id, "active", "plan", "108252007", "Laboratory procedure (procedure)");
    o.kcc("code", codes::kLoinc, panel.loinc, panel.display);
    subject(o, p);
    encounter_ref(o, e);
    o.kdt("occurrenceDateTime", authored + r.range(60, 180) * kDay);
    o.kdt("authoredOn", authored);
    o.kref("requester", "Practitioner", Gen::practitioner_id(e.practitioner));
    o.raw(",\"note\":[{\"text\":\"Repeat at the next visit.\"}]}");
    g.emit_with_provenance(Type::ServiceRequest, id, authored, e.practitioner);
  }
  if (e.age_months >= 50 * 12) {
    const auto table = codes::planned_procedures();
    const auto& proc = p.female && r.percent(50) ? table[1] : table[0];
    const Id id = make_id(p.id, "sr", ++n, 3);
    begin_request(g, p, id, "active", "plan", "103693007", "Diagnostic procedure (procedure)");
    o.kcc("code", codes::kSnomed, proc.snomed, proc.display);
    subject(o, p);
    encounter_ref(o, e);
    o.kdt("occurrenceDateTime", authored + r.range(30, 365) * kDay);
    o.kdt("authoredOn", authored);
    o.kref("requester", "Practitioner", Gen::practitioner_id(e.practitioner));
    o.raw(",\"note\":[{\"text\":\"Screening due.\"}]}");
    g.emit_with_provenance(Type::ServiceRequest, id, authored, e.practitioner);
  }
}

}  // namespace

void write_requests(Gen& g, Person& p) {
  if (p.encounters.empty()) return;
  if (p.age_group != Person::Age::infant || p.index % 2 == 0) referral(g, p);
  if (p.age_group == Person::Age::adult) planned(g, p);
}

}  // namespace synth::detail
