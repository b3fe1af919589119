// Social History Section V3: the entire record. Smoking status Observations become Smoking Status -
// Meaningful Use entries; the US Core birth sex becomes a Birth Sex Observation.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

std::string_view birth_sex(const Json& patient) {
  if (const Json* exts = array(patient, "extension")) {
    for (const Json& e : *exts) {
      if (str(e, "url") == "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex") {
        return str(e, "valueCode");
      }
    }
  }
  return {};
}

}  // namespace

void social_history_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* o : c.rec.observations) {
    if (is_smoking_status(*o) && str(*o, "status") != "entered-in-error") items.push_back(o);
  }
  const std::string_view sex = birth_sex(*c.rec.patient);
  const bool has_sex = sex == "M" || sex == "F" || sex == "UNK";
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.17", "2015-08-01"}},
                         true,
                         "29762-2",
                         "Social history Narrative",
                         "Social History"};
  if (!begin_section(c, spec, items.empty() && !has_sex)) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("social"));
  const std::string sex_ref = has_sex ? c.ref_id("birthsex") : std::string();
  x.start("text");
  begin_table(x, {"Social History Observation", "Description", "Date Observed"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& o = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(o, "code")));
    cell(x, value_text(o));
    cell(x, display_time(str(o, "effectiveDateTime")));
    x.end();
  }
  if (has_sex) {
    begin_row(x, sex_ref);
    cell(x, "Birth Sex");
    cell(x, sex == "M" ? "Male" : sex == "F" ? "Female" : "Unknown");
    cell(x, "");
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& o = *items[i];
    x.start("entry").attr("typeCode", "DRIV");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.78", "2014-06-09", true);
    entry_id(c, o);
    write_code(x, "code", "72166-2", "2.16.840.1.113883.6.1", "Tobacco smoking status NHIS");
    text_ref(x, refs[i]);
    status_code(x, "completed");
    write_ts(x, "effectiveTime", str(o, "effectiveDateTime"));
    const Json* value = member(o, "valueCodeableConcept");
    if (!code_in(value, "http://snomed.info/sct").empty()) {
      write_cd(x, "value", value, "CD", "2.16.840.1.113883.6.96");
    } else {  // the Smoking Status value set requires a code
      x.start("value").attr("xsi:type", "CD").attr("code", "266927001").attr("codeSystem", "2.16.840.1.113883.6.96")
          .attr("codeSystemName", "SNOMED CT").attr("displayName", "Tobacco smoking consumption unknown");
      if (auto t = cc_text(value); !t.empty()) x.element("originalText", t);
      x.end();
    }
    x.end().end();
  }
  if (has_sex) {
    x.start("entry").attr("typeCode", "DRIV");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.200", "2016-06-01");
    write_code(x, "code", "76689-9", "2.16.840.1.113883.6.1", "Sex Assigned At Birth");
    text_ref(x, sex_ref);
    status_code(x, "completed");
    if (sex == "UNK") x.start("value").attr("xsi:type", "CD").attr("nullFlavor", "UNK").end();
    else write_code(x, "value", sex, "2.16.840.1.113883.5.1", sex == "M" ? "Male" : "Female", "CD");
    x.end().end();
  }
  end_section(c);
}

}  // namespace ccda::detail
