#include "model/resource_validator.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded.hpp"
#include "base/fhir_time.hpp"
#include "model/resource_types.hpp"

namespace model {
namespace {

// The element-type table (share/fhir/element-types.json, written by scripts/gen_fhir_share.py):
//   {"resources": {type: table}, "datatypes": {type: table}}
// A table maps a JSON property to a type name ("date", "dateTime", "instant", "time" or a datatype
// under "datatypes") or to a nested table (a backbone element). "Resource" is the table for
// resource types US Core does not profile. Loaded once; read-only afterwards, so shared freely.
struct ElementTypes {
  nlohmann::json table;
  const nlohmann::json* resources = nullptr;
  const nlohmann::json* datatypes = nullptr;
  const nlohmann::json* extension = nullptr;  // datatypes.Extension
  const nlohmann::json* fallback = nullptr;   // resources.Resource
};

const ElementTypes* element_types() {
  static const ElementTypes* const types = []() -> const ElementTypes* {
    auto bytes = base::embedded_file("fhir/element-types.json");
    if (!bytes) return nullptr;
    static ElementTypes t;
    t.table = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
    if (!t.table.is_object() || !t.table.contains("resources") || !t.table.contains("datatypes")) {
      return nullptr;
    }
    t.resources = &t.table["resources"];
    t.datatypes = &t.table["datatypes"];
    auto ext = t.datatypes->find("Extension");
    auto res = t.resources->find("Resource");
    if (ext == t.datatypes->end() || res == t.resources->end()) return nullptr;
    t.extension = &*ext;
    t.fallback = &*res;
    return &t;
  }();
  return types;
}

// Nesting deeper than this (extensions in extensions, Bundles in Bundles, ...) is refused rather
// than followed, so that a hostile body cannot exhaust the stack.
constexpr int kMaxDepth = 64;
// A body with thousands of bad values gets the first ones reported, not a giant outcome.
constexpr std::size_t kMaxIssues = 100;

const char* json_kind(const base::Json& v) {
  switch (v.type()) {
    case base::Json::value_t::null: return "null";
    case base::Json::value_t::boolean: return "a boolean";
    case base::Json::value_t::number_integer:
    case base::Json::value_t::number_unsigned:
    case base::Json::value_t::number_float: return "a number";
    case base::Json::value_t::object: return "an object";
    case base::Json::value_t::array: return "an array";
    case base::Json::value_t::string: return "a string";
    default: return "not a JSON value";
  }
}

bool is_date_like(std::string_view type) {
  return type == "date" || type == "dateTime" || type == "instant" || type == "time";
}

// Walks one resource (and the resources nested in it) against the element-type table,
// collecting an Issue for every problem.
class Walker {
 public:
  explicit Walker(const ElementTypes& types) : types_(types) {}

  std::vector<base::Issue>& issues() { return issues_; }
  bool truncated() const { return truncated_; }

  // `path` is the FHIRPath of the resource itself: "" at the top, else e.g. "Bundle.entry[0].resource".
  void resource(const base::Json& r, const std::string& path, int depth) {
    if (!r.is_object()) {
      add("structure", path.empty() ? "The resource is not a JSON object"
                                    : path + " is not a JSON object", path);
      return;
    }
    auto rt = r.find("resourceType");
    if (rt == r.end()) {
      add("structure", "The resource has no \"resourceType\" element", path);
      return;
    }
    if (!rt->is_string()) {
      add("structure", std::string("\"resourceType\" must be a string, not ") + json_kind(*rt), path);
      return;
    }
    const std::string& type = rt->get_ref<const std::string&>();
    if (!is_resource_type(type)) {
      add("value", "\"" + type + "\" is not an R4 resource type", path);
      return;
    }
    const std::string prefix = path.empty() ? type : path;
    if (auto id = r.find("id"); id != r.end()) {
      if (!id->is_string()) {
        add("structure", prefix + ".id must be a string, not " + json_kind(*id), prefix + ".id");
      } else if (!is_valid_id(id->get_ref<const std::string&>())) {
        add("value",
            "\"" + id->get<std::string>() +
                "\" is not a valid id (expected 1 to 64 of A-Z, a-z, 0-9, '-' and '.')",
            prefix + ".id");
      }
    }
    auto table = types_.resources->find(type);
    const nlohmann::json& t = table != types_.resources->end() ? *table : *types_.fallback;
    object(r, t, prefix, type == "Bundle" ? Scope::bundle : Scope::resource, depth);
  }

 private:
  // Where an object sits, for the elements that hold resources.
  enum class Scope { element, resource, bundle, bundle_entry };

  void add(const char* code, std::string diagnostics, std::string expression) {
    if (issues_.size() >= kMaxIssues) {
      truncated_ = true;
      return;
    }
    base::Issue issue;
    issue.code = code;
    issue.diagnostics = std::move(diagnostics);
    issue.expression = std::move(expression);
    issues_.push_back(std::move(issue));
  }

  // Checks every member of `obj` that `table` knows, plus extensions, primitive companions
  // ("_birthDate") and nested resources.
  void object(const base::Json& obj, const nlohmann::json& table, const std::string& path,
              Scope scope, int depth) {
    if (depth > kMaxDepth) {
      add("structure", path + " is nested too deeply (more than " + std::to_string(kMaxDepth) +
                           " levels)", path);
      return;
    }
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      const base::Json& value = *it;
      if (key == "extension" || key == "modifierExtension") {
        each(value, path + "." + key, [&](const base::Json& item, const std::string& p) {
          complex(item, *types_.extension, p, "Extension", depth + 1);
        });
      } else if (key.size() > 1 && key[0] == '_') {
        // Extensions and ids of primitives: "_birthDate": {"extension": [...]}, arrays aligned
        // with the primitive array ("_given": [null, {...}]).
        each(value, path + "." + key.substr(1), [&](const base::Json& item, const std::string& p) {
          complex(item, nlohmann::json::object(), p, "Element", depth + 1);
        });
      } else if (key == "contained" && (scope == Scope::resource || scope == Scope::bundle)) {
        each(value, path + ".contained", [&](const base::Json& item, const std::string& p) {
          resource(item, p, depth + 1);
        });
      } else if (key == "resource" && scope == Scope::bundle_entry) {
        resource(value, path + ".resource", depth + 1);
      } else if (key == "entry" && scope == Scope::bundle) {
        auto entry = table.find("entry");
        const nlohmann::json& entry_table = entry != table.end() ? *entry : empty_;
        each(value, path + ".entry", [&](const base::Json& item, const std::string& p) {
          if (!item.is_object()) return expect_object(item, p, "BackboneElement");
          object(item, entry_table, p, Scope::bundle_entry, depth + 1);
        });
      } else if (auto type = table.find(key); type != table.end()) {
        typed(value, *type, path + "." + key, depth + 1);
      }
    }
  }

  // A member of known type: a type name or a nested (backbone) table; arrays checked per item.
  void typed(const base::Json& value, const nlohmann::json& type, const std::string& path,
             int depth) {
    each(value, path, [&](const base::Json& item, const std::string& p) {
      if (type.is_object()) return complex(item, type, p, "BackboneElement", depth);
      const std::string& name = type.get_ref<const std::string&>();
      if (is_date_like(name)) return primitive(item, name, p);
      auto dt = types_.datatypes->find(name);
      if (dt != types_.datatypes->end()) complex(item, *dt, p, name.c_str(), depth);
    });
  }

  void complex(const base::Json& item, const nlohmann::json& table, const std::string& path,
               const char* type, int depth) {
    if (!item.is_object()) return expect_object(item, path, type);
    object(item, table, path, Scope::element, depth);
  }

  void expect_object(const base::Json& item, const std::string& path, const char* type) {
    add("structure", path + " must be an object (" + type + "), not " + json_kind(item), path);
  }

  void primitive(const base::Json& item, const std::string& type, const std::string& path) {
    if (!item.is_string()) {
      add("structure",
          path + " must be a string holding a FHIR " + type + ", not " + json_kind(item), path);
      return;
    }
    const std::string& s = item.get_ref<const std::string&>();
    base::Status ok;
    if (type == "date") {
      ok = check(base::parse_date(s));
    } else if (type == "dateTime") {
      ok = check(base::parse_date_time(s));
    } else if (type == "instant") {
      ok = check(base::parse_instant(s));
    } else {
      ok = check(base::parse_time(s));
    }
    if (!ok) add("value", ok.error().message, path);
  }

  template <class T>
  static base::Status check(const base::Result<T>& r) {
    if (r.ok()) return {};
    return r.error();
  }

  // Calls f(item, path) for a single value, or f(item, path[i]) for each item of an array.
  // Nulls inside arrays are FHIR's placeholders for absent primitives and are skipped.
  template <class F>
  void each(const base::Json& value, const std::string& path, F&& f) {
    if (!value.is_array()) return f(value, path);
    std::size_t i = 0;
    for (const auto& item : value) {
      if (!item.is_null()) f(item, path + "[" + std::to_string(i) + "]");
      ++i;
    }
  }

  const ElementTypes& types_;
  const nlohmann::json empty_ = nlohmann::json::object();
  std::vector<base::Issue> issues_;
  bool truncated_ = false;
};

}  // namespace

base::Status validate_resource(const base::Json& resource) {
  const ElementTypes* types = element_types();
  if (types == nullptr) {
    return base::internal_error("The element-type table (fhir/element-types.json) is not embedded "
                                "or not valid");
  }
  Walker walker(*types);
  walker.resource(resource, "", 0);
  auto& issues = walker.issues();
  if (issues.empty()) return {};

  std::string message = "The resource is not valid: " + issues.front().diagnostics;
  if (issues.size() > 1) {
    message += " (and " + std::to_string(issues.size() - 1) +
               (walker.truncated() ? " more problems, at least)" : " more problems)");
  }
  if (walker.truncated()) {
    base::Issue more;
    more.severity = "information";
    more.code = "too-costly";
    more.diagnostics = "Only the first " + std::to_string(kMaxIssues) + " problems are listed";
    issues.push_back(std::move(more));
  }
  base::Error error = base::invalid(std::move(message));
  error.issues = std::move(issues);
  return error;
}

}  // namespace model
