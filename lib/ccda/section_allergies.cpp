// Allergies and Intolerances Section (entries required) V3: the entire record. Each
// AllergyIntolerance becomes an Allergy Concern Act around an Allergy-Intolerance Observation with
// its substance, reactions (with severity), criticality and clinical status. "No known allergy"
// codes become the negated observation C-CDA prescribes.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

constexpr std::string_view kSnomed = "2.16.840.1.113883.6.96";

bool no_known_allergy(const Json& a) {
  const Json* code = member(a, "code");
  return has_code(code, "716186003") || has_code(code, "409137002") || has_code(code, "428607008") ||
         has_code(code, "429625007");
}

// The Allergy and Intolerance Type value of the observation.
std::pair<std::string_view, std::string_view> intolerance_type(const Json& a) {
  const Json* cats = array(a, "category");
  std::string_view cat = cats && !cats->empty() ? str(&(*cats)[0]) : std::string_view{};
  const bool intolerance = str(a, "type") == "intolerance";
  if (cat == "medication") {
    return intolerance ? std::pair{"59037007", "Intolerance to drug"} : std::pair{"416098002", "Allergy to drug"};
  }
  if (cat == "food") {
    return intolerance ? std::pair{"235719002", "Intolerance to food"} : std::pair{"414285001", "Allergy to food"};
  }
  if (cat == "environment") return {"426232007", "Environmental allergy"};
  return intolerance ? std::pair{"420134006", "Propensity to adverse reactions"}
                     : std::pair{"419199007", "Allergy to substance"};
}

std::pair<std::string_view, std::string_view> severity_code(std::string_view s) {
  if (s == "severe") return {"24484000", "Severe"};
  if (s == "moderate") return {"6736007", "Moderate"};
  return {"255604002", "Mild"};
}

std::string_view clinical_status(const Json& a) {
  const Json* cs = member(a, "clinicalStatus");
  if (has_code(cs, "inactive")) return "inactive";
  if (has_code(cs, "resolved")) return "resolved";
  return "active";
}

void reaction(Ctx& c, const Json& a, const Json& r, int n) {
  XmlWriter& x = c.x;
  const Json* manifestation = first(r, "manifestation");
  if (!manifestation) return;
  x.start("entryRelationship").attr("typeCode", "MFST").attr("inversionInd", "true");
  x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.9", "2014-06-09", true);
  entry_id(c, a, "#reaction" + std::to_string(n));
  write_code(x, "code", "ASSERTION", "2.16.840.1.113883.5.4");
  status_code(x, "completed");
  if (auto onset = str(r, "onset"); !onset.empty()) write_ivl(x, "effectiveTime", onset, {});
  write_cd(x, "value", manifestation, "CD", kSnomed);
  if (auto sev = str(r, "severity"); !sev.empty()) {
    const auto [code, display] = severity_code(sev);
    x.start("entryRelationship").attr("typeCode", "SUBJ").attr("inversionInd", "true");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.8", "2014-06-09", true);
    write_code(x, "code", "SEV", "2.16.840.1.113883.5.4", "Severity Observation");
    status_code(x, "completed");
    write_code(x, "value", code, kSnomed, display, "CD");
    x.end().end();
  }
  x.end().end();
}

void allergy(Ctx& c, const Json& a, const std::string& ref) {
  XmlWriter& x = c.x;
  const std::string_view status = clinical_status(a);
  const bool active = status == "active";
  const bool nka = no_known_allergy(a);
  const std::string_view recorded = str(a, "recordedDate");
  std::string_view onset = str(a, "onsetDateTime");

  x.start("entry").attr("typeCode", "DRIV");
  x.start("act").attr("classCode", "ACT").attr("moodCode", "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.30", "2015-08-01", true);
  entry_id(c, a, "#concern");
  write_code(x, "code", "CONC", "2.16.840.1.113883.5.6", "Concern");
  status_code(x, active ? "active" : "completed");
  x.start("effectiveTime");
  write_ts(x, "low", recorded.empty() ? onset : recorded);
  if (!active) write_ts(x, "high", str(a, "lastOccurrence"));
  x.end();

  x.start("entryRelationship").attr("typeCode", "SUBJ");
  x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
  if (nka) x.attr("negationInd", "true");
  template_id(x, "2.16.840.1.113883.10.20.22.4.7", "2014-06-09", true);
  entry_id(c, a);
  write_code(x, "code", "ASSERTION", "2.16.840.1.113883.5.4");
  text_ref(x, ref);
  status_code(x, "completed");
  x.start("effectiveTime");
  if (onset.empty() && !nka) onset = recorded;
  write_ts(x, "low", onset);
  x.end();
  if (nka) {
    write_code(x, "value", "419199007", kSnomed, "Allergy to substance", "CD");
  } else {
    const auto [code, display] = intolerance_type(a);
    write_code(x, "value", code, kSnomed, display, "CD");
  }
  x.start("participant").attr("typeCode", "CSM");
  x.start("participantRole").attr("classCode", "MANU");
  x.start("playingEntity").attr("classCode", "MMAT");
  if (nka) x.start("code").attr("nullFlavor", "NA").end();
  else write_cd(x, "code", member(a, "code"), {}, {}, ref);
  x.end().end().end();
  if (!nka) {
    x.start("entryRelationship").attr("typeCode", "SUBJ").attr("inversionInd", "true");
    x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.28", "2019-06-20", true);
    write_code(x, "code", "33999-4", "2.16.840.1.113883.6.1", "Status");
    status_code(x, "completed");
    if (status == "active") write_code(x, "value", "55561003", kSnomed, "Active", "CE");
    else if (status == "resolved") write_code(x, "value", "413322009", kSnomed, "Resolved", "CE");
    else write_code(x, "value", "73425007", kSnomed, "Inactive", "CE");
    x.end().end();
    if (const Json* reactions = array(a, "reaction")) {
      int n = 0;
      for (const Json& r : *reactions) reaction(c, a, r, ++n);
    }
    if (auto crit = str(a, "criticality"); !crit.empty()) {
      x.start("entryRelationship").attr("typeCode", "SUBJ").attr("inversionInd", "true");
      x.start("observation").attr("classCode", "OBS").attr("moodCode", "EVN");
      template_id(x, "2.16.840.1.113883.10.20.22.4.145");
      write_code(x, "code", "82606-5", "2.16.840.1.113883.6.1", "Criticality");
      status_code(x, "completed");
      const std::string_view code = crit == "high" ? "CRITH" : crit == "low" ? "CRITL" : "CRITU";
      const std::string_view display = crit == "high" ? "high criticality" : crit == "low" ? "low criticality"
                                                                                          : "unable to assess criticality";
      write_code(x, "value", code, "2.16.840.1.113883.5.1063", display, "CD");
      x.end().end();
    }
  }
  x.end().end();  // observation, entryRelationship
  x.end().end();  // act, entry
}

std::string reactions_text(const Json& a) {
  std::string out;
  if (const Json* reactions = array(a, "reaction")) {
    for (const Json& r : *reactions) {
      if (const Json* ms = array(r, "manifestation")) {
        for (const Json& m : *ms) {
          if (!out.empty()) out += ", ";
          out += cc_text(&m);
        }
      }
      if (auto sev = str(r, "severity"); !sev.empty()) {
        out += " (";
        out += sev;
        out += ')';
      }
    }
  }
  return out;
}

}  // namespace

void allergies_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const Json* a : c.rec.allergies) {
    if (!has_code(member(*a, "verificationStatus"), "entered-in-error")) items.push_back(a);
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.6", "2015-08-01"},
                          {"2.16.840.1.113883.10.20.22.2.6.1", "2015-08-01"}},
                         true,
                         "48765-2",
                         "Allergies and adverse reactions Document",
                         "Allergies, Adverse Reactions, Alerts"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("allergy"));
  x.start("text");
  begin_table(x, {"Substance", "Reaction", "Criticality", "Status", "Recorded"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& a = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(member(a, "code")));
    cell(x, reactions_text(a));
    cell(x, str(a, "criticality"));
    cell(x, clinical_status(a));
    cell(x, display_time(str(a, "recordedDate")));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) allergy(c, *items[i], refs[i]);
  end_section(c);
}

}  // namespace ccda::detail
