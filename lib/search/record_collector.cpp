#include "search/record_collector.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "model/fhirpath.hpp"
#include "search/extract.hpp"

namespace search {
namespace {

bool skipped(const RecordFilter& filter, std::string_view type) {
  return std::find(filter.skip_types.begin(), filter.skip_types.end(), type) != filter.skip_types.end();
}

base::Status check_filter(const RecordFilter& filter) {
  for (const auto& t : filter.skip_types) {
    if (t.empty() ||
        !std::all_of(t.begin(), t.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
      return base::invalid("not a resource type: " + t);
    }
  }
  return {};
}

}  // namespace

RecordCollector::~RecordCollector() = default;

base::Result<std::unique_ptr<RecordCollector>> RecordCollector::create(std::shared_ptr<const Registry> registry) {
  auto c = std::unique_ptr<RecordCollector>(new RecordCollector());
  c->registry_ = std::move(registry);
  return c;
}

// The parameters of `type` that place a resource in a record (compiled on first use): its
// patient-compartment parameters and the kRecordExtras.
const std::vector<RecordCollector::Param>& RecordCollector::params_for(const std::string& type) {
  auto it = params_.find(type);
  if (it != params_.end()) return it->second;
  std::vector<Param> params;
  const auto& compartment = registry_->patient_compartment(type);
  for (const SearchParam* p : registry_->for_type(type)) {
    if (p->type != ParamType::reference || p->expression.empty()) continue;
    bool member = std::find(compartment.begin(), compartment.end(), p->code) != compartment.end();
    for (const auto& [extra_type, extra_code] : kRecordExtras) {
      if (extra_type == type && extra_code == p->code) member = true;
    }
    if (!member) continue;
    auto expr = model::fhirpath::compile(p->expression);
    if (!expr) continue;  // the indexer skips it too (Indexer::skipped)
    params.push_back({*expr});
  }
  return params_.emplace(type, std::move(params)).first->second;
}

base::Status RecordCollector::add(const base::Json& resource) {
  if (!resource.is_object()) return base::invalid("not a JSON object");
  auto type_it = resource.find("resourceType");
  if (type_it == resource.end() || !type_it->is_string() || type_it->get_ref<const std::string&>().empty()) {
    return base::invalid("no resourceType");
  }
  auto id_it = resource.find("id");
  if (id_it == resource.end() || !id_it->is_string() || id_it->get_ref<const std::string&>().empty()) {
    return base::invalid("a " + type_it->get<std::string>() + " without an id");
  }
  Stored s;
  s.type = type_it->get<std::string>();
  s.id = id_it->get<std::string>();
  if (s.type == "Patient") s.patients.push_back(s.id);
  for (const auto& p : params_for(s.type)) {
    Extracted x;
    for (const auto& node : model::fhirpath::evaluate(*p.expr, resource)) extract(ParamType::reference, node, x);
    for (const auto& r : x.references) {
      // As the indexer: only relative references place a resource in a compartment.
      if (r.type == "Patient" && !r.id.empty() && r.url.empty()) s.patients.push_back(r.id);
    }
  }
  std::sort(s.patients.begin(), s.patients.end());
  s.patients.erase(std::unique(s.patients.begin(), s.patients.end()), s.patients.end());
  s.json = base::dump_compact(resource);
  // As patient_record: references found in the text.
  local_references(s.json, s.targets);
  std::sort(s.targets.begin(), s.targets.end());
  s.targets.erase(std::unique(s.targets.begin(), s.targets.end()), s.targets.end());

  auto key = std::make_pair(s.type, s.id);
  auto found = by_key_.find(key);
  if (found != by_key_.end()) {
    resources_[found->second] = Stored{};  // replaced: the new version goes last
    found->second = resources_.size();
  } else {
    if (s.type == "Patient") patient_order_.push_back(s.id);
    by_key_.emplace(std::move(key), resources_.size());
  }
  for (const auto& p : s.patients) members_[p].push_back(resources_.size());
  resources_.push_back(std::move(s));
  return {};
}

std::vector<std::string> RecordCollector::patient_ids() const { return patient_order_; }

base::Result<std::vector<std::string>> RecordCollector::record(std::string_view patient_id,
                                                               const RecordFilter& filter) const {
  FHIR_CHECK(check_filter(filter));
  auto patient = by_key_.find(std::make_pair(std::string("Patient"), std::string(patient_id)));
  if (patient == by_key_.end()) return base::not_found("no Patient with id " + std::string(patient_id));
  std::vector<std::string> out;
  out.push_back(resources_[patient->second].json);
  std::set<std::pair<std::string, std::string>> targets;
  auto add_targets = [&](const Stored& s) { targets.insert(s.targets.begin(), s.targets.end()); };
  add_targets(resources_[patient->second]);
  auto members = members_.find(patient_id);
  if (members != members_.end()) {
    for (std::size_t i : members->second) {
      const auto& s = resources_[i];
      // Slots of replaced resources are empty; their current version has its own slot.
      if (s.type.empty() || i == patient->second || skipped(filter, s.type)) continue;
      out.push_back(s.json);
      add_targets(s);
    }
  }
  // Referenced resources in the order added, as the store returns them in storage order.
  std::vector<std::size_t> referenced;
  for (const auto& t : targets) {
    auto it = by_key_.find(t);
    if (it != by_key_.end()) referenced.push_back(it->second);
  }
  std::sort(referenced.begin(), referenced.end());
  for (auto i : referenced) out.push_back(resources_[i].json);
  return out;
}

}  // namespace search
