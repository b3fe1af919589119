// Plan of Treatment Section V2, "Treatment Plan": filtered by the window. CarePlans (their
// narrative) become Planned Acts; planned ServiceRequests (not referrals) become Planned
// Observations (laboratory) or Planned Procedures.
#include "ccda/internal.hpp"

namespace ccda::detail {

bool is_referral(const Json& sr) {
  return has_code(array(sr, "category"), "3457005") || has_code(member(sr, "code"), "3457005") ||
         has_code(member(sr, "code"), "306206005");
}

namespace {

std::string_view mood(const Json& sr) {
  const std::string_view intent = str(sr, "intent");
  if (intent == "proposal") return "PRP";
  if (intent == "plan" || intent == "directive") return "INT";
  return "RQO";
}

std::string_view planned_when(const Json& sr) {
  if (auto t = str(sr, "occurrenceDateTime"); !t.empty()) return t;
  if (const Json* p = member(sr, "occurrencePeriod")) return str(*p, "start");
  return str(sr, "authoredOn");
}

bool is_lab_request(const Json& sr) { return has_code(array(sr, "category"), "108252007"); }

std::string plan_text(const Json& cp) {
  std::string t;
  if (const Json* text = member(cp, "text")) t = xhtml_text(str(*text, "div"));
  if (t.empty()) t = std::string(str(cp, "description"));
  if (t.empty()) t = std::string(str(cp, "title"));
  return t;
}

}  // namespace

void plan_of_treatment_section(Ctx& c) {
  std::vector<const Json*> plans, requests;
  for (const Json* cp : c.rec.care_plans) {
    const std::string_view s = str(*cp, "status");
    if (s == "entered-in-error" || s == "revoked") continue;
    if (c.in_window(resource_time(c.rec, *cp))) plans.push_back(cp);
  }
  for (const Json* sr : c.rec.service_requests) {
    const std::string_view s = str(*sr, "status");
    if (is_referral(*sr) || s == "entered-in-error" || s == "revoked" || s == "completed") continue;
    if (c.in_window(resource_time(c.rec, *sr))) requests.push_back(sr);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.10", "2014-06-09"}},
                         true,
                         "18776-5",
                         "Plan of care note",
                         "Treatment Plan"};
  if (!begin_section(c, spec, plans.empty() && requests.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> plan_refs, request_refs;
  for (std::size_t i = 0; i < plans.size(); ++i) plan_refs.push_back(c.ref_id("plan"));
  for (std::size_t i = 0; i < requests.size(); ++i) request_refs.push_back(c.ref_id("planned"));
  x.start("text");
  begin_table(x, {"Planned Activity", "Details", "Planned Date", "Status"});
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const Json& cp = *plans[i];
    begin_row(x, plan_refs[i]);
    std::string_view title = str(cp, "title");
    cell(x, title.empty() ? std::string_view("Care plan") : title);
    cell(x, plan_text(cp));
    const Json* period = member(cp, "period");
    cell(x, period ? display_time(str(*period, "start")) : std::string());
    cell(x, str(cp, "status"));
    x.end();
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const Json& sr = *requests[i];
    begin_row(x, request_refs[i]);
    cell(x, cc_text(member(sr, "code")));
    std::string details(cc_text(first(sr, "category")));
    if (const Json* note = first(sr, "note")) {
      if (!details.empty()) details += ": ";
      details += str(*note, "text");
    }
    cell(x, details);
    cell(x, display_time(planned_when(sr)));
    cell(x, str(sr, "status"));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const Json& cp = *plans[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("act").attr("classCode", "ACT").attr("moodCode", "INT");
    template_id(x, "2.16.840.1.113883.10.20.22.4.39", "2014-06-09", true);
    entry_id(c, cp);
    const Json* category = first(cp, "category");
    x.start("code").attr("code", "18776-5").attr("codeSystem", "2.16.840.1.113883.6.1")
        .attr("codeSystemName", "LOINC").attr("displayName", "Plan of care note");
    if (auto t = cc_text(category); !t.empty()) x.element("originalText", t);
    x.end();
    text_ref(x, plan_refs[i]);
    status_code(x, "active");
    const Json* period = member(cp, "period");
    write_ivl(x, "effectiveTime", period ? str(*period, "start") : std::string_view{},
              period ? str(*period, "end") : std::string_view{});
    write_author(c, str(cp, "created"), member(cp, "author"));
    x.end().end();
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const Json& sr = *requests[i];
    const bool lab = is_lab_request(sr);
    x.start("entry").attr("typeCode", "DRIV");
    if (lab) {
      x.start("observation").attr("classCode", "OBS").attr("moodCode", mood(sr));
      template_id(x, "2.16.840.1.113883.10.20.22.4.44", "2014-06-09", true);
    } else {
      x.start("procedure").attr("classCode", "PROC").attr("moodCode", mood(sr));
      template_id(x, "2.16.840.1.113883.10.20.22.4.41", "2014-06-09", true);
    }
    entry_id(c, sr);
    write_cd(x, "code", member(sr, "code"), {}, lab ? "2.16.840.1.113883.6.1" : "2.16.840.1.113883.6.96");
    text_ref(x, request_refs[i]);
    status_code(x, "active");
    write_ts(x, "effectiveTime", planned_when(sr));
    write_author(c, str(sr, "authoredOn"), member(sr, "requester"));
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
