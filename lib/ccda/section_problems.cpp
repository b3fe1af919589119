// Problem Section (entries required) V3, "Problem List": the entire record. Conditions that are
// problem-list items or encounter diagnoses (health concerns have their own section) become
// Problem Concern Acts around Problem Observations.
#include "ccda/internal.hpp"

namespace ccda::detail {

bool condition_active(const Json& cond) {
  const Json* cs = member(cond, "clinicalStatus");
  if (!cs) return !member(cond, "abatementDateTime");
  return has_code(cs, "active") || has_code(cs, "recurrence") || has_code(cs, "relapse");
}

void write_problem_observation(Ctx& c, const Json& cond, std::string_view ref, std::string_view id_suffix) {
  XmlWriter& x = c.x;
  x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.4", "2015-08-01", true);
  entry_id(c, cond, id_suffix);
  const bool concern = has_category(cond, "health-concern");
  const bool diagnosis = has_category(cond, "encounter-diagnosis");
  x.start("code")
      .attr("code", concern ? "75315-2" : diagnosis ? "282291009" : "55607006")
      .attr("codeSystem", concern ? "2.16.840.1.113883.6.1" : "2.16.840.1.113883.6.96")
      .attr("codeSystemName", concern ? "LOINC" : "SNOMED CT")
      .attr("displayName", concern ? "Concern" : diagnosis ? "Diagnosis" : "Problem");
  if (!concern) {
    write_code(x, "translation", diagnosis ? "29308-4" : "75326-9", "2.16.840.1.113883.6.1",
               diagnosis ? "Diagnosis" : "Problem");
  }
  x.end();
  if (!ref.empty()) text_ref(x, ref);
  status_code(x, "completed");
  x.start("effectiveTime");
  std::string_view onset = str(cond, "onsetDateTime");
  if (onset.empty()) {
    if (const Json* p = member(cond, "onsetPeriod")) onset = str(*p, "start");
  }
  if (onset.empty()) onset = str(cond, "recordedDate");
  write_ts(x, "low", onset);
  if (auto ab = str(cond, "abatementDateTime"); !ab.empty()) write_ts(x, "high", ab);
  else if (!condition_active(cond)) x.start("high").attr("nullFlavor", "UNK").end();
  x.end();
  write_cd(x, "value", member(cond, "code"), "CD", "2.16.840.1.113883.6.96");
  write_author(c, str(cond, "recordedDate"), member(cond, "recorder"));
  x.start("entryRelationship").attr("typeCode", "REFR");
  x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.6", "2019-06-20", true);
  write_code(x, "code", "33999-4", "2.16.840.1.113883.6.1", "Status");
  status_code(x, "completed");
  const bool active = condition_active(cond);
  const bool resolved = has_code(member(cond, "clinicalStatus"), "resolved");
  write_code(x, "value", active ? "55561003" : resolved ? "413322009" : "73425007", "2.16.840.1.113883.6.96",
             active ? "Active" : resolved ? "Resolved" : "Inactive", "CD");
  x.end().end();
  x.end();
}

namespace {

void concern(Ctx& c, const Json& cond, const std::string& ref) {
  XmlWriter& x = c.x;
  const bool active = condition_active(cond);
  x.start("entry").attr("typeCode", "DRIV");
  x.start("act").attr("classCode", "ACT").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.3", "2015-08-01", true);
  entry_id(c, cond, "#concern");
  write_code(x, "code", "CONC", "2.16.840.1.113883.5.6", "Concern");
  status_code(x, active ? "active" : "completed");
  x.start("effectiveTime");
  std::string_view recorded = str(cond, "recordedDate");
  if (recorded.empty()) recorded = str(cond, "onsetDateTime");
  write_ts(x, "low", recorded);
  if (!active) write_ts(x, "high", str(cond, "abatementDateTime"));
  x.end();
  x.start("entryRelationship").attr("typeCode", "SUBJ");
  write_problem_observation(c, cond, ref);
  x.end();
  x.end().end();
}

}  // namespace

void problems_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* cond : c.rec.conditions) {
    if (has_category(*cond, "health-concern")) continue;
    if (has_code(member(*cond, "verificationStatus"), "entered-in-error") ||
        has_code(member(*cond, "verificationStatus"), "refuted")) {
      continue;
    }
    items.push_back(cond);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.5", "2015-08-01"},
                          {"2.16.840.1.113883.10.20.22.2.5.1", "2015-08-01"}},
                         true,
                         "11450-4",
                         "Problem list - Reported",
                         "Problem List"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("problem"));
  x.start("text");
  begin_table(x, {"Problem", "Code", "Onset", "Resolved", "Status"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& cond = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(cond, "code")));
    std::string code(code_in(member(cond, "code"), "http://snomed.info/sct"));
    if (auto icd = code_in(member(cond, "code"), "http://hl7.org/fhir/sid/icd-10-cm"); !icd.empty()) {
      if (!code.empty()) code += " / ";
      code += "ICD-10 ";
      code += icd;
    }
    cell(x, code);
    cell(x, display_time(str(cond, "onsetDateTime")));
    cell(x, display_time(str(cond, "abatementDateTime")));
    cell(x, condition_active(cond) ? "active" : "inactive");
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) concern(c, *items[i], refs[i]);
  end_section(c);
}

}  // namespace ccda::detail
