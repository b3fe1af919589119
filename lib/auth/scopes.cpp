#include "auth/scopes.hpp"

#include <algorithm>

#include "model/resource_types.hpp"

namespace auth {
namespace {

constexpr std::string_view kStandaloneOther[] = {"openid", "fhirUser", "profile", "launch/patient",
                                                 "offline_access", "online_access"};
constexpr std::string_view kKnownOther[] = {"openid",         "fhirUser",      "profile",
                                            "launch",         "launch/patient", "launch/encounter",
                                            "offline_access", "online_access"};
constexpr std::string_view kOperations[] = {"$export", "$bulkdata-status", "$docref"};

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r') ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

bool looks_like_resource_scope(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  const auto level = s.substr(0, slash);
  return level == "patient" || level == "user" || level == "system";
}

base::Error bad(std::string_view scope, std::string_view why) {
  return base::invalid("scope '" + std::string(scope) + "': " + std::string(why));
}

// Parses the v2 letters in cruds order; 0 on anything else.
std::uint8_t parse_v2_letters(std::string_view p) {
  constexpr std::pair<char, Op> order[] = {{'c', kCreate}, {'r', kRead}, {'u', kUpdate}, {'d', kRemove}, {'s', kSearch}};
  std::uint8_t ops = 0;
  std::size_t pos = 0;
  for (char ch : p) {
    while (pos < 5 && order[pos].first != ch) ++pos;
    if (pos == 5) return 0;
    ops |= order[pos].second;
    ++pos;
  }
  return ops;
}

base::Result<ResourceScope> parse_resource_scope(std::string_view s) {
  ResourceScope r;
  r.text = std::string(s);
  const auto slash = s.find('/');
  const auto level = s.substr(0, slash);
  r.level = level == "patient" ? Level::patient : level == "user" ? Level::user : Level::system;
  auto rest = s.substr(slash + 1);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos) return bad(s, "expected Type.permissions");
  const auto type = rest.substr(0, dot);
  const auto perm = rest.substr(dot + 1);
  if (type != "*" && type != "Document" && !model::is_resource_type(type)) return bad(s, "unknown resource type");
  r.type = std::string(type);
  if (!perm.empty() && perm[0] == '$') {
    if (std::find(std::begin(kOperations), std::end(kOperations), perm) == std::end(kOperations))
      return bad(s, "unknown operation");
    if (!query.empty()) return bad(s, "an operation scope takes no filter");
    r.operation = std::string(perm);
    return r;
  }
  bool v1 = true;
  if (perm == "read") r.ops = kRead | kSearch;
  else if (perm == "write") r.ops = kCreate | kUpdate | kRemove;
  else if (perm == "*") r.ops = kAllOps;
  else {
    v1 = false;
    r.ops = parse_v2_letters(perm);
    if (r.ops == 0) return bad(s, "permissions must be read, write, * or SMART v2 letters in cruds order");
  }
  if (!query.empty()) {
    if (v1) return bad(s, "SMART v1 scopes take no filter");
    std::size_t i = 0;
    while (i <= query.size()) {
      auto amp = query.find('&', i);
      if (amp == std::string_view::npos) amp = query.size();
      const auto item = query.substr(i, amp - i);
      const auto eq = item.find('=');
      if (item.empty() || eq == std::string_view::npos || eq == 0 || eq + 1 == item.size())
        return bad(s, "filters are param=value pairs joined by &");
      r.filters.emplace_back(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
      i = amp + 1;
    }
  }
  return r;
}

bool level_matches(Level granted, Level wanted) { return granted == wanted; }

}  // namespace

bool ScopeSet::has(std::string_view scope) const {
  return std::find(other.begin(), other.end(), scope) != other.end();
}

base::Result<ScopeSet> parse_scopes(std::string_view text) {
  ScopeSet set;
  for (auto s : split_spaces(text)) {
    if (looks_like_resource_scope(s) && s != "launch/patient" && s != "launch/encounter") {
      FHIR_TRY(auto r, parse_resource_scope(s));
      set.resources.push_back(std::move(r));
    } else {
      set.other.emplace_back(s);
    }
  }
  return set;
}

base::Status check_registration_scopes(std::string_view text) {
  const auto parts = split_spaces(text);
  if (parts.empty()) return base::invalid("scope is required: list every scope the app needs explicitly");
  FHIR_TRY(auto set, parse_scopes(text));
  for (const auto& r : set.resources) {
    if (r.operation.empty() && (r.type == "*" || r.text.find(".*") != std::string::npos))
      return bad(r.text, "wildcard scopes are not supported; request each resource type and permission explicitly");
  }
  for (const auto& o : set.other) {
    if (std::find(std::begin(kKnownOther), std::end(kKnownOther), o) == std::end(kKnownOther))
      return bad(o, "unknown scope");
  }
  return {};
}

bool is_patient_standalone(const ScopeSet& scopes) {
  for (const auto& r : scopes.resources)
    if (r.level != Level::patient) return false;
  for (const auto& o : scopes.other)
    if (std::find(std::begin(kStandaloneOther), std::end(kStandaloneOther), o) == std::end(kStandaloneOther))
      return false;
  return true;
}

std::string intersect_scopes(std::string_view requested, std::string_view allowed) {
  const auto ok = split_spaces(allowed);
  std::string out;
  std::vector<std::string_view> seen;
  for (auto s : split_spaces(requested)) {
    if (std::find(ok.begin(), ok.end(), s) == ok.end()) continue;
    if (std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
    seen.push_back(s);
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

Decision decide(const ScopeSet& scopes, std::string_view type, Op op) {
  Decision patient, wide;
  bool patient_unfiltered = false, wide_unfiltered = false;
  for (const auto& r : scopes.resources) {
    if (!r.operation.empty() || !(r.ops & op)) continue;
    if (r.type != type) continue;  // registration refuses type wildcards for cruds scopes
    const bool is_wide = r.level != Level::patient;
    Decision& d = is_wide ? wide : patient;
    bool& unfiltered = is_wide ? wide_unfiltered : patient_unfiltered;
    d.allowed = true;
    if (r.filters.empty()) unfiltered = true;
    else d.filters.push_back(r.filters);
  }
  if (wide.allowed) {
    if (wide_unfiltered) wide.filters.clear();
    return wide;
  }
  if (patient.allowed) {
    patient.patient_only = true;
    if (patient_unfiltered) patient.filters.clear();
  }
  return patient;
}

bool allows_operation(const ScopeSet& scopes, Level level, std::string_view type, std::string_view op) {
  for (const auto& r : scopes.resources) {
    if (r.operation != op || !level_matches(r.level, level)) continue;
    if (r.type == "*" || r.type == type) return true;
  }
  return false;
}

}  // namespace auth
