#pragma once
// Result<T>: a T or a base::Error. Library functions return these instead of throwing.
#include <cassert>
#include <utility>
#include <variant>

#include "base/error.hpp"

namespace base {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(implicit)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace base

// Propagate an error from an expression returning Result<...>: FHIR_TRY(auto x, f());
#define FHIR_CONCAT_INNER(a, b) a##b
#define FHIR_CONCAT(a, b) FHIR_CONCAT_INNER(a, b)
#define FHIR_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                   \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define FHIR_TRY(decl, expr) FHIR_TRY_IMPL(FHIR_CONCAT(fhir_try_, __LINE__), decl, expr)
#define FHIR_CHECK(expr)                                 \
  do {                                                   \
    auto fhir_check_ = (expr);                           \
    if (!fhir_check_.ok()) return std::move(fhir_check_).error(); \
  } while (0)
