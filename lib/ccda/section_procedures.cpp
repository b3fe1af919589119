// Procedures Section (entries required) V2, "History of Procedures": filtered by the window.
// Each Procedure becomes a Procedure Activity Procedure with its performer and, for implants, the
// device's Product Instance (UDI).
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

std::string_view proc_status(std::string_view s) {
  if (s == "in-progress" || s == "preparation" || s == "on-hold") return "active";
  if (s == "stopped") return "aborted";
  if (s == "not-done") return "cancelled";
  return "completed";
}

std::string_view performed(const Json& p) {
  if (auto t = str(p, "performedDateTime"); !t.empty()) return t;
  if (const Json* per = member(p, "performedPeriod")) return str(*per, "start");
  return {};
}

void activity(Ctx& c, const Json& p, const std::string& ref) {
  XmlWriter& x = c.x;
  x.start("entry").attr("typeCode", "DRIV");
  x.start("procedure").attr("classCode", "PROC").attr("moodCode", "EVN");
  if (str(p, "status") == "not-done") x.attr("negationInd", "true");
  template_id(x, "2.16.840.1.113883.10.20.22.4.14", "2014-06-09", true);
  entry_id(c, p);
  write_cd(x, "code", member(p, "code"), {}, "2.16.840.1.113883.6.96", ref);
  text_ref(x, ref);
  status_code(x, proc_status(str(p, "status")));
  if (const Json* per = member(p, "performedPeriod")) {
    write_ivl(x, "effectiveTime", str(*per, "start"), str(*per, "end"));
  } else {
    write_ts(x, "effectiveTime", str(p, "performedDateTime"));
  }
  if (const Json* site = first(p, "bodySite")) write_cd(x, "targetSiteCode", site, {}, "2.16.840.1.113883.6.96");
  if (const Json* perf = first(p, "performer")) {
    const Json* actor = member(*perf, "actor");
    if (c.rec.resolve(actor)) {
      x.start("performer");
      write_performer_entity(c, actor, "assignedEntity");
      x.end();
    }
  }
  if (const Json* focal = array(p, "focalDevice")) {
    for (const Json& f : *focal) {
      const Json* dev = c.rec.resolve(member(f, "manipulated"));
      if (!dev) continue;
      x.start("participant").attr("typeCode", "DEV");
      write_product_instance(c, *dev);
      x.end();
    }
  }
  x.end().end();
}

}  // namespace

void procedures_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* p : c.rec.procedures) {
    if (str(*p, "status") == "entered-in-error") continue;
    if (c.in_window(resource_time(c.rec, *p))) items.push_back(p);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.7", "2014-06-09"},
                          {"2.16.840.1.113883.10.20.22.2.7.1", "2014-06-09"}},
                         true,
                         "47519-4",
                         "History of Procedures Document",
                         "History of Procedures"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("procedure"));
  x.start("text");
  begin_table(x, {"Procedure", "Code", "Date", "Status"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& p = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(p, "code")));
    cell(x, code_in(member(p, "code"), "http://snomed.info/sct"));
    cell(x, display_time(performed(p)));
    cell(x, str(p, "status"));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) activity(c, *items[i], refs[i]);
  end_section(c);
}

}  // namespace ccda::detail
