#pragma once
// Shared by the resource_store_*_test.cpp files: a ResourceStore over a fresh data directory.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "base/json.hpp"
#include "store/resource_store.hpp"
#include "store_fixture.hpp"

namespace store_test {

using base::ErrorCode;
using base::Json;

inline Json patient(const std::string& family) {
  return Json{{"resourceType", "Patient"}, {"name", Json::array({Json{{"family", family}}})}};
}

class ResourceStoreTest : public store_test::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (db_) rs_ = std::make_unique<store::ResourceStore>(*db_);
  }
  store::HistoryPage history(store::HistoryQuery q) {
    auto page = rs_->history(q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? std::move(*page) : store::HistoryPage{};
  }
  static std::vector<std::string> methods(const store::HistoryPage& p) {
    std::vector<std::string> out;
    for (const auto& e : p.entries) out.push_back(e.method);
    return out;
  }
  std::unique_ptr<store::ResourceStore> rs_;
};

// The error code's name, or "ok"; safe to call on any Result.
template <class T>
inline std::string code_of(const base::Result<T>& r) {
  return r.ok() ? "ok" : base::to_string(r.error().code);
}

// The version of a successful read, or -1.
inline std::int64_t version_of(const base::Result<store::StoredResource>& r) { return r.ok() ? r->version : -1; }

inline std::vector<std::string> keys(const Json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

}  // namespace store_test
