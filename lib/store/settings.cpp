#include "store/settings.hpp"

#include <algorithm>

#include "base/fhir_time.hpp"

namespace store {
namespace {

using Validator = base::Status (*)(std::string_view);

base::Status valid_bool(std::string_view v) {
  if (v == "true" || v == "false") return {};
  return base::invalid("expected true or false, got \"" + std::string(v) + "\"");
}

base::Status valid_log_level(std::string_view v) {
  if (v == "off" || v == "minimal" || v == "full") return {};
  return base::invalid("expected off, minimal or full, got \"" + std::string(v) + "\"");
}

base::Status valid_site_address(std::string_view v) {
  if (v.empty()) return {};  // unset: the server derives its address from the request
  const bool scheme = v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0;
  const auto host_start = v.find("://") + 3;
  if (!scheme || v.size() <= host_start || v.back() == '/' ||
      v.find_first_of(" ?#\t\r\n") != std::string_view::npos) {
    return base::invalid("expected an absolute https:// URL without a trailing slash, e.g. "
                         "https://ehr.example.org:8443, got \"" + std::string(v) + "\"");
  }
  return {};
}

base::Status valid_registration_policy(std::string_view v) {
  if (v == "open" || v == "initial-access-token" || v == "closed") return {};
  return base::invalid("expected open, initial-access-token or closed, got \"" + std::string(v) + "\"");
}

struct Definition {
  std::string_view key;
  std::string_view default_value;
  std::string_view description;
  Validator validate;
};

// Every setting the product knows. Add a line here to add one.
constexpr Definition kSettings[] = {
    {"site_address", "",
     "Site Address: the public base URL (required for OAuth2 and FHIR), e.g. https://ehr.example.org:8443",
     valid_site_address},
    {"fhir_api_enabled", "true", "Enable the Standard FHIR REST API (true|false)", valid_bool},
    {"api_log", "minimal", "API log: off | minimal | full (full also records bodies)", valid_log_level},
    {"oauth_registration", "open",
     "OAuth dynamic client registration: open | initial-access-token | closed (apps beyond patient "
     "standalone start disabled either way)",
     valid_registration_policy},
};

const Definition* find_definition(std::string_view key) {
  for (const auto& d : kSettings) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

base::Error unknown_key(std::string_view key) {
  std::string known;
  for (const auto& d : kSettings) {
    if (!known.empty()) known += ", ";
    known += d.key;
  }
  return base::not_found("unknown setting \"" + std::string(key) + "\"; known settings: " + known);
}

}  // namespace

base::Result<std::vector<SettingInfo>> SettingsStore::list() const {
  std::vector<SettingInfo> out;
  for (const auto& d : kSettings) {
    out.push_back({std::string(d.key), std::string(d.default_value), std::string(d.default_value),
                   std::string(d.description), true});
  }
  FHIR_TRY(auto conn, db_.reader());
  sql::Query q(*conn, "SELECT key, value FROM settings");
  while (true) {
    FHIR_TRY(bool row, q.step());
    if (!row) break;
    auto it = std::find_if(out.begin(), out.end(), [&](const SettingInfo& s) { return s.key == q.text_at(0); });
    if (it == out.end()) continue;  // a setting this version no longer knows
    it->value = q.string_at(1);
    it->is_default = false;
  }
  return out;
}

base::Result<SettingInfo> SettingsStore::get(std::string_view key) const {
  if (!find_definition(key)) return unknown_key(key);
  FHIR_TRY(auto all, list());
  for (auto& s : all) {
    if (s.key == key) return std::move(s);
  }
  return unknown_key(key);
}

base::Status SettingsStore::set(std::string_view key, std::string_view value) {
  const Definition* d = find_definition(key);
  if (!d) return unknown_key(key);
  if (auto s = d->validate(value); !s.ok()) {
    auto e = std::move(s).error();
    e.message = "invalid value for " + std::string(key) + ": " + e.message;
    return e;
  }
  FHIR_TRY(auto conn, db_.writer());
  sql::Query q(*conn,
               "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  q.bind_all(key, value, base::now_us());
  return q.run();
}

base::Result<SiteSettings> SettingsStore::load() const {
  FHIR_TRY(auto all, list());
  SiteSettings s;
  for (const auto& i : all) {
    if (i.key == "site_address") s.site_address = i.value;
    else if (i.key == "fhir_api_enabled") s.fhir_api_enabled = i.value == "true";
    else if (i.key == "api_log") s.api_log = i.value;
    else if (i.key == "oauth_registration") s.oauth_registration = i.value;
  }
  return s;
}

std::shared_ptr<const SiteSettings> SettingsCache::get() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (!current_ || now - loaded_at_ >= max_age_) {
    auto loaded = store_.load();
    if (loaded) {
      current_ = std::make_shared<const SiteSettings>(std::move(*loaded));
    } else if (!current_) {
      current_ = std::make_shared<const SiteSettings>();
    }
    loaded_at_ = now;
  }
  return current_;
}

}  // namespace store
