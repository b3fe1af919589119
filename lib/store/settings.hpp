#pragma once
// Site settings (SPEC.md "FhirSetup"), stored in the `settings` table. Every setting is declared
// in one table (settings.cpp) with its default, a description and a validator.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "sql/database.hpp"

namespace store {

// A consistent snapshot of every setting, typed.
struct SiteSettings {
  std::string site_address;       // public base URL, e.g. https://ehr.example.org:8443 (no trailing /)
  bool fhir_api_enabled = true;   // "Enable Standard FHIR REST API"
  std::string api_log = "minimal";  // off | minimal | full
  std::string oauth_registration = "open";  // open | initial-access-token | closed
};

struct SettingInfo {
  std::string key;
  std::string value;        // current value (the default when never set)
  std::string default_value;
  std::string description;
  bool is_default = true;
};

class SettingsStore {
 public:
  explicit SettingsStore(sql::Database& db) : db_(db) {}

  // Every known setting with its current value.
  base::Result<std::vector<SettingInfo>> list() const;
  // One setting. Errors: not_found for an unknown key (the message lists the known keys).
  base::Result<SettingInfo> get(std::string_view key) const;
  // Validates and stores. Errors: not_found (unknown key), invalid (bad value, with the rule).
  base::Status set(std::string_view key, std::string_view value);
  // Reads every setting into a typed snapshot.
  base::Result<SiteSettings> load() const;

 private:
  sql::Database& db_;
};

// A SiteSettings snapshot refreshed from the database at most once per `max_age`, so that a
// change made by `fhirctl settings set` reaches a running server within that time without a
// query per request. Thread-safe.
class SettingsCache {
 public:
  SettingsCache(const SettingsStore& store, std::chrono::milliseconds max_age)
      : store_(store), max_age_(max_age) {}
  // The current snapshot; on a database error keeps serving the last good one.
  std::shared_ptr<const SiteSettings> get();

 private:
  const SettingsStore& store_;
  std::chrono::milliseconds max_age_;
  std::mutex mu_;
  std::shared_ptr<const SiteSettings> current_;
  std::chrono::steady_clock::time_point loaded_at_{};
};

}  // namespace store
