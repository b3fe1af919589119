#include "base/json.hpp"

#include <nlohmann/json.hpp>

#include "base/embedded.hpp"

namespace base {

Result<Json> parse_json(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // e.what() carries "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
    std::string what = e.what();
    auto pos = what.find("] ");
    return invalid("The body is not valid JSON: " +
                   (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

std::string dump_compact(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string dump_pretty(const Json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::string> prettify(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return std::move(parsed).error();
  return dump_pretty(*parsed);
}

Result<Json> embedded_json(std::string_view name) {
  auto text = embedded_file(name);
  if (!text) return internal_error("embedded file missing from the build: " + std::string(name));
  auto parsed = parse_json(*text);
  if (!parsed) return internal_error("embedded file " + std::string(name) + ": " + parsed.error().message);
  return parsed;
}

}  // namespace base
