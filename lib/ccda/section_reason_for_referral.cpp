// Reason for Referral Section V2: filtered by the window. Referral ServiceRequests (category or
// code "patient referral") become Patient Referral Acts with the reason as an Indication.
#include "ccda/internal.hpp"

namespace ccda::detail {

bool is_referral(const Json& sr);  // section_plan_of_treatment.cpp

namespace {

std::string reasons(Ctx& c, const Json& sr) {
  std::string out;
  if (const Json* rc = array(sr, "reasonCode")) {
    for (const Json& r : *rc) {
      if (!out.empty()) out += "; ";
      out += cc_text(&r);
    }
  }
  if (const Json* rr = array(sr, "reasonReference")) {
    for (const Json& r : *rr) {
      if (const Json* cond = c.rec.resolve(&r)) {
        if (!out.empty()) out += "; ";
        out += cc_text(member(*cond, "code"));
      }
    }
  }
  return out;
}

}  // namespace

void reason_for_referral_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* sr : c.rec.service_requests) {
    if (!is_referral(*sr) || str(*sr, "status") == "entered-in-error") continue;
    if (c.in_window(resource_time(c.rec, *sr))) items.push_back(sr);
  }
  const SectionSpec spec{{{"1.3.6.1.4.1.19376.1.5.3.1.3.1", "2014-06-09"}},
                         true,
                         "42349-1",
                         "Reason for referral Narrative",
                         "Reason for Referral"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("referral"));
  x.start("text");
  begin_table(x, {"Referral", "Reason", "Date", "Status", "Note"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& sr = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(sr, "code")));
    cell(x, reasons(c, sr));
    cell(x, display_time(str(sr, "authoredOn")));
    cell(x, str(sr, "status"));
    const Json* note = first(sr, "note");
    cell(x, note ? str(*note, "text") : std::string_view{});
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& sr = *items[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("act").attr("classCode", "PCPR").attr("moodCode", str(sr, "intent") == "plan" ? "INT" : "RQO");
    template_id(x, "2.16.840.1.113883.10.20.22.4.140");
    entry_id(c, sr);
    const Json* code = member(sr, "code");
    if (!code_in(code, "http://snomed.info/sct").empty()) {
      write_cd(x, "code", code, {}, "2.16.840.1.113883.6.96");
    } else {
      x.start("code").attr("code", "3457005").attr("codeSystem", "2.16.840.1.113883.6.96")
          .attr("codeSystemName", "SNOMED CT").attr("displayName", "Patient referral");
      if (auto t = cc_text(code); !t.empty()) x.element("originalText", t);
      x.end();
    }
    text_ref(x, refs[i]);
    status_code(x, "active");
    write_ts(x, "effectiveTime", str(sr, "authoredOn"));
    write_author(c, str(sr, "authoredOn"), member(sr, "requester"));
    int n = 0;
    if (const Json* rc = array(sr, "reasonCode")) {
      for (const Json& r : *rc) {
        x.start("entryRelationship").attr("typeCode", "RSON");
        x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
        template_id(x, "2.16.840.1.113883.10.20.22.4.19", "2014-06-09", true);
        entry_id(c, sr, "#reason" + std::to_string(++n));
        write_code(x, "code", "404684003", "2.16.840.1.113883.6.96", "Clinical finding");
        status_code(x, "completed");
        write_cd(x, "value", &r, "CD", "2.16.840.1.113883.6.96");
        x.end().end();
      }
    }
    if (const Json* rr = array(sr, "reasonReference")) {
      for (const Json& r : *rr) {
        const Json* cond = c.rec.resolve(&r);
        if (!cond) continue;
        x.start("entryRelationship").attr("typeCode", "RSON");
        x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
        template_id(x, "2.16.840.1.113883.10.20.22.4.19", "2014-06-09", true);
        entry_id(c, sr, "#reason" + std::to_string(++n));
        write_code(x, "code", "404684003", "2.16.840.1.113883.6.96", "Clinical finding");
        status_code(x, "completed");
        write_cd(x, "value", member(*cond, "code"), "CD", "2.16.840.1.113883.6.96");
        x.end().end();
      }
    }
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
