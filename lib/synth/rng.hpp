#pragma once
// The generator's own PRNG: xoshiro256** seeded through splitmix64. Same numbers on every
// platform and standard library (std::uniform_*_distribution are not), and cheap.
#include <cstddef>
#include <cstdint>
#include <span>

namespace synth {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

__extension__ typedef unsigned __int128 Uint128;

class Rng {
 public:
  // A stream per (seed, stream): each patient gets its own, so a patient's data does not depend
  // on how much randomness other patients used.
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL);
    for (auto& w : s_) w = splitmix64(sm);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n >= 1 (multiply-shift; the tiny bias is irrelevant here).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<Uint128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi], lo <= hi.
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  // True with probability percent/100.
  bool percent(int percent) { return static_cast<int>(below(100)) < percent; }
  // Approximately normal around `mean` with spread `half_width` (sum of three uniforms),
  // integer-valued so that no floating point reaches the output.
  std::int64_t around(std::int64_t mean, std::int64_t half_width) {
    if (half_width <= 0) return mean;
    const std::int64_t w = half_width * 2 + 1;
    const std::int64_t sum = static_cast<std::int64_t>(below(w) + below(w) + below(w));
    return mean - half_width + sum / 3;
  }
  template <class T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace synth
