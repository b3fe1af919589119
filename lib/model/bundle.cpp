#include "model/bundle.hpp"

#include <stdexcept>

#include "base/fhir_time.hpp"
#include "base/json_escape.hpp"
#include "base/uuid.hpp"

namespace model {

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  base::append_json_quoted(out, s);
  return out;
}

BundleWriter::BundleWriter(std::string_view type) : type_(type) {}

void BundleWriter::set_total(std::int64_t total) {
  if (entries_started_) throw std::logic_error("BundleWriter: set_total after the first entry");
  total_ = total;
}

void BundleWriter::add_link(std::string_view relation, std::string_view url) {
  if (entries_started_) throw std::logic_error("BundleWriter: add_link after the first entry");
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
    base::append_json_quoted(out_, value);
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
    base::append_json_quoted(out_, name);
    out_.push_back(':');
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

// The Bundle's members before "entry", without the closing brace.
void write_header(std::string& out, std::string_view type, const std::optional<std::int64_t>& total,
                  const std::vector<std::pair<std::string, std::string>>& links) {
  out += "{\"resourceType\":\"Bundle\",\"id\":";
  base::append_json_quoted(out, base::new_uuid());
  out += ",\"meta\":{\"lastUpdated\":";
  base::append_json_quoted(out, base::format_instant(base::now_us()));
  out += "},\"type\":";
  base::append_json_quoted(out, type);
  if (total) {
    out += ",\"total\":";
    out += std::to_string(*total);
  }
  if (!links.empty()) {
    out += ",\"link\":[";
    for (std::size_t i = 0; i < links.size(); ++i) {
      if (i) out.push_back(',');
      out += "{\"relation\":";
      base::append_json_quoted(out, links[i].first);
      out += ",\"url\":";
      base::append_json_quoted(out, links[i].second);
      out.push_back('}');
    }
    out.push_back(']');
  }
}

}  // namespace

void BundleWriter::begin_entry() {
  if (!entries_started_) {
    write_header(out_, type_, total_, links_);
    out_ += ",\"entry\":[";
    entries_started_ = true;
  } else {
    out_.push_back(',');
  }
}

void BundleWriter::add_entry(const BundleEntry& e) {
  begin_entry();
  ObjectWriter entry(out_);
  entry.field("fullUrl", e.full_url);
  entry.raw("resource", e.resource_json);
  if (!e.search_mode.empty()) {
    entry.key("search");
    ObjectWriter search(out_);
    search.field("mode", e.search_mode);
    search.close();
  }
  if (!e.request_method.empty()) {
    entry.key("request");
    ObjectWriter request(out_);
    request.field("method", e.request_method);
    request.field("url", e.request_url);
    request.close();
  }
  if (!e.response_status.empty()) {
    entry.key("response");
    ObjectWriter response(out_);
    response.field("status", e.response_status);
    response.field("location", e.response_location);
    response.field("etag", e.response_etag);
    response.field("lastModified", e.response_last_modified);
    response.raw("outcome", e.response_outcome_json);
    response.close();
  }
  entry.close();
}

void BundleWriter::add_match(std::string_view base, std::string_view type, std::string_view id,
                             std::string_view resource_json, std::string_view mode) {
  begin_entry();
  out_ += "{\"fullUrl\":\"";
  base::append_json_escaped(out_, base);
  out_.push_back('/');
  base::append_json_escaped(out_, type);
  out_.push_back('/');
  base::append_json_escaped(out_, id);
  out_.push_back('"');
  if (!resource_json.empty()) {
    out_ += ",\"resource\":";
    out_ += resource_json;
  }
  out_ += ",\"search\":{\"mode\":";
  base::append_json_quoted(out_, mode);
  out_ += "}}";
}

std::string BundleWriter::finish() {
  if (entries_started_) {
    out_.push_back(']');
  } else {
    write_header(out_, type_, total_, links_);
    entries_started_ = true;
  }
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace model
