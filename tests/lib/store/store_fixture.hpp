#pragma once
// A fresh data directory (real SQLite, migrations applied) per test.
#include <gtest/gtest.h>

#include <memory>

#include "sql/database.hpp"
#include "store/data_dir.hpp"
#include "support/temp_dir.hpp"

namespace store_test {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_data_dir(dir_ / "data");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(*opened);
  }

  test_support::TempDir dir_;
  std::unique_ptr<sql::Database> db_;
};

}  // namespace store_test
