// Immunizations Section (entries required) V3: the entire record. Each Immunization becomes an
// Immunization Activity (negated, with an Immunization Refusal Reason, when not done).
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

void activity(Ctx& c, const Json& imm, const std::string& ref) {
  XmlWriter& x = c.x;
  const bool not_done = str(imm, "status") == "not-done";
  x.start("entry").attr("typeCode", "DRIV");
  x.start("substanceAdministration").attr("classCode", "SBADM").attr("moodCode", "EVN")
      .attr("negationInd", not_done ? "true" : "false");
  template_id(x, "2.16.840.1.113883.10.20.22.4.52", "2015-08-01", true);
  entry_id(c, imm);
  text_ref(x, ref);
  status_code(x, "completed");
  write_ts(x, "effectiveTime", str(imm, "occurrenceDateTime"));
  if (const Json* dose = member(imm, "doseQuantity")) {
    const Json* v = member(*dose, "value");
    if (v && v->is_number()) {
      x.start("doseQuantity").attr("value", std::string(v->number_text()));
      if (auto u = str(*dose, "code"); !u.empty()) x.attr("unit", u);
      x.end();
    }
  }
  x.start("consumable").start("manufacturedProduct").attr("classCode", "MANU");
  template_id(x, "2.16.840.1.113883.10.20.22.4.54", "2014-06-09", true);
  x.start("manufacturedMaterial");
  write_cd(x, "code", member(imm, "vaccineCode"), {}, "2.16.840.1.113883.12.292");
  if (auto lot = str(imm, "lotNumber"); !lot.empty()) x.element("lotNumberText", lot);
  x.end().end().end();
  if (const Json* perf = first(imm, "performer")) {
    if (const Json* actor = member(*perf, "actor"); c.rec.resolve(actor)) {
      x.start("performer");
      write_performer_entity(c, actor, "assignedEntity");
      x.end();
    }
  }
  if (not_done) {
    if (const Json* reason = member(imm, "statusReason")) {
      x.start("entryRelationship").attr("typeCode", "RSON");
      x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
      template_id(x, "2.16.840.1.113883.10.20.22.4.53");
      entry_id(c, imm, "#refusal");
      write_cd(x, "code", reason, {}, "2.16.840.1.113883.5.8");
      status_code(x, "completed");
      x.end().end();
    }
  }
  x.end().end();
}

}  // namespace

void immunizations_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* i : c.rec.immunizations) {
    if (str(*i, "status") != "entered-in-error") items.push_back(i);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.2", "2015-08-01"},
                          {"2.16.840.1.113883.10.20.22.2.2.1", "2015-08-01"}},
                         true,
                         "11369-6",
                         "History of Immunization Narrative",
                         "Immunizations"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("immunization"));
  x.start("text");
  begin_table(x, {"Vaccine", "Date", "Status", "Lot"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& imm = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(imm, "vaccineCode")));
    cell(x, display_time(str(imm, "occurrenceDateTime")));
    std::string status(str(imm, "status"));
    if (status == "not-done") {
      if (auto r = cc_text(member(imm, "statusReason")); !r.empty()) status += " (" + std::string(r) + ")";
    }
    cell(x, status);
    cell(x, str(imm, "lotNumber"));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) activity(c, *items[i], refs[i]);
  end_section(c);
}

}  // namespace ccda::detail
