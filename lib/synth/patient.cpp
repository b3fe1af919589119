// The patient: demographics and the encounter plan (decided before anything is written, so that
// every resource can refer to encounters by id), and the Patient resource itself.
#include <algorithm>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

constexpr Days kYear = 365;

Seconds at_local(Days d, Seconds seconds_of_day) { return d * kDay + seconds_of_day - kOffset; }

Visit pick_visit(Person& p) {
  const int r = static_cast<int>(p.rng.below(100));
  switch (p.age_group) {
    case Person::Age::infant: return Visit::well_child;
    case Person::Age::child:
      return r < 50 ? Visit::well_child : r < 80 ? Visit::symptom : r < 90 ? Visit::followup : Visit::emergency;
    case Person::Age::adult:
      return r < 40   ? Visit::checkup
             : r < 65 ? Visit::symptom
             : r < 85 ? Visit::followup
             : r < 95 ? Visit::emergency
                      : Visit::inpatient;
  }
  return Visit::checkup;
}

void lower_into(Out& o, std::string_view text) {
  for (char c : text) o.ch(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
}

void home_address(Out& o, Person& p, std::string_view use) {
  const auto& place = p.rng.pick(codes::places());
  o.raw("{\"use\":\"");
  o.raw(use);
  o.raw("\",\"line\":[\"");
  o.num(p.rng.range(1, 1999));
  o.ch(' ');
  o.raw(p.rng.pick(codes::streets()));
  o.raw("\"],\"city\":");
  o.str(place.city);
  o.raw(",\"state\":\"");
  o.raw(place.state);
  o.raw("\",\"postalCode\":\"");
  o.raw(place.zip);
  o.raw("\",\"country\":\"US\"");
}

}  // namespace

void plan_person(Gen& g, Person& p) {
  Rng& r = p.rng;
  p.id.buf[0] = 'p';
  {
    Out tmp;
    tmp.padded(p.index + 1, 6);
    std::copy(tmp.s.begin(), tmp.s.end(), p.id.buf + 1);
    p.id.len = static_cast<unsigned char>(1 + tmp.s.size());
  }
  p.female = p.index % 2 == 1;
  const int group = static_cast<int>(p.index % 10);
  p.age_group = group == 0 ? Person::Age::infant : group <= 2 ? Person::Age::child : Person::Age::adult;
  switch (p.age_group) {
    case Person::Age::infant: p.birth = kToday - r.range(180, 900); break;
    case Person::Age::child: p.birth = kToday - r.range(3 * kYear, 17 * kYear); break;
    case Person::Age::adult: p.birth = kToday - r.range(18 * kYear + 10, 90 * kYear); break;
  }
  p.given = r.pick(p.female ? codes::female_given() : codes::male_given());
  p.family = r.pick(codes::family_names());
  p.gp = static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(g.practitioners)));
  p.org = g.organization_of_practitioner(p.gp);
  p.adult_height = p.female ? r.around(1630, 100) : r.around(1760, 110);
  p.bmi = p.age_group == Person::Age::adult ? r.around(270, 60) : r.around(165, 20);

  // Encounter days.
  std::vector<Days> days;
  if (p.age_group == Person::Age::infant) {
    static constexpr int kWellChildMonths[] = {0, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30};
    const int age_months = static_cast<int>((kToday - p.birth) * 12 * 100 / 36525);
    for (int m : kWellChildMonths) {
      if (m >= age_months) break;
      days.push_back(std::min(kToday - 1, p.birth + 3 + m * 3044 / 100 + r.range(0, 6)));
    }
  } else {
    const Days floor = p.birth + (p.age_group == Person::Age::child ? 2 : 18) * kYear;
    const Days start = std::max(floor, kToday - 10 * kYear);
    const int n = p.age_group == Person::Age::child ? static_cast<int>(r.range(5, 8)) : static_cast<int>(r.range(6, 10));
    for (int i = 0; i < n; ++i) days.push_back(r.range(start, kToday - 1));
    std::sort(days.begin(), days.end());
  }
  p.encounters.resize(days.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    PlannedEncounter& e = p.encounters[i];
    e.id = make_id(p.id, "enc", static_cast<std::int64_t>(i + 1), 3);
    e.kind = pick_visit(p);
    if (p.index % 10 == 5 && i == days.size() / 2) e.kind = Visit::inpatient;  // coverage
    e.start = at_local(days[i], 8 * 3600 + r.range(0, 34) * 900);
    switch (e.kind) {
      case Visit::emergency: e.end = e.start + r.range(3, 8) * 3600; break;
      case Visit::inpatient: e.end = e.start + r.range(2, 5) * kDay + r.range(0, 8) * 3600; break;
      default: e.end = e.start + r.range(20, 60) * 60; break;
    }
    // Nothing ends after "today": a stay that would is moved back.
    const Seconds latest = at_local(kToday, 0) - 3600;
    if (e.end > latest) {
      const Seconds shift = e.end - latest;
      e.start -= shift;
      e.end -= shift;
    }
    e.practitioner = r.percent(70) ? p.gp : g.practitioner_in(p.org, r);
    e.location = g.location_in(p.org, r);
    e.age_months = p.months_at(e.start);
  }
  if (p.age_group == Person::Age::adult && (p.index % 30 == 9 || (kToday - p.birth > 70 * kYear && r.percent(8)))) {
    p.deceased = true;
    p.death = std::max(p.last_seen() + 1800, std::min(p.last_seen() + r.range(5, 200) * kDay, at_local(kToday, 0)));
  }
}

void write_patient(Gen& g, Person& p) {
  Out& o = g.out;
  Rng& r = p.rng;
  begin(o, "Patient", p.id, profile::kPatient);
  const auto& race = r.pick(codes::races());
  const auto& ethnicity = codes::ethnicities()[r.percent(18) ? 0 : 1];
  o.raw(",\"extension\":[{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-race\","
        "\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":");
  o.coding(codes::kCdcRace, race.code, race.display);
  o.raw("},{\"url\":\"text\",\"valueString\":");
  o.str(race.display);
  o.raw("}]},{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity\","
        "\"extension\":[{\"url\":\"ombCategory\",\"valueCoding\":");
  o.coding(codes::kCdcRace, ethnicity.code, ethnicity.display);
  o.raw("},{\"url\":\"text\",\"valueString\":");
  o.str(ethnicity.display);
  o.raw("}]},{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex\",\"valueCode\":\"");
  o.raw(p.female ? "F" : "M");
  o.raw("\"}]");

  o.raw(",\"identifier\":[{\"use\":\"usual\",\"type\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
        "CodeSystem/v2-0203\",\"code\":\"MR\",\"display\":\"Medical Record Number\"}],\"text\":\"Medical Record "
        "Number\"},\"system\":\"http://hospital.example.org/mrn\",\"value\":\"MRN");
  o.padded(p.index + 1, 8);
  o.raw("\"}],\"active\":");
  o.raw(p.deceased ? "false" : "true");

  const bool adult = p.age_group == Person::Age::adult;
  o.raw(",\"name\":[{\"use\":\"official\",\"family\":");
  o.str(p.family);
  o.raw(",\"given\":[");
  o.str(p.given);
  if (r.percent(60)) {
    o.ch(',');
    o.str(r.pick(p.female ? codes::female_given() : codes::male_given()));
  }
  o.ch(']');
  if (!p.female && (p.index % 7 == 2 || r.percent(5))) o.raw(p.index % 2 == 0 ? ",\"suffix\":[\"Jr.\"]" : ",\"suffix\":[\"III\"]");
  o.ch('}');
  if (adult && (p.index % 6 == 3 || r.percent(10))) {  // a previous name, until marriage
    o.raw(",{\"use\":\"old\",\"family\":");
    o.str(r.pick(codes::family_names()));
    o.raw(",\"given\":[");
    o.str(p.given);
    o.raw("],\"period\":{\"end\":\"");
    o.date_text(kToday - r.range(30, std::max<Days>(31, kToday - p.birth - 18 * kYear)));
    o.raw("\"}}");
  }
  o.ch(']');

  const auto& home = r.pick(codes::places());
  o.raw(",\"telecom\":[{\"system\":\"phone\",\"value\":\"");
  o.raw(home.area_code);
  o.raw("-555-01");
  o.padded(static_cast<std::int64_t>(r.below(100)), 2);
  o.raw("\",\"use\":\"home\"}");
  if (adult || p.age_group == Person::Age::child) {
    o.raw(",{\"system\":\"phone\",\"value\":\"");
    o.raw(home.area_code);
    o.raw("-555-01");
    o.padded(static_cast<std::int64_t>(r.below(100)), 2);
    o.raw("\",\"use\":\"mobile\"}");
  }
  if (adult) {
    o.raw(",{\"system\":\"email\",\"value\":\"");
    lower_into(o, p.given);
    o.ch('.');
    lower_into(o, p.family);
    o.ch('.');
    o.num(p.index + 1);
    o.raw("@example.com\",\"use\":\"home\"}");
  }
  o.ch(']');
  o.kv("gender", p.female ? "female" : "male");
  o.kdate("birthDate", p.birth);
  if (p.deceased) o.kdt("deceasedDateTime", p.death);

  // Addresses: the current one, and for some a previous one that ended when they moved.
  const bool moved = p.index % 4 == 1 || (adult && r.percent(15));
  const Days moved_on = moved ? std::max(p.birth + 1, kToday - r.range(200, 2500)) : p.birth;
  o.raw(",\"address\":[");
  home_address(o, p, "home");
  o.raw(",\"period\":{\"start\":\"");
  o.date_text(moved_on);
  o.raw("\"}}");
  if (moved) {
    o.ch(',');
    home_address(o, p, "old");
    o.raw(",\"period\":{\"end\":\"");
    o.date_text(moved_on);
    o.raw("\"}}");
  }
  o.ch(']');

  const auto langs = codes::languages();
  const auto& lang = r.percent(80) ? langs[0] : r.pick(langs);
  o.raw(",\"communication\":[{\"language\":");
  o.cc(codes::kBcp47, lang.code, lang.display);
  o.raw(",\"preferred\":true}],\"generalPractitioner\":[");
  o.ref("Practitioner", Gen::practitioner_id(p.gp));
  o.ch(']');
  o.kref("managingOrganization", "Organization", Gen::organization_id(p.org));
  o.ch('}');
  const Seconds recorded = p.encounters.empty() ? p.birth * kDay : p.encounters.front().start - 600;
  g.emit_with_provenance(Type::Patient, p.id, recorded, p.gp);
}

}  // namespace synth::detail
