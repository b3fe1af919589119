// Goals Section: filtered by the window. Each Goal becomes a Goal Observation (moodCode GOL).
#include "ccda/internal.hpp"

namespace ccda::detail {

void goals_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* g : c.rec.goals) {
    const std::string_view s = str(*g, "lifecycleStatus");
    if (s == "entered-in-error" || s == "rejected") continue;
    if (c.in_window(resource_time(c.rec, *g))) items.push_back(g);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.60", ""}}, false, "61146-7", "Goals", "Goals"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("goal"));
  x.start("text");
  begin_table(x, {"Goal", "Start", "Target Date", "Status"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& g = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(g, "description")));
    cell(x, display_time(str(g, "startDate")));
    const Json* target = first(g, "target");
    cell(x, target ? display_time(str(*target, "dueDate")) : std::string());
    cell(x, str(g, "lifecycleStatus"));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& g = *items[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "GOL");
    template_id(x, "2.16.840.1.113883.10.20.22.4.121");
    entry_id(c, g);
    const Json* desc = member(g, "description");
    if (!code_in(desc, "http://loinc.org").empty() || !code_in(desc, "http://snomed.info/sct").empty()) {
      write_cd(x, "code", desc, {}, "2.16.840.1.113883.6.1");
    } else {
      x.start("code").attr("nullFlavor", "OTH");
      if (auto t = cc_text(desc); !t.empty()) x.element("originalText", t);
      x.end();
    }
    text_ref(x, refs[i]);
    const std::string_view s = str(g, "lifecycleStatus");
    status_code(x, s == "completed" ? "completed" : s == "cancelled" ? "cancelled" : s == "on-hold" ? "suspended"
                                                                                                 : "active");
    const Json* target = first(g, "target");
    write_ivl(x, "effectiveTime", str(g, "startDate"), target ? str(*target, "dueDate") : std::string_view{});
    write_author(c, str(g, "startDate"), member(g, "expressedBy"));
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
