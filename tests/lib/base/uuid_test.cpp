// new_uuid: RFC 4122 version 4 form, and no repeats, also across threads drawing from their own
// blocks of random bytes.
#include "base/uuid.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

TEST(Uuid, Version4Form) {
  const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(std::regex_match(base::new_uuid(), form));
}

TEST(Uuid, NoRepeatsAcrossThreads) {
  std::mutex mu;
  std::set<std::string> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 5000; ++i) mine.push_back(base::new_uuid());
      std::lock_guard lock(mu);
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 20000u);
}

}  // namespace
