#pragma once
// A one-line progress bar on stderr (only when stderr is a terminal): done/total, percentage,
// documents per second and the time left, redrawn in place.
#include <chrono>
#include <cstdint>
#include <string>

namespace ccdgen {

class ProgressBar {
 public:
  // `enabled` false draws nothing (stderr not a terminal, or --json).
  ProgressBar(std::int64_t total, bool enabled);
  // Redraws with the current counts.
  void draw(std::int64_t written, std::int64_t failed);
  // Erases the bar, so that a message can be printed on a clean line (draw() brings it back).
  void clear();
  bool enabled() const { return enabled_; }

  // The bar's text for the given state (no escape codes), at most about `width` columns.
  static std::string line(std::int64_t done, std::int64_t failed, std::int64_t total, double seconds, int width);

 private:
  std::int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ccdgen
