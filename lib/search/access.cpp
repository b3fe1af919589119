#include "search/access.hpp"

namespace search {
namespace {

// Types that also belong to a patient through a reference of their own: a Provenance through its
// targets (the compartment counts only a Provenance that targets the Patient itself), a Device
// through its patient (the R4 Patient compartment does not list Device).
constexpr std::pair<std::string_view, std::string_view> kVia[] = {{"Provenance", "target"}, {"Device", "patient"}};

base::Error forbidden(std::string message) { return base::make_error(base::ErrorCode::forbidden, std::move(message)); }

std::string describe(const std::vector<std::pair<std::string, std::string>>& filter) {
  std::string out;
  for (const auto& [k, v] : filter) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

}  // namespace

base::Result<Access> make_access(const Registry& registry, std::string_view patient, const std::vector<Grant>& grants,
                                 std::string_view base_url) {
  Access access;
  access.patient = std::string(patient);
  access.base_url = std::string(base_url);
  access.key = "P" + std::to_string(patient.size()) + ":" + std::string(patient);
  for (const Grant& g : grants) {
    TypeAccess t;
    if (g.patient_only) {
      if (patient.empty()) {
        return forbidden("The token's " + g.type + " scopes are patient-level, but the token has no patient context");
      }
      if (g.type == "Patient") {
        t.reach = Reach::patient_self;
      } else if (!registry.patient_compartment(g.type).empty()) {
        t.reach = g.type == "Group" ? Reach::compartment_sole : Reach::compartment;
      } else {
        t.reach = Reach::referenced;
      }
      for (const auto& [type, code] : kVia) {
        if (type != g.type) continue;
        if (const SearchParam* p = registry.find(type, code)) t.via.push_back(p);
      }
    }
    access.key += "|" + g.type + ":" + std::to_string(static_cast<int>(t.reach));
    for (const auto& filter : g.filters) {
      ParamList params(filter.begin(), filter.end());
      auto parsed = parse_search(registry, g.type, params, true, base_url);
      if (!parsed) {
        return forbidden("The scope filter " + g.type + "?" + describe(filter) +
                         " cannot be applied by this server: " + parsed.error().message);
      }
      const bool only_criteria = parsed->includes.empty() && parsed->revincludes.empty() && parsed->sort.empty() &&
                                 parsed->elements.empty() && parsed->cursor.empty() &&
                                 parsed->criteria.size() == filter.size();
      if (!only_criteria) {
        return forbidden("The scope filter " + g.type + "?" + describe(filter) +
                         " cannot be applied by this server: only search criteria can restrict a scope");
      }
      access.key += "?" + std::to_string(filter.size());
      for (const auto& [k, v] : filter) access.key += "&" + std::to_string(k.size()) + ":" + k + "=" + std::to_string(v.size()) + ":" + v;
      t.any_of.push_back(std::move(parsed->criteria));
    }
    access.types[g.type] = std::move(t);
  }
  return access;
}

}  // namespace search
