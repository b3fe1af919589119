// The pool shared by all patients: Organizations (each with an Endpoint), Locations,
// Practitioners and their PractitionerRoles. Practitioner i works for organization
// i % organizations, as does location i.
#include <string>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

// A valid NPI: 9 digits from `n` and the Luhn check digit computed with the 80840 prefix.
std::int64_t npi(std::int64_t n) {
  const std::int64_t base = 100000000 + n % 100000000;  // 9 digits, leading 1
  int sum = 24;                                          // the Luhn contribution of "80840"
  std::int64_t rest = base;
  for (int pos = 0; pos < 9; ++pos, rest /= 10) {
    int d = static_cast<int>(rest % 10);
    if (pos % 2 == 0) {  // doubled: rightmost digit of the 9, as the check digit follows it
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return base * 10 + (10 - sum % 10) % 10;
}

void phone(Out& o, std::string_view area, std::int64_t n, std::string_view use) {
  o.raw("{\"system\":\"phone\",\"value\":\"");
  o.raw(area);
  o.raw("-555-01");
  o.padded(n % 100, 2);
  o.raw("\",\"use\":\"");
  o.raw(use);
  o.raw("\"}");
}

void address(Out& o, std::int64_t number, std::string_view street, const codes::Place& place) {
  o.raw("{\"line\":[\"");
  o.num(number);
  o.ch(' ');
  o.raw(street);
  o.raw("\"],\"city\":");
  o.str(place.city);
  o.raw(",\"state\":\"");
  o.raw(place.state);
  o.raw("\",\"postalCode\":\"");
  o.raw(place.zip);
  o.raw("\",\"country\":\"US\"}");
}

std::string organization_name(std::int64_t i) {
  const auto names = codes::organization_names();
  std::string name(names[static_cast<std::size_t>(i) % names.size()]);
  if (i >= static_cast<std::int64_t>(names.size())) {
    name += ' ';
    name += std::to_string(i / static_cast<std::int64_t>(names.size()) + 1);
  }
  return name;
}

}  // namespace

void generate_pool(Gen& g) {
  Rng rng(g.options.seed, ~0ULL);
  Out& o = g.out;
  const auto places = codes::places();
  const auto streets = codes::streets();

  for (std::int64_t i = 0; i < g.organizations; ++i) {
    const auto& place = places[static_cast<std::size_t>(i) % places.size()];
    const Id id = Gen::organization_id(i);
    begin(o, "Organization", id, profile::kOrganization);
    o.raw(",\"identifier\":[{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":\"");
    o.num(npi(rng.range(0, 899999999)));
    o.raw("\"}],\"active\":true,\"type\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
          "organization-type\",\"code\":\"prov\",\"display\":\"Healthcare Provider\"}]}]");
    o.kv("name", organization_name(i));
    o.raw(",\"telecom\":[");
    phone(o, place.area_code, i, "work");
    o.raw("],\"address\":[");
    address(o, rng.range(1, 999), rng.pick(streets), place);
    o.raw("]");
    o.raw(",\"endpoint\":[");
    o.ref("Endpoint", Gen::endpoint_id(i));
    o.raw("]}");
    g.emit(Type::Organization);

    // Endpoint has no US Core profile; PractitionerRole.endpoint (must support) refers to it.
    o.raw("{\"resourceType\":\"Endpoint\",\"id\":\"");
    o.raw(Gen::endpoint_id(i));
    o.raw("\",\"status\":\"active\",\"connectionType\":{\"system\":\"http://terminology.hl7.org/CodeSystem/"
          "endpoint-connection-type\",\"code\":\"hl7-fhir-rest\",\"display\":\"HL7 FHIR\"}");
    o.kv("name", organization_name(i) + " FHIR endpoint");
    o.kref("managingOrganization", "Organization", id);
    o.raw(",\"payloadType\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
          "endpoint-payload-type\",\"code\":\"any\",\"display\":\"Any\"}]}],\"address\":\"https://fhir.example.org/");
    o.raw(id);
    o.raw("/r4\"}");
    g.emit(Type::Endpoint);
  }

  for (std::int64_t i = 0; i < g.locations; ++i) {
    const std::int64_t org = g.organization_of_location(i);
    const auto& place = places[static_cast<std::size_t>(org) % places.size()];
    begin(o, "Location", Gen::location_id(i), profile::kLocation);
    o.raw(",\"status\":\"active\"");
    o.kv("name", organization_name(org) + (i < g.organizations ? " - Main Campus" : " - Outpatient Clinic"));
    o.raw(",\"mode\":\"instance\",\"telecom\":[");
    phone(o, place.area_code, 50 + i, "work");
    o.raw("],\"address\":");
    address(o, rng.range(1, 999), rng.pick(streets), place);
    o.kref("managingOrganization", "Organization", Gen::organization_id(org));
    o.ch('}');
    g.emit(Type::Location);
  }

  const auto specialties = codes::specialties();
  for (std::int64_t i = 0; i < g.practitioners; ++i) {
    const bool female = rng.percent(50);
    const std::string_view given = rng.pick(female ? codes::female_given() : codes::male_given());
    const std::string_view family = rng.pick(codes::family_names());
    const std::int64_t org = g.organization_of_practitioner(i);
    const auto& place = places[static_cast<std::size_t>(org) % places.size()];
    const Id id = Gen::practitioner_id(i);
    begin(o, "Practitioner", id, profile::kPractitioner);
    o.raw(",\"identifier\":[{\"system\":\"http://hl7.org/fhir/sid/us-npi\",\"value\":\"");
    o.num(npi(rng.range(0, 899999999)));
    o.raw("\"}],\"active\":true,\"name\":[{\"use\":\"official\",\"family\":");
    o.str(family);
    o.raw(",\"given\":[");
    o.str(given);
    o.raw("],\"prefix\":[\"Dr.\"]}],\"telecom\":[");
    phone(o, place.area_code, 20 + i, "work");
    o.raw("]");
    o.kv("gender", female ? "female" : "male");
    o.ch('}');
    g.emit(Type::Practitioner);

    const auto& sp = specialties[static_cast<std::size_t>(i) % specialties.size()];
    begin(o, "PractitionerRole", Gen::role_id(i), profile::kPractitionerRole);
    o.raw(",\"active\":true");
    o.kref("practitioner", "Practitioner", id);
    o.kref("organization", "Organization", Gen::organization_id(org));
    o.kcc_list("code", codes::kNucc, sp.code, sp.display);
    o.kcc_list("specialty", codes::kNucc, sp.code, sp.display);
    o.raw(",\"location\":[");
    o.ref("Location", Gen::location_id(g.location_in(org, rng)));
    o.raw("],\"telecom\":[");
    phone(o, place.area_code, 20 + i, "work");
    o.raw("],\"endpoint\":[");
    o.ref("Endpoint", Gen::endpoint_id(org));
    o.raw("]}");
    g.emit(Type::PractitionerRole);
  }
}

}  // namespace synth::detail
