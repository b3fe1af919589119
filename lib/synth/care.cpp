// Care planning: Goals, the patient's CareTeam (every CareTeam status shows up across patients)
// and an assess-plan CarePlan with its narrative, addressing the patient's conditions.
#include <array>
#include <string>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

constexpr std::array<std::string_view, 5> kCareTeamStatuses = {"proposed", "active", "suspended", "inactive",
                                                               "entered-in-error"};

void goals(Gen& g, Person& p, std::string& narrative) {
  Rng& r = p.rng;
  Out& o = g.out;
  const int n = p.age_group == Person::Age::adult   ? static_cast<int>(r.range(1, 2))
                : p.age_group == Person::Age::child ? static_cast<int>(r.range(0, 1))
                                                    : 0;
  const auto table = codes::goals();
  for (int k = 0; k < n; ++k) {
    const PlannedEncounter& e = p.encounters[r.below(p.encounters.size())];
    // Children: only the exercise and inhaler goals (indexes 3 and 5).
    const std::string_view text = p.age_group == Person::Age::adult ? table[r.below(table.size())]
                                                                     : table[r.percent(50) ? 3 : 5];
    const Id id = make_id(p.id, "goal", k + 1, 3);
    const int x = static_cast<int>(r.below(100));
    begin(g.out, "Goal", id, profile::kGoal);
    o.kv("lifecycleStatus", x < 70 ? "active" : x < 85 ? "completed" : x < 95 ? "proposed" : "on-hold");
    o.raw(",\"description\":{\"text\":");
    o.str(text);
    o.ch('}');
    subject(o, p);
    o.kdate("startDate", day_of(e.start));
    o.raw(",\"target\":[{");
    o.raw("\"dueDate\":\"");
    o.date_text(day_of(e.start) + r.range(90, 365));
    o.raw("\"}]");
    o.kref("expressedBy", "Practitioner", Gen::practitioner_id(e.practitioner));
    o.ch('}');
    g.emit_with_provenance(Type::Goal, id, e.start + 3000, e.practitioner);
    p.goals.push_back(id);
    narrative += " Goal: ";
    narrative += text;
    narrative += '.';
  }
}

void care_team(Gen& g, Person& p) {
  Rng& r = p.rng;
  Out& o = g.out;
  const auto specialties = codes::specialties();
  const std::string_view status = kCareTeamStatuses[static_cast<std::size_t>(p.index % 5)];
  const Seconds start = p.encounters.front().start;
  p.care_team = make_id(p.id, "ct", 1, 3);
  begin(o, "CareTeam", p.care_team, profile::kCareTeam);
  o.kv("status", status);
  o.raw(",\"name\":\"Primary care team\"");
  subject(o, p);
  o.kperiod("period", start, status == "inactive" ? p.last_seen() : -1);
  const auto& gp_role = specialties[static_cast<std::size_t>(p.gp) % specialties.size()];
  o.raw(",\"participant\":[{\"role\":[");
  o.cc(codes::kNucc, gp_role.code, gp_role.display);
  o.raw("],\"member\":");
  o.ref("Practitioner", Gen::practitioner_id(p.gp));
  o.raw("},{\"role\":[");
  o.cc(codes::kSnomed, "116154003", "Patient (person)");
  o.raw("],\"member\":");
  o.ref("Patient", p.id);
  o.ch('}');
  const std::int64_t other = g.practitioner_in(p.org, r);
  if (other != p.gp) {
    const auto& role = specialties[static_cast<std::size_t>(other) % specialties.size()];
    o.raw(",{\"role\":[");
    o.cc(codes::kNucc, role.code, role.display);
    o.raw("],\"member\":");
    o.ref("Practitioner", Gen::practitioner_id(other));
    o.ch('}');
  }
  o.raw("],\"managingOrganization\":[");
  o.ref("Organization", Gen::organization_id(p.org));
  o.raw("]}");
  g.emit_with_provenance(Type::CareTeam, p.care_team, start + 3600, p.gp);
}

void care_plan(Gen& g, Person& p, const std::string& goal_text) {
  Out& o = g.out;
  const PlannedEncounter& e = p.encounters.back();
  const bool active = !p.deceased;
  const Id id = make_id(p.id, "cp", 1, 3);
  std::string div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Assessment and plan for ";
  div += p.given;
  div += ' ';
  div += p.family;
  div += ". Status: ";
  div += active ? "active" : "completed";
  div += ".";
  div += goal_text;
  div += "</p></div>";
  begin(o, "CarePlan", id, profile::kCarePlan);
  o.raw(",\"text\":{\"status\":\"");
  o.raw(p.index % 2 == 0 ? "generated" : "additional");
  o.raw("\",\"div\":");
  o.str(div);
  o.ch('}');
  o.kv("status", active ? "active" : "completed");
  o.raw(",\"intent\":\"plan\",\"category\":[{\"coding\":[{\"system\":\"http://hl7.org/fhir/us/core/CodeSystem/"
        "careplan-category\",\"code\":\"assess-plan\",\"display\":\"Assessment and Plan of Treatment\"}]}]");
  o.raw(",\"title\":\"Assessment and plan of treatment\"");
  subject(o, p);
  encounter_ref(o, e);
  o.kperiod("period", e.start, active ? -1 : p.death);
  o.kdt("created", e.end);
  o.kref("author", "Practitioner", Gen::practitioner_id(e.practitioner));
  o.raw(",\"careTeam\":[");
  o.ref("CareTeam", p.care_team);
  o.ch(']');
  if (!p.conditions.empty()) {
    o.raw(",\"addresses\":[");
    for (std::size_t i = 0; i < p.conditions.size(); ++i) {
      if (i) o.ch(',');
      o.ref("Condition", p.conditions[i]);
    }
    o.ch(']');
  }
  if (!p.goals.empty()) {
    o.raw(",\"goal\":[");
    for (std::size_t i = 0; i < p.goals.size(); ++i) {
      if (i) o.ch(',');
      o.ref("Goal", p.goals[i]);
    }
    o.ch(']');
  }
  o.ch('}');
  g.emit_with_provenance(Type::CarePlan, id, e.end + 600, e.practitioner);
}

}  // namespace

void write_care(Gen& g, Person& p) {
  if (p.encounters.empty()) return;
  std::string goal_text;
  goals(g, p, goal_text);
  care_team(g, p);
  care_plan(g, p, goal_text);
}

}  // namespace synth::detail
