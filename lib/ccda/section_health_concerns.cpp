// Health Concerns Section V2: filtered by the window. Conditions of category health-concern become
// Health Concern Acts referring to a Problem Observation of the concern.
#include "ccda/internal.hpp"

namespace ccda::detail {

void health_concerns_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* cond : c.rec.conditions) {
    if (!has_category(*cond, "health-concern")) continue;
    if (has_code(member(*cond, "verificationStatus"), "entered-in-error")) continue;
    if (c.in_window(resource_time(c.rec, *cond))) items.push_back(cond);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.58", "2015-08-01"}},
                         false,
                         "75310-3",
                         "Health concerns Document",
                         "Health Concerns"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("concern"));
  x.start("text");
  begin_table(x, {"Concern", "Noted", "Status"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& cond = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(cond, "code")));
    std::string_view noted = str(cond, "onsetDateTime");
    if (noted.empty()) noted = str(cond, "recordedDate");
    cell(x, display_time(noted));
    cell(x, condition_active(cond) ? "active" : "inactive");
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& cond = *items[i];
    const bool active = condition_active(cond);
    x.start("entry").attr("typeCode", "DRIV");
    x.start("act").attr("classCode", "ACT").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.132", "2015-08-01");
    entry_id(c, cond, "#health-concern");
    write_code(x, "code", "75310-3", "2.16.840.1.113883.6.1", "Health Concern");
    text_ref(x, refs[i]);
    status_code(x, active ? "active" : "completed");
    std::string_view noted = str(cond, "recordedDate");
    if (noted.empty()) noted = str(cond, "onsetDateTime");
    write_ivl(x, "effectiveTime", noted, active ? std::string_view{} : str(cond, "abatementDateTime"));
    write_author(c, str(cond, "recordedDate"), member(cond, "recorder"));
    x.start("entryRelationship").attr("typeCode", "REFR");
    write_problem_observation(c, cond, refs[i]);
    x.end();
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
