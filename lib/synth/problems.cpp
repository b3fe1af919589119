// Problems and history: Conditions (problem list, encounter diagnoses, health concerns),
// AllergyIntolerances (or "no known allergy"), Procedures, and implanted Devices with the
// procedure that placed them.
#include <algorithm>
#include <vector>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

void status_cc(Out& o, std::string_view key, std::string_view system, std::string_view code,
               std::string_view display) {
  o.key_(key);
  o.raw("{\"coding\":[");
  o.coding(system, code, display);
  o.raw("]}");
}

void condition(Gen& g, Person& p, int n, const PlannedEncounter& e, std::string_view category_system,
               std::string_view category, std::string_view category_display, std::string_view code,
               std::string_view display, std::string_view icd10, bool resolved) {
  Out& o = g.out;
  Rng& r = p.rng;
  const Id id = make_id(p.id, "cond", n, 3);
  const Seconds onset = e.start + 1800;
  Seconds abated = onset + r.range(7, 40) * kDay;
  if (abated >= kToday * kDay) resolved = false;
  begin(o, "Condition", id, profile::kCondition);
  status_cc(o, "clinicalStatus", "http://terminology.hl7.org/CodeSystem/condition-clinical",
            resolved ? "resolved" : "active", resolved ? "Resolved" : "Active");
  const bool provisional = r.percent(5);
  status_cc(o, "verificationStatus", "http://terminology.hl7.org/CodeSystem/condition-ver-status",
            provisional ? "provisional" : "confirmed", provisional ? "Provisional" : "Confirmed");
  o.raw(",\"category\":[{\"coding\":[");
  o.coding(category_system, category, category_display);
  o.raw("]}],\"code\":{\"coding\":[");
  o.coding(codes::kSnomed, code, display);
  if (!icd10.empty()) {
    o.ch(',');
    o.coding(codes::kIcd10, icd10, {});
  }
  o.raw("],\"text\":");
  o.str(display);
  o.ch('}');
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("onsetDateTime", onset);
  if (resolved) o.kdt("abatementDateTime", abated);
  o.kdt("recordedDate", onset + 600);
  o.kref("recorder", "Practitioner", Gen::practitioner_id(e.practitioner));
  o.ch('}');
  g.emit_with_provenance(Type::Condition, id, onset + 600, e.practitioner);
  p.conditions.push_back(id);
}

void conditions(Gen& g, Person& p) {
  Rng& r = p.rng;
  if (p.encounters.empty()) return;
  const auto table = codes::conditions();
  int n = p.age_group == Person::Age::adult ? static_cast<int>(r.range(2, 5))
          : p.age_group == Person::Age::child ? static_cast<int>(r.range(1, 3))
                                              : static_cast<int>(r.range(0, 2));
  std::vector<std::size_t> used;
  int count = 0;
  for (int k = 0; k < n; ++k) {
    const PlannedEncounter& e = p.encounters[r.below(p.encounters.size())];
    const int age = e.age_months / 12;
    std::size_t pick = table.size();
    for (int tries = 0; tries < 8 && pick == table.size(); ++tries) {
      const std::size_t c = r.below(table.size());
      if (table[c].min_age <= age && age <= table[c].max_age &&
          std::find(used.begin(), used.end(), c) == used.end()) {
        pick = c;
      }
    }
    if (pick == table.size()) continue;
    used.push_back(pick);
    const auto& c = table[pick];
    if (c.chronic || r.percent(30)) {
      condition(g, p, ++count, e, "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item",
                "Problem List Item", c.snomed, c.display, c.icd10, !c.chronic);
    } else {
      condition(g, p, ++count, e, "http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
                "Encounter Diagnosis", c.snomed, c.display, c.icd10, true);
    }
  }
  if (p.age_group == Person::Age::adult && (p.index % 3 == 0 || r.percent(40))) {
    const auto& hc = r.pick(codes::health_concerns());
    condition(g, p, ++count, p.encounters.back(), "http://hl7.org/fhir/us/core/CodeSystem/condition-category",
              "health-concern", "Health Concern", hc.code, hc.display, {}, false);
  }
}

void allergies(Gen& g, Person& p) {
  Rng& r = p.rng;
  Out& o = g.out;
  const PlannedEncounter* first = p.encounters.empty() ? nullptr : &p.encounters.front();
  const Seconds recorded = first ? first->start + 900 : p.birth * kDay;
  const std::int64_t by = first ? first->practitioner : p.gp;
  const int n = r.percent(35) ? static_cast<int>(r.range(1, 2)) : 0;
  const auto table = codes::allergies();
  const std::size_t base = r.below(table.size());
  for (int k = 0; k < std::max(n, 1); ++k) {
    const Id id = make_id(p.id, "alg", k + 1, 3);
    begin(o, "AllergyIntolerance", id, profile::kAllergy);
    status_cc(o, "clinicalStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active",
              "Active");
    const bool confirmed = n == 0 || r.percent(80);
    status_cc(o, "verificationStatus", "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
              confirmed ? "confirmed" : "unconfirmed", confirmed ? "Confirmed" : "Unconfirmed");
    if (n == 0) {
      o.kcc("code", codes::kSnomed, "716186003", "No known allergy (situation)");
      o.kref("patient", "Patient", p.id);
      o.kdt("recordedDate", recorded);
    } else {
      const auto& a = table[(base + static_cast<std::size_t>(k) * 5) % table.size()];
      o.raw(",\"type\":\"allergy\",\"category\":[\"");
      o.raw(a.category);
      o.raw("\"]");
      const bool severe = r.percent(15);
      o.kv("criticality", severe ? "high" : "low");
      o.kcc("code", a.system, a.code, a.display);
      o.kref("patient", "Patient", p.id);
      o.kdt("recordedDate", recorded);
      o.kref("recorder", "Practitioner", Gen::practitioner_id(by));
      // Anaphylaxis (index 1) only for the severe ones.
      const auto reactions = codes::reactions();
      const std::size_t mild = r.below(reactions.size() - 1);
      const auto& m = reactions[severe ? 1 : mild + (mild >= 1 ? 1 : 0)];
      o.raw(",\"reaction\":[{\"manifestation\":[");
      o.cc(codes::kSnomed, m.code, m.display);
      o.raw("],\"severity\":\"");
      o.raw(severe ? "severe" : r.percent(50) ? "mild" : "moderate");
      o.raw("\"}]");
    }
    o.ch('}');
    g.emit_with_provenance(Type::AllergyIntolerance, id, recorded, by);
  }
}

// Writes a Procedure (performedDateTime, or performedPeriod when it takes a while).
void procedure(Gen& g, Person& p, int n, const PlannedEncounter& e, std::string_view code, std::string_view display,
               bool period, const Id* device) {
  Out& o = g.out;
  Rng& r = p.rng;
  const Id id = make_id(p.id, "proc", n, 3);
  const Seconds start = e.start + 1800;
  const Seconds end = start + r.range(30, 120) * 60;
  begin(o, "Procedure", id, profile::kProcedure);
  o.raw(",\"status\":\"completed\"");
  o.kcc("code", codes::kSnomed, code, display);
  subject(o, p);
  encounter_ref(o, e);
  if (period) o.kperiod("performedPeriod", start, end);
  else o.kdt("performedDateTime", start);
  o.raw(",\"performer\":[{\"actor\":");
  o.ref("Practitioner", Gen::practitioner_id(e.practitioner));
  o.raw("}]");
  o.kref("location", "Location", Gen::location_id(e.location));
  if (device) {
    o.raw(",\"focalDevice\":[{\"manipulated\":");
    o.ref("Device", *device);
    o.raw("}]");
  }
  o.ch('}');
  g.emit_with_provenance(Type::Procedure, id, (period ? end : start) + 600, e.practitioner);
  p.procedure_visits.push_back(&e);
}

void yymmdd(Out& o, Days d) {
  const Civil c = civil_from_days(d);
  o.padded(c.year % 100, 2);
  o.padded(c.month, 2);
  o.padded(c.day, 2);
}

void device(Gen& g, Person& p, const Id& id, const codes::Implant& implant, const PlannedEncounter& e) {
  Out& o = g.out;
  Rng& r = p.rng;
  const Days made = day_of(e.start) - r.range(60, 400);
  const Days expires = made + r.range(3, 10) * 365;
  Out lot;
  lot.raw("L");
  lot.padded(r.range(0, 999999), 6);
  Out serial;
  serial.raw("SN");
  serial.padded(r.range(0, 99999999), 8);
  Out hrf;  // GS1 human-readable form
  hrf.raw("(01)");
  hrf.raw(implant.gtin);
  hrf.raw("(11)");
  yymmdd(hrf, made);
  hrf.raw("(17)");
  yymmdd(hrf, expires);
  hrf.raw("(10)");
  hrf.raw(lot.s);
  hrf.raw("(21)");
  hrf.raw(serial.s);

  begin(o, "Device", id, profile::kDevice);
  o.raw(",\"udiCarrier\":[{\"deviceIdentifier\":\"");
  o.raw(implant.gtin);
  o.raw("\",\"issuer\":\"http://hl7.org/fhir/NamingSystem/gs1-di\",\"jurisdiction\":\"http://hl7.org/fhir/"
        "NamingSystem/fda-udi\",\"carrierAIDC\":\"");
  base64(o, hrf.s);
  o.raw("\",\"carrierHRF\":");
  o.str(hrf.s);
  o.raw(",\"entryType\":\"barcode\"}]");
  o.kv("distinctIdentifier", serial.s);
  o.raw(",\"status\":\"active\"");
  o.kdt("manufactureDate", made * kDay + 12 * 3600);
  o.kdt("expirationDate", expires * kDay + 12 * 3600);
  o.kv("lotNumber", lot.s);
  o.kv("serialNumber", serial.s);
  o.kcc("type", codes::kSnomed, implant.device, implant.device_display);
  o.kref("patient", "Patient", p.id);
  o.ch('}');
  g.emit_with_provenance(Type::Device, id, e.start + 7200, e.practitioner);
}

void procedures(Gen& g, Person& p) {
  Rng& r = p.rng;
  if (p.encounters.empty()) return;
  const int n = p.age_group == Person::Age::adult ? static_cast<int>(r.range(1, 3))
                                                  : static_cast<int>(r.range(0, 2));
  int count = 0;
  for (int k = 0; k < n; ++k) {
    const auto& proc = r.pick(codes::procedures());
    procedure(g, p, ++count, p.encounters[r.below(p.encounters.size())], proc.snomed, proc.display, proc.period,
              nullptr);
  }
  if (p.age_group == Person::Age::adult && (p.index % 2 == 0 || r.percent(20))) {
    const auto& implant = r.pick(codes::implants());
    const PlannedEncounter& e = p.encounters[r.below(p.encounters.size())];
    const Id dev = make_id(p.id, "dev", 1, 3);
    device(g, p, dev, implant, e);
    procedure(g, p, ++count, e, implant.procedure, implant.procedure_display, true, &dev);
  }
}

}  // namespace

void write_problems(Gen& g, Person& p) {
  conditions(g, p);
  allergies(g, p);
  procedures(g, p);
}

}  // namespace synth::detail
