// Medication requests (RxNorm): alternately with the medication coded inline and as a reference
// to a Medication resource written alongside. Statuses and intents are mostly the usual ones; each
// patient's first request takes one of all eight of each in turn, so every value appears.
#include <array>
#include <vector>

#include "synth/code_tables.hpp"
#include "synth/internal.hpp"

namespace synth::detail {
namespace {

constexpr std::array<std::string_view, 8> kStatuses = {"active",           "on-hold", "cancelled", "completed",
                                                       "entered-in-error", "stopped", "draft",     "unknown"};
constexpr std::array<std::string_view, 8> kIntents = {"proposal",     "plan",           "order",  "original-order",
                                                      "reflex-order", "filler-order", "instance-order", "option"};
// Medications fit for children and for infants (indexes into codes::medications()).
constexpr std::array<std::size_t, 5> kPediatric = {6, 7, 8, 9, 10};
constexpr std::array<std::size_t, 3> kInfant = {8, 9, 10};

}  // namespace

void write_medications(Gen& g, Person& p) {
  Rng& r = p.rng;
  Out& o = g.out;
  if (p.encounters.empty()) return;
  const auto meds = codes::medications();
  const bool adult = p.age_group == Person::Age::adult;
  const int n = adult ? static_cast<int>(r.range(2, 6)) : static_cast<int>(r.range(2, 3));
  for (int k = 0; k < n; ++k) {
    const PlannedEncounter& e = p.encounters[r.below(p.encounters.size())];
    const auto& med = adult ? r.pick(meds)
                      : p.age_group == Person::Age::child ? meds[kPediatric[r.below(kPediatric.size())]]
                                                          : meds[kInfant[r.below(kInfant.size())]];
    std::string_view status;
    std::string_view intent;
    if (k == 0) {
      status = kStatuses[static_cast<std::size_t>(p.index % 8)];
      intent = kIntents[static_cast<std::size_t>(p.index * 3 % 8)];
    } else {
      const int x = static_cast<int>(r.below(100));
      status = x < 60 ? "active" : x < 85 ? "completed" : x < 95 ? "stopped" : "on-hold";
      const int y = static_cast<int>(r.below(100));
      intent = y < 85 ? "order" : y < 95 ? "plan" : "proposal";
    }
    const Seconds authored = e.start + 2700;
    const bool referenced = k % 2 == 1;
    const Id med_id = make_id(p.id, "med", k + 1, 3);
    if (referenced) {
      begin(o, "Medication", med_id, profile::kMedication);
      o.kcc("code", codes::kRxNorm, med.rxnorm, med.display);
      o.raw(",\"status\":\"active\"}");
      g.emit_with_provenance(Type::Medication, med_id, authored, e.practitioner);
    }
    const Id id = make_id(p.id, "mrq", k + 1, 3);
    begin(o, "MedicationRequest", id, profile::kMedicationRequest);
    o.kv("status", status);
    o.kv("intent", intent);
    if (k == 1 && (p.index % 3 == 0 || r.percent(10))) o.raw(",\"reportedBoolean\":true");
    if (referenced) o.kref("medicationReference", "Medication", med_id);
    else o.kcc("medicationCodeableConcept", codes::kRxNorm, med.rxnorm, med.display);
    subject(o, p);
    encounter_ref(o, e);
    o.kdt("authoredOn", authored);
    o.kref("requester", "Practitioner", Gen::practitioner_id(e.practitioner));
    o.raw(",\"dosageInstruction\":[{\"text\":");
    o.str(med.sig);
    o.raw("}]}");
    g.emit_with_provenance(Type::MedicationRequest, id, authored, e.practitioner);
  }
}

}  // namespace synth::detail
