// The US Realm Header of the CCD: document identity, recordTarget (demographics with US Core race,
// ethnicity and language), author, custodian and documentationOf/serviceEvent with the window.
#include "ccda/internal.hpp"

namespace ccda::detail {
namespace {

constexpr std::string_view kRaceUrl = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
constexpr std::string_view kEthnicityUrl = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";
constexpr std::string_view kCdcRace = "2.16.840.1.113883.6.238";

const Json* extension(const Json& r, std::string_view url) {
  if (const Json* exts = array(r, "extension")) {
    for (const Json& e : *exts) {
      if (str(e, "url") == url) return &e;
    }
  }
  return nullptr;
}

// The valueCodings of the sub-extensions `ombCategory` then `detailed` of a US Core race or
// ethnicity extension.
std::vector<const Json*> race_codings(const Json* ext) {
  std::vector<const Json*> out;
  if (!ext) return out;
  for (std::string_view kind : {"ombCategory", "detailed"}) {
    if (const Json* subs = array(*ext, "extension")) {
      for (const Json& s : *subs) {
        const Json* v = member(s, "valueCoding");
        if (str(s, "url") == kind && v && !str(*v, "code").empty()) out.push_back(v);
      }
    }
  }
  return out;
}

void race_code(XmlWriter& x, std::string_view name, const Json* coding) {
  if (!coding) {
    x.start(name).attr("nullFlavor", "UNK").end();
    return;
  }
  const std::string_view code = str(*coding, "code");
  if (code == "UNK" || code == "ASKU") {
    x.start(name).attr("nullFlavor", code).end();
    return;
  }
  write_code(x, name, code, kCdcRace, str(*coding, "display"));
}

// The current addresses (no period end), or the first one when every one has ended.
std::vector<const Json*> current_addresses(const Json& patient) {
  std::vector<const Json*> out;
  const Json* all = array(patient, "address");
  if (!all) return out;
  for (const Json& a : *all) {
    const Json* p = member(a, "period");
    if (str(a, "use") == "old" || (p && !str(*p, "end").empty())) continue;
    out.push_back(&a);
  }
  if (out.empty() && !all->empty()) out.push_back(&(*all)[0]);
  return out;
}

void record_target(Ctx& c) {
  XmlWriter& x = c.x;
  const Json& p = *c.rec.patient;
  x.start("recordTarget").start("patientRole");
  bool any_id = false;
  if (const Json* ids = array(p, "identifier")) {
    for (const Json& i : *ids) {
      const std::string_view value = str(i, "value");
      if (value.empty()) continue;
      const std::string_view oid = oid_of(str(i, "system"));
      x.start("id").attr("root", oid.empty() ? std::string_view(c.options.id_root) : oid);
      if (oid.empty()) {
        std::string ext(str(i, "system"));
        if (!ext.empty()) ext += '|';
        ext += value;
        x.attr("extension", ext);
      } else {
        x.attr("extension", value);
      }
      x.end();
      any_id = true;
    }
  }
  entry_id(c, p);  // the FHIR id itself, always
  (void)any_id;
  const auto addresses = current_addresses(p);
  if (addresses.empty()) write_addr(x, nullptr);
  for (const Json* a : addresses) write_addr(x, a);
  bool any_telecom = false;
  if (const Json* ts = array(p, "telecom")) {
    for (const Json& t : *ts) {
      if (str(t, "value").empty()) continue;
      write_telecom(x, &t);
      any_telecom = true;
    }
  }
  if (!any_telecom) write_telecom(x, nullptr);

  x.start("patient");
  bool any_name = false;
  if (const Json* ns = array(p, "name")) {
    for (const Json& n : *ns) {
      write_person_name(x, &n);
      any_name = true;
    }
  }
  if (!any_name) write_person_name(x, nullptr);
  const std::string_view gender = str(p, "gender");
  if (gender == "male" || gender == "female") {
    write_code(x, "administrativeGenderCode", gender == "male" ? "M" : "F", "2.16.840.1.113883.5.1",
               gender == "male" ? "Male" : "Female");
  } else {
    x.start("administrativeGenderCode").attr("nullFlavor", "UNK").end();
  }
  write_ts(x, "birthTime", str(p, "birthDate"));
  if (auto dt = str(p, "deceasedDateTime"); !dt.empty() && !hl7_time(dt).empty()) {
    x.start("sdtc:deceasedInd").attr("value", "true").end();
    write_ts(x, "sdtc:deceasedTime", dt);
  } else if (auto dead = boolean(p, "deceasedBoolean"); dead.has_value()) {
    x.start("sdtc:deceasedInd").attr("value", *dead ? "true" : "false").end();
  }
  if (const Json* ms = member(p, "maritalStatus"); ms && !code_in(ms, "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus").empty()) {
    write_cd(x, "maritalStatusCode", ms);
  }
  const auto races = race_codings(extension(p, kRaceUrl));
  race_code(x, "raceCode", races.empty() ? nullptr : races[0]);
  for (std::size_t i = 1; i < races.size(); ++i) race_code(x, "sdtc:raceCode", races[i]);
  const auto ethnicities = race_codings(extension(p, kEthnicityUrl));
  race_code(x, "ethnicGroupCode", ethnicities.empty() ? nullptr : ethnicities[0]);
  for (std::size_t i = 1; i < ethnicities.size(); ++i) race_code(x, "sdtc:ethnicGroupCode", ethnicities[i]);
  if (const Json* comms = array(p, "communication")) {
    for (const Json& comm : *comms) {
      const Json* lang = member(comm, "language");
      const Json* coding = lang ? first(*lang, "coding") : nullptr;
      const std::string_view code = coding ? str(*coding, "code") : std::string_view{};
      if (code.empty()) continue;
      x.start("languageCommunication");
      x.start("languageCode").attr("code", code).end();
      if (auto pref = boolean(comm, "preferred"); pref.has_value()) {
        x.start("preferenceInd").attr("value", *pref ? "true" : "false").end();
      }
      x.end();
    }
  }
  x.end();  // patient
  if (const Json* org = c.rec.resolve(member(p, "managingOrganization"))) {
    x.start("providerOrganization");
    bool npi = false;
    if (const Json* ids = array(*org, "identifier")) {
      for (const Json& i : *ids) {
        if (str(i, "system") == "http://hl7.org/fhir/sid/us-npi" && !str(i, "value").empty()) {
          x.start("id").attr("root", "2.16.840.1.113883.4.6").attr("extension", str(i, "value")).end();
          npi = true;
        }
      }
    }
    if (!npi) entry_id(c, *org);
    if (auto n = str(*org, "name"); !n.empty()) x.element("name", n);
    else x.start("name").attr("nullFlavor", "UNK").end();
    write_telecom(x, first(*org, "telecom"));
    write_addr(x, first(*org, "address"));
    x.end();
  }
  x.end().end();
}

// The organization address to stand in for a practitioner without one.
const Json* fallback_address(Ctx& c) {
  if (const Json* org = c.rec.resolve(member(*c.rec.patient, "managingOrganization"))) return first(*org, "address");
  return nullptr;
}

void custodian_address(Ctx& c) {
  XmlWriter& x = c.x;
  x.start("addr").attr("use", "WP");
  x.element("streetAddressLine", c.options.custodian_street);
  x.element("city", c.options.custodian_city);
  x.element("state", c.options.custodian_state);
  x.element("postalCode", c.options.custodian_zip);
  x.element("country", "US");
  x.end();
}

void author(Ctx& c, const std::string& now) {
  XmlWriter& x = c.x;
  const Json* gp = c.rec.resolve(first(*c.rec.patient, "generalPractitioner"));
  if (gp && str(*gp, "resourceType") != "Practitioner") gp = nullptr;
  x.start("author");
  x.start("time").attr("value", now).end();
  x.start("assignedAuthor");
  if (gp) {
    bool npi = false;
    if (const Json* ids = array(*gp, "identifier")) {
      for (const Json& i : *ids) {
        if (str(i, "system") == "http://hl7.org/fhir/sid/us-npi" && !str(i, "value").empty()) {
          x.start("id").attr("root", "2.16.840.1.113883.4.6").attr("extension", str(i, "value")).end();
          npi = true;
        }
      }
    }
    if (!npi) entry_id(c, *gp);
    const Json* addr = first(*gp, "address");
    if (addr) write_addr(x, addr);
    else if (const Json* fb = fallback_address(c)) write_addr(x, fb);
    else custodian_address(c);
    if (const Json* t = first(*gp, "telecom")) write_telecom(x, t);
    else x.start("telecom").attr("use", "WP").attr("value", c.options.custodian_phone).end();
    x.start("assignedPerson");
    write_person_name(x, first(*gp, "name"));
    x.end();
  } else {
    x.start("id").attr("root", c.options.id_root).attr("extension", "device").end();
    custodian_address(c);
    x.start("telecom").attr("use", "WP").attr("value", c.options.custodian_phone).end();
    x.start("assignedAuthoringDevice");
    x.element("manufacturerModelName", c.options.author_software);
    x.element("softwareName", c.options.author_software);
    x.end();
    x.start("representedOrganization");
    x.start("id").attr("root", c.options.id_root).attr("extension", "custodian").end();
    x.element("name", c.options.custodian_name);
    x.start("telecom").attr("use", "WP").attr("value", c.options.custodian_phone).end();
    custodian_address(c);
    x.end();
  }
  x.end().end();
}

void custodian(Ctx& c) {
  XmlWriter& x = c.x;
  x.start("custodian").start("assignedCustodian").start("representedCustodianOrganization");
  x.start("id").attr("root", c.options.id_root).attr("extension", "custodian").end();
  x.element("name", c.options.custodian_name);
  x.start("telecom").attr("use", "WP").attr("value", c.options.custodian_phone).end();
  custodian_address(c);
  x.end().end().end();
}

// Day-precision HL7 date of a window bound: the first day of a start period, the last day of an
// end period (the window's exclusive end minus one day).
std::string day_of_us(std::int64_t us) { return hl7_time_us(us).substr(0, 8); }

// The earliest clinical time in the record (for a window without a start).
std::optional<std::int64_t> earliest(const Record& rec) {
  std::optional<std::int64_t> lo;
  for (const auto* list : {&rec.encounters, &rec.conditions, &rec.procedures, &rec.immunizations,
                           &rec.medication_requests, &rec.observations}) {
    for (const Json* r : *list) {
      auto t = resource_time(rec, *r);
      if (t && t->low != INT64_MIN && (!lo || t->low < *lo)) lo = t->low;
    }
  }
  return lo;
}

void documentation_of(Ctx& c, std::int64_t now_us) {
  XmlWriter& x = c.x;
  x.start("documentationOf").start("serviceEvent").attr("classCode", "PCPR");
  x.start("effectiveTime");
  std::optional<std::int64_t> low = c.window.start_us;
  if (!low) low = earliest(c.rec);
  if (!low) {
    if (auto b = time_range(str(*c.rec.patient, "birthDate"))) low = b->low;
  }
  if (low) x.start("low").attr("value", day_of_us(*low)).end();
  else x.start("low").attr("nullFlavor", "UNK").end();
  const std::int64_t high = c.window.end_us ? *c.window.end_us - 86400LL * 1000000 : now_us;
  x.start("high").attr("value", day_of_us(high)).end();
  x.end();
  if (const Json* gp = first(*c.rec.patient, "generalPractitioner")) {
    const Json* r = c.rec.resolve(gp);
    if (r && str(*r, "resourceType") == "Practitioner") {
      x.start("performer").attr("typeCode", "PRF");
      write_performer_entity(c, gp, "assignedEntity");
      x.end();
    }
  }
  x.end().end();
}

}  // namespace

void write_header(Ctx& c) {
  XmlWriter& x = c.x;
  const std::int64_t now = c.options.now_us;
  const std::string now_ts = hl7_time_us(now);
  x.start("realmCode").attr("code", "US").end();
  x.start("typeId").attr("root", "2.16.840.1.113883.1.3").attr("extension", "POCD_HD000040").end();
  template_id(x, "2.16.840.1.113883.10.20.22.1.1", "2015-08-01", true);
  template_id(x, "2.16.840.1.113883.10.20.22.1.2", "2015-08-01", true);
  x.start("id").attr("root", c.options.document_id).end();
  write_code(x, "code", "34133-9", "2.16.840.1.113883.6.1", "Summarization of Episode Note");
  x.element("title", "Continuity of Care Document");
  x.start("effectiveTime").attr("value", now_ts).end();
  x.start("confidentialityCode").attr("code", "N").attr("codeSystem", "2.16.840.1.113883.5.25")
      .attr("displayName", "normal").end();
  x.start("languageCode").attr("code", "en-US").end();
  record_target(c);
  author(c, now_ts);
  custodian(c);
  documentation_of(c, now);
}

}  // namespace ccda::detail
