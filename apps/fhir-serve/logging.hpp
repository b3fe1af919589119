#pragma once
// fhir-serve's log: spdlog to stderr, as text or as one JSON object per line. Messages never
// carry tokens, secrets or PHI: callers log routes, statuses and ids of our own making only.
#include <string>
#include <string_view>

namespace serve {

// Configures the default spdlog logger. format: text | json; level: trace..error.
void setup_logging(const std::string& format, const std::string& level);

void log_info(std::string_view message);
void log_warn(std::string_view message);
void log_error(std::string_view message);
void log_debug(std::string_view message);
// True when debug messages are written: build a per-request message only then.
bool debug_enabled();

}  // namespace serve
