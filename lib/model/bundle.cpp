#include "model/bundle.hpp"

#include "base/fhir_time.hpp"
#include "base/uuid.hpp"

namespace model {

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

BundleWriter::BundleWriter(std::string_view type) : type_(type) {}

void BundleWriter::add_link(std::string_view relation, std::string_view url) {
  links_.emplace_back(std::string(relation), std::string(url));
}

namespace {

void add_field(std::string& obj, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  if (obj.size() > 1) obj.push_back(',');
  obj += json_quote(name);
  obj.push_back(':');
  obj += json_quote(value);
}

void add_raw(std::string& obj, std::string_view name, std::string_view raw) {
  if (raw.empty()) return;
  if (obj.size() > 1) obj.push_back(',');
  obj += json_quote(name);
  obj.push_back(':');
  obj += raw;
}

}  // namespace

void BundleWriter::add_entry(const BundleEntry& e) {
  std::string entry = "{";
  add_field(entry, "fullUrl", e.full_url);
  add_raw(entry, "resource", e.resource_json);
  if (!e.search_mode.empty()) {
    std::string search = "{";
    add_field(search, "mode", e.search_mode);
    search.push_back('}');
    add_raw(entry, "search", search);
  }
  if (!e.request_method.empty()) {
    std::string request = "{";
    add_field(request, "method", e.request_method);
    add_field(request, "url", e.request_url);
    request.push_back('}');
    add_raw(entry, "request", request);
  }
  if (!e.response_status.empty()) {
    std::string response = "{";
    add_field(response, "status", e.response_status);
    add_field(response, "location", e.response_location);
    add_field(response, "etag", e.response_etag);
    add_field(response, "lastModified", e.response_last_modified);
    add_raw(response, "outcome", e.response_outcome_json);
    response.push_back('}');
    add_raw(entry, "response", response);
  }
  entry.push_back('}');
  if (!entries_.empty()) entries_.push_back(',');
  entries_ += entry;
}

std::string BundleWriter::finish() const {
  std::string out = "{\"resourceType\":\"Bundle\"";
  out += ",\"id\":" + json_quote(base::new_uuid());
  out += ",\"meta\":{\"lastUpdated\":" + json_quote(base::format_instant(base::now_us())) + "}";
  out += ",\"type\":" + json_quote(type_);
  if (total_) out += ",\"total\":" + std::to_string(*total_);
  if (!links_.empty()) {
    out += ",\"link\":[";
    for (std::size_t i = 0; i < links_.size(); ++i) {
      if (i) out.push_back(',');
      out += "{\"relation\":" + json_quote(links_[i].first) + ",\"url\":" + json_quote(links_[i].second) + "}";
    }
    out.push_back(']');
  }
  if (!entries_.empty()) out += ",\"entry\":[" + entries_ + "]";
  out.push_back('}');
  return out;
}

}  // namespace model
