// Notes Sections (C-CDA R2.1 Companion Guide) for Progress Notes (11506-3), Procedure Notes
// (28570-0) and the Laboratory Report Narrative (11502-2): filtered by the window. Clinical notes
// (DocumentReferences of that type) show their text (inline attachments decoded; by-url ones as a
// link), and lab reports (DiagnosticReports) their results; each becomes a Note Activity.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

struct Note {
  const Json* resource;
  std::string title;
  std::string time;
  std::string text;  // plain text, lines
  std::string url;   // attachment by reference
  const Json* author = nullptr;
  const Json* encounter = nullptr;
  std::string ref;
};

Note from_document(const Json& d) {
  Note n{&d, {}, {}, {}, {}};
  const Json* att = nullptr;
  if (const Json* content = first(d, "content")) att = member(*content, "attachment");
  n.title = std::string(att ? str(*att, "title") : std::string_view{});
  if (n.title.empty()) n.title = std::string(cc_text(member(d, "type")));
  n.time = std::string(str(d, "date"));
  if (n.time.empty() && att) n.time = std::string(str(*att, "creation"));
  if (att) {
    const std::string_view type = str(*att, "contentType");
    if (auto data = str(*att, "data"); !data.empty() && (type.empty() || type.substr(0, 5) == "text/")) {
      n.text = base64_decode(data);
      if (type.substr(0, 9) == "text/html") n.text = xhtml_text(n.text);
    }
    n.url = std::string(str(*att, "url"));
  }
  n.author = first(d, "author");
  if (const Json* ctx = member(d, "context")) n.encounter = first(*ctx, "encounter");
  return n;
}

Note from_report(Ctx& c, const Json& r) {
  Note n{&r, std::string(cc_text(member(r, "code"))), {}, {}, {}};
  n.time = std::string(str(r, "effectiveDateTime"));
  if (n.time.empty()) n.time = std::string(str(r, "issued"));
  if (const Json* results = array(r, "result")) {
    for (const Json& ref : *results) {
      const Json* obs = c.rec.resolve(&ref);
      if (!obs) continue;
      n.text += cc_text(member(*obs, "code"));
      n.text += ": ";
      n.text += value_text(*obs);
      if (const Json* interp = first(*obs, "interpretation")) {
        n.text += " (";
        n.text += cc_text(interp);
        n.text += ')';
      }
      n.text += '\n';
    }
  }
  if (auto concl = str(r, "conclusion"); !concl.empty()) {
    n.text += "Conclusion: ";
    n.text += concl;
    n.text += '\n';
  }
  if (const Json* form = first(r, "presentedForm")) {
    if (auto data = str(*form, "data"); !data.empty() && str(*form, "contentType").substr(0, 5) == "text/") {
      n.text += base64_decode(data);
    }
    n.url = std::string(str(*form, "url"));
  }
  n.author = first(r, "performer");
  n.encounter = member(r, "encounter");
  return n;
}

void notes_section(Ctx& c, std::string_view code, std::string_view display, std::string_view title,
                   std::vector<Note> notes) {
  const SectionSpec spec{{{"2.16.840.1.113883.10.20.22.2.65", "2016-11-01"}}, false, code, display, title};
  if (!begin_section(c, spec, notes.empty())) return;
  XmlWriter& x = c.x;
  for (Note& n : notes) n.ref = c.ref_id("note");
  x.start("text");
  for (const Note& n : notes) {
    x.start("list").start("item");
    x.start("content").attr("styleCode", "Bold").text(n.title);
    if (!n.time.empty()) x.text(" - " + display_time(n.time));
    x.end();
    if (!n.text.empty()) {
      write_paragraphs(x, n.text, n.ref);
    } else {
      x.start("paragraph").attr("ID", n.ref);
      if (!n.url.empty()) {
        x.text("Document: ");
        x.start("linkHtml").attr("href", n.url).text(n.url).end();
      } else {
        x.text("No text");
      }
      x.end();
    }
    x.end().end();
  }
  x.end();
  for (const Note& n : notes) write_note_activity(c, *n.resource, code, display, n.ref, n.time, n.author, n.encounter);
  end_section(c);
}

bool is_type(const Json& d, std::string_view loinc) { return has_code(member(d, "type"), loinc); }

}  // namespace

void notes_sections(Ctx& c) {
  std::vector<Note> progress, procedure, lab;
  for (const Json* d : c.rec.documents) {
    if (str(*d, "status") == "entered-in-error" || !c.in_window(resource_time(c.rec, *d))) continue;
    if (is_type(*d, "11506-3")) progress.push_back(from_document(*d));
    else if (is_type(*d, "28570-0")) procedure.push_back(from_document(*d));
    else if (is_type(*d, "11502-2")) lab.push_back(from_document(*d));
  }
  for (const Json* r : c.rec.reports) {
    if (str(*r, "status") == "entered-in-error" || !c.in_window(resource_time(c.rec, *r))) continue;
    const bool lab_report = has_category(*r, "LAB") || has_category(*r, "LP7839-6") ||
                            has_code(member(*r, "code"), "11526-1");
    if (lab_report) lab.push_back(from_report(c, *r));
  }
  notes_section(c, "11506-3", "Progress note", "Progress Notes", std::move(progress));
  notes_section(c, "28570-0", "Procedure note", "Procedure Notes", std::move(procedure));
  notes_section(c, "11502-2", "Laboratory report", "Laboratory Report Narrative", std::move(lab));
}

}  // namespace ccda::detail
