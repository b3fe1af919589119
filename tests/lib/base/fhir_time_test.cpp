#include "base/fhir_time.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using base::FhirTime;
using base::TimePrecision;

constexpr std::int64_t kSecond = 1'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

// Known epoch values (seconds), checked with `date -u -d ... +%s`.
constexpr std::int64_t k2024_01_01 = 1704067200;
constexpr std::int64_t k2024_03_01 = 1709251200;
constexpr std::int64_t k2024_03_05 = 1709596800;
constexpr std::int64_t k2025_01_01 = 1735689600;

FhirTime ok_date(const std::string& s) {
  auto r = base::parse_date(s);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : FhirTime{};
}

FhirTime ok_date_time(const std::string& s, bool allow_minutes = false) {
  auto r = base::parse_date_time(s, allow_minutes);
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : FhirTime{};
}

TEST(FhirTimeDate, YearCoversTheWholeYear) {
  FhirTime t = ok_date("2024");
  EXPECT_EQ(t.precision, TimePrecision::year);
  EXPECT_EQ(t.low_us, k2024_01_01 * kSecond);
  EXPECT_EQ(t.high_us, k2025_01_01 * kSecond);
  EXPECT_FALSE(t.has_offset);
}

TEST(FhirTimeDate, MonthCoversTheMonthIncludingLeapFebruary) {
  FhirTime feb = ok_date("2024-02");
  EXPECT_EQ(feb.precision, TimePrecision::month);
  EXPECT_EQ(feb.low_us, (k2024_01_01 + 31 * 86400) * kSecond);
  EXPECT_EQ(feb.high_us, k2024_03_01 * kSecond);
  EXPECT_EQ(feb.high_us - feb.low_us, 29 * kDay);

  FhirTime dec = ok_date("2023-12");
  EXPECT_EQ(dec.high_us, k2024_01_01 * kSecond);
  EXPECT_EQ(dec.high_us - dec.low_us, 31 * kDay);
}

TEST(FhirTimeDate, DayCoversOneDay) {
  FhirTime t = ok_date("2024-03-05");
  EXPECT_EQ(t.precision, TimePrecision::day);
  EXPECT_EQ(t.low_us, k2024_03_05 * kSecond);
  EXPECT_EQ(t.high_us, t.low_us + kDay);
}

TEST(FhirTimeDate, LeapDays) {
  EXPECT_TRUE(base::parse_date("2024-02-29").ok());
  EXPECT_TRUE(base::parse_date("2000-02-29").ok());   // divisible by 400
  EXPECT_FALSE(base::parse_date("1900-02-29").ok());  // divisible by 100 only
  EXPECT_FALSE(base::parse_date("2023-02-29").ok());
  EXPECT_FALSE(base::parse_date("2024-02-30").ok());
}

TEST(FhirTimeDate, YearRangeAndEpochBoundaries) {
  EXPECT_EQ(ok_date("1970").low_us, 0);
  EXPECT_EQ(ok_date("0001-01-01").low_us, -62135596800LL * kSecond);
  EXPECT_EQ(ok_date("9999-12-31").high_us, 253402300800LL * kSecond);
  EXPECT_FALSE(base::parse_date("0000").ok());
  EXPECT_FALSE(base::parse_date("10000").ok());
  EXPECT_LT(ok_date("1969-12-31").low_us, 0);
}

TEST(FhirTimeDate, RejectsBadMonthsDaysAndShapes) {
  for (const char* bad : {"2024-13-01", "2024-00", "2024-04-31", "2024-01-00", "2024-01-32",
                          "24", "2024-1", "2024-01-1", "2024/01/01", "2024-01-01T10:00:00Z", "",
                          " 2024", "2024 ", "２０２４", "2024-01-01Z", "+2024"}) {
    EXPECT_FALSE(base::parse_date(bad).ok()) << bad;
  }
}

TEST(FhirTimeDate, ErrorNamesTheValueAndTheForm) {
  auto r = base::parse_date("2024-13-01");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, base::ErrorCode::invalid);
  EXPECT_EQ(r.error().message,
            "\"2024-13-01\" is not a valid FHIR date (expected YYYY, YYYY-MM or YYYY-MM-DD)");
}

TEST(FhirTimeDate, ErrorCutsLongValues) {
  auto r = base::parse_date(std::string(1000, '9'));
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message.size(), 200u);
  EXPECT_NE(r.error().message.find("...\""), std::string::npos);
}

TEST(FhirTimeDateTime, AcceptsDateForms) {
  EXPECT_EQ(ok_date_time("2024").precision, TimePrecision::year);
  EXPECT_EQ(ok_date_time("2024-03").precision, TimePrecision::month);
  EXPECT_EQ(ok_date_time("2024-03-05").precision, TimePrecision::day);
  EXPECT_FALSE(ok_date_time("2024-03-05").has_offset);
}

TEST(FhirTimeDateTime, SecondPrecisionIsOneSecondWide) {
  FhirTime t = ok_date_time("2024-03-05T10:00:00Z");
  EXPECT_EQ(t.precision, TimePrecision::second);
  EXPECT_EQ(t.low_us, (k2024_03_05 + 10 * 3600) * kSecond);
  EXPECT_EQ(t.high_us, t.low_us + kSecond);
  EXPECT_TRUE(t.has_offset);
}

TEST(FhirTimeDateTime, FractionIsOneUnitOfTheLastDigit) {
  const std::int64_t base_us = (k2024_03_05 + 10 * 3600) * kSecond;
  FhirTime ms = ok_date_time("2024-03-05T10:00:00.123Z");
  EXPECT_EQ(ms.precision, TimePrecision::fraction);
  EXPECT_EQ(ms.low_us, base_us + 123'000);
  EXPECT_EQ(ms.high_us, ms.low_us + 1000);

  FhirTime tenth = ok_date_time("2024-03-05T10:00:00.5Z");
  EXPECT_EQ(tenth.low_us, base_us + 500'000);
  EXPECT_EQ(tenth.high_us - tenth.low_us, 100'000);

  FhirTime micro = ok_date_time("2024-03-05T10:00:00.000007Z");
  EXPECT_EQ(micro.low_us, base_us + 7);
  EXPECT_EQ(micro.high_us - micro.low_us, 1);
}

TEST(FhirTimeDateTime, FractionBeyondMicrosecondsTruncatesAndStaysOneMicrosecondWide) {
  const std::int64_t base_us = (k2024_03_05 + 10 * 3600) * kSecond;
  FhirTime nano = ok_date_time("2024-03-05T10:00:00.123456789Z");
  EXPECT_EQ(nano.low_us, base_us + 123'456);
  EXPECT_EQ(nano.high_us - nano.low_us, 1);
  EXPECT_FALSE(base::parse_date_time("2024-03-05T10:00:00.1234567891Z").ok());  // 10 digits
  EXPECT_FALSE(base::parse_date_time("2024-03-05T10:00:00.Z").ok());
}

TEST(FhirTimeDateTime, OffsetsShiftToUtc) {
  const std::int64_t utc = (k2024_03_05 + 10 * 3600) * kSecond;
  EXPECT_EQ(ok_date_time("2024-03-05T12:30:00+02:30").low_us, utc);
  EXPECT_EQ(ok_date_time("2024-03-05T05:00:00-05:00").low_us, utc);
  EXPECT_EQ(ok_date_time("2024-03-05T10:00:00-00:00").low_us, utc);
  EXPECT_EQ(ok_date_time("2024-03-06T00:00:00+14:00").low_us, utc);
  EXPECT_EQ(ok_date_time("2024-03-04T20:00:00-14:00").low_us, utc);
}

TEST(FhirTimeDateTime, RejectsBadOffsets) {
  for (const char* bad : {"2024-03-05T10:00:00+14:01", "2024-03-05T10:00:00-15:00",
                          "2024-03-05T10:00:00+05:60", "2024-03-05T10:00:00+0500",
                          "2024-03-05T10:00:00+5:00", "2024-03-05T10:00:00z",
                          "2024-03-05T10:00:00UTC", "2024-03-05T10:00:00Z ",
                          "2024-03-05T10:00:00+05:00Z"}) {
    EXPECT_FALSE(base::parse_date_time(bad).ok()) << bad;
  }
}

TEST(FhirTimeDateTime, TimeRequiresAnOffset) {
  auto r = base::parse_date_time("2024-03-05T10:00:00");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("\"2024-03-05T10:00:00\" is not a valid FHIR dateTime"),
            std::string::npos);
  EXPECT_NE(r.error().message.find("(Z|+hh:mm|-hh:mm)"), std::string::npos);
}

TEST(FhirTimeDateTime, RejectsBadClockValues) {
  for (const char* bad : {"2024-03-05T24:00:00Z", "2024-03-05T10:60:00Z", "2024-03-05T10:00:61Z",
                          "2024-03-05t10:00:00Z", "2024-03-05 10:00:00Z", "2024-03-05T1:00:00Z",
                          "2024-03-05T"}) {
    EXPECT_FALSE(base::parse_date_time(bad).ok()) << bad;
  }
}

TEST(FhirTimeDateTime, LeapSecondIsTheSecondAfter59) {
  FhirTime t = ok_date_time("2016-12-31T23:59:60Z");
  EXPECT_EQ(t.low_us, ok_date_time("2017-01-01T00:00:00Z").low_us);
}

TEST(FhirTimeDateTime, MinutePrecisionOnlyWithAllowMinutes) {
  EXPECT_FALSE(base::parse_date_time("2024-03-05T10:00Z").ok());
  FhirTime t = ok_date_time("2024-03-05T10:00Z", true);
  EXPECT_EQ(t.precision, TimePrecision::minute);
  EXPECT_EQ(t.low_us, (k2024_03_05 + 10 * 3600) * kSecond);
  EXPECT_EQ(t.high_us, t.low_us + kMinute);
  // Search values may omit the offset: read as UTC, and marked as having none.
  FhirTime zoneless = ok_date_time("2024-03-05T10:00", true);
  EXPECT_EQ(zoneless.low_us, t.low_us);
  EXPECT_FALSE(zoneless.has_offset);
  EXPECT_FALSE(base::parse_date_time("2024-03-05T10:00:00").ok()) << "resources still need an offset";
  auto r = base::parse_date_time("2024-03-05T10Z", true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hh:mm(:ss"), std::string::npos);
}

TEST(FhirTimeInstant, NeedsEveryPart) {
  auto t = base::parse_instant("2024-03-05T10:00:00.123+01:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->precision, TimePrecision::fraction);
  EXPECT_EQ(t->low_us, (k2024_03_05 + 9 * 3600) * kSecond + 123'000);
  EXPECT_TRUE(base::parse_instant("2024-03-05T10:00:00Z").ok());
  for (const char* bad : {"2024", "2024-03", "2024-03-05", "2024-03-05T10:00Z",
                          "2024-03-05T10:00:00", "2024-02-30T10:00:00Z"}) {
    auto r = base::parse_instant(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message, "\"" + std::string(bad) +
                                     "\" is not a valid FHIR instant (expected "
                                     "YYYY-MM-DDThh:mm:ss(.sss)?(Z|+hh:mm|-hh:mm))");
  }
}

TEST(FhirTimeTime, ParsesMicrosSinceMidnight) {
  auto t = base::parse_time("10:20:30");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 10 * kHour + 20 * kMinute + 30 * kSecond);
  auto f = base::parse_time("23:59:59.9999999");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, kDay - 1);
  EXPECT_EQ(*base::parse_time("00:00:00"), 0);
}

TEST(FhirTimeTime, RejectsOutOfRangeAndPartialValues) {
  for (const char* bad : {"24:00:00", "10:60:00", "10:00:60", "10:00", "10:00:00Z",
                          "10:00:00+01:00", "1:00:00", "10:00:00.", "10:00:00.1234567890"}) {
    auto r = base::parse_time(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("(expected hh:mm:ss(.sss)?)"), std::string::npos);
  }
}

TEST(FhirTimeFormat, InstantWithMilliseconds) {
  EXPECT_EQ(base::format_instant(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(base::format_instant((k2024_03_05 + 10 * 3600) * kSecond + 123'456),
            "2024-03-05T10:00:00.123Z");
  EXPECT_EQ(base::format_instant(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(base::format_instant(253402300799LL * kSecond), "9999-12-31T23:59:59.000Z");
}

TEST(FhirTimeFormat, InstantRoundTrips) {
  for (const char* s : {"2024-03-05T10:00:00.123Z", "2024-02-29T23:59:59.999Z",
                        "1969-07-20T20:17:40.000Z", "0001-01-01T00:00:00.000Z",
                        "9999-12-31T23:59:59.999Z"}) {
    auto t = base::parse_instant(s);
    ASSERT_TRUE(t.ok()) << s;
    EXPECT_EQ(base::format_instant(t->low_us), s);
  }
  const std::int64_t now_ms = base::now_us() / 1000 * 1000;
  EXPECT_EQ(base::parse_instant(base::format_instant(now_ms))->low_us, now_ms);
}

TEST(FhirTimeFormat, HttpDate) {
  EXPECT_EQ(base::format_http_date((k2024_03_05 + 10 * 3600) * kSecond + 999'999),
            "Tue, 05 Mar 2024 10:00:00 GMT");
  EXPECT_EQ(base::format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(base::format_http_date(784111777LL * kSecond), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(base::format_http_date(-kSecond), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(FhirTimeNow, IsCurrent) {
  // 2024-01-01 < now < 2100-01-01
  EXPECT_GT(base::now_us(), k2024_01_01 * kSecond);
  EXPECT_LT(base::now_us(), 4102444800LL * kSecond);
}

}  // namespace
