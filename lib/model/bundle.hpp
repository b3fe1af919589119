#pragma once
// Bundles assembled from stored bytes: entries' resources are spliced in as they are stored,
// never parsed and re-serialised.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model {

struct BundleEntry {
  std::string full_url;
  std::string resource_json;   // raw JSON bytes of the resource; empty for none
  std::string search_mode;     // searchset: match | include | outcome
  std::string request_method;  // history/transaction: GET | POST | PUT | DELETE
  std::string request_url;
  std::string response_status;  // e.g. "201 Created"
  std::string response_location;
  std::string response_etag;
  std::string response_last_modified;
  std::string response_outcome_json;  // raw OperationOutcome JSON for a failed batch entry
};

// Writes the Bundle into one string as it goes: the header (id, meta, type, total, links) when the
// first entry is added, so set_total and add_link must come before add_entry / add_match
// (std::logic_error otherwise).
class BundleWriter {
 public:
  // type: searchset | history | batch-response | transaction-response | collection ...
  explicit BundleWriter(std::string_view type);
  void set_total(std::int64_t total);
  void add_link(std::string_view relation, std::string_view url);
  // Room for about `bytes` of output, so that a large Bundle is not copied while it grows.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  void add_entry(const BundleEntry& entry);
  // A search entry without temporaries: fullUrl = base + "/" + type + "/" + id, the resource's
  // stored JSON, search.mode = mode.
  void add_match(std::string_view base, std::string_view type, std::string_view id, std::string_view resource_json,
                 std::string_view mode);
  // The Bundle's JSON (with a new id and meta.lastUpdated = now). Call once.
  std::string finish();

 private:
  void begin_entry();  // writes the header before the first entry, then the separator

  std::string type_;
  std::optional<std::int64_t> total_;
  std::vector<std::pair<std::string, std::string>> links_;
  std::string out_;
  bool entries_started_ = false;
};

// Escapes `s` as a JSON string literal, including the quotes.
std::string json_quote(std::string_view s);

}  // namespace model
