#include <algorithm>
#include <charconv>
#include <cmath>

#include "model/resource_types.hpp"
#include "search/extract.hpp"
#include "search/query.hpp"

namespace search {
namespace {

base::Error bad(std::string_view name, std::string_view value, std::string_view why) {
  return base::invalid("Search parameter " + std::string(name) + "=" + std::string(value) + ": " + std::string(why));
}

// Splits on unescaped `sep`, unescaping \, \| \$ \\ in the parts.
std::vector<std::string> split_escaped(std::string_view s, char sep) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back().push_back(s[++i]);
    } else if (s[i] == sep) {
      out.emplace_back();
    } else {
      out.back().push_back(s[i]);
    }
  }
  return out;
}

// Splits a token/quantity value on the first unescaped '|' without unescaping.
std::vector<std::string> split_bars(std::string_view s) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back().push_back(s[++i]);
    } else if (s[i] == '|') {
      out.emplace_back();
    } else {
      out.back().push_back(s[i]);
    }
  }
  return out;
}

std::optional<Prefix> prefix_of(std::string_view s) {
  static constexpr std::pair<std::string_view, Prefix> kPrefixes[] = {
      {"eq", Prefix::eq}, {"ne", Prefix::ne}, {"gt", Prefix::gt}, {"lt", Prefix::lt}, {"ge", Prefix::ge},
      {"le", Prefix::le}, {"sa", Prefix::sa}, {"eb", Prefix::eb}, {"ap", Prefix::ap}};
  for (const auto& [text, p] : kPrefixes) {
    if (s == text) return p;
  }
  return std::nullopt;
}

// Takes a leading two-letter prefix off `v`. Errors on letters that are not a prefix.
base::Result<Prefix> take_prefix(std::string& v, std::string_view name) {
  if (v.size() >= 2 && std::isalpha(static_cast<unsigned char>(v[0])) && std::isalpha(static_cast<unsigned char>(v[1]))) {
    auto p = prefix_of(std::string_view(v).substr(0, 2));
    if (!p) {
      return bad(name, v, "\"" + v.substr(0, 2) + "\" is not a search prefix (eq, ne, gt, lt, ge, le, sa, eb, ap)");
    }
    v.erase(0, 2);
    return *p;
  }
  return Prefix::eq;
}

// A decimal with its implied precision range: "100" -> [99.5, 100.5), "1.50" -> [1.495, 1.505).
base::Status parse_number(std::string_view text, std::string_view name, Value& out) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) {
    return bad(name, text, "not a decimal number");
  }
  // Precision: one unit of the last significant digit given ("1.50" -> 0.01, "1.5e2" -> 10).
  const auto e = text.find_first_of("eE");
  const auto mantissa = text.substr(0, e);
  double decimals = 0;
  if (auto dot = mantissa.find('.'); dot != std::string_view::npos) decimals = static_cast<double>(mantissa.size() - dot - 1);
  if (e != std::string_view::npos) {
    int exponent = 0;
    const auto exp_text = text.substr(e + 1);
    std::from_chars(exp_text.data() + (exp_text.starts_with('+') ? 1 : 0), exp_text.data() + exp_text.size(), exponent);
    decimals -= exponent;
  }
  const double half = 0.5 * std::pow(10.0, -decimals);
  out.number = v;
  out.low = v - half;
  out.high = v + half;
  return {};
}

base::Status parse_value(const SearchParam& param, const std::string& modifier, std::string raw,
                         std::string_view name, std::string_view base_url, Value& out) {
  out.text = raw;
  switch (param.type) {
    case ParamType::date: {
      FHIR_TRY(out.prefix, take_prefix(raw, name));
      auto t = base::parse_date_time(raw, true);
      if (!t) return bad(name, out.text, t.error().message);
      out.time = *t;
      return {};
    }
    case ParamType::number: {
      FHIR_TRY(out.prefix, take_prefix(raw, name));
      return parse_number(raw, name, out);
    }
    case ParamType::quantity: {
      FHIR_TRY(out.prefix, take_prefix(raw, name));
      auto parts = split_bars(raw);
      if (parts.size() != 1 && parts.size() != 3) return bad(name, out.text, "expected number or number|system|code");
      FHIR_CHECK(parse_number(parts[0], name, out));
      if (parts.size() == 3) {
        if (!parts[1].empty()) out.system = parts[1];
        out.code = parts[2];
      }
      return {};
    }
    case ParamType::token: {
      if (modifier == "text") {
        out.code = raw;
        return {};
      }
      auto parts = split_bars(raw);
      if (modifier == "of-type") {
        if (parts.size() != 3 || parts[2].empty()) return bad(name, out.text, ":of-type expects system|code|value");
        out.of_type = parts[0] + "|" + parts[1] + "|" + parts[2];
        return {};
      }
      if (parts.size() > 2) return bad(name, out.text, "a token is code, system|code, |code or system|");
      if (parts.size() == 1) {
        out.code = parts[0];
        if (out.code.empty()) return bad(name, out.text, "empty token");
      } else {
        out.system = parts[0];
        out.code = parts[1];
        if (parts[0].empty() && parts[1].empty()) return bad(name, out.text, "empty token");
      }
      return {};
    }
    case ParamType::reference: {
      if (raw.empty()) return bad(name, out.text, "empty reference");
      std::string_view ref = raw;
      if (!base_url.empty() && ref.rfind(std::string(base_url) + "/", 0) == 0) {
        ref.remove_prefix(base_url.size() + 1);
      } else if (ref.find("://") != std::string_view::npos || ref.rfind("urn:", 0) == 0) {
        out.url = std::string(ref);  // another server's resource: only its URL identifies it
        return {};
      }
      if (auto parsed = parse_reference(ref)) {
        out.type = parsed->first;
        out.code = parsed->second;
      } else if (model::is_valid_id(ref)) {
        out.code = std::string(ref);
      } else {
        return bad(name, out.text, "expected id, Type/id or an absolute URL");
      }
      if (!out.type.empty() && !modifier.empty() && modifier != out.type) {
        return bad(name, out.text, "the value's type does not match the :" + modifier + " modifier");
      }
      return {};
    }
    case ParamType::string:
    case ParamType::uri: {
      out.code.clear();  // undo the search escapes \, \| \$ \\ (commas were split already)
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
        out.code.push_back(raw[i]);
      }
      return {};
    }
    case ParamType::composite:
    case ParamType::special:
      return bad(name, out.text, "this parameter type is not supported");
  }
  return {};
}

bool modifier_allowed(const SearchParam& p, const std::string& m) {
  if (m.empty() || m == "missing") return true;
  switch (p.type) {
    case ParamType::string: return m == "exact" || m == "contains";
    case ParamType::token: return m == "not" || m == "text" || m == "of-type";
    case ParamType::uri: return m == "below" || m == "above";
    case ParamType::reference: return model::is_resource_type(m);
    default: return false;
  }
}

struct Parser {
  const Registry& registry;
  std::string_view base_url;

  // name is "code", "code:modifier", or a chain "code[:Type].rest".
  base::Result<Criterion> criterion(std::string_view type, std::string_view name, std::string_view value, int depth) {
    Criterion c;
    c.name = std::string(name);
    std::string_view head = name;
    std::string_view chain_rest;
    if (auto dot = name.find('.'); dot != std::string_view::npos) {
      head = name.substr(0, dot);
      chain_rest = name.substr(dot + 1);
    }
    std::string code(head.substr(0, head.find(':')));
    if (auto colon = head.find(':'); colon != std::string_view::npos) c.modifier = std::string(head.substr(colon + 1));
    c.param = registry.find(type, code);
    if (!c.param) return base::make_error(base::ErrorCode::not_found, std::string(name));  // unknown: caller decides
    if (c.param->type == ParamType::composite || c.param->type == ParamType::special) {
      return base::make_error(base::ErrorCode::not_found, std::string(name));
    }
    if (!chain_rest.empty()) {
      if (c.param->type != ParamType::reference) {
        return bad(name, value, "chaining needs a reference parameter, and " + code + " is a " +
                                    std::string(to_string(c.param->type)));
      }
      if (depth > 0) return bad(name, value, "only one level of chaining is supported");
      std::string target = c.modifier;
      if (target.empty()) {
        // A single declared target, or the one the expression keeps (`where(resolve() is X)`).
        if (c.param->targets.size() == 1) {
          target = c.param->targets[0];
        } else {
          for (const auto& t : c.param->targets) {
            if (c.param->expression.find("resolve() is " + t) != std::string::npos) target = t;
          }
        }
        if (target.empty()) {
          return bad(name, value, "the chain is ambiguous; name the target type, e.g. " + code + ":Patient." +
                                      std::string(chain_rest));
        }
      }
      if (!model::is_resource_type(target)) return bad(name, value, "\"" + target + "\" is not a resource type");
      auto inner = criterion(target, chain_rest, value, depth + 1);
      if (!inner) {
        if (inner.error().code == base::ErrorCode::not_found) {
          return bad(name, value, "\"" + std::string(chain_rest) + "\" is not a search parameter of " + target);
        }
        return std::move(inner).error();
      }
      c.chain_type = target;
      c.chain = std::make_shared<Criterion>(std::move(*inner));
      c.modifier.clear();
      return c;
    }
    if (!modifier_allowed(*c.param, c.modifier)) {
      return bad(name, value, "the modifier :" + c.modifier + " is not supported for " +
                                  std::string(to_string(c.param->type)) + " parameters");
    }
    if (c.modifier == "missing") {
      if (value != "true" && value != "false") return bad(name, value, ":missing takes true or false");
      c.missing = value == "true";
      return c;
    }
    for (auto& part : split_escaped_keep(value)) {
      Value v;
      FHIR_CHECK(parse_value(*c.param, c.modifier, std::move(part), name, base_url, v));
      c.values.push_back(std::move(v));
    }
    return c;
  }

  // Splits ORed values on unescaped commas, keeping other escapes for the type parser.
  static std::vector<std::string> split_escaped_keep(std::string_view s) {
    std::vector<std::string> out(1);
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        if (s[i + 1] == ',') {
          out.back().push_back(',');
        } else {
          out.back().push_back('\\');
          out.back().push_back(s[i + 1]);
        }
        ++i;
      } else if (s[i] == ',') {
        out.emplace_back();
      } else {
        out.back().push_back(s[i]);
      }
    }
    return out;
  }

  // _has:Type:param:criterion=value
  base::Result<Criterion> has(std::string_view type, std::string_view name, std::string_view value) {
    auto parts = split_escaped(name.substr(5), ':');
    if (parts.size() < 3) return bad(name, value, "_has needs _has:Type:reference:parameter");
    const std::string& other = parts[0];
    if (!model::is_resource_type(other)) return bad(name, value, "\"" + other + "\" is not a resource type");
    const SearchParam* ref = registry.find(other, parts[1]);
    if (!ref || ref->type != ParamType::reference) {
      return bad(name, value, "\"" + parts[1] + "\" is not a reference parameter of " + other);
    }
    std::string rest = parts[2];
    for (std::size_t i = 3; i < parts.size(); ++i) rest += ":" + parts[i];
    if (rest.rfind("_has:", 0) == 0) return bad(name, value, "only one level of _has is supported");
    auto inner = criterion(other, rest, value, 0);
    if (!inner) {
      if (inner.error().code == base::ErrorCode::not_found) {
        return bad(name, value, "\"" + rest + "\" is not a search parameter of " + other);
      }
      return std::move(inner).error();
    }
    Criterion c;
    c.name = std::string(name);
    c.has = std::make_shared<Has>(Has{other, ref, std::make_shared<Criterion>(std::move(*inner))});
    (void)type;
    return c;
  }
};

// _count: a whole number >= 0; larger than kMaxCount is capped, not refused.
base::Result<int> parse_count(std::string_view v) {
  const bool digits = !v.empty() && v.size() <= 64 &&
                      std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return bad("_count", v, "expected a whole number from 0 to " + std::to_string(kMaxCount));
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec == std::errc::result_out_of_range) return kMaxCount;
  (void)p;
  return static_cast<int>(std::min<std::int64_t>(n, kMaxCount));
}

base::Status parse_include(const Registry& registry, std::string_view name, std::string_view value, bool rev,
                           std::string_view type, SearchRequest& out) {
  const bool iterate = name.size() > 10 && (name.ends_with(":iterate") || name.ends_with(":recurse"));
  auto parts = split_escaped(value, ':');
  if (parts.size() < 2 || parts.size() > 3) {
    return bad(name, value, "expected SourceType:parameter or SourceType:parameter:TargetType");
  }
  Include inc;
  inc.source_type = parts[0];
  inc.iterate = iterate;
  if (!model::is_resource_type(inc.source_type)) return bad(name, value, "\"" + inc.source_type + "\" is not a resource type");
  if (!rev && !iterate && !type.empty() && inc.source_type != type) {
    return bad(name, value, "_include must start with the searched type " + std::string(type) + " (or use :iterate)");
  }
  if (parts[1] == "*") return bad(name, value, "wildcard includes are not supported; name the parameter");
  inc.param = registry.find(inc.source_type, parts[1]);
  if (!inc.param || inc.param->type != ParamType::reference) {
    return bad(name, value, "\"" + parts[1] + "\" is not a reference parameter of " + inc.source_type);
  }
  if (parts.size() == 3) {
    inc.target_type = parts[2];
    if (!model::is_resource_type(inc.target_type)) return bad(name, value, "\"" + inc.target_type + "\" is not a resource type");
  }
  (rev ? out.revincludes : out.includes).push_back(std::move(inc));
  return {};
}

}  // namespace

base::Result<SearchRequest> parse_search(const Registry& registry, std::string_view type, const ParamList& params,
                                         bool strict, std::string_view base_url) {
  SearchRequest req;
  req.type = std::string(type);
  req.base_url = std::string(base_url);
  Parser parser{registry, base_url};
  auto ignore = [&](const std::string& name, const std::string& why) -> base::Status {
    if (strict) return base::invalid("Search parameter " + name + " " + why + " (Prefer: handling=strict)");
    req.ignored.push_back(name + " " + why);
    return {};
  };
  for (const auto& [name, value] : params) {
    const std::string_view n = name;
    if (n == "_format" || n == "_pretty") continue;
    if (n == "_cursor") {
      req.cursor = value;
      continue;
    }
    if (value.find('\0') != std::string::npos || name.find('\0') != std::string::npos) {
      return bad(n, "", "search parameters may not contain NUL characters");
    }
    bool echo = true;
    if (n == "_count") {
      FHIR_TRY(req.count, parse_count(value));
      req.echo.emplace_back(name, std::to_string(req.count));  // links show the count applied
      continue;
    } else if (n == "_total") {
      if (value == "none") req.total = TotalMode::none;
      else if (value == "estimate") req.total = TotalMode::estimate;
      else if (value == "accurate") req.total = TotalMode::accurate;
      else return bad(n, value, "expected none, estimate or accurate");
    } else if (n == "_summary") {
      if (value == "count") req.summary = SummaryMode::count;
      else if (value == "true") req.summary = SummaryMode::summary;
      else if (value == "data") req.summary = SummaryMode::data;
      else if (value == "text") req.summary = SummaryMode::text;
      else if (value == "false") req.summary = SummaryMode::none;
      else return bad(n, value, "expected true, false, count, data or text");
    } else if (n == "_elements") {
      for (auto& e : split_escaped(value, ',')) {
        if (!e.empty()) req.elements.push_back(e);
      }
    } else if (n == "_sort") {
      for (auto& key : split_escaped(value, ',')) {
        SortKey k;
        k.descending = !key.empty() && key[0] == '-';
        k.code = k.descending ? key.substr(1) : key;
        if (k.code != "_lastUpdated" && k.code != "_id") {
          k.param = type.empty() ? nullptr : registry.find(type, k.code);
          if (!k.param || (k.param->type != ParamType::date && k.param->type != ParamType::string &&
                           k.param->type != ParamType::token && k.param->type != ParamType::number &&
                           k.param->type != ParamType::quantity && k.param->type != ParamType::uri)) {
            return bad(n, value, "cannot sort by \"" + k.code + "\" (unknown or not sortable)");
          }
        }
        req.sort.push_back(std::move(k));
      }
    } else if (n.rfind("_include", 0) == 0 || n.rfind("_revinclude", 0) == 0) {
      const bool rev = n.rfind("_revinclude", 0) == 0;
      const auto base_name = rev ? std::string_view("_revinclude") : std::string_view("_include");
      if (n != base_name && n != std::string(base_name) + ":iterate" && n != std::string(base_name) + ":recurse") {
        FHIR_CHECK(ignore(name, "is not supported"));
        continue;
      }
      FHIR_CHECK(parse_include(registry, n, value, rev, type, req));
    } else if (n == "_type" && type.empty()) {
      for (auto& t : split_escaped(value, ',')) {
        if (!model::is_resource_type(t)) return bad(n, value, "\"" + t + "\" is not a resource type");
        req.types.push_back(t);
      }
    } else if (n.rfind("_has:", 0) == 0) {
      if (type.empty()) return bad(n, value, "_has needs a resource type");
      FHIR_TRY(auto c, parser.has(type, n, value));
      req.criteria.push_back(std::move(c));
    } else {
      const std::string lookup_type = type.empty() ? std::string("Resource") : std::string(type);
      auto c = parser.criterion(lookup_type, n, value, 0);
      if (!c) {
        if (c.error().code == base::ErrorCode::not_found) {
          FHIR_CHECK(ignore(name, type.empty() ? "is not a search parameter for all types"
                                               : "is not a search parameter of " + std::string(type)));
          continue;
        }
        return std::move(c).error();
      }
      req.criteria.push_back(std::move(*c));
    }
    if (echo) req.echo.emplace_back(name, value);
  }
  return req;
}

}  // namespace search
