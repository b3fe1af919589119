// FHIRPath subset: evaluation (evaluate()) and the FHIR type tables. Parsing is in
// fhirpath_parser.cpp.
//
// Evaluation streams: every node pushes its items to a sink, one at a time, and a sink returning
// false stops the enumeration (first(), [n], exists() stop early). Only `=`/`!=` and `|` buffer
// items, in small inline buffers, so evaluating an indexing expression allocates nothing but the
// result vector in the common case.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/fhirpath.hpp"
#include "model/fhirpath_ast.hpp"
#include "model/resource_types.hpp"

namespace model::fhirpath {

namespace detail {
namespace {

struct ChoiceType {
  std::string_view suffix;  // as written after the element name
  std::string_view name;    // the FHIR type name
};

// Every R4 data type a choice element ([x]) can take: the open type list of Extension.value[x].
constexpr ChoiceType kChoiceTypes[] = {
    {"Base64Binary", "base64Binary"}, {"Boolean", "boolean"}, {"Canonical", "canonical"},
    {"Code", "code"}, {"Date", "date"}, {"DateTime", "dateTime"}, {"Decimal", "decimal"},
    {"Id", "id"}, {"Instant", "instant"}, {"Integer", "integer"}, {"Markdown", "markdown"},
    {"Oid", "oid"}, {"PositiveInt", "positiveInt"}, {"String", "string"}, {"Time", "time"},
    {"UnsignedInt", "unsignedInt"}, {"Uri", "uri"}, {"Url", "url"}, {"Uuid", "uuid"},
    {"Address", "Address"}, {"Age", "Age"}, {"Annotation", "Annotation"},
    {"Attachment", "Attachment"}, {"CodeableConcept", "CodeableConcept"}, {"Coding", "Coding"},
    {"ContactPoint", "ContactPoint"}, {"Count", "Count"}, {"Distance", "Distance"},
    {"Duration", "Duration"}, {"HumanName", "HumanName"}, {"Identifier", "Identifier"},
    {"Money", "Money"}, {"Period", "Period"}, {"Quantity", "Quantity"}, {"Range", "Range"},
    {"Ratio", "Ratio"}, {"Reference", "Reference"}, {"SampledData", "SampledData"},
    {"Signature", "Signature"}, {"Timing", "Timing"}, {"ContactDetail", "ContactDetail"},
    {"Contributor", "Contributor"}, {"DataRequirement", "DataRequirement"},
    {"Expression", "Expression"}, {"ParameterDefinition", "ParameterDefinition"},
    {"RelatedArtifact", "RelatedArtifact"}, {"TriggerDefinition", "TriggerDefinition"},
    {"UsageContext", "UsageContext"}, {"Dosage", "Dosage"}, {"Meta", "Meta"},
};

// Specialisations in the R4 type hierarchy: {type, its base}.
constexpr std::pair<std::string_view, std::string_view> kSubtypes[] = {
    {"code", "string"},        {"id", "string"},          {"markdown", "string"},
    {"url", "uri"},            {"canonical", "uri"},      {"oid", "uri"},
    {"uuid", "uri"},           {"positiveInt", "integer"}, {"unsignedInt", "integer"},
    {"Age", "Quantity"},       {"Count", "Quantity"},     {"Distance", "Quantity"},
    {"Duration", "Quantity"},  {"MoneyQuantity", "Quantity"}, {"SimpleQuantity", "Quantity"},
};

}  // namespace

std::string_view choice_type(std::string_view suffix) {
  for (const auto& t : kChoiceTypes) {
    if (t.suffix == suffix) return t.name;
  }
  return {};
}

bool is_primitive_type(std::string_view name) {
  for (const auto& t : kChoiceTypes) {
    if (t.name == name) return name[0] >= 'a' && name[0] <= 'z';
  }
  return false;
}

}  // namespace detail

namespace {

using base::Json;
using detail::Ast;
using detail::Kind;

// One item of a collection during evaluation. `ref` marks the result of resolve() on a reference
// we cannot load: `value` is the Reference (or canonical string) and `type` the resource type its
// text names. Such items only answer `is`/`as`; they select nothing and never reach the caller.
struct Item {
  const Json* value = nullptr;
  std::string_view type;
  bool ref = false;
};

// A non-owning reference to a callable (no allocation, unlike std::function).
class Sink {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::remove_cvref_t<F>, Sink>>>
  Sink(F&& f)  // NOLINT(implicit)
      : obj_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* o, const Item& it) { return (*static_cast<std::remove_reference_t<F>*>(o))(it); }) {}
  bool operator()(const Item& it) const { return call_(obj_, it); }

 private:
  void* obj_;
  bool (*call_)(void*, const Item&);
};

// Items buffered for `=`/`!=`: inline up to 8, then on the heap.
class ItemBuffer {
 public:
  void push(const Item& it) {
    if (size_ < inline_.size()) inline_[size_] = it;
    else heap_.push_back(it);
    ++size_;
  }
  std::size_t size() const { return size_; }
  const Item& operator[](std::size_t i) const { return i < inline_.size() ? inline_[i] : heap_[i - inline_.size()]; }

 private:
  std::array<Item, 8> inline_{};
  std::vector<Item> heap_;
  std::size_t size_ = 0;
};

// Pointer identity for `|`: linear scan while small, a hash set beyond that.
class SeenSet {
 public:
  bool insert(const Item& it) {  // false when already present
    const auto key = reinterpret_cast<std::uintptr_t>(it.value) * 2 + (it.ref ? 1 : 0);
    if (!big_.empty()) return big_.insert(key).second;
    for (std::size_t i = 0; i < size_; ++i) {
      if (small_[i] == key) return false;
    }
    if (size_ < small_.size()) {
      small_[size_++] = key;
      return true;
    }
    big_.insert(small_.begin(), small_.end());
    return big_.insert(key).second;
  }

 private:
  std::array<std::uintptr_t, 32> small_{};
  std::size_t size_ = 0;
  std::unordered_set<std::uintptr_t> big_;
};

enum class Tri { empty, no, yes };

const Json& json_bool(bool b) {
  static const Json kTrue(true);
  static const Json kFalse(false);
  return b ? kTrue : kFalse;
}

bool emit_bool(const Sink& out, bool b) { return out(Item{&json_bool(b), {}, false}); }

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

std::string_view string_of(const Json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

// Emits `v` (each element when it is an array; nulls skipped).
bool emit_value(const Json& v, std::string_view type, const Sink& out) {
  if (v.is_array()) {
    for (const Json& e : v.get_ref<const Json::array_t&>()) {
      if (!e.is_null() && !out(Item{&e, type, false})) return false;
    }
    return true;
  }
  if (v.is_null()) return true;
  return out(Item{&v, type, false});
}

// The member `name` of an object item; when absent, its choice variants (value -> valueQuantity).
bool member(const Item& in, const std::string& name, const Sink& out) {
  if (in.ref || !in.value->is_object()) return true;
  const auto& obj = in.value->get_ref<const Json::object_t&>();
  for (const auto& [key, v] : obj) {
    if (key == name) return emit_value(v, {}, out);
  }
  for (const auto& [key, v] : obj) {
    if (key.size() <= name.size() || !is_upper(key[name.size()]) || key.compare(0, name.size(), name) != 0) continue;
    const std::string_view type = detail::choice_type(std::string_view(key).substr(name.size()));
    if (!type.empty() && !emit_value(v, type, out)) return false;
  }
  return true;
}

bool is_any_resource_type(std::string_view t) { return t == "Resource" || t == "DomainResource"; }

// A resource (an object with a resourceType) of type `t`.
bool is_resource_of(const Json& v, std::string_view t) {
  const std::string_view rt = string_of(v, "resourceType");
  return !rt.empty() && (rt == t || is_any_resource_type(t));
}

bool is_subtype(std::string_view type, std::string_view base) {
  for (const auto& [sub, super] : detail::kSubtypes) {
    if (sub == type && super == base) return true;
  }
  return false;
}

// Whether `it` is of type `t` (or a specialisation). Without a known type, infer from the JSON,
// leniently: a string may be any string-valued primitive, an object any complex type.
bool type_matches(const Item& it, std::string_view t) {
  if (it.ref) return it.type == t || is_any_resource_type(t);
  if (!it.type.empty()) return it.type == t || is_subtype(it.type, t);
  const Json& v = *it.value;
  switch (v.type()) {
    case Json::value_t::object:
      if (v.contains("resourceType")) return is_resource_of(v, t);
      return is_upper(t[0]) && !is_any_resource_type(t) && !model::is_resource_type(t);
    case Json::value_t::string:
      return detail::is_primitive_type(t) && t != "boolean" && t != "integer" && t != "decimal" &&
             t != "positiveInt" && t != "unsignedInt";
    case Json::value_t::boolean:
      return t == "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return t == "integer" || t == "decimal" || t == "positiveInt" || t == "unsignedInt";
    case Json::value_t::number_float:
      return t == "decimal";
    default:
      return false;
  }
}

// The resource type a reference names: "Patient/1", "Patient/1/_history/2",
// "http://x/fhir/Patient/1"; empty when it names none (urn:uuid:..., "#contained", junk).
std::string_view type_of_reference(std::string_view ref) {
  if (auto q = ref.find_first_of("?#"); q != std::string_view::npos) ref = ref.substr(0, q);
  if (auto h = ref.find("/_history/"); h != std::string_view::npos) ref = ref.substr(0, h);
  const auto slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  const auto before = ref.substr(0, slash);
  const auto start = before.rfind('/');
  const auto type = start == std::string_view::npos ? before : before.substr(start + 1);
  return model::is_resource_type(type) ? type : std::string_view();
}

struct Ctx {
  const Json* root;
};

bool eval(const Ctx& c, const Ast& n, const Item& focus, const Sink& out);

// resolve(): a contained resource (#id) for real; otherwise a `ref` item carrying the type the
// reference text names (or, failing that, Reference.type).
bool resolve(const Ctx& c, const Item& it, const Sink& out) {
  if (it.ref) return true;
  std::string_view text;
  std::string_view declared;
  if (it.value->is_string()) {
    text = it.value->get_ref<const std::string&>();
  } else if (it.value->is_object()) {
    text = string_of(*it.value, "reference");
    declared = string_of(*it.value, "type");
  } else {
    return true;
  }
  if (!text.empty() && text[0] == '#') {
    if (text.size() == 1) return out(Item{c.root, {}, false});
    auto contained = c.root->is_object() ? c.root->find("contained") : c.root->end();
    if (contained == c.root->end() || !contained->is_array()) return true;
    for (const Json& r : *contained) {
      if (string_of(r, "id") == text.substr(1)) return out(Item{&r, {}, false});
    }
    return true;
  }
  std::string_view type = type_of_reference(text);
  if (type.empty() && !declared.empty()) {
    declared = declared.substr(declared.rfind('/') + 1);  // "Patient" or ".../StructureDefinition/Patient"
    if (model::is_resource_type(declared)) type = declared;
  }
  if (type.empty()) return true;
  return out(Item{it.value, type, true});
}

// Evaluates the node's input (its `input` child, or the focus itself when it has none).
bool each_input(const Ctx& c, const Ast& n, const Item& focus, const Sink& f) {
  if (!n.input) return f(focus);
  return eval(c, *n.input, focus, f);
}

// The first item of a collection and how many there are (counting stops at 2).
struct Singleton {
  Item first;
  int count = 0;
};

Singleton singleton(const Ctx& c, const Ast* e, const Item& focus) {
  Singleton s;
  auto sink = [&](const Item& it) {
    if (s.count++ == 0) s.first = it;
    return s.count < 2;
  };
  if (!e) sink(focus);
  else eval(c, *e, focus, sink);
  return s;
}

// FHIRPath singleton evaluation as a boolean: {} -> empty, {true}/{false} -> itself, any other
// single item -> true, more than one item -> empty (an error in FHIRPath; here: unknown).
Tri truth(const Singleton& s) {
  if (s.count != 1) return Tri::empty;
  if (s.first.value->is_boolean() && !s.first.ref) return s.first.value->get<bool>() ? Tri::yes : Tri::no;
  return Tri::yes;
}

Tri truth(const Ctx& c, const Ast& e, const Item& focus) { return truth(singleton(c, &e, focus)); }

bool emit_tri(const Sink& out, Tri t) { return t == Tri::empty || emit_bool(out, t == Tri::yes); }

bool json_equal(const Json& a, const Json& b, int depth) {
  if (depth > 64) return false;
  if (a.is_number() && b.is_number()) {
    if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
    if (a.is_number_unsigned() && b.is_number_unsigned()) return a.get<std::uint64_t>() == b.get<std::uint64_t>();
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      const Json& s = a.is_number_unsigned() ? b : a;
      const Json& u = a.is_number_unsigned() ? a : b;
      return s.get<std::int64_t>() >= 0 && static_cast<std::uint64_t>(s.get<std::int64_t>()) == u.get<std::uint64_t>();
    }
    return a.get<std::int64_t>() == b.get<std::int64_t>();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::string: return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    case Json::value_t::boolean: return a.get<bool>() == b.get<bool>();
    case Json::value_t::array: {
      const auto& x = a.get_ref<const Json::array_t&>();
      const auto& y = b.get_ref<const Json::array_t&>();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!json_equal(x[i], y[i], depth + 1)) return false;
      }
      return true;
    }
    case Json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (const auto& [key, v] : a.get_ref<const Json::object_t&>()) {
        auto other = b.find(key);
        if (other == b.end() || !json_equal(v, *other, depth + 1)) return false;
      }
      return true;
    }
    default: return true;  // null
  }
}

bool items_equal(const Item& a, const Item& b) {
  if (a.ref || b.ref) return a.ref && b.ref && a.value == b.value;
  return json_equal(*a.value, *b.value, 0);
}

// `=`: {} when either side is empty, otherwise same size and pairwise equal, in order.
Tri equals(const Ctx& c, const Ast& n, const Item& focus) {
  ItemBuffer left;
  each_input(c, n, focus, [&](const Item& it) { left.push(it); return true; });
  if (left.size() == 0) return Tri::empty;
  std::size_t i = 0;
  bool same = true;
  eval(c, *n.arg, focus, [&](const Item& it) {
    if (i >= left.size() || !items_equal(left[i], it)) same = false;
    ++i;
    return true;
  });
  if (i == 0) return Tri::empty;
  return same && i == left.size() ? Tri::yes : Tri::no;
}

Tri logic(Kind kind, Tri a, Tri b) {
  switch (kind) {
    case Kind::and_:
      if (a == Tri::no || b == Tri::no) return Tri::no;
      return a == Tri::yes && b == Tri::yes ? Tri::yes : Tri::empty;
    case Kind::or_:
      if (a == Tri::yes || b == Tri::yes) return Tri::yes;
      return a == Tri::no && b == Tri::no ? Tri::no : Tri::empty;
    default:  // xor
      if (a == Tri::empty || b == Tri::empty) return Tri::empty;
      return a != b ? Tri::yes : Tri::no;
  }
}

// `a | b | c` parses as `(a | b) | c`: walk the left spine so the whole chain shares one SeenSet.
bool union_operands(const Ctx& c, const Ast& n, const Item& focus, const Sink& out) {
  if (n.kind != Kind::union_) return eval(c, n, focus, out);
  return union_operands(c, *n.input, focus, out) && eval(c, *n.arg, focus, out);
}

bool eval(const Ctx& c, const Ast& n, const Item& focus, const Sink& out) {
  switch (n.kind) {
    case Kind::this_:
      return out(focus);
    case Kind::literal:
      return out(Item{&n.literal, {}, false});
    case Kind::empty:
      return true;
    case Kind::type_filter:
      if (focus.ref || !is_resource_of(*focus.value, n.name)) return true;
      return out(focus);
    case Kind::member:
      return each_input(c, n, focus, [&](const Item& it) { return member(it, n.name, out); });
    case Kind::index:
    case Kind::first: {
      const std::size_t want = n.kind == Kind::index ? n.index : 0;
      std::size_t i = 0;
      bool more = true;
      each_input(c, n, focus, [&](const Item& it) {
        if (i++ != want) return true;
        more = out(it);
        return false;
      });
      return more;
    }
    case Kind::last: {
      Item last;
      bool any = false;
      each_input(c, n, focus, [&](const Item& it) {
        last = it;
        any = true;
        return true;
      });
      return !any || out(last);
    }
    case Kind::where:
      return each_input(c, n, focus, [&](const Item& it) {
        return truth(c, *n.arg, it) != Tri::yes || out(it);
      });
    case Kind::exists:
    case Kind::empty_fn: {
      bool found = false;
      each_input(c, n, focus, [&](const Item& it) {
        found = !n.arg || truth(c, *n.arg, it) == Tri::yes;
        return !found;
      });
      return emit_bool(out, n.kind == Kind::exists ? found : !found);
    }
    case Kind::not_fn: {
      const Tri t = truth(singleton(c, n.input.get(), focus));
      return emit_tri(out, t == Tri::empty ? t : (t == Tri::yes ? Tri::no : Tri::yes));
    }
    case Kind::has_value: {
      const Singleton s = singleton(c, n.input.get(), focus);
      return emit_bool(out, s.count == 1 && !s.first.ref && s.first.value->is_primitive() &&
                                !s.first.value->is_null());
    }
    case Kind::as:
      return each_input(c, n, focus, [&](const Item& it) {
        if (!type_matches(it, n.name)) return true;
        return out(Item{it.value, it.type.empty() ? std::string_view(n.name) : it.type, it.ref});
      });
    case Kind::is: {
      const Singleton s = singleton(c, n.input.get(), focus);
      if (s.count != 1) return true;
      return emit_bool(out, type_matches(s.first, n.name));
    }
    case Kind::extension:
      return each_input(c, n, focus, [&](const Item& it) {
        static const std::string kExtension = "extension";
        return member(it, kExtension, [&](const Item& e) {
          return string_of(*e.value, "url") != n.name || out(e);
        });
      });
    case Kind::resolve:
      return each_input(c, n, focus, [&](const Item& it) { return resolve(c, it, out); });
    case Kind::union_: {
      SeenSet seen;
      auto dedup = [&](const Item& it) { return !seen.insert(it) || out(it); };
      return union_operands(c, n, focus, dedup);
    }
    case Kind::eq:
    case Kind::ne: {
      const Tri t = equals(c, n, focus);
      if (t == Tri::empty) return true;
      return emit_bool(out, (t == Tri::yes) == (n.kind == Kind::eq));
    }
    case Kind::and_:
    case Kind::or_:
    case Kind::xor_: {
      const Tri a = truth(c, *n.input, focus);
      // Short-circuit where the left side decides.
      if (n.kind == Kind::and_ && a == Tri::no) return emit_bool(out, false);
      if (n.kind == Kind::or_ && a == Tri::yes) return emit_bool(out, true);
      return emit_tri(out, logic(n.kind, a, truth(c, *n.arg, focus)));
    }
  }
  return true;
}

}  // namespace

std::vector<Node> evaluate(const Expression& expr, const base::Json& resource) {
  std::vector<Node> nodes;
  if (!expr.root) return nodes;
  try {
    const Ctx c{&resource};
    eval(c, *expr.root, Item{&resource, {}, false}, [&](const Item& it) {
      if (!it.ref) nodes.push_back(Node{it.value, std::string(it.type)});
      return true;
    });
  } catch (...) {  // allocation failure: report nothing rather than throw into the indexer
    nodes.clear();
  }
  return nodes;
}

}  // namespace model::fhirpath
