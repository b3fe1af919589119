#include "logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "model/bundle.hpp"

namespace serve {
namespace {

bool g_json = false;  // set once at start-up, before any thread logs

std::string render(std::string_view message) {
  if (!g_json) return std::string(message);
  return model::json_quote(message);
}

}  // namespace

void setup_logging(const std::string& format, const std::string& level) {
  g_json = format == "json";
  auto logger = spdlog::stderr_color_mt("fhir-serve");
  if (g_json) {
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%v})", spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
}

void log_info(std::string_view message) { spdlog::info("{}", render(message)); }
void log_warn(std::string_view message) { spdlog::warn("{}", render(message)); }
void log_error(std::string_view message) { spdlog::error("{}", render(message)); }
bool debug_enabled() { return spdlog::should_log(spdlog::level::debug); }
void log_debug(std::string_view message) {
  if (spdlog::should_log(spdlog::level::debug)) spdlog::debug("{}", render(message));
}

}  // namespace serve
