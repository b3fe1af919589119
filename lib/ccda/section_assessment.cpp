// Assessment Section: filtered by the window. ClinicalImpressions (their summary, findings and
// assessor) are the assessments; each is also a Note Activity (Assessment note).
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

std::string_view when(const Json& ci) {
  if (auto t = str(ci, "effectiveDateTime"); !t.empty()) return t;
  if (const Json* p = member(ci, "effectivePeriod")) return str(*p, "start");
  return str(ci, "date");
}

std::string findings(Ctx& c, const Json& ci) {
  std::string out;
  if (const Json* fs = array(ci, "finding")) {
    for (const Json& f : *fs) {
      std::string_view t = cc_text(member(f, "itemCodeableConcept"));
      if (t.empty()) {
        if (const Json* cond = c.rec.resolve(member(f, "itemReference"))) t = cc_text(member(*cond, "code"));
      }
      if (t.empty()) continue;
      if (!out.empty()) out += "; ";
      out += t;
    }
  }
  return out;
}

}  // namespace

void assessment_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* ci : c.rec.impressions) {
    if (str(*ci, "status") == "entered-in-error") continue;
    if (c.in_window(resource_time(c.rec, *ci))) items.push_back(ci);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.8", ""}}, false, "51848-0", "Evaluation note",
                         "Assessments"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("assessment"));
  x.start("text");
  begin_table(x, {"Date", "Assessment", "Findings", "Assessor"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& ci = *items[i];
    begin_row(x, refs[i]);
    cell(x, display_time(when(ci)));
    std::string summary(str(ci, "summary"));
    if (summary.empty()) summary = std::string(str(ci, "description"));
    cell(x, summary);
    cell(x, findings(c, ci));
    const Json* assessor = c.rec.resolve(member(ci, "assessor"));
    cell(x, assessor ? name_text(first(*assessor, "name")) : std::string());
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& ci = *items[i];
    write_note_activity(c, ci, "51848-0", "Evaluation note", refs[i], when(ci), member(ci, "assessor"),
                        member(ci, "encounter"));
  }
  end_section(c);
}

}  // namespace ccda::detail
