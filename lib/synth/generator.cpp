// synth::generate: the pool, then each patient in turn, every resource handed to the sink as soon
// as it is written. Also the shared pieces: resource start, Provenance, ids, base64.
#include "synth/generator.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "synth/internal.hpp"

namespace synth {

Id make_id(std::string_view prefix, std::int64_t n, int width) {
  Id id;
  std::memcpy(id.buf, prefix.data(), prefix.size());
  std::size_t len = prefix.size();
  id.buf[len++] = '-';
  char digits[24];
  auto r = std::to_chars(digits, digits + sizeof digits, n);
  for (int i = static_cast<int>(r.ptr - digits); i < width; ++i) id.buf[len++] = '0';
  std::memcpy(id.buf + len, digits, static_cast<std::size_t>(r.ptr - digits));
  id.len = static_cast<unsigned char>(len + static_cast<std::size_t>(r.ptr - digits));
  return id;
}

Id make_id(std::string_view patient_id, std::string_view kind, std::int64_t n, int width) {
  Id id;
  std::memcpy(id.buf, patient_id.data(), patient_id.size());
  id.buf[patient_id.size()] = '-';
  const Id rest = make_id(kind, n, width);
  std::memcpy(id.buf + patient_id.size() + 1, rest.buf, rest.len);
  id.len = static_cast<unsigned char>(patient_id.size() + 1 + rest.len);
  return id;
}

namespace detail {

std::string_view type_name(Type t) {
  static constexpr std::string_view names[] = {
      "AllergyIntolerance", "CarePlan",    "CareTeam",          "ClinicalImpression", "Condition",   "Device",
      "DiagnosticReport",   "DocumentReference", "Encounter",   "Endpoint",    "Goal",
      "Immunization",       "Location",    "Medication",        "MedicationRequest", "Observation",
      "Organization",       "Patient",     "Practitioner",      "PractitionerRole",  "Procedure",
      "Provenance",         "ServiceRequest"};
  static_assert(std::size(names) == static_cast<std::size_t>(Type::kCount));
  return names[static_cast<int>(t)];
}

Gen::Gen(const Options& o, const Sink& s) : options(o), sink(s) {
  practitioners = std::max<std::int64_t>(3, o.patients / 50);
  organizations = std::max<std::int64_t>(2, (practitioners + 7) / 8);
  locations = organizations * 2;
  out.s.reserve(1 << 16);
  prov.s.reserve(1 << 12);
}

void Gen::emit(Type t) {
  ++counts[static_cast<int>(t)];
  sink(type_name(t), out.s);
  out.clear();
}

void Gen::emit_with_provenance(Type t, std::string_view id, Seconds recorded, std::int64_t author) {
  emit(t);
  const std::string_view type = type_name(t);
  const Id org = organization_id(organization_of_practitioner(author));
  Out& o = prov;
  o.clear();
  o.raw("{\"resourceType\":\"Provenance\",\"id\":\"");
  o.raw(id);
  o.raw("-prov\"");
  o.profile(profile::kProvenance);
  o.raw(",\"target\":[");
  o.ref(type, id);
  o.raw("]");
  o.kdt("recorded", recorded);
  o.raw(
      ",\"agent\":[{\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
      "provenance-participant-type\",\"code\":\"author\",\"display\":\"Author\"}]}");
  o.kref("who", "Practitioner", practitioner_id(author));
  o.kref("onBehalfOf", "Organization", org);
  o.raw(
      "},{\"type\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/us/core/CodeSystem/"
      "us-core-provenance-participant-type\",\"code\":\"transmitter\",\"display\":\"Transmitter\"}]}");
  o.kref("who", "Organization", org);
  o.raw("}]}");
  ++counts[static_cast<int>(Type::Provenance)];
  sink("Provenance", o.s);
}

std::int64_t Gen::practitioner_in(std::int64_t org, Rng& r) const {
  const std::int64_t n = (practitioners - org + organizations - 1) / organizations;
  return org + static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(n))) * organizations;
}

std::int64_t Gen::location_in(std::int64_t org, Rng& r) const {
  const std::int64_t n = (locations - org + organizations - 1) / organizations;
  return org + static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(n))) * organizations;
}

void begin(Out& o, std::string_view type, std::string_view id, std::string_view profile) {
  o.raw("{\"resourceType\":\"");
  o.raw(type);
  o.raw("\",\"id\":\"");
  o.raw(id);
  o.ch('"');
  o.profile(profile);
}

void subject(Out& o, const Person& p) { o.kref("subject", "Patient", p.id); }

void encounter_ref(Out& o, const PlannedEncounter& e) { o.kref("encounter", "Encounter", e.id); }

void base64(Out& o, std::string_view text) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  for (; i + 3 <= text.size(); i += 3) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    o.ch(alphabet[(v >> 18) & 63]);
    o.ch(alphabet[(v >> 12) & 63]);
    o.ch(alphabet[(v >> 6) & 63]);
    o.ch(alphabet[v & 63]);
  }
  const std::size_t rest = text.size() - i;
  if (rest == 1) {
    const unsigned v = byte(i) << 16;
    o.ch(alphabet[(v >> 18) & 63]);
    o.ch(alphabet[(v >> 12) & 63]);
    o.raw("==");
  } else if (rest == 2) {
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
    o.ch(alphabet[(v >> 18) & 63]);
    o.ch(alphabet[(v >> 12) & 63]);
    o.ch(alphabet[(v >> 6) & 63]);
    o.ch('=');
  }
}

}  // namespace detail

base::Result<Counts> generate(const Options& options, const Sink& sink) {
  if (options.patients < 1 || options.patients > 100'000'000) {
    return base::invalid("patients must be between 1 and 100000000, not " + std::to_string(options.patients));
  }
  using namespace detail;
  Gen g(options, sink);
  generate_pool(g);
  for (std::int64_t i = 0; i < options.patients; ++i) {
    Person p(options.seed, i);
    plan_person(g, p);
    write_patient(g, p);
    write_encounters(g, p);
    for (std::size_t e = 0; e < p.encounters.size(); ++e) {
      write_vitals(g, p, p.encounters[e], e == 0 && p.vitals_absent_first_visit());
    }
    write_labs(g, p);
    write_problems(g, p);
    write_immunizations(g, p);
    write_medications(g, p);
    write_care(g, p);
    write_documents(g, p);
    write_assessments(g, p);
    write_requests(g, p);
  }
  Counts counts;
  for (int t = 0; t < static_cast<int>(Type::kCount); ++t) {
    if (g.counts[t] == 0) continue;
    counts.by_type[std::string(type_name(static_cast<Type>(t)))] = g.counts[t];
    counts.total += g.counts[t];
  }
  return counts;
}

}  // namespace synth
