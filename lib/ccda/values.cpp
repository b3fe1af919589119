// FHIR -> CDA value conversions: JSON access, times, codes, quantities, observation values,
// addresses, telecoms and names.
#include <array>
#include <cstdio>

#include "base/fhir_time.hpp"
#include "ccda/internal.hpp"

namespace ccda::detail {

// ---- JSON access ---------------------------------------------------------------------------

const Json* member(const Json& j, std::string_view key) { return j.find(key); }

const Json* array(const Json& j, std::string_view key) {
  const Json* m = member(j, key);
  return m && m->is_array() ? m : nullptr;
}

const Json* first(const Json& j, std::string_view key) {
  const Json* a = array(j, key);
  return a && !a->empty() ? &(*a)[0] : nullptr;
}

std::string_view str(const Json* j) {
  return j ? j->string() : std::string_view{};
}

std::string_view str(const Json& j, std::string_view key) { return str(member(j, key)); }

std::optional<bool> boolean(const Json& j, std::string_view key) {
  const Json* m = member(j, key);
  if (!m || !m->is_boolean()) return std::nullopt;
  return m->as_bool();
}

std::string_view cc_text(const Json* cc) {
  if (!cc || !cc->is_object()) return {};
  if (auto t = str(*cc, "text"); !t.empty()) return t;
  if (const Json* codings = array(*cc, "coding")) {
    for (const Json& c : *codings) {
      if (auto d = str(c, "display"); !d.empty()) return d;
    }
    for (const Json& c : *codings) {
      if (auto d = str(c, "code"); !d.empty()) return d;
    }
  }
  return {};
}

bool has_code(const Json* cc, std::string_view code, std::string_view system) {
  if (!cc) return false;
  if (cc->is_array()) {
    for (const Json& e : *cc) {
      if (has_code(&e, code, system)) return true;
    }
    return false;
  }
  const Json* codings = cc->is_object() ? array(*cc, "coding") : nullptr;
  if (!codings) return false;
  for (const Json& c : *codings) {
    if (str(c, "code") == code && (system.empty() || str(c, "system") == system)) return true;
  }
  return false;
}

std::string_view code_in(const Json* cc, std::string_view system) {
  const Json* codings = cc && cc->is_object() ? array(*cc, "coding") : nullptr;
  if (!codings) return {};
  for (const Json& c : *codings) {
    if (str(c, "system") == system) return str(c, "code");
  }
  return {};
}

// ---- Times ---------------------------------------------------------------------------------

std::optional<TimeRange> time_range(std::string_view fhir) {
  if (fhir.empty()) return std::nullopt;
  // On the clock it was recorded in: the offset is dropped, so a service day is the local day.
  if (const auto t = fhir.find('T'); t != std::string_view::npos) {
    const auto z = fhir.find_first_of("Z+-", t);
    if (z != std::string_view::npos) fhir = fhir.substr(0, z);
  }
  auto t = base::parse_date_time(fhir, true);
  if (!t.ok()) return std::nullopt;
  return TimeRange{t->low_us, t->high_us};
}

std::string hl7_time(std::string_view f) {
  if (f.empty() || !base::parse_date_time(f).ok()) return {};
  std::string out;
  out.reserve(24);
  std::size_t i = 0;
  for (; i < f.size() && f[i] != 'T'; ++i) {
    if (f[i] != '-') out += f[i];
  }
  if (i == f.size()) return out;
  ++i;  // 'T'
  for (; i < f.size() && f[i] != 'Z' && f[i] != '+' && f[i] != '-'; ++i) {
    if (f[i] != ':') out += f[i];
  }
  if (i == f.size()) return out;
  if (f[i] == 'Z') return out + "+0000";
  for (; i < f.size(); ++i) {
    if (f[i] != ':') out += f[i];
  }
  return out;
}

std::string hl7_time_us(std::int64_t us) {
  std::int64_t secs = us >= 0 ? us / 1000000 : (us - 999999) / 1000000;
  std::int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const std::int64_t sod = secs - days * 86400;
  // civil_from_days (Howard Hinnant)
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02u%02lld%02lld%02lld+0000", static_cast<long long>(y), m, d,
                static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                static_cast<long long>(sod % 60));
  return buf;
}

std::string display_time(std::string_view f) {
  if (f.empty() || !base::parse_date_time(f).ok()) return {};
  const auto t = f.find('T');
  if (t == std::string_view::npos) return std::string(f);
  std::string out(f.substr(0, t));
  out += ' ';
  out += f.substr(t + 1, 5);
  return out;
}

// ---- Codes ---------------------------------------------------------------------------------

namespace {

struct System {
  std::string_view uri;
  std::string_view oid;
  std::string_view name;
};

constexpr std::array<System, 22> kSystems = {{
    {"http://loinc.org", "2.16.840.1.113883.6.1", "LOINC"},
    {"http://snomed.info/sct", "2.16.840.1.113883.6.96", "SNOMED CT"},
    {"http://www.nlm.nih.gov/research/umls/rxnorm", "2.16.840.1.113883.6.88", "RxNorm"},
    {"http://hl7.org/fhir/sid/cvx", "2.16.840.1.113883.12.292", "CVX"},
    {"http://hl7.org/fhir/sid/icd-10-cm", "2.16.840.1.113883.6.90", "ICD-10-CM"},
    {"http://hl7.org/fhir/sid/icd-9-cm", "2.16.840.1.113883.6.103", "ICD-9-CM"},
    {"http://hl7.org/fhir/sid/ndc", "2.16.840.1.113883.6.69", "NDC"},
    {"http://www.ama-assn.org/go/cpt", "2.16.840.1.113883.6.12", "CPT-4"},
    {"http://unitsofmeasure.org", "2.16.840.1.113883.6.8", "UCUM"},
    {"http://nucc.org/provider-taxonomy", "2.16.840.1.113883.6.101", "NUCC"},
    {"http://terminology.hl7.org/CodeSystem/v3-ActCode", "2.16.840.1.113883.5.4", "HL7ActCode"},
    {"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "2.16.840.1.113883.5.83",
     "HL7ObservationInterpretation"},
    {"http://terminology.hl7.org/CodeSystem/v3-ActReason", "2.16.840.1.113883.5.8", "HL7ActReason"},
    {"http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "2.16.840.1.113883.5.1008", "HL7NullFlavor"},
    {"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", "2.16.840.1.113883.5.2", "HL7MaritalStatus"},
    {"http://hl7.org/fhir/sid/us-npi", "2.16.840.1.113883.4.6", "NPI"},
    {"urn:oid:2.16.840.1.113883.6.238", "2.16.840.1.113883.6.238", "CDC Race and Ethnicity"},
    {"http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type", "", ""},
    {"http://terminology.hl7.org/CodeSystem/v2-0203", "2.16.840.1.113883.12.203", "HL7 Identifier Type"},
    {"urn:ietf:bcp:47", "", ""},
    {"http://www.cms.gov/Medicare/Coding/ICD10", "2.16.840.1.113883.6.4", "ICD-10-PCS"},
    {"http://terminology.hl7.org/CodeSystem/v3-RoleCode", "2.16.840.1.113883.5.111", "HL7RoleCode"},
}};

bool is_oid(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (char c : s) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

std::string_view oid_of(std::string_view system) {
  for (const System& s : kSystems) {
    if (s.uri == system) return s.oid;
  }
  if (system.substr(0, 8) == "urn:oid:" && is_oid(system.substr(8))) return system.substr(8);
  return {};
}

std::string_view oid_name(std::string_view oid) {
  for (const System& s : kSystems) {
    if (!oid.empty() && s.oid == oid) return s.name;
  }
  return {};
}

void write_code(XmlWriter& x, std::string_view name, std::string_view code, std::string_view system_oid,
                std::string_view display, std::string_view xsi_type) {
  x.start(name);
  if (!xsi_type.empty()) x.attr("xsi:type", xsi_type);
  x.attr("code", code).attr("codeSystem", system_oid);
  if (auto n = oid_name(system_oid); !n.empty()) x.attr("codeSystemName", n);
  if (!display.empty()) x.attr("displayName", display);
  x.end();
}

void write_cd(XmlWriter& x, std::string_view name, const Json* cc, std::string_view xsi_type,
              std::string_view prefer_oid, std::string_view original_ref) {
  const Json* codings = cc && cc->is_object() ? array(*cc, "coding") : nullptr;
  const Json* primary = nullptr;
  std::string_view primary_oid;
  if (codings) {
    for (const Json& c : *codings) {
      const std::string_view oid = oid_of(str(c, "system"));
      if (oid.empty() || str(c, "code").empty()) continue;
      if (!primary || (!prefer_oid.empty() && oid == prefer_oid && primary_oid != prefer_oid)) {
        primary = &c;
        primary_oid = oid;
      }
    }
  }
  x.start(name);
  if (!xsi_type.empty()) x.attr("xsi:type", xsi_type);
  if (primary) {
    x.attr("code", str(*primary, "code")).attr("codeSystem", primary_oid);
    if (auto n = oid_name(primary_oid); !n.empty()) x.attr("codeSystemName", n);
    if (auto d = str(*primary, "display"); !d.empty()) x.attr("displayName", d);
  } else {
    x.attr("nullFlavor", "UNK");
  }
  const std::string_view text = cc && cc->is_object() ? str(*cc, "text") : std::string_view{};
  if (!original_ref.empty()) {
    x.start("originalText").start("reference").attr("value", "#" + std::string(original_ref)).end().end();
  } else if (!text.empty()) {
    x.element("originalText", text);
  } else if (!primary) {
    if (auto t = cc_text(cc); !t.empty()) x.element("originalText", t);
  }
  if (codings && primary) {
    for (const Json& c : *codings) {
      if (&c == primary) continue;
      const std::string_view oid = oid_of(str(c, "system"));
      if (oid.empty() || str(c, "code").empty()) continue;
      write_code(x, "translation", str(c, "code"), oid, str(c, "display"));
    }
  }
  x.end();
}

void write_ts(XmlWriter& x, std::string_view name, std::string_view fhir) {
  const std::string v = hl7_time(fhir);
  x.start(name);
  if (v.empty()) x.attr("nullFlavor", "UNK");
  else x.attr("value", v);
  x.end();
}

void write_ivl(XmlWriter& x, std::string_view name, std::string_view low, std::string_view high, bool high_unknown) {
  x.start(name);
  write_ts(x, "low", low);
  if (!high.empty() || high_unknown) write_ts(x, "high", high);
  x.end();
}

void status_code(XmlWriter& x, std::string_view code) { x.start("statusCode").attr("code", code).end(); }

void text_ref(XmlWriter& x, std::string_view ref) {
  x.start("text").start("reference").attr("value", "#" + std::string(ref)).end().end();
}

namespace {

std::string number_text(const Json& n) { return std::string(n.number_text()); }

}  // namespace

void write_pq(XmlWriter& x, std::string_view name, const Json* q) {
  const Json* v = q ? member(*q, "value") : nullptr;
  const std::string num = v ? number_text(*v) : std::string();
  std::string_view unit;
  if (q && q->is_object() && str(*q, "system") == "http://unitsofmeasure.org") unit = str(*q, "code");
  if (unit.empty()) unit = "1";
  x.start(name).attr("xsi:type", "PQ");
  // A PQ keeps its unit even without a value (Vital Sign Observation requires @unit).
  if (num.empty()) x.attr("nullFlavor", "NI");
  else x.attr("value", num);
  x.attr("unit", unit).end();
}

void write_value(XmlWriter& x, const Json& obs, std::string_view absent_type) {
  if (const Json* q = member(obs, "valueQuantity")) return write_pq(x, "value", q);
  if (const Json* cc = member(obs, "valueCodeableConcept")) return write_cd(x, "value", cc, "CD");
  if (const Json* s = member(obs, "valueString"); s && s->is_string()) {
    x.start("value").attr("xsi:type", "ST").text(str(s)).end();
    return;
  }
  if (const Json* i = member(obs, "valueInteger"); i && i->is_number_integer()) {
    x.start("value").attr("xsi:type", "INT").attr("value", number_text(*i)).end();
    return;
  }
  if (const Json* b = member(obs, "valueBoolean"); b && b->is_boolean()) {
    x.start("value").attr("xsi:type", "BL").attr("value", b->as_bool() ? "true" : "false").end();
    return;
  }
  if (auto dt = str(obs, "valueDateTime"); !dt.empty()) {
    const std::string v = hl7_time(dt);
    x.start("value").attr("xsi:type", "TS");
    if (v.empty()) x.attr("nullFlavor", "UNK");
    else x.attr("value", v);
    x.end();
    return;
  }
  if (absent_type == "PQ") return write_pq(x, "value", nullptr);
  x.start("value").attr("xsi:type", absent_type).attr("nullFlavor", "NI").end();
}

std::string value_text(const Json& obs) {
  if (const Json* q = member(obs, "valueQuantity")) {
    const Json* v = member(*q, "value");
    std::string s = v ? number_text(*v) : std::string();
    std::string_view unit = str(*q, "unit");
    if (unit.empty()) unit = str(*q, "code");
    if (!unit.empty()) {
      s += ' ';
      s += unit;
    }
    return s;
  }
  if (const Json* cc = member(obs, "valueCodeableConcept")) return std::string(cc_text(cc));
  if (auto s = str(obs, "valueString"); !s.empty()) return std::string(s);
  if (const Json* i = member(obs, "valueInteger"); i && i->is_number_integer()) return number_text(*i);
  if (const Json* b = member(obs, "valueBoolean"); b && b->is_boolean()) return b->as_bool() ? "yes" : "no";
  if (auto dt = str(obs, "valueDateTime"); !dt.empty()) return display_time(dt);
  if (const Json* dar = member(obs, "dataAbsentReason")) return std::string(cc_text(dar));
  return {};
}

// ---- Addresses, telecoms, names ------------------------------------------------------------

namespace {

std::string_view address_use(std::string_view use) {
  if (use == "work") return "WP";
  if (use == "temp") return "TMP";
  if (use == "old") return "BAD";
  return "HP";
}

void part(XmlWriter& x, std::string_view name, std::string_view value) {
  if (value.empty()) x.start(name).attr("nullFlavor", "UNK").end();
  else x.element(name, value);
}

}  // namespace

void write_addr(XmlWriter& x, const Json* a) {
  if (!a || !a->is_object()) {
    x.start("addr").attr("nullFlavor", "UNK").end();
    return;
  }
  x.start("addr").attr("use", address_use(str(*a, "use")));
  int lines = 0;
  if (const Json* ls = array(*a, "line")) {
    for (const Json& l : *ls) {
      if (lines < 4 && !str(&l).empty()) {
        x.element("streetAddressLine", str(&l));
        ++lines;
      }
    }
  }
  if (lines == 0) x.start("streetAddressLine").attr("nullFlavor", "UNK").end();
  part(x, "city", str(*a, "city"));
  part(x, "state", str(*a, "state"));
  part(x, "postalCode", str(*a, "postalCode"));
  part(x, "country", str(*a, "country").empty() ? "US" : str(*a, "country"));
  x.end();
}

void write_telecom(XmlWriter& x, const Json* t) {
  if (!t || !t->is_object() || str(*t, "value").empty()) {
    x.start("telecom").attr("nullFlavor", "UNK").end();
    return;
  }
  const std::string_view system = str(*t, "system");
  const std::string_view value = str(*t, "value");
  std::string url;
  if (system == "email") url = "mailto:";
  else if (system == "fax") url = "fax:";
  else if (system == "url" || system == "other") url = "";
  else url = "tel:";
  for (char c : value) {
    if (url.rfind("tel:", 0) == 0 && c == ' ') continue;
    url += c;
  }
  x.start("telecom");
  const std::string_view use = str(*t, "use");
  if (use == "home") x.attr("use", "HP");
  else if (use == "work") x.attr("use", "WP");
  else if (use == "mobile") x.attr("use", "MC");
  else if (use == "temp") x.attr("use", "TMP");
  x.attr("value", url).end();
}

void write_person_name(XmlWriter& x, const Json* n) {
  if (!n || !n->is_object()) {
    x.start("name").attr("nullFlavor", "UNK").end();
    return;
  }
  x.start("name");
  const std::string_view use = str(*n, "use");
  if (use == "official" || use == "usual" || use.empty()) x.attr("use", "L");
  else if (use == "nickname") x.attr("use", "P");
  else if (use == "anonymous") x.attr("use", "P");
  if (const Json* ps = array(*n, "prefix")) {
    for (const Json& p : *ps) {
      if (!str(&p).empty()) x.element("prefix", str(&p));
    }
  }
  bool any_given = false;
  if (const Json* gs = array(*n, "given")) {
    for (const Json& g : *gs) {
      if (!str(&g).empty()) {
        x.element("given", str(&g));
        any_given = true;
      }
    }
  }
  if (!any_given) x.start("given").attr("nullFlavor", "UNK").end();
  part(x, "family", str(*n, "family"));
  if (const Json* ss = array(*n, "suffix")) {
    for (const Json& s : *ss) {
      if (!str(&s).empty()) x.element("suffix", str(&s));
    }
  }
  if (const Json* period = member(*n, "period")) {
    const std::string_view end = str(*period, "end");
    if (!end.empty() && !hl7_time(end).empty()) {
      x.start("validTime");
      write_ts(x, "low", str(*period, "start"));
      write_ts(x, "high", end);
      x.end();
    }
  }
  x.end();
}

std::string name_text(const Json* n) {
  if (!n || !n->is_object()) return {};
  if (auto t = str(*n, "text"); !t.empty()) return std::string(t);
  std::string out;
  if (const Json* gs = array(*n, "given")) {
    for (const Json& g : *gs) {
      if (str(&g).empty()) continue;
      if (!out.empty()) out += ' ';
      out += str(&g);
    }
  }
  if (auto f = str(*n, "family"); !f.empty()) {
    if (!out.empty()) out += ' ';
    out += f;
  }
  return out;
}

}  // namespace ccda::detail
