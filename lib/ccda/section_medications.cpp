// Medications Section (entries required) V2, "History of Medication Use": the entire record.
// MedicationRequests and MedicationStatements become Medication Activities with the drug as
// Medication Information and the dosage text as a Medication Free Text Sig.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

// The drug's CodeableConcept: inline, or the referenced Medication's code.
const Json* drug(Ctx& c, const Json& m) {
  if (const Json* cc = member(m, "medicationCodeableConcept")) return cc;
  if (const Json* med = c.rec.resolve(member(m, "medicationReference"))) return member(*med, "code");
  return nullptr;
}

std::string_view act_status(std::string_view s) {
  if (s == "active" || s == "intended" || s == "unknown") return "active";
  if (s == "completed") return "completed";
  if (s == "stopped") return "aborted";
  if (s == "on-hold") return "suspended";
  if (s == "cancelled" || s == "not-taken") return "aborted";  // Medication Status has no "cancelled"
  if (s == "entered-in-error") return "nullified";
  return "active";  // draft (moodCode INT), unknown
}

std::string_view sig(const Json& m) {
  if (const Json* d = first(m, "dosageInstruction")) return str(*d, "text");
  if (const Json* d = first(m, "dosage")) return str(*d, "text");
  return {};
}

// The start of the medication: authoredOn (request) or effective[x] (statement).
std::string_view start_time(const Json& m) {
  if (auto a = str(m, "authoredOn"); !a.empty()) return a;
  if (auto e = str(m, "effectiveDateTime"); !e.empty()) return e;
  if (const Json* p = member(m, "effectivePeriod")) return str(*p, "start");
  return {};
}

std::string_view end_time(const Json& m) {
  if (const Json* p = member(m, "effectivePeriod")) return str(*p, "end");
  if (const Json* d = member(m, "dispenseRequest")) {
    if (const Json* v = member(*d, "validityPeriod")) return str(*v, "end");
  }
  return {};
}

// <doseQuantity> from the first dosage's doseAndRate (nullFlavor when none).
void write_dose(XmlWriter& x, const Json& m) {
  const Json* d = first(m, "dosageInstruction");
  if (!d) d = first(m, "dosage");
  const Json* dr = d ? first(*d, "doseAndRate") : nullptr;
  const Json* q = dr ? member(*dr, "doseQuantity") : nullptr;
  const Json* v = q ? member(*q, "value") : nullptr;
  if (!v || !v->is_number()) {
    x.start("doseQuantity").attr("nullFlavor", "UNK").end();
    return;
  }
  x.start("doseQuantity").attr("value", std::string(v->number_text()));
  if (str(*q, "system") == "http://unitsofmeasure.org" && !str(*q, "code").empty()) x.attr("unit", str(*q, "code"));
  x.end();
}

void activity(Ctx& c, const Json& m, const std::string& ref) {
  XmlWriter& x = c.x;
  const std::string_view status = str(m, "status");
  const bool intent = status == "draft" || str(m, "intent") == "proposal" || str(m, "intent") == "plan";
  x.start("entry").attr("typeCode", "DRIV");
  x.start("substanceAdministration").attr("classCode", "SBADM").attr("moodCode", intent ? "INT" : "EVN");
  template_id(x, "2.16.840.1.113883.10.20.22.4.16", "2014-06-09", true);
  entry_id(c, m);
  text_ref(x, ref);
  status_code(x, act_status(status));
  x.start("effectiveTime").attr("xsi:type", "IVL_TS");
  write_ts(x, "low", start_time(m));
  const std::string_view end = end_time(m);
  if (!end.empty()) write_ts(x, "high", end);
  else if (status == "completed" || status == "stopped") x.start("high").attr("nullFlavor", "UNK").end();
  x.end();
  write_dose(x, m);
  x.start("consumable").start("manufacturedProduct").attr("classCode", "MANU");
  template_id(x, "2.16.840.1.113883.10.20.22.4.23", "2014-06-09", true);
  x.start("manufacturedMaterial");
  write_cd(x, "code", drug(c, m), {}, "2.16.840.1.113883.6.88");
  x.end().end().end();
  write_author(c, start_time(m), member(m, "requester"));
  if (auto s = sig(m); !s.empty()) {
    x.start("entryRelationship").attr("typeCode", "COMP");
    x.start("substanceAdministration").attr("classCode", "SBADM").attr("moodCode", "EVN");
    template_id(x, "2.16.840.1.113883.10.20.22.4.147");
    write_code(x, "code", "76662-6", "2.16.840.1.113883.6.1", "Instructions Medication");
    text_ref(x, ref + "-sig");
    x.start("consumable").start("manufacturedProduct").start("manufacturedLabeledDrug").attr("nullFlavor", "NA");
    x.end().end().end();
    x.end().end();
  }
  x.end().end();
}

}  // namespace

void medications_section(Ctx& c) {
  std::vector<const Json*> items;
  for (const auto* list : {&c.rec.medication_requests, &c.rec.medication_statements}) {
    for (const Json* m : *list) {
      if (str(*m, "status") != "entered-in-error") items.push_back(m);
    }
  }
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.1", "2014-06-09"},
                          {"2.16.840.1.113883.10.20.22.2.1.1", "2014-06-09"}},
                         true,
                         "10160-0",
                         "History of Medication use Narrative",
                         "History of Medication Use"};
  if (!begin_section(c, spec, items.empty())) return;
  XmlWriter& x = c.x;
  std::vector<std::string> refs;
  for (std::size_t i = 0; i < items.size(); ++i) refs.push_back(c.ref_id("medication"));
  x.start("text");
  begin_table(x, {"Medication", "Directions", "Start", "Status"});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& m = *items[i];
    begin_row(x, refs[i]);
    cell(x, cc_text(drug(c, m)));
    x.start("td").attr("ID", refs[i] + "-sig").text(sig(m)).end();
    cell(x, display_time(start_time(m)));
    cell(x, str(m, "status"));
    x.end();
  }
  end_table(x);
  x.end();
  for (std::size_t i = 0; i < items.size(); ++i) activity(c, *items[i], refs[i]);
  end_section(c);
}

}  // namespace ccda::detail
