// Functional Status Section V2 and Mental Status Section V2: filtered by the window.
// Functional status Observations become Functional Status Observations; mental status ones become
// Assessment Scale Observations when they are scored (PHQ-9, GAD-7, ...) and Mental Status
// Observations otherwise.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

std::string_view when(const Json& o) {
  if (auto t = str(o, "effectiveDateTime"); !t.empty()) return t;
  if (const Json* p = member(o, "effectivePeriod")) return str(*p, "start");
  return str(o, "issued");
}

bool scored(const Json& o) { return member(o, "valueInteger") || member(o, "valueQuantity"); }

std::vector<const Json*> select(Ctx& c, bool (*pred)(const Json&)) {
  std::vector<const Json*> out;
  for (const Json* o : c.rec.observations) {
    if (!pred(*o) || str(*o, "status") == "entered-in-error") continue;
    if (c.in_window(resource_time(c.rec, *o))) out.push_back(o);
  }
  return out;
}

void narrative(Ctx& c, const std::vector<const Json*>& items, const std::vector<std::string>& refs) {
  XmlWriter& x = c.x;
  x.start("text");
  begin_table(x, {"Assessment", "Result", "Date"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    begin_row(x, refs[i]);
    cell(x, cc_text(member(*items[i], "code")));
    cell(x, value_text(*items[i]));
    cell(x, display_time(when(*items[i])));
    x.end();
  }
  end_table(x);
  x.end();
}

// The observation's LOINC code, or `fallback` (with the observation's words as originalText).
void loinc_code(XmlWriter& x, const Json& o, std::string_view fallback, std::string_view fallback_display) {
  const Json* code = member(o, "code");
  if (!code_in(code, "http://loinc.org").empty()) {
    write_cd(x, "code", code, {}, "2.16.840.1.113883.6.1");
    return;
  }
  x.start("code").attr("code", fallback).attr("codeSystem", "2.16.840.1.113883.6.1")
      .attr("codeSystemName", "LOINC").attr("displayName", fallback_display);
  if (auto t = cc_text(code); !t.empty()) x.element("originalText", t);
  x.end();
}

}  // namespace

void functional_status_section(Ctx& c) {
  const auto items = select(c, is_functional_status);
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.14", "2014-06-09"}},
                         true,
                         "47420-5",
                         "Functional status assessment note",
                         "Functional Status"};
  if (!begin_section(c, spec, items.empty())) return;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("functional"));
  narrative(c, items, refs);
  XmlWriter& x = c.x;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& o = *items[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.67", "2014-06-09", true);
    entry_id(c, o);
    loinc_code(x, o, "75276-6", "Functional status [Interpretation]");
    text_ref(x, refs[i]);
    status_code(x, "completed");
    write_ts(x, "effectiveTime", when(o));
    write_value(x, o, "CD");
    write_author(c, when(o), first(o, "performer"));
    x.end().end();
  }
  end_section(c);
}

void mental_status_section(Ctx& c) {
  const auto items = select(c, is_mental_status);
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.56", "2015-08-01"}},
                         false,
                         "10190-7",
                         "Mental status Narrative",
                         "Mental Status"};
  if (!begin_section(c, spec, items.empty())) return;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("mental"));
  narrative(c, items, refs);
  XmlWriter& x = c.x;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& o = *items[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    if (scored(o)) {
      template_id(x, "2.16.840.1.113883.10.20.22.4.69");
      entry_id(c, o);
      loinc_code(x, o, "75275-8", "Cognitive function [Interpretation]");
    } else {
      template_id(x, "2.16.840.1.113883.10.20.22.4.74", "2015-08-01", true);
      entry_id(c, o);
      x.start("code").attr("code", "373930000").attr("codeSystem", "2.16.840.1.113883.6.96")
          .attr("codeSystemName", "SNOMED CT").attr("displayName", "Cognitive function");
      if (auto t = cc_text(member(o, "code")); !t.empty()) x.element("originalText", t);
      write_code(x, "translation", "75275-8", "2.16.840.1.113883.6.1", "Cognitive Function");
      x.end();
    }
    text_ref(x, refs[i]);
    status_code(x, "completed");
    write_ts(x, "effectiveTime", when(o));
    write_value(x, o, "CD");
    write_author(c, when(o), first(o, "performer"));
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
