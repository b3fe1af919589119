#include "model/bundle.hpp"

#include "base/fhir_time.hpp"
#include "base/uuid.hpp"

namespace model {

namespace {

// True for the bytes JSON strings must escape.
bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Appends `s` as a JSON string literal: runs without escapes are appended whole.
void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_quoted(out, s);
  return out;
}

BundleWriter::BundleWriter(std::string_view type) : type_(type) {}

void BundleWriter::add_link(std::string_view relation, std::string_view url) {
  links_.emplace_back(std::string(relation), std::string(url));
}

namespace {

// Writes one JSON object straight into `out`: fields with empty values are left out.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  void field(std::string_view name, std::string_view value) {
    if (value.empty()) return;
    key(name);
    append_quoted(out_, value);
  }
  void raw(std::string_view name, std::string_view raw) {
    if (raw.empty()) return;
    key(name);
    out_ += raw;
  }
  // Starts a nested object field; the caller writes it with another ObjectWriter and close().
  void key(std::string_view name) {
    if (!first_) out_.push_back(',');
    first_ = false;
    append_quoted(out_, name);
    out_.push_back(':');
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void BundleWriter::add_entry(const BundleEntry& e) {
  if (!entries_.empty()) entries_.push_back(',');
  ObjectWriter entry(entries_);
  entry.field("fullUrl", e.full_url);
  entry.raw("resource", e.resource_json);
  if (!e.search_mode.empty()) {
    entry.key("search");
    ObjectWriter search(entries_);
    search.field("mode", e.search_mode);
    search.close();
  }
  if (!e.request_method.empty()) {
    entry.key("request");
    ObjectWriter request(entries_);
    request.field("method", e.request_method);
    request.field("url", e.request_url);
    request.close();
  }
  if (!e.response_status.empty()) {
    entry.key("response");
    ObjectWriter response(entries_);
    response.field("status", e.response_status);
    response.field("location", e.response_location);
    response.field("etag", e.response_etag);
    response.field("lastModified", e.response_last_modified);
    response.raw("outcome", e.response_outcome_json);
    response.close();
  }
  entry.close();
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
  if (!entries_.empty()) {
    out.reserve(out.size() + entries_.size() + 16);
    out += ",\"entry\":[";
    out += entries_;
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

}  // namespace model
