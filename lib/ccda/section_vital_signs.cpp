// Vital Signs Section (entries required) V3: the latest vital signs recorded only (the vital-sign
// Observations of the most recent encounter or time that has any), as one Vital Signs Organizer
// with a Vital Sign Observation per value (a blood pressure's components each become one).
#include <algorithm>

#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

struct Vital {
  const Json* obs;        // the Observation
  const Json* component;  // or one of its components (nullptr: the Observation's own value)
  std::string ref;
};

// The latest group of vital-sign Observations: those of the encounter (or, without one, the
// effective time) of the most recent vital sign.
std::vector<const Json*> latest_group(Ctx& c) {
  const Json* latest = nullptr;
  std::int64_t latest_at = INT64_MIN;
  for (const Json* o : c.rec.observations) {
    if (!is_vital_sign(*o) || str(*o, "status") == "entered-in-error") continue;
    auto t = resource_time(c.rec, *o);
    const std::int64_t at = t ? t->low : INT64_MIN + 1;
    if (!latest || at > latest_at) {
      latest = o;
      latest_at = at;
    }
  }
  std::vector<const Json*> group;
  if (!latest) return group;
  const Json* enc = member(*latest, "encounter");
  const std::string_view enc_ref = enc ? str(*enc, "reference") : std::string_view{};
  const std::string_view when = str(*latest, "effectiveDateTime");
  for (const Json* o : c.rec.observations) {
    if (!is_vital_sign(*o) || str(*o, "status") == "entered-in-error") continue;
    const Json* e = member(*o, "encounter");
    const bool same = !enc_ref.empty() ? (e && str(*e, "reference") == enc_ref)
                                       : (!when.empty() && str(*o, "effectiveDateTime") == when) || o == latest;
    if (same) group.push_back(o);
  }
  return group;
}

bool has_value(const Json& j) {
  for (auto k : {"valueQuantity", "valueCodeableConcept", "valueString", "valueInteger", "valueBoolean"}) {
    if (member(j, k)) return true;
  }
  return false;
}

}  // namespace

void vital_signs_section(Ctx& c) {
  const std::vector<const Json*> group = latest_group(c);
  std::vector<Vital> vitals;
  const Json* panel = nullptr;
  for (const Json* o : group) {
    if (array(*o, "hasMember")) {
      panel = o;
      continue;
    }
    const Json* comps = array(*o, "component");
    if (!has_value(*o) && comps && !comps->empty()) {
      for (const Json& comp : *comps) vitals.push_back({o, &comp, {}});
      continue;
    }
    vitals.push_back({o, nullptr, {}});
    if (comps) {
      for (const Json& comp : *comps) {
        if (has_value(comp)) vitals.push_back({o, &comp, {}});
      }
    }
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.4", "2015-08-01"},
                          {"2.16.840.1.113883.10.20.22.2.4.1", "2015-08-01"}},
                         true,
                         "8716-3",
                         "Vital signs",
                         "Vital Signs (latest recorded)"};
  if (!begin_section(c, spec, vitals.empty())) return;
  XmlWriter& x = c.x;
  for (Vital& v : vitals) v.ref = c.ref_id("vital");
  const Json& head = panel ? *panel : *vitals.front().obs;
  const std::string_view when = str(head, "effectiveDateTime");
  x.start("text");
  x.start("paragraph").text("Latest vital signs, recorded " + display_time(when)).end();
  begin_table(x, {"Vital Sign", "Value", "Date"});
  for (const Vital& v : vitals) {
    const Json& src = v.component ? *v.component : *v.obs;
    begin_row(x, v.ref);
    cell(x, cc_text(member(src, "code")));
    std::string value = value_text(src);
    if (value.empty()) value = std::string(cc_text(member(*v.obs, "dataAbsentReason")));
    cell(x, value);
    cell(x, display_time(str(*v.obs, "effectiveDateTime")));
    x.end();
  }
  end_table(x);
  x.end();

  x.start("entry").attr("typeCode", "DRIV");
  x.start("organizer").attr("classCode", "CLUSTER").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.26", "2015-08-01", true);
  entry_id(c, head, panel ? std::string_view{} : std::string_view{"#organizer"});
  x.start("code").attr("code", "46680005").attr("codeSystem", "2.16.840.1.113883.6.96")
      .attr("codeSystemName", "SNOMED CT").attr("displayName", "Vital Signs");
  write_code(x, "translation", "74728-7", "2.16.840.1.113883.6.1",
             "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel - HL7.CCDAr2");
  x.end();
  status_code(x, "completed");
  write_ts(x, "effectiveTime", when);
  for (const Vital& v : vitals) {
    const Json& src = v.component ? *v.component : *v.obs;
    x.start("component");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.27", "2014-06-09", true);
    std::string suffix;
    if (v.component) suffix = "#" + std::string(code_in(member(src, "code"), "http://loinc.org"));
    entry_id(c, *v.obs, suffix);
    write_cd(x, "code", member(src, "code"), {}, "2.16.840.1.113883.6.1");
    text_ref(x, v.ref);
    status_code(x, "completed");
    write_ts(x, "effectiveTime", str(*v.obs, "effectiveDateTime"));
    write_value(x, src, "PQ");
    if (const Json* interp = first(src, "interpretation")) write_cd(x, "interpretationCode", interp);
    x.end().end();
  }
  x.end().end();
  end_section(c);
}

}  // namespace ccda::detail
