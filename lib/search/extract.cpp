#include "search/extract.hpp"

#include <nlohmann/json.hpp>

#include "base/fhir_time.hpp"
#include "model/resource_types.hpp"
#include "search/normalize.hpp"

namespace search {
namespace {

using base::Json;

std::string str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void add_string(Extracted& out, const std::string& s) {
  if (!s.empty()) out.strings.push_back({normalize_text(s), s});
}

void add_strings(Extracted& out, const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return;
  if (it->is_string()) add_string(out, it->get<std::string>());
  if (it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) add_string(out, v.get<std::string>());
    }
  }
}

void extract_string(const model::fhirpath::Node& node, Extracted& out) {
  const Json& v = *node.value;
  if (v.is_string()) {
    add_string(out, v.get<std::string>());
  } else if (v.is_object()) {
    // HumanName and Address: every part is searchable.
    for (const char* key : {"text", "family", "given", "prefix", "suffix", "line", "city", "district", "state",
                            "postalCode", "country"}) {
      add_strings(out, v, key);
    }
  }
}

bool is_contact_point_system(const std::string& s) {
  return s == "phone" || s == "fax" || s == "email" || s == "pager" || s == "url" || s == "sms" || s == "other";
}

void add_coding(Extracted& out, const Json& coding, const std::string& text) {
  if (!coding.is_object()) return;
  TokenValue t;
  const std::string system = str(coding, "system");
  if (!system.empty()) t.system = system;
  t.code = str(coding, "code");
  const std::string display = str(coding, "display");
  t.text = normalize_text(text.empty() ? display : text + " " + display);
  if (t.code.empty() && !t.system) return;
  out.tokens.push_back(std::move(t));
}

void extract_token(const model::fhirpath::Node& node, Extracted& out) {
  const Json& v = *node.value;
  if (v.is_string()) {
    out.tokens.push_back({std::nullopt, v.get<std::string>(), "", ""});
  } else if (v.is_boolean()) {
    out.tokens.push_back({std::nullopt, v.get<bool>() ? "true" : "false", "", ""});
  } else if (v.is_object()) {
    if (auto coding = v.find("coding"); coding != v.end() || v.contains("text")) {
      const std::string text = str(v, "text");
      if (coding != v.end() && coding->is_array()) {
        for (const auto& c : *coding) add_coding(out, c, text);
      } else if (!text.empty()) {
        out.tokens.push_back({std::nullopt, "", normalize_text(text), ""});  // text-only concept: :text
      }
    } else if (v.contains("value")) {
      const std::string system = str(v, "system");
      const std::string value = v["value"].is_string() ? v["value"].get<std::string>() : std::string();
      if (value.empty()) return;
      TokenValue t;
      if (!system.empty()) t.system = system;
      t.code = value;
      const bool contact = node.type == "ContactPoint" || (node.type.empty() && is_contact_point_system(system));
      if (!contact) {  // Identifier: keep its type for :of-type
        if (auto type = v.find("type"); type != v.end() && type->is_object()) {
          t.text = normalize_text(str(*type, "text"));
          if (auto codings = type->find("coding"); codings != type->end() && codings->is_array() && !codings->empty()) {
            t.of_type = str((*codings)[0], "system") + "|" + str((*codings)[0], "code") + "|" + value;
          }
        }
      }
      out.tokens.push_back(std::move(t));
    } else if (v.contains("code") || v.contains("system")) {
      add_coding(out, v, "");
    }
  }
}

void extract_reference(const model::fhirpath::Node& node, Extracted& out) {
  const Json& v = *node.value;
  std::string text;
  if (v.is_object()) text = str(v, "reference");
  else if (v.is_string()) text = v.get<std::string>();  // canonical / uri used as a reference
  if (text.empty() || text[0] == '#') return;
  ReferenceValue r;
  if (text.find("://") != std::string::npos || text.rfind("urn:", 0) == 0) r.url = text;
  // Absolute URLs keep type and id too; a search names the server's base, so a reference to
  // another server's Patient/1 never matches our Patient/1 (see sql_compiler.cpp).
  if (auto parsed = parse_reference(text)) {
    r.type = parsed->first;
    r.id = parsed->second;
  }
  if (r.id.empty() && r.url.empty()) return;
  out.references.push_back(std::move(r));
}

void add_range(Extracted& out, std::string_view text, bool as_start_only = false) {
  auto t = base::parse_date_time(text);
  if (!t) return;
  out.dates.push_back({t->low_us, as_start_only ? t->low_us : t->high_us});
}

void extract_date(const model::fhirpath::Node& node, Extracted& out) {
  const Json& v = *node.value;
  if (v.is_string()) {
    add_range(out, v.get<std::string>());
  } else if (v.is_object()) {
    if (v.contains("start") || v.contains("end")) {  // Period
      DateValue d{kMinTime, kMaxTime};
      if (auto s = v.find("start"); s != v.end() && s->is_string()) {
        if (auto t = base::parse_date_time(s->get<std::string>())) d.low = t->low_us;
      }
      if (auto e = v.find("end"); e != v.end() && e->is_string()) {
        if (auto t = base::parse_date_time(e->get<std::string>())) d.high = t->high_us;
      }
      out.dates.push_back(d);
    } else if (auto ev = v.find("event"); ev != v.end() || v.contains("repeat")) {  // Timing
      if (ev != v.end() && ev->is_array()) {
        for (const auto& e : *ev) {
          if (e.is_string()) add_range(out, e.get<std::string>());
        }
      }
      if (auto rep = v.find("repeat"); rep != v.end() && rep->is_object()) {
        if (auto bp = rep->find("boundsPeriod"); bp != rep->end() && bp->is_object()) {
          extract_date({&*bp, "Period"}, out);
        }
      }
    }
  }
}

void extract_quantity(const model::fhirpath::Node& node, Extracted& out) {
  const Json& v = *node.value;
  if (!v.is_object()) return;
  auto value = v.find("value");
  if (value == v.end() || !value->is_number()) return;
  out.quantities.push_back({value->get<double>(), str(v, "system"), str(v, "code"), str(v, "unit")});
}

}  // namespace

std::optional<std::pair<std::string, std::string>> parse_reference(std::string_view ref) {
  if (ref.empty() || ref[0] == '#' || ref.rfind("urn:", 0) == 0) return std::nullopt;
  if (auto h = ref.find("/_history/"); h != std::string_view::npos) ref = ref.substr(0, h);
  const auto slash = ref.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const auto id = ref.substr(slash + 1);
  auto before = ref.substr(0, slash);
  const auto type_start = before.rfind('/');
  const auto type = type_start == std::string_view::npos ? before : before.substr(type_start + 1);
  if (!model::is_resource_type(type) || !model::is_valid_id(id)) return std::nullopt;
  return std::make_pair(std::string(type), std::string(id));
}

void extract(ParamType type, const model::fhirpath::Node& node, Extracted& out) {
  if (!node.value) return;
  switch (type) {
    case ParamType::string: extract_string(node, out); break;
    case ParamType::token: extract_token(node, out); break;
    case ParamType::reference: extract_reference(node, out); break;
    case ParamType::date: extract_date(node, out); break;
    case ParamType::quantity: extract_quantity(node, out); break;
    case ParamType::number:
      if (node.value->is_number()) out.numbers.push_back(node.value->get<double>());
      break;
    case ParamType::uri:
      if (node.value->is_string()) out.uris.push_back(node.value->get<std::string>());
      break;
    case ParamType::composite:
    case ParamType::special:
      break;
  }
}

}  // namespace search
