#include "search/registry.hpp"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "base/embedded.hpp"
#include "model/resource_types.hpp"

namespace search {
namespace {

constexpr std::string_view kParamsFile = "fhir/search-parameters.json";
constexpr std::string_view kCompartmentFile = "fhir/patient-compartment.json";
constexpr std::string_view kResource = "Resource";

// Heterogeneous key for index_ lookups, so that find() does not build two std::strings.
// Orders exactly like std::pair<std::string, std::string>.
struct TypeCode {
  std::string_view type;
  std::string_view code;

  using Key = std::pair<std::string, std::string>;
  friend bool operator<(const Key& a, const TypeCode& b) {
    if (a.first != b.type) return std::string_view(a.first) < b.type;
    return std::string_view(a.second) < b.code;
  }
  friend bool operator<(const TypeCode& a, const Key& b) {
    if (a.type != b.first) return a.type < std::string_view(b.first);
    return a.code < std::string_view(b.second);
  }
};

using Json = nlohmann::json;

// Error for a malformed definition file; `where` names the file and the entry.
base::Error bad(std::string_view file, const std::string& where, const std::string& what) {
  std::string m = "search registry: ";
  m += file;
  if (!where.empty()) m += ": " + where;
  m += ": " + what;
  return base::internal_error(std::move(m));
}

base::Result<Json> parse(std::string_view file, std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    auto pos = what.find("] ");
    return bad(file, "", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

// Optional string member; missing or null -> "". Returns false when present but not a string.
bool read_string(const Json& obj, const char* key, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

// Optional array of strings; missing or null -> empty.
bool read_strings(const Json& obj, const char* key, std::vector<std::string>& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_array()) return false;
  for (const auto& v : *it) {
    if (!v.is_string()) return false;
    out.push_back(v.get<std::string>());
  }
  return true;
}

bool known_type_text(std::string_view text) {
  return text == "special" || param_type_from(text) != ParamType::special;
}

// The terms of an expression's top-level union ("a | (b as X)" -> "a", "(b as X)"), trimmed.
std::vector<std::string_view> union_terms(std::string_view expression) {
  std::vector<std::string_view> terms;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= expression.size(); ++i) {
    const char ch = i < expression.size() ? expression[i] : '|';
    if (ch == '(') ++depth;
    if (ch == ')') --depth;
    if (ch != '|' || depth != 0) continue;
    std::string_view term = expression.substr(start, i - start);
    start = i + 1;
    while (!term.empty() && term.front() == ' ') term.remove_prefix(1);
    while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
    terms.push_back(term);
  }
  return terms;
}

// A term without the parentheses that enclose all of it: "(a as X)" -> "a as X".
std::string_view bare_term(std::string_view term) {
  while (term.size() >= 2 && term.front() == '(' && term.back() == ')') {
    int depth = 0;
    bool encloses = true;
    for (std::size_t i = 0; i + 1 < term.size(); ++i) {
      if (term[i] == '(') ++depth;
      if (term[i] == ')' && --depth == 0) {
        encloses = false;  // "(a) | (b)"-like: the first "(" closes before the end
        break;
      }
    }
    if (!encloses) break;
    term = term.substr(1, term.size() - 2);
    while (!term.empty() && term.front() == ' ') term.remove_prefix(1);
    while (!term.empty() && term.back() == ' ') term.remove_suffix(1);
  }
  return term;
}

// See SearchParam::stored_as. Only for value types (not references, whose parameters differ in
// their target filters, nor composites and specials, which have no rows).
void set_stored_as(std::vector<SearchParam>& params) {
  auto eligible = [](const SearchParam& p) {
    return !p.expression.empty() && p.type != ParamType::reference && p.type != ParamType::composite &&
           p.type != ParamType::special;
  };
  auto term_set = [](const SearchParam& p) {
    std::vector<std::string_view> out;
    for (auto t : union_terms(p.expression)) out.push_back(bare_term(t));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  std::map<std::pair<std::string_view, ParamType>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (eligible(params[i])) groups[{params[i].resource_type, params[i].type}].push_back(i);
  }
  for (const auto& [key, members] : groups) {
    for (std::size_t i : members) {
      const auto whole = term_set(params[i]);
      if (whole.size() < 2) continue;
      std::vector<std::string_view> covered;
      std::vector<const SearchParam*> parts;
      for (std::size_t j : members) {
        const auto part = term_set(params[j]);
        if (j == i || part.size() >= whole.size()) continue;
        if (!std::includes(whole.begin(), whole.end(), part.begin(), part.end())) continue;
        parts.push_back(&params[j]);
        covered.insert(covered.end(), part.begin(), part.end());
      }
      std::sort(covered.begin(), covered.end());
      covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
      if (covered == whole) params[i].stored_as = std::move(parts);
    }
  }
}

// See SearchParam::sole_target.
std::string sole_target(const SearchParam& p) {
  if (p.type != ParamType::reference) return {};
  static constexpr std::string_view kTail = ".where(resolve() is ";
  std::string found;
  for (std::string_view term : union_terms(p.expression)) {
    const auto at = term.rfind(kTail);
    if (at == std::string_view::npos || term.back() != ')') return p.targets.size() == 1 ? p.targets.front() : "";
    const std::string type(term.substr(at + kTail.size(), term.size() - 1 - at - kTail.size()));
    if (!model::is_resource_type(type) || (!found.empty() && found != type)) {
      return p.targets.size() == 1 ? p.targets.front() : "";
    }
    found = type;
  }
  if (!found.empty()) return found;
  return p.targets.size() == 1 ? p.targets.front() : "";
}

base::Result<SearchParam> read_param(const Json& item, std::size_t i) {
  const std::string where = "entry " + std::to_string(i);
  if (!item.is_object()) return bad(kParamsFile, where, "not an object");
  SearchParam p;
  std::string type;
  if (!read_string(item, "base", p.resource_type) || p.resource_type.empty()) {
    return bad(kParamsFile, where, "\"base\" is missing or not a string");
  }
  if (!read_string(item, "code", p.code) || p.code.empty()) {
    return bad(kParamsFile, where, "\"code\" is missing or not a string");
  }
  const std::string name = where + " (" + p.resource_type + " " + p.code + ")";
  if (!read_string(item, "type", type) || !known_type_text(type)) {
    return bad(kParamsFile, name, "\"type\" is missing or not a search parameter type");
  }
  p.type = param_type_from(type);
  if (!read_string(item, "expression", p.expression)) {
    return bad(kParamsFile, name, "\"expression\" is not a string");
  }
  if (!read_strings(item, "target", p.targets)) return bad(kParamsFile, name, "\"target\" is not an array of strings");
  p.sole_target = sole_target(p);
  if (!read_strings(item, "modifier", p.modifiers)) {
    return bad(kParamsFile, name, "\"modifier\" is not an array of strings");
  }
  if (!read_strings(item, "comparator", p.comparators)) {
    return bad(kParamsFile, name, "\"comparator\" is not an array of strings");
  }
  if (auto it = item.find("component"); it != item.end() && !it->is_null()) {
    if (!it->is_array()) return bad(kParamsFile, name, "\"component\" is not an array");
    for (const auto& c : *it) {
      Component comp;
      if (!c.is_object() || !read_string(c, "code", comp.code) || comp.code.empty() ||
          !read_string(c, "expression", comp.expression)) {
        return bad(kParamsFile, name, "a component lacks a string \"code\" or \"expression\"");
      }
      p.components.push_back(std::move(comp));
    }
  }
  if (!read_string(item, "url", p.url)) return bad(kParamsFile, name, "\"url\" is not a string");
  if (auto it = item.find("us_core"); it != item.end() && !it->is_null()) {
    if (!it->is_boolean()) return bad(kParamsFile, name, "\"us_core\" is not a boolean");
    p.us_core = it->get<bool>();
  }
  return p;
}

}  // namespace

ParamType param_type_from(std::string_view text) {
  if (text == "number") return ParamType::number;
  if (text == "date") return ParamType::date;
  if (text == "string") return ParamType::string;
  if (text == "token") return ParamType::token;
  if (text == "reference") return ParamType::reference;
  if (text == "composite") return ParamType::composite;
  if (text == "quantity") return ParamType::quantity;
  if (text == "uri") return ParamType::uri;
  return ParamType::special;
}

std::string_view to_string(ParamType t) {
  switch (t) {
    case ParamType::number: return "number";
    case ParamType::date: return "date";
    case ParamType::string: return "string";
    case ParamType::token: return "token";
    case ParamType::reference: return "reference";
    case ParamType::composite: return "composite";
    case ParamType::quantity: return "quantity";
    case ParamType::uri: return "uri";
    case ParamType::special: return "special";
  }
  return "special";
}

base::Result<std::shared_ptr<const Registry>> Registry::load(std::string_view params_json,
                                                             std::string_view compartment_json) {
  try {
    auto reg = std::make_shared<Registry>();

    FHIR_TRY(Json params, parse(kParamsFile, params_json));
    if (!params.is_array()) return bad(kParamsFile, "", "not a JSON array");
    reg->params_.reserve(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      FHIR_TRY(SearchParam p, read_param(params[i], i));
      auto key = std::make_pair(p.resource_type, p.code);
      if (!reg->index_.emplace(std::move(key), reg->params_.size()).second) {
        return bad(kParamsFile, "entry " + std::to_string(i),
                   "duplicate parameter " + p.resource_type + " " + p.code);
      }
      reg->params_.push_back(std::move(p));
    }
    set_stored_as(reg->params_);  // params_ is complete: the pointers it takes stay valid

    FHIR_TRY(Json compartment, parse(kCompartmentFile, compartment_json));
    if (!compartment.is_object()) return bad(kCompartmentFile, "", "not a JSON object");
    for (auto it = compartment.begin(); it != compartment.end(); ++it) {
      const std::string& type = it.key();
      const Json& codes = it.value();
      std::vector<std::string> list;
      if (!codes.is_array()) return bad(kCompartmentFile, type, "not an array of codes");
      for (const auto& c : codes) {
        if (!c.is_string()) return bad(kCompartmentFile, type, "not an array of codes");
        list.push_back(c.get<std::string>());
      }
      reg->compartment_.emplace(type, std::move(list));
    }
    return std::shared_ptr<const Registry>(std::move(reg));
  } catch (const std::exception& e) {
    // Defensive: nothing above should throw on well-typed input, but no exception may escape.
    return base::internal_error(std::string("search registry: ") + e.what());
  }
}

base::Result<std::shared_ptr<const Registry>> Registry::load_embedded() {
  // The embedded files never change while the process runs: parse them once.
  static const base::Result<std::shared_ptr<const Registry>> loaded =
      []() -> base::Result<std::shared_ptr<const Registry>> {
    auto params = base::embedded_file(kParamsFile);
    if (!params) return bad(kParamsFile, "", "not embedded in this binary");
    auto compartment = base::embedded_file(kCompartmentFile);
    if (!compartment) return bad(kCompartmentFile, "", "not embedded in this binary");
    return load(*params, *compartment);
  }();
  return loaded;
}

const SearchParam* Registry::find(std::string_view type, std::string_view code) const {
  if (auto it = index_.find(TypeCode{type, code}); it != index_.end()) return &params_[it->second];
  if (type != kResource) {
    if (auto it = index_.find(TypeCode{kResource, code}); it != index_.end()) return &params_[it->second];
  }
  return nullptr;
}

std::vector<const SearchParam*> Registry::for_type(std::string_view type) const {
  // index_ is ordered by (type, code): each type's entries are one run, sorted by code.
  auto run = [this](std::string_view t) {
    std::vector<const SearchParam*> out;
    for (auto it = index_.lower_bound(TypeCode{t, {}}); it != index_.end() && it->first.first == t; ++it) {
      out.push_back(&params_[it->second]);
    }
    return out;
  };
  std::vector<const SearchParam*> out = run(type);
  if (type == kResource) return out;
  const std::size_t specific = out.size();
  for (const SearchParam* p : run(kResource)) {
    const bool hidden = std::binary_search(
        out.begin(), out.begin() + static_cast<std::ptrdiff_t>(specific), p,
        [](const SearchParam* a, const SearchParam* b) { return a->code < b->code; });
    if (!hidden) out.push_back(p);
  }
  return out;
}

const std::vector<std::string>& Registry::patient_compartment(std::string_view type) const {
  static const std::vector<std::string> kNone;
  auto it = compartment_.find(type);
  return it == compartment_.end() ? kNone : it->second;
}

}  // namespace search
