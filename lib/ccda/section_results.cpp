// Results Section (entries required) V3, "Relevant Diagnostic Tests/Laboratory Data": filtered by
// the window. Lab DiagnosticReports become Result Organizers of their result Observations; lab
// Observations no report groups become organizers of their own; other diagnostic reports
// (imaging, cardiology, pathology) become organizers with their conclusion as the result.
#include <set>

#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

struct Row {
  const Json* obs;  // result Observation, or nullptr for a report's conclusion
  std::string ref;
};

struct Battery {
  const Json* report;  // nullptr: a single Observation (rows[0].obs) without a report
  std::vector<Row> rows;
};

std::string_view result_status(std::string_view s) {
  if (s == "registered" || s == "preliminary" || s == "partial") return "active";
  if (s == "cancelled") return "cancelled";
  return "completed";
}

std::string_view effective(const Json& r) {
  if (auto t = str(r, "effectiveDateTime"); !t.empty()) return t;
  if (const Json* p = member(r, "effectivePeriod")) return str(*p, "start");
  return str(r, "issued");
}

std::string range_text(const Json& obs) {
  const Json* rr = first(obs, "referenceRange");
  if (!rr) return {};
  if (auto t = str(*rr, "text"); !t.empty()) return std::string(t);
  auto bound = [&](std::string_view k) -> std::string {
    const Json* q = member(*rr, k);
    const Json* v = q ? member(*q, "value") : nullptr;
    return v && v->is_number() ? std::string(v->number_text()) : std::string();
  };
  const std::string lo = bound("low"), hi = bound("high");
  if (!lo.empty() && !hi.empty()) return lo + "-" + hi;
  if (!hi.empty()) return "<" + hi;
  if (!lo.empty()) return ">" + lo;
  return {};
}

void reference_range(XmlWriter& x, const Json& obs) {
  const Json* rr = first(obs, "referenceRange");
  if (!rr || (!member(*rr, "low") && !member(*rr, "high"))) return;
  x.start("referenceRange").start("observationRange");
  if (auto t = range_text(obs); !t.empty()) x.element("text", t);
  x.start("value").attr("xsi:type", "IVL_PQ");
  for (std::string_view k : {"low", "high"}) {
    const Json* q = member(*rr, k);
    const Json* v = q ? member(*q, "value") : nullptr;
    if (!v || !v->is_number()) continue;
    std::string_view unit = str(*q, "code");
    if (unit.empty()) unit = "1";
    x.start(k == "low" ? "low" : "high").attr("value", std::string(v->number_text())).attr("unit", unit).end();
  }
  x.end().end().end();
}

void result_observation(Ctx& c, const Json& obs, const std::string& ref) {
  XmlWriter& x = c.x;
  x.start("component");
  x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.2", "2015-08-01", true);
  entry_id(c, obs);
  write_cd(x, "code", member(obs, "code"), {}, "2.16.840.1.113883.6.1");
  text_ref(x, ref);
  status_code(x, result_status(str(obs, "status")));
  write_ts(x, "effectiveTime", effective(obs));
  write_value(x, obs, "PQ");
  if (const Json* interp = first(obs, "interpretation")) write_cd(x, "interpretationCode", interp);
  reference_range(x, obs);
  x.end().end();
}

void conclusion_observation(Ctx& c, const Json& report, const std::string& ref) {
  XmlWriter& x = c.x;
  x.start("component");
  x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.2", "2015-08-01", true);
  entry_id(c, report, "#conclusion");
  write_cd(x, "code", member(report, "code"), {}, "2.16.840.1.113883.6.1");
  text_ref(x, ref);
  status_code(x, result_status(str(report, "status")));
  write_ts(x, "effectiveTime", effective(report));
  if (auto concl = str(report, "conclusion"); !concl.empty()) {
    x.start("value").attr("xsi:type", "ST").text(concl).end();
  } else {
    x.start("value").attr("xsi:type", "ST").attr("nullFlavor", "NI").end();
  }
  x.end().end();
}

}  // namespace

void results_section(Ctx& c) {
  std::vector<Battery> batteries;
  std::set<const Json*> grouped;
  for (const Json* r : c.rec.reports) {
    if (str(*r, "status") == "entered-in-error" || !c.in_window(resource_time(c.rec, *r))) continue;
    Battery b{r, {}};
    const bool lab = has_category(*r, "LAB") || has_category(*r, "laboratory");
    if (const Json* results = array(*r, "result")) {
      for (const Json& ref : *results) {
        const Json* obs = c.rec.resolve(&ref);
        if (!obs || str(*obs, "resourceType") != "Observation") continue;
        grouped.insert(obs);
        b.rows.push_back({obs, {}});
      }
    }
    if (b.rows.empty() && (!lab || !str(*r, "conclusion").empty())) b.rows.push_back({nullptr, {}});
    if (!b.rows.empty()) batteries.push_back(std::move(b));
  }
  for (const Json* o : c.rec.observations) {
    if (!is_lab(*o) || grouped.count(o) || str(*o, "status") == "entered-in-error") continue;
    if (!c.in_window(resource_time(c.rec, *o))) continue;
    batteries.push_back({nullptr, {{o, {}}}});
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.3", "2015-08-01"},
                          {"2.16.840.1.113883.10.20.22.2.3.1", "2015-08-01"}},
                         true,
                         "30954-2",
                         "Relevant diagnostic tests/laboratory data Narrative",
                         "Relevant Diagnostic Tests/Laboratory Data"};
  if (!begin_section(c, spec, batteries.empty())) return;
  XmlWriter& x = c.x;
  for (Battery& b : batteries) {
    for (Row& r : b.rows) r.ref = c.ref_id("result");
  }
  x.start("text");
  begin_table(x, {"Test", "Result", "Reference Range", "Interpretation", "Date"});
  for (const Battery& b : batteries) {
    if (b.report) {
      x.start("tr");
      x.start("td").attr("colspan", "5").start("content").attr("styleCode", "Bold")
          .text(cc_text(member(*b.report, "code"))).end().end();
      x.end();
    }
    for (const Row& r : b.rows) {
      begin_row(x, r.ref);
      if (r.obs) {
        cell(x, cc_text(member(*r.obs, "code")));
        cell(x, value_text(*r.obs));
        cell(x, range_text(*r.obs));
        const Json* interp = first(*r.obs, "interpretation");
        cell(x, interp ? cc_text(interp) : std::string_view{});
        cell(x, display_time(effective(*r.obs)));
      } else {
        cell(x, cc_text(member(*b.report, "code")));
        cell(x, str(*b.report, "conclusion"));
        cell(x, "");
        cell(x, "");
        cell(x, display_time(effective(*b.report)));
      }
      x.end();
    }
  }
  end_table(x);
  x.end();
  for (const Battery& b : batteries) {
    const Json& head = b.report ? *b.report : *b.rows.front().obs;
    x.start("entry").attr("typeCode", "DRIV");
    x.start("organizer").attr("classCode", b.report ? "BATTERY" : "CLUSTER").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.1", "2015-08-01", true);
    entry_id(c, head, b.report ? std::string_view{} : std::string_view{"#organizer"});
    write_cd(x, "code", member(head, "code"), {}, "2.16.840.1.113883.6.1");
    status_code(x, result_status(str(head, "status")));
    x.start("effectiveTime");
    write_ts(x, "low", effective(head));
    write_ts(x, "high", effective(head));
    x.end();
    for (const Row& r : b.rows) {
      if (r.obs) result_observation(c, *r.obs, r.ref);
      else conclusion_observation(c, *b.report, r.ref);
    }
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
