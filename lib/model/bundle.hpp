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

class BundleWriter {
 public:
  // type: searchset | history | batch-response | transaction-response | collection ...
  explicit BundleWriter(std::string_view type);
  void set_total(std::int64_t total) { total_ = total; }
  void add_link(std::string_view relation, std::string_view url);
  void add_entry(const BundleEntry& entry);
  // The Bundle's JSON (with a new id and meta.lastUpdated = now).
  std::string finish() const;

 private:
  std::string type_;
  std::optional<std::int64_t> total_;
  std::vector<std::pair<std::string, std::string>> links_;
  std::string entries_;  // comma-separated entry objects
};

// Escapes `s` as a JSON string literal, including the quotes.
std::string json_quote(std::string_view s);

}  // namespace model
