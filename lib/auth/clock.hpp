#pragma once
// Time as lib/auth sees it: an injectable wall clock (microseconds since the Unix epoch, UTC), so
// tests can move past code, token and lockout expiries without sleeping.
#include <cstdint>
#include <functional>

namespace auth {

using Clock = std::function<std::int64_t()>;  // microseconds since the epoch

// The real clock (base::now_us).
Clock system_clock();

// Lifetimes fixed by SPEC.md / the issue.
inline constexpr std::int64_t kAccessTokenLifeS = 3600;            // access and id tokens: 1 hour
inline constexpr std::int64_t kRefreshTokenLifeS = 90LL * 24 * 3600;  // refresh tokens: 3 months
inline constexpr std::int64_t kCodeLifeS = 60;                     // authorization codes
inline constexpr std::int64_t kRequestLifeS = 600;                 // a pending authorize request
inline constexpr std::int64_t kLaunchLifeS = 300;                  // an EHR launch value
inline constexpr std::int64_t kAssertionMaxLifeS = 300;            // private_key_jwt exp <= now + 5 min

}  // namespace auth
