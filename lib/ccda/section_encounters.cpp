// Encounters Section (entries required) V3: filtered by the window. Each Encounter becomes an
// Encounter Activity with its type (and class as a translation), period, attending practitioner,
// location (Service Delivery Location), reasons (Indication) and diagnoses (Encounter Diagnosis).
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

void location(Ctx& c, const Json& e) {
  XmlWriter& x = c.x;
  const Json* loc_ref = first(e, "location");
  const Json* loc = loc_ref ? c.rec.resolve(member(*loc_ref, "location")) : nullptr;
  if (!loc) return;
  x.start("participant").attr("typeCode", "LOC");
  x.start("participantRole").attr("classCode", "SDLOC");
  template_id(x, "2.16.840.1.113883.10.20.22.4.32");
  if (const Json* type = first(*loc, "type")) write_cd(x, "code", type);
  else x.start("code").attr("nullFlavor", "UNK").end();
  write_addr(x, member(*loc, "address"));
  if (const Json* t = first(*loc, "telecom")) write_telecom(x, t);
  x.start("playingEntity").attr("classCode", "PLC");
  x.element("name", str(*loc, "name"));
  x.end();
  x.end().end();
}

void activity(Ctx& c, const Json& e, const std::string& ref) {
  XmlWriter& x = c.x;
  x.start("entry").attr("typeCode", "DRIV");
  x.start("encounter").attr("classCode", "ENC").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.49", "2015-08-01", true);
  entry_id(c, e);
  // The type, with the class (AMB, EMER, IMP) as a translation.
  const Json* type = first(e, "type");
  const Json* cls = member(e, "class");
  x.start("code");
  const Json* coding = type ? first(*type, "coding") : nullptr;
  const std::string_view oid = coding ? oid_of(str(*coding, "system")) : std::string_view{};
  if (coding && !oid.empty() && !str(*coding, "code").empty()) {
    x.attr("code", str(*coding, "code")).attr("codeSystem", oid);
    if (auto n = oid_name(oid); !n.empty()) x.attr("codeSystemName", n);
    if (auto d = str(*coding, "display"); !d.empty()) x.attr("displayName", d);
  } else {
    x.attr("nullFlavor", "UNK");
  }
  x.start("originalText").start("reference").attr("value", "#" + ref).end().end();
  if (cls && !str(*cls, "code").empty()) {
    write_code(x, "translation", str(*cls, "code"), "2.16.840.1.113883.5.4", str(*cls, "display"));
  }
  x.end();
  text_ref(x, ref);
  const Json* period = member(e, "period");
  write_ivl(x, "effectiveTime", period ? str(*period, "start") : std::string_view{},
            period ? str(*period, "end") : std::string_view{});
  if (const Json* part = first(e, "participant")) {
    if (const Json* who = member(*part, "individual"); c.rec.resolve(who)) {
      x.start("performer");
      write_performer_entity(c, who, "assignedEntity");
      x.end();
    }
  }
  location(c, e);
  if (const Json* reasons = array(e, "reasonCode")) {
    int n = 0;
    for (const Json& r : *reasons) {
      x.start("entryRelationship").attr("typeCode", "RSON");
      x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
      template_id(x, "2.16.840.1.113883.10.20.22.4.19", "2014-06-09", true);
      entry_id(c, e, "#reason" + std::to_string(++n));
      write_code(x, "code", "404684003", "2.16.840.1.113883.6.96", "Clinical finding");
      status_code(x, "completed");
      write_ivl(x, "effectiveTime", period ? str(*period, "start") : std::string_view{}, {});
      write_cd(x, "value", &r, "CD", "2.16.840.1.113883.6.96");
      x.end().end();
    }
  }
  // Diagnoses: the encounter's own list, or the encounter-diagnosis Conditions that point at it.
  std::vector<const Json*> diagnoses;
  if (const Json* ds = array(e, "diagnosis")) {
    for (const Json& d : *ds) {
      if (const Json* cond = c.rec.resolve(member(d, "condition"))) diagnoses.push_back(cond);
    }
  }
  if (diagnoses.empty()) {
    for (const Json* cond : c.rec.conditions) {
      if (!has_category(*cond, "encounter-diagnosis")) continue;
      if (c.rec.resolve(member(*cond, "encounter")) == &e) diagnoses.push_back(cond);
    }
  }
  for (const Json* cond : diagnoses) {
    x.start("entryRelationship").attr("typeCode", "COMP");
    x.start("act").attr("classCode", "ACT").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.80", "2015-08-01", true);
    write_code(x, "code", "29308-4", "2.16.840.1.113883.6.1", "Diagnosis");
    x.start("entryRelationship").attr("typeCode", "SUBJ");
    write_problem_observation(c, *cond, {}, "#encounter-diagnosis");
    x.end();
    x.end().end();
  }
  x.end().end();
}

}  // namespace

void encounters_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* e : c.rec.encounters) {
    if (str(*e, "status") == "entered-in-error" || str(*e, "status") == "cancelled") continue;
    if (c.in_window(resource_time(c.rec, *e))) items.push_back(e);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.22", "2015-08-01"},
                          {"2.16.840.1.113883.10.20.22.2.22.1", "2015-08-01"}},
                         true,
                         "46240-8",
                         "History of Hospitalizations+Outpatient visits Narrative",
                         "Encounters"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("encounter"));
  x.start("text");
  begin_table(x, {"Encounter", "Class", "Start", "End", "Reason", "Location"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& e = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(first(e, "type")));
    const Json* cls = member(e, "class");
    cell(x, cls ? (str(*cls, "display").empty() ? str(*cls, "code") : str(*cls, "display")) : std::string_view{});
    const Json* period = member(e, "period");
    cell(x, period ? display_time(str(*period, "start")) : std::string());
    cell(x, period ? display_time(str(*period, "end")) : std::string());
    cell(x, cc_text(first(e, "reasonCode")));
    const Json* loc_ref = first(e, "location");
    const Json* loc = loc_ref ? c.rec.resolve(member(*loc_ref, "location")) : nullptr;
    cell(x, loc ? str(*loc, "name") : std::string_view{});
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) activity(c, *items[i], refs[i]);
  end_section(c);
}

}  // namespace ccda::detail
