// Scaffolding shared by the sections: templateIds, entry ids, the section frame with its
// "No information" form, narrative tables, and the author/performer participations.
#include "ccda/internal.hpp"

namespace ccda::detail {

void template_id(XmlWriter& x, std::string_view root, std::string_view extension, bool r11) {
  if (r11 && !extension.empty()) x.start("templateId").attr("root", root).end();
  x.start("templateId").attr("root", root);
  if (!extension.empty()) x.attr("extension", extension);
  x.end();
}

void entry_id(Ctx& c, const Json& resource, std::string_view suffix) {
  const std::string_view id = str(resource, "id");
  if (id.empty()) {
    c.x.start("id").attr("nullFlavor", "NI").end();
    return;
  }
  std::string ext(str(resource, "resourceType"));
  ext += '/';
  ext += id;
  ext += suffix;
  c.x.start("id").attr("root", c.options.id_root).attr("extension", ext).end();
}

bool begin_section(Ctx& c, const SectionSpec& spec, bool empty) {
  XmlWriter& x = c.x;
  x.start("component").start("section");
  if (empty) x.attr("nullFlavor", "NI");
  for (const auto& [root, ext] : spec.templates) template_id(x, root, ext, spec.r11);
  write_code(x, "code", spec.code, "2.16.840.1.113883.6.1", spec.display);
  x.element("title", spec.title);
  if (empty) {
    x.element("text", "No information");
    x.end().end();
    return false;
  }
  return true;
}

void end_section(Ctx& c) { c.x.end().end(); }

void begin_table(XmlWriter& x, std::initializer_list<std::string_view> headers) {
  x.start("table").attr("border", "1").attr("width", "100%").start("thead").start("tr");
  for (auto h : headers) x.element("th", h);
  x.end().end().start("tbody");
}

void end_table(XmlWriter& x) { x.end().end(); }

void begin_row(XmlWriter& x, std::string_view id) {
  x.start("tr");
  if (!id.empty()) x.attr("ID", id);
}

void cell(XmlWriter& x, std::string_view text) { x.element("td", text); }

namespace {

void entity_ids(Ctx& c, const Json& r) {
  bool any = false;
  if (const Json* ids = array(r, "identifier")) {
    for (const Json& i : *ids) {
      if (str(i, "system") == "http://hl7.org/fhir/sid/us-npi" && !str(i, "value").empty()) {
        c.x.start("id").attr("root", "2.16.840.1.113883.4.6").attr("extension", str(i, "value")).end();
        any = true;
      }
    }
  }
  if (!any) entry_id(c, r);
}

}  // namespace

void write_performer_entity(Ctx& c, const Json* reference, std::string_view element) {
  XmlWriter& x = c.x;
  const Json* r = c.rec.resolve(reference);
  x.start(element);
  if (!r) {
    x.start("id").attr("nullFlavor", "NI").end();
    if (reference) {
      if (auto d = str(*reference, "display"); !d.empty()) {
        x.start("assignedPerson").start("name").text(d).end().end();
      }
    }
    x.end();
    return;
  }
  entity_ids(c, *r);
  write_addr(x, first(*r, "address"));
  if (const Json* t = first(*r, "telecom")) write_telecom(x, t);
  else x.start("telecom").attr("nullFlavor", "UNK").end();
  if (str(*r, "resourceType") == "Practitioner") {
    x.start("assignedPerson");
    write_person_name(x, first(*r, "name"));
    x.end();
  } else if (str(*r, "resourceType") == "Organization") {
    x.start("representedOrganization");
    x.element("name", str(*r, "name"));
    x.end();
  }
  x.end();
}

void write_author(Ctx& c, std::string_view time, const Json* reference) {
  const Json* r = c.rec.resolve(reference);
  const std::string_view type = r ? str(*r, "resourceType") : std::string_view{};
  if (type != "Practitioner" && type != "Organization") return;
  XmlWriter& x = c.x;
  x.start("author");
  template_id(x, "2.16.840.1.113883.10.20.22.4.119");
  write_ts(x, "time", time);
  x.start("assignedAuthor");
  entity_ids(c, *r);
  if (type == "Practitioner") {
    x.start("assignedPerson");
    write_person_name(x, first(*r, "name"));
    x.end();
  } else {
    x.start("representedOrganization");
    if (auto n = str(*r, "name"); !n.empty()) x.element("name", n);
    x.end();
  }
  x.end().end();
}

}  // namespace ccda::detail
