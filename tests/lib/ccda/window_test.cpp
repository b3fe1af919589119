// ccda::parse_window: every rule of the service date window (SPEC.md, $docref): no start, no end,
// start = end, widening of YYYY / YYYY-MM / YYYY-MM-DD, invalid dates, end before start.
#include <gtest/gtest.h>

#include "base/fhir_time.hpp"
#include "ccda/ccd.hpp"

namespace {

std::int64_t at(std::string_view date) {  // midnight UTC of a YYYY-MM-DD
  auto t = base::parse_date(date);
  EXPECT_TRUE(t.ok()) << date;
  return t.ok() ? t->low_us : 0;
}

TEST(CcdaWindow, NoBoundsIsTheWholeRecord) {
  auto w = ccda::parse_window(std::nullopt, std::nullopt);
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->start_us);
  EXPECT_FALSE(w->end_us);
  EXPECT_TRUE(w->start_text.empty());
  EXPECT_TRUE(w->end_text.empty());
}

TEST(CcdaWindow, NoStartIsAllHistoryUpToTheEndOfTheEndDate) {
  auto w = ccda::parse_window(std::nullopt, "2024-03-05");
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->start_us);
  EXPECT_EQ(*w->end_us, at("2024-03-06"));
  EXPECT_EQ(w->end_text, "2024-03-05");
}

TEST(CcdaWindow, NoEndIsEverythingFromTheStartOfTheStartDate) {
  auto w = ccda::parse_window("2024-03-05", std::nullopt);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w->start_us, at("2024-03-05"));
  EXPECT_FALSE(w->end_us);
  EXPECT_EQ(w->start_text, "2024-03-05");
}

TEST(CcdaWindow, StartEqualToEndIsThatServiceDay) {
  auto w = ccda::parse_window("2024-03-05", "2024-03-05");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w->start_us, at("2024-03-05"));
  EXPECT_EQ(*w->end_us, at("2024-03-06"));
}

TEST(CcdaWindow, YearWidensToTheWholeYear) {
  auto w = ccda::parse_window("2023", "2024");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w->start_us, at("2023-01-01"));
  EXPECT_EQ(*w->end_us, at("2025-01-01"));
  auto same = ccda::parse_window("2024", "2024");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(*same->start_us, at("2024-01-01"));
  EXPECT_EQ(*same->end_us, at("2025-01-01"));
}

TEST(CcdaWindow, MonthWidensToTheWholeMonthIncludingLeapFebruary) {
  auto w = ccda::parse_window("2024-02", "2024-02");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w->start_us, at("2024-02-01"));
  EXPECT_EQ(*w->end_us, at("2024-03-01"));
  auto dec = ccda::parse_window("2023-12", "2023-12");
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(*dec->end_us, at("2024-01-01"));
}

TEST(CcdaWindow, MixedPrecisionsWidenEachBoundOnItsOwn) {
  auto w = ccda::parse_window("2023", "2024-06-15");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w->start_us, at("2023-01-01"));
  EXPECT_EQ(*w->end_us, at("2024-06-16"));
  auto v = ccda::parse_window("2024-06-15", "2024-06");  // end period contains the start day
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v->start_us, at("2024-06-15"));
  EXPECT_EQ(*v->end_us, at("2024-07-01"));
}

TEST(CcdaWindow, MalformedDatesAreInvalidAndTheMessageNamesThem) {
  for (const char* bad : {"2024-13", "2023-02-29", "24-01-01", "2024/01/01", "yesterday", "", "2024-01-01T10:00:00Z",
                          " 2024", "2024-1"}) {
    auto w = ccda::parse_window(bad, std::nullopt);
    ASSERT_FALSE(w.ok()) << bad;
    EXPECT_EQ(w.error().code, base::ErrorCode::invalid);
    EXPECT_NE(w.error().message.find("start"), std::string::npos) << w.error().message;
    EXPECT_NE(w.error().message.find(std::string("'") + bad + "'"), std::string::npos) << w.error().message;
    auto e = ccda::parse_window(std::nullopt, bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_NE(e.error().message.find("end"), std::string::npos) << e.error().message;
  }
  auto leap = ccda::parse_window("2024-02-29", std::nullopt);
  EXPECT_TRUE(leap.ok());
}

TEST(CcdaWindow, ControlCharactersInABadValueAreNotEchoed) {
  auto w = ccda::parse_window(std::string_view("20\n24\x1b", 6), std::nullopt);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message.find('\n'), std::string::npos);
  EXPECT_EQ(w.error().message.find('\x1b'), std::string::npos);
}

TEST(CcdaWindow, EndBeforeStartIsInvalid) {
  for (auto [s, e] : {std::pair{"2024-03-05", "2024-03-04"}, std::pair{"2024-05", "2024-04"},
                      std::pair{"2024", "2023"}, std::pair{"2024-01-01", "2023-12"}}) {
    auto w = ccda::parse_window(s, e);
    ASSERT_FALSE(w.ok()) << s << " " << e;
    EXPECT_EQ(w.error().code, base::ErrorCode::invalid);
    EXPECT_NE(w.error().message.find("before"), std::string::npos) << w.error().message;
    EXPECT_NE(w.error().message.find(e), std::string::npos) << w.error().message;
  }
}

}  // namespace
