#include "progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace ccdgen {

ProgressBar::ProgressBar(std::int64_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

std::string ProgressBar::line(std::int64_t done, std::int64_t failed, std::int64_t total, double seconds,
                              int width) {
  char counts[160];
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0;
  std::string eta = "--";
  if (rate > 0 && total >= done) {
    const auto left = static_cast<long long>(static_cast<double>(total - done) / rate + 0.5);
    char b[32];
    if (left >= 3600) std::snprintf(b, sizeof b, "%lldh%02lldm", left / 3600, (left / 60) % 60);
    else if (left >= 60) std::snprintf(b, sizeof b, "%lldm%02llds", left / 60, left % 60);
    else std::snprintf(b, sizeof b, "%llds", left);
    eta = b;
  }
  std::snprintf(counts, sizeof counts, " %lld/%lld %3.0f%% %.0f/s ETA %s%s", static_cast<long long>(done),
                static_cast<long long>(total), pct, rate, eta.c_str(),
                failed > 0 ? (" " + std::to_string(failed) + " failed").c_str() : "");
  const int bar = std::clamp(width - static_cast<int>(std::string(counts).size()) - 3, 10, 50);
  const int filled = total > 0 ? static_cast<int>(static_cast<double>(bar) * std::min(1.0, pct / 100.0)) : bar;
  return "[" + std::string(static_cast<std::size_t>(filled), '#') +
         std::string(static_cast<std::size_t>(bar - filled), '.') + "]" + counts;
}

void ProgressBar::draw(std::int64_t written, std::int64_t failed) {
  if (!enabled_) return;
  winsize ws{};
  const int width = ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string text = line(written + failed, failed, total_, secs, width - 1);
  if (static_cast<int>(text.size()) > width - 1) text.resize(static_cast<std::size_t>(std::max(0, width - 1)));
  std::fprintf(stderr, "\r%s\033[K", text.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace ccdgen
