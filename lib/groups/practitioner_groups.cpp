#include "groups/practitioner_groups.hpp"

#include <nlohmann/json.hpp>
#include <vector>

#include "base/crypto.hpp"
#include "search/extract.hpp"

namespace groups {

std::string group_id_for(const std::string& practitioner_id) {
  if (practitioner_id.size() <= 60) return "pcp-" + practitioner_id;
  return "pcp-" + base::to_hex(base::sha256(practitioner_id)).substr(0, 40);
}

base::Result<std::unique_ptr<PractitionerGroups>> PractitionerGroups::create(const search::Registry& registry,
                                                                             const search::ParamIds& ids) {
  auto g = std::unique_ptr<PractitionerGroups>(new PractitionerGroups());
  auto id_of = [&](const char* type, const char* code) -> std::optional<std::int64_t> {
    const auto* p = registry.find(type, code);
    return p ? ids.id(*p) : std::nullopt;
  };
  auto gp = id_of("Patient", "general-practitioner");
  auto member = id_of("Group", "member");
  auto managing = id_of("Group", "managing-entity");
  if (!gp || !member || !managing) {
    return base::internal_error("search parameters for practitioner groups are missing from the registry");
  }
  g->general_practitioner_ = *gp;
  g->member_ = *member;
  g->managing_entity_ = *managing;
  return g;
}

namespace {

struct NamedPractitioners final : store::HookData {
  std::vector<std::string> ids;
};

// The practitioners a Patient names in generalPractitioner.
std::vector<std::string> general_practitioners(const base::Json& patient) {
  std::vector<std::string> out;
  if (auto gps = patient.find("generalPractitioner"); gps != patient.end() && gps->is_array()) {
    for (const auto& ref : *gps) {
      if (!ref.is_object() || !ref.contains("reference") || !ref["reference"].is_string()) continue;
      auto target = search::parse_reference(ref["reference"].get<std::string>());
      if (target && target->first == "Practitioner") out.push_back(target->second);
    }
  }
  return out;
}

}  // namespace

base::Status PractitionerGroups::note(sql::Connection&, const store::StoredResource& resource,
                                      const std::vector<std::string>& named) {
  if (resource.type == "Practitioner") {
    affected_.insert(resource.id);
    return {};
  }
  if (resource.type != "Patient") return {};
  // Practitioners whose Group lists this patient now (looked up in before_commit, when the index
  // is complete: bulk loads insert index rows late)...
  patients_.insert(resource.id);
  // ...and those it names as general practitioner after this write.
  affected_.insert(named.begin(), named.end());
  return {};
}

base::Status PractitionerGroups::on_write(sql::Connection& conn, std::int64_t, const store::StoredResource& resource,
                                          const base::Json* parsed) {
  return note(conn, resource,
              parsed && resource.type == "Patient" ? general_practitioners(*parsed) : std::vector<std::string>{});
}

std::unique_ptr<store::HookData> PractitionerGroups::prepare(const std::string& type, const std::string&,
                                                             const base::Json& stamped) const {
  if (type != "Patient") return nullptr;
  auto named = std::make_unique<NamedPractitioners>();
  named->ids = general_practitioners(stamped);
  return named;
}

base::Status PractitionerGroups::on_prepared_write(sql::Connection& conn, std::int64_t rid,
                                                   const store::StoredResource& resource,
                                                   const store::HookData* data) {
  if (resource.deleted) return on_write(conn, rid, resource, nullptr);
  if (resource.type != "Patient") return note(conn, resource, {});
  const auto* named = dynamic_cast<const NamedPractitioners*>(data);
  if (!named) return store::WriteHook::on_prepared_write(conn, rid, resource, data);
  return note(conn, resource, named->ids);
}

base::Status PractitionerGroups::refresh(store::WriteTx& tx, const std::string& practitioner_id) {
  const std::string gid = group_id_for(practitioner_id);
  auto current = tx.read("Group", gid);
  auto practitioner = tx.read("Practitioner", practitioner_id);
  if (!practitioner) {
    if (practitioner.error().code != base::ErrorCode::not_found && practitioner.error().code != base::ErrorCode::gone) {
      return std::move(practitioner).error();
    }
    if (current) {
      FHIR_TRY(auto removed, tx.remove("Group", gid));
      (void)removed;
    }
    return {};
  }
  std::vector<std::string> members;
  {
    sql::Query q(tx.connection(),
                 "SELECT r.id FROM idx_reference x JOIN resources r ON r.rid = x.rid AND r.deleted = 0 "
                 "AND r.type = 'Patient' WHERE x.param = ? AND x.target_type = 'Practitioner' AND x.target_id = ? "
                 "ORDER BY r.id");
    q.bind_all(general_practitioner_, practitioner_id);
    while (true) {
      FHIR_TRY(bool row, q.step());
      if (!row) break;
      members.push_back(q.string_at(0));
    }
  }
  std::string name = "Patients of Practitioner/" + practitioner_id;
  if (auto p = base::parse_json(practitioner->json); p && p->contains("name") && (*p)["name"].is_array() &&
                                                     !(*p)["name"].empty()) {
    const auto& n = (*p)["name"][0];
    std::string text = n.value("text", std::string());
    if (text.empty()) {
      for (const auto& g : n.value("given", base::Json::array())) {
        if (g.is_string()) text += g.get<std::string>() + " ";
      }
      text += n.value("family", std::string());
    }
    if (!text.empty()) name = "Patients of " + text;
  }
  base::Json group = base::Json::object();
  group["resourceType"] = "Group";
  group["id"] = gid;
  group["type"] = "person";
  group["actual"] = true;
  group["name"] = name;
  group["managingEntity"] = {{"reference", "Practitioner/" + practitioner_id}};
  group["quantity"] = members.size();
  base::Json list = base::Json::array();
  for (const auto& m : members) list.push_back({{"entity", {{"reference", "Patient/" + m}}}});
  if (!members.empty()) group["member"] = std::move(list);

  if (current) {
    // Skip no-op versions: compare everything but meta.
    if (auto old = base::parse_json(current->json)) {
      old->erase("meta");
      if (*old == group) return {};
    }
  }
  FHIR_TRY(auto written, tx.update("Group", gid, std::move(group)));
  (void)written;
  return {};
}

base::Status PractitionerGroups::before_commit(store::WriteTx& tx) {
  for (const auto& patient : patients_) {
    sql::Query q(tx.connection(),
                 "SELECT m.target_id FROM idx_reference x JOIN idx_reference m ON m.rid = x.rid AND m.param = ? "
                 "AND m.target_type = 'Practitioner' WHERE x.param = ? AND x.target_type = 'Patient' AND x.target_id = ?");
    q.bind_all(managing_entity_, member_, patient);
    while (true) {
      FHIR_TRY(bool row, q.step());
      if (!row) break;
      affected_.insert(q.string_at(0));
    }
  }
  patients_.clear();
  // Refreshing writes Groups, which run on_write again; they add nothing to affected_.
  const std::set<std::string> todo = std::move(affected_);
  affected_.clear();
  for (const auto& id : todo) FHIR_CHECK(refresh(tx, id));
  return {};
}

}  // namespace groups
