#include "rest/oauth/scope_labels.hpp"

#include <vector>

#include "auth/scopes.hpp"

namespace rest::oauth {
namespace {

std::string ops_text(std::uint8_t ops) {
  std::vector<std::string> words;
  if (ops & auth::kRead) words.emplace_back("read");
  if (ops & auth::kSearch) words.emplace_back("search");
  if (ops & auth::kCreate) words.emplace_back("create");
  if (ops & auth::kUpdate) words.emplace_back("change");
  if (ops & auth::kRemove) words.emplace_back("delete");
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " and " : ", ";
    out += words[i];
  }
  if (!out.empty()) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace

std::string scope_label(std::string_view scope) {
  if (scope == "openid") return "Know who you are";
  if (scope == "fhirUser") return "Know your record on this server (Patient or Practitioner)";
  if (scope == "profile") return "See your name";
  if (scope == "launch") return "Receive the context the EHR launched it with";
  if (scope == "launch/patient") return "Know which patient is selected";
  if (scope == "launch/encounter") return "Know which encounter is selected";
  if (scope == "offline_access") return "Keep access without you signing in again (up to 3 months)";
  if (scope == "online_access") return "Keep access while you are signed in";
  auto parsed = auth::parse_scopes(scope);
  if (!parsed || parsed->resources.size() != 1) return std::string(scope);
  const auth::ResourceScope& r = parsed->resources.front();
  const std::string type = r.type == "*" ? std::string("all") : r.type;
  if (!r.operation.empty()) {
    return "Run " + r.operation + " on " + (r.type == "*" ? std::string("all data") : r.type + " data");
  }
  std::string text = ops_text(r.ops);
  switch (r.level) {
    case auth::Level::patient: text += " the patient's " + type + " records"; break;
    case auth::Level::user: text += " " + type + " records you have access to"; break;
    case auth::Level::system: text += " all " + type + " records"; break;
  }
  if (!r.filters.empty()) {
    text += " (only";
    for (const auto& [param, value] : r.filters) text += " " + param + "=" + value;
    text += ")";
  }
  return text;
}

}  // namespace rest::oauth
