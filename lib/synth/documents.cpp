// Clinical notes: DocumentReferences of the five US Core clinical note types (the text inline as
// base64 data, or by url), and DiagnosticReport notes (cardiology, radiology, pathology) whose
// presentedForm.url is the attachment url of a DocumentReference of the same patient.
#include <string>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

void uuid(Out& o, Rng& r) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::uint64_t hi = (r.next() & ~0xF000ULL) | 0x4000ULL;                      // version 4
  const std::uint64_t lo = (r.next() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant
  for (int i = 15; i >= 0; --i) {
    o.ch(hex[(hi >> (i * 4)) & 15]);
    if (i == 8 || i == 4) o.ch('-');
  }
  o.ch('-');
  for (int i = 15; i >= 0; --i) {
    o.ch(hex[(lo >> (i * 4)) & 15]);
    if (i == 12) o.ch('-');
  }
}

void document_url(Out& o, const Id& doc) {
  o.raw("https://ehr.example.org/documents/");
  o.raw(doc);
  o.raw(".txt");
}

// A DocumentReference. With `url_only` the content is referenced by url (and a DiagnosticReport
// presents the same url); otherwise the note text is inline as base64 data.
void document(Gen& g, Person& p, const Id& id, const PlannedEncounter& e, std::string_view type_code,
              std::string_view type_display, const std::string& text, bool url_only) {
  Out& o = g.out;
  Rng& r = p.rng;
  const Seconds written = e.end + 1800;
  begin(o, "DocumentReference", id, profile::kDocument);
  o.raw(",\"identifier\":[{\"system\":\"urn:ietf:rfc:3986\",\"value\":\"urn:uuid:");
  uuid(o, r);
  o.raw("\"}],\"status\":\"current\",\"docStatus\":\"final\"");
  o.kcc("type", codes::kLoinc, type_code, type_display);
  o.raw(",\"category\":[{\"coding\":[{\"system\":\"http://hl7.org/fhir/us/core/CodeSystem/"
        "us-core-documentreference-category\",\"code\":\"clinical-note\",\"display\":\"Clinical Note\"}],"
        "\"text\":\"Clinical Note\"}]");
  subject(o, p);
  o.kdt("date", written);
  o.raw(",\"author\":[");
  o.ref("Practitioner", Gen::practitioner_id(e.practitioner));
  o.ch(']');
  o.kref("custodian", "Organization", Gen::organization_id(p.org));
  o.raw(",\"content\":[{\"attachment\":{\"contentType\":\"text/plain\"");
  if (url_only) {
    o.raw(",\"url\":\"");
    document_url(o, id);
    o.ch('"');
  } else {
    o.raw(",\"data\":\"");
    base64(o, text);
    o.ch('"');
  }
  o.kv("title", type_display);
  o.kdt("creation", written);
  o.raw("},\"format\":{\"system\":\"urn:oid:1.3.6.1.4.1.19376.1.2.3\",\"code\":\"urn:ihe:iti:xds:2017:"
        "mimeTypeSufficient\",\"display\":\"mimeType Sufficient\"}}],\"context\":{\"encounter\":[");
  o.ref("Encounter", e.id);
  o.ch(']');
  o.kperiod("period", e.start, e.end);
  o.raw("}}");
  g.emit_with_provenance(Type::DocumentReference, id, written, e.practitioner);
}

std::string note_text(const Person& p, const PlannedEncounter& e, std::string_view title) {
  Out date;
  date.date_text(day_of(e.start + kOffset));
  std::string text(title);
  text += " for ";
  text += p.given;
  text += ' ';
  text += p.family;
  text += ", seen on ";
  text += date.s;
  text += ".\nSubjective: no new complaints.\nAssessment: stable.\nPlan: continue current care, follow up as needed.\n";
  return text;
}

}  // namespace

void write_documents(Gen& g, Person& p) {
  Rng& r = p.rng;
  Out& o = g.out;
  if (p.encounters.empty()) return;
  const auto note_types = codes::clinical_note_types();  // the progress note is the last
  const int notes = static_cast<int>(r.range(2, 3));
  for (int k = 0; k < notes; ++k) {
    // A progress note at the last visit first, then the other types in turn.
    const PlannedEncounter& e = k == 0 ? p.encounters.back() : p.encounters[r.below(p.encounters.size())];
    const auto& type = k == 0 ? note_types[note_types.size() - 1]
                              : note_types[static_cast<std::size_t>(p.index + k) % note_types.size()];
    const Id id = make_id(p.id, "doc", ++p.documents, 3);
    document(g, p, id, e, type.code, type.display, note_text(p, e, type.display), k % 2 == 1);
  }
  // A procedure note for the visit of the first procedure.
  if (!p.procedure_visits.empty()) {
    const PlannedEncounter& e = *p.procedure_visits.front();
    const auto& type = note_types[3];
    const Id id = make_id(p.id, "doc", ++p.documents, 3);
    document(g, p, id, e, type.code, type.display, note_text(p, e, type.display), false);
  }

  const auto reports = codes::note_reports();  // two per category: cardiology, radiology, pathology
  const int n = r.percent(30) ? 2 : 1;
  for (int k = 0; k < n; ++k) {
    const std::size_t category = k == 0 ? static_cast<std::size_t>(p.index % 3) : r.below(3);
    const auto& rep = reports[category * 2 + r.below(2)];
    const PlannedEncounter& e = p.encounters[r.below(p.encounters.size())];
    const Id doc = make_id(p.id, "doc", ++p.documents, 3);
    const bool pathology = rep.category == "LP7839-6";
    document(g, p, doc, e, pathology ? "11526-1" : rep.code, pathology ? "Pathology study" : rep.display,
             std::string(), true);

    const Id id = make_id(p.id, "dr", ++p.reports, 3);
    const Seconds effective = e.start + 1800;
    begin(o, "DiagnosticReport", id, profile::kReportNote);
    o.raw(",\"status\":\"final\",\"category\":[{\"coding\":[");
    o.coding(codes::kLoinc, rep.category, rep.category_display);
    o.raw("]}]");
    o.kcc("code", codes::kLoinc, rep.code, rep.display);
    subject(o, p);
    encounter_ref(o, e);
    o.kdt("effectiveDateTime", effective);
    o.kdt("issued", e.end + 1800);
    o.raw(",\"performer\":[");
    o.ref("Practitioner", Gen::practitioner_id(e.practitioner));
    o.ch(']');
    o.kv("conclusion", rep.conclusion);
    o.raw(",\"presentedForm\":[{\"contentType\":\"text/plain\",\"url\":\"");
    document_url(o, doc);
    o.ch('"');
    o.kv("title", rep.display);
    o.raw("}]}");
    g.emit_with_provenance(Type::DiagnosticReport, id, e.end + 1800, e.practitioner);
  }
}

}  // namespace synth::detail
