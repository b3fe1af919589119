// Vital signs at every encounter, one Observation per FHIR R4 vital-signs profile that fits the
// patient's age (as US Core 3.1.1 requires), US Core pulse oximetry and pediatric percentiles, and
// a vital-signs panel (85353-1) that groups them. With `absent`, the values were not obtained:
// each Observation carries a dataAbsentReason instead of its value.
#include <algorithm>
#include <vector>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

constexpr std::string_view kCategory =
    ",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
    "\"code\":\"vital-signs\",\"display\":\"Vital Signs\"}],\"text\":\"Vital Signs\"}]";
constexpr std::string_view kPulseOxCode =
    ",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59408-5\",\"display\":\"Oxygen saturation in "
    "Arterial blood by Pulse oximetry\"},{\"system\":\"http://loinc.org\",\"code\":\"2708-6\",\"display\":\"Oxygen "
    "saturation in Arterial blood\"}],\"text\":\"Oxygen saturation\"}";
constexpr std::string_view kAbsent =
    "{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/data-absent-reason\",\"code\":"
    "\"not-performed\",\"display\":\"Not Performed\"}],\"text\":\"Not Performed\"}";

struct Vitals {
  Gen& g;
  Person& p;
  const PlannedEncounter& e;
  bool absent;
  Seconds when;
  std::vector<Id> members;

  // Writes the Observation up to and including effectiveDateTime; returns its id. `code_member`,
  // when given, is the whole ,"code":{...} member (for more than one coding).
  Id start(std::string_view url, std::string_view url2, std::string_view code, std::string_view display,
           std::string_view code_member = {}) {
    Out& o = g.out;
    const Id id = make_id(p.id, "obs", ++p.obs, 4);
    o.raw("{\"resourceType\":\"Observation\",\"id\":\"");
    o.raw(id);
    o.ch('"');
    // Every vital sign also conforms to the base FHIR vital-signs profile, and says so.
    o.raw(",\"meta\":{\"profile\":[\"");
    o.raw(url);
    if (!url2.empty()) {
      o.raw("\",\"");
      o.raw(url2);
    }
    o.raw("\",\"");
    o.raw(profile::kVitalSigns);
    o.raw("\"]}");
    o.raw(",\"status\":\"final\"");
    o.raw(kCategory);
    if (code_member.empty()) o.kcc("code", codes::kLoinc, code, display);
    else o.raw(code_member);
    subject(o, p);
    encounter_ref(o, e);
    o.kdt("effectiveDateTime", when);
    return id;
  }
  void finish(const Id& id) {
    g.out.ch('}');
    g.emit_with_provenance(Type::Observation, id, when + 300, e.practitioner);
    members.push_back(id);
  }
  // A single-valued vital sign.
  void simple(std::string_view url, std::string_view code, std::string_view display, std::int64_t scaled,
              int decimals, std::string_view unit, std::string_view ucum) {
    const Id id = start(url, {}, code, display);
    value(scaled, decimals, unit, ucum);
    finish(id);
  }
  void value(std::int64_t scaled, int decimals, std::string_view unit, std::string_view ucum) {
    if (absent) {
      g.out.key_("dataAbsentReason");
      g.out.raw(kAbsent);
    } else {
      g.out.kquantity("valueQuantity", scaled, decimals, unit, ucum);
    }
  }
  // {"code":..,"valueQuantity":..} or with dataAbsentReason.
  void component(std::string_view code, std::string_view display, std::int64_t scaled, int decimals,
                 std::string_view unit, std::string_view ucum) {
    Out& o = g.out;
    o.raw("{\"code\":");
    o.cc(codes::kLoinc, code, display);
    value(scaled, decimals, unit, ucum);
    o.ch('}');
  }
};

std::int64_t height_mm(const Person& p, int m) {
  if (p.age_group == Person::Age::adult) return p.adult_height;
  std::int64_t h = m <= 12 ? 500 + m * 250 / 12 : m <= 24 ? 750 + (m - 12) * 120 / 12 : 870 + (m - 24) * 60 / 12;
  h = h * p.adult_height / 1700;
  return std::min(h, p.adult_height);
}

}  // namespace

void write_vitals(Gen& g, Person& p, const PlannedEncounter& e, bool absent) {
  Rng& r = p.rng;
  Vitals v{g, p, e, absent, e.start + 600, {}};
  v.members.reserve(12);
  const int m = e.age_months;
  const bool infant = m < 24;
  const bool adult = p.age_group == Person::Age::adult;

  if (m >= 36) {
    const Id id = v.start(profile::kBloodPressure, {}, "85354-9", "Blood pressure panel with all children optional");
    const std::int64_t sys = adult ? r.around(122, 16) : r.around(102, 10);
    const std::int64_t dia = adult ? r.around(78, 10) : r.around(63, 8);
    if (absent) {
      g.out.key_("dataAbsentReason");
      g.out.raw(kAbsent);
    }
    g.out.raw(",\"component\":[");
    v.component("8480-6", "Systolic blood pressure", sys, 0, "mm[Hg]", "mm[Hg]");
    g.out.ch(',');
    v.component("8462-4", "Diastolic blood pressure", dia, 0, "mm[Hg]", "mm[Hg]");
    g.out.ch(']');
    v.finish(id);
  }
  v.simple(profile::kHeartRate, "8867-4", "Heart rate", infant ? r.around(125, 20) : adult ? r.around(74, 12) : r.around(90, 15),
           0, "beats/minute", "/min");
  v.simple(profile::kRespRate, "9279-1", "Respiratory rate", infant ? r.around(34, 8) : adult ? r.around(16, 3) : r.around(21, 4),
           0, "breaths/minute", "/min");
  const bool fever = e.kind == Visit::emergency && r.percent(30);
  v.simple(profile::kBodyTemp, "8310-5", "Body temperature", fever ? r.around(386, 5) : r.around(368, 4), 1, "C", "Cel");

  {  // Pulse oximetry: US Core profile (derived from oxygensat), with the inhaled oxygen components.
    const std::int64_t spo2 = std::min<std::int64_t>(100, r.around(97, 3));
    const bool oxygen = spo2 <= 94;
    const Id id = v.start(profile::kPulseOximetry, profile::kOxygenSat, {}, {}, kPulseOxCode);
    Out& o = g.out;
    v.value(spo2, 0, "%", "%");
    o.raw(",\"component\":[");
    v.component("3151-8", "Inhaled oxygen flow rate", oxygen ? r.range(1, 4) : 0, 0, "L/min", "L/min");
    o.ch(',');
    v.component("3150-0", "Inhaled oxygen concentration", oxygen ? r.range(24, 36) : 21, 0, "%", "%");
    o.ch(']');
    v.finish(id);
  }

  const std::int64_t h = height_mm(p, m) + r.range(-5, 5);
  std::int64_t w;  // kg x 10
  if (m <= 12) w = 35 + m * 65 / 12 + r.range(-3, 3);
  else if (m <= 24) w = 100 + (m - 12) * 20 / 12 + r.range(-4, 4);
  else w = (p.bmi + r.range(-8, 8)) * h * h / 1'000'000;
  v.simple(profile::kBodyHeight, "8302-2", "Body height", h, 1, "cm", "cm");
  v.simple(profile::kBodyWeight, "29463-7", "Body weight", w, 1, "kg", "kg");
  if (m >= 24) {
    v.simple(profile::kBmi, "39156-5", "Body mass index (BMI) [Ratio]", w * 1'000'000 / (h * h), 1, "kg/m2",
             "kg/m2");
  }
  if (m >= 24 && m < 240) {
    v.simple(profile::kPediatricBmi, "59576-9", "Body mass index (BMI) [Percentile] Per age and sex", r.range(50, 950),
             1, "%", "%");
  }
  if (infant) {
    v.simple(profile::kPediatricWeight, "77606-2", "Weight-for-length Per age and sex", r.range(50, 950), 1, "%", "%");
  }
  if (m < 36) {
    const std::int64_t head = (m <= 12 ? 350 + m * 110 / 12 : 460 + (m - 12) * 35 / 24) + r.range(-5, 5);
    v.simple(profile::kHeadCircum, "9843-4", "Head Occipital-frontal circumference", head, 1, "cm", "cm");
    v.simple(profile::kHeadPercentile, "8289-1", "Head Occipital-frontal circumference Percentile", r.range(50, 950), 1,
             "%", "%");
  }

  // The panel.
  Out& o = g.out;
  const Id id = make_id(p.id, "obs", ++p.obs, 4);
  o.raw("{\"resourceType\":\"Observation\",\"id\":\"");
  o.raw(id);
  o.ch('"');
  o.profile2(profile::kVitalsPanel, profile::kVitalSigns);
  o.raw(",\"status\":\"final\"");
  o.raw(kCategory);
  o.kcc("code", codes::kLoinc, "85353-1",
        "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel");
  subject(o, p);
  encounter_ref(o, e);
  o.kdt("effectiveDateTime", v.when);
  if (absent) {
    o.key_("dataAbsentReason");
    o.raw(kAbsent);
  }
  o.raw(",\"hasMember\":[");
  for (std::size_t i = 0; i < v.members.size(); ++i) {
    if (i) o.ch(',');
    o.ref("Observation", v.members[i]);
  }
  o.raw("]}");
  g.emit_with_provenance(Type::Observation, id, v.when + 300, e.practitioner);
}

}  // namespace synth::detail
