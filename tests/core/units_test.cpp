#include "sim/core/units.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sim/core/user_error.hpp"

namespace suanwang::units {
namespace {

using D = Dimension;

double P(const char* text, D dim) { return parse(text, dim, "test.value"); }

// Returns the UserError message, or fails the test if parse did not throw.
std::string error_of(const char* text, D dim, const char* what = "workload[2].duration.mean") {
  try {
    parse(text, dim, what);
  } catch (const UserError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no UserError for \"" << text << "\" as " << dimension_name(dim);
  return {};
}

TEST(UnitsParse, Duration) {
  EXPECT_DOUBLE_EQ(P("30d", D::duration), 30 * 86400.0);
  EXPECT_DOUBLE_EQ(P("3.5h", D::duration), 3.5 * 3600);
  EXPECT_DOUBLE_EQ(P("12ms", D::duration), 0.012);
  EXPECT_DOUBLE_EQ(P("7s", D::duration), 7);
  EXPECT_DOUBLE_EQ(P("7sec", D::duration), 7);
  EXPECT_DOUBLE_EQ(P("5us", D::duration), 5e-6);
  EXPECT_DOUBLE_EQ(P("5ns", D::duration), 5e-9);
  EXPECT_DOUBLE_EQ(P("2min", D::duration), 120);
  EXPECT_DOUBLE_EQ(P("2w", D::duration), 2 * 604800.0);
  EXPECT_DOUBLE_EQ(P("90", D::duration), 90);
}

TEST(UnitsParse, Bytes) {
  EXPECT_DOUBLE_EQ(P("200GB", D::bytes), 200e9);
  EXPECT_DOUBLE_EQ(P("1B", D::bytes), 1);
  EXPECT_DOUBLE_EQ(P("3KB", D::bytes), 3e3);
  EXPECT_DOUBLE_EQ(P("3MB", D::bytes), 3e6);
  EXPECT_DOUBLE_EQ(P("1.5TB", D::bytes), 1.5e12);
  EXPECT_DOUBLE_EQ(P("2PB", D::bytes), 2e15);
  EXPECT_DOUBLE_EQ(P("4KiB", D::bytes), 4096);
  EXPECT_DOUBLE_EQ(P("1MiB", D::bytes), 1048576);
  EXPECT_DOUBLE_EQ(P("1GiB", D::bytes), 1073741824.0);
  EXPECT_DOUBLE_EQ(P("1TiB", D::bytes), 1099511627776.0);
  EXPECT_DOUBLE_EQ(P("1PiB", D::bytes), 1125899906842624.0);
}

TEST(UnitsParse, BandwidthBitsAndBytes) {
  EXPECT_DOUBLE_EQ(P("400Gbps", D::bandwidth), 400e9 / 8);
  EXPECT_DOUBLE_EQ(P("8bps", D::bandwidth), 1);
  EXPECT_DOUBLE_EQ(P("8Kbps", D::bandwidth), 1e3);
  EXPECT_DOUBLE_EQ(P("10 Mbps", D::bandwidth), 10e6 / 8);
  EXPECT_DOUBLE_EQ(P("1Tbps", D::bandwidth), 1e12 / 8);
  EXPECT_DOUBLE_EQ(P("1 GB/s", D::bandwidth), 1e9);
  EXPECT_DOUBLE_EQ(P("5B/s", D::bandwidth), 5);
  EXPECT_DOUBLE_EQ(P("5KB/s", D::bandwidth), 5e3);
  EXPECT_DOUBLE_EQ(P("5MB/s", D::bandwidth), 5e6);
}

TEST(UnitsParse, Rate) {
  EXPECT_DOUBLE_EQ(P("6/h", D::rate), 6.0 / 3600);
  EXPECT_DOUBLE_EQ(P("6 /h", D::rate), 6.0 / 3600);
  EXPECT_DOUBLE_EQ(P("6 / h", D::rate), 6.0 / 3600);
  EXPECT_DOUBLE_EQ(P("0.5/s", D::rate), 0.5);
  EXPECT_DOUBLE_EQ(P("3/min", D::rate), 0.05);
  EXPECT_DOUBLE_EQ(P("100/d", D::rate), 100.0 / 86400);
  EXPECT_DOUBLE_EQ(P("7/w", D::rate), 7.0 / 604800);
  EXPECT_DOUBLE_EQ(P("0.25", D::rate), 0.25);
}

TEST(UnitsParse, PowerEnergyPriceLength) {
  EXPECT_DOUBLE_EQ(P("350W", D::power), 350);
  EXPECT_DOUBLE_EQ(P("1.2kW", D::power), 1200);
  EXPECT_DOUBLE_EQ(P("20MW", D::power), 20e6);
  EXPECT_DOUBLE_EQ(P("100J", D::energy), 100);
  EXPECT_DOUBLE_EQ(P("2kJ", D::energy), 2e3);
  EXPECT_DOUBLE_EQ(P("3.6MJ", D::energy), 3.6e6);
  EXPECT_DOUBLE_EQ(P("1Wh", D::energy), 3600);
  EXPECT_DOUBLE_EQ(P("5kWh", D::energy), 5 * kJoulePerKWh);
  EXPECT_DOUBLE_EQ(P("1MWh", D::energy), 3.6e9);
  EXPECT_DOUBLE_EQ(P("0.45 CNY/kWh", D::price), 0.45 / 3.6e6);
  EXPECT_DOUBLE_EQ(P("0.45CNY/kWh", D::price), 0.45 / 3.6e6);
  EXPECT_DOUBLE_EQ(P("450 CNY/MWh", D::price), 450 / 3.6e9);
  EXPECT_DOUBLE_EQ(P("500m", D::length), 500);
  EXPECT_DOUBLE_EQ(P("1200km", D::length), 1.2e6);
}

TEST(UnitsParse, Fraction) {
  EXPECT_DOUBLE_EQ(P("20%", D::fraction), 0.2);
  EXPECT_DOUBLE_EQ(P("20 %", D::fraction), 0.2);
  EXPECT_DOUBLE_EQ(P("0.2", D::fraction), 0.2);
  EXPECT_DOUBLE_EQ(P("100%", D::fraction), 1.0);
}

TEST(UnitsParse, SpacingSignsAndScientific) {
  EXPECT_DOUBLE_EQ(P("12 ms", D::duration), 0.012);
  EXPECT_DOUBLE_EQ(P("  12ms  ", D::duration), 0.012);
  EXPECT_DOUBLE_EQ(P("\t12\tms\n", D::duration), 0.012);
  EXPECT_DOUBLE_EQ(P("1e3ms", D::duration), 1);
  EXPECT_DOUBLE_EQ(P("1.5E-3 s", D::duration), 1.5e-3);
  EXPECT_DOUBLE_EQ(P("2.5e11", D::bytes), 2.5e11);
  EXPECT_DOUBLE_EQ(P(".5h", D::duration), 1800);
  EXPECT_DOUBLE_EQ(P("+3s", D::duration), 3);
  // Range checks belong to callers, so a negative value parses.
  EXPECT_DOUBLE_EQ(P("-3s", D::duration), -3);
}

TEST(UnitsParse, WrongDimensionIsNamed) {
  std::string m = error_of("12GB", D::duration);
  EXPECT_NE(m.find("workload[2].duration.mean: "), std::string::npos) << m;
  EXPECT_NE(m.find("expected a duration like \"30d\", \"3.5h\", \"12ms\"; got \"12GB\""),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\"GB\" is a bytes unit"), std::string::npos) << m;
  EXPECT_NE(m.find("ms"), std::string::npos) << m;
  EXPECT_NE(m.find("min"), std::string::npos) << m;

  EXPECT_NE(error_of("400Gbps", D::bytes).find("bandwidth unit"), std::string::npos);
  EXPECT_NE(error_of("5kWh", D::power).find("energy unit"), std::string::npos);
  EXPECT_NE(error_of("6/h", D::duration).find("rate unit"), std::string::npos);
}

TEST(UnitsParse, UnitsAreCaseSensitive) {
  // "Mb" is not accepted at all, "mB" neither: never a guess.
  error_of("10Mb", D::bytes);
  error_of("10mB", D::bytes);
  error_of("10gbps", D::bandwidth);
  error_of("3H", D::duration);
  error_of("3 kwh", D::energy);
}

TEST(UnitsParse, UnknownUnitListsAccepted) {
  std::string m = error_of("3 fortnights", D::duration, "job.walltime");
  EXPECT_EQ(m.rfind("job.walltime: ", 0), 0u) << m;
  EXPECT_NE(m.find("unknown unit \"fortnights\""), std::string::npos) << m;
  for (const char* u : {"s", "sec", "ms", "us", "ns", "min", "h", "d", "w"})
    EXPECT_NE(m.find(std::string(" ") + u), std::string::npos) << u << " missing in " << m;

  std::string b = error_of("3 furlongs", D::bandwidth);
  for (const char* u : {"bps", "Kbps", "Mbps", "Gbps", "Tbps", "B/s", "KB/s", "MB/s", "GB/s"})
    EXPECT_NE(b.find(u), std::string::npos) << u << " missing in " << b;
}

TEST(UnitsParse, EmptyAndGarbage) {
  EXPECT_NE(error_of("", D::duration).find("empty"), std::string::npos);
  EXPECT_NE(error_of("   ", D::bytes).find("empty"), std::string::npos);
  error_of("ms", D::duration);
  error_of("abc", D::duration);
  error_of("12ms garbage", D::duration);
  error_of("12msx", D::duration);
  error_of("12 ms 3", D::duration);
  error_of("1,5h", D::duration);
  error_of("1.2.3s", D::duration);
  error_of("+-3s", D::duration);
  error_of("--3s", D::duration);
  error_of("0x10", D::bytes);
  error_of("%", D::fraction);
  error_of("20%%", D::fraction);
  error_of("6h/", D::rate);
}

TEST(UnitsParse, RejectsNonFinite) {
  error_of("nan", D::duration);
  error_of("NaN s", D::duration);
  error_of("inf", D::bytes);
  error_of("-infinity", D::bytes);
  error_of("1e400", D::bytes);
}

TEST(UnitsParse, ErrorIsUserErrorWithoutFile) {
  try {
    parse("12GB", D::duration, "x");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("x: expected", 0), 0u) << e.what();
  }
}

TEST(UnitsNames, DimensionName) {
  EXPECT_STREQ(dimension_name(D::duration), "duration");
  EXPECT_STREQ(dimension_name(D::bytes), "bytes");
  EXPECT_STREQ(dimension_name(D::bandwidth), "bandwidth");
  EXPECT_STREQ(dimension_name(D::rate), "rate");
  EXPECT_STREQ(dimension_name(D::power), "power");
  EXPECT_STREQ(dimension_name(D::energy), "energy");
  EXPECT_STREQ(dimension_name(D::price), "price");
  EXPECT_STREQ(dimension_name(D::length), "length");
  EXPECT_STREQ(dimension_name(D::fraction), "fraction");
}

TEST(UnitsFormat, Duration) {
  EXPECT_EQ(format_duration(3600), "1h");
  EXPECT_EQ(format_duration(5400), "1.5h");
  EXPECT_EQ(format_duration(30 * 86400.0), "30d");
  EXPECT_EQ(format_duration(90), "1.5min");
  EXPECT_EQ(format_duration(45), "45s");
  EXPECT_EQ(format_duration(0.012), "12ms");
  EXPECT_EQ(format_duration(2.5e-6), "2.5us");
  EXPECT_EQ(format_duration(3e-9), "3ns");
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(-120), "-2min");
  EXPECT_EQ(format_duration(0.9999), "1s");  // rounding carries into the next unit
}

TEST(UnitsFormat, Bytes) {
  EXPECT_EQ(format_bytes(2.5e11), "250 GB");
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1500), "1.5 KB");
  EXPECT_EQ(format_bytes(4e15), "4 PB");
  EXPECT_EQ(format_bytes(1.234e12), "1.23 TB");
}

TEST(UnitsFormat, BandwidthInBits) {
  EXPECT_EQ(format_bandwidth(400e9 / 8), "400 Gbps");
  EXPECT_EQ(format_bandwidth(1e9), "8 Gbps");
  EXPECT_EQ(format_bandwidth(1.25e6), "10 Mbps");
  EXPECT_EQ(format_bandwidth(0), "0 bps");
}

TEST(UnitsFormat, RoundTrip) {
  for (const char* s : {"30d", "1.5h", "12ms", "45s"})
    EXPECT_EQ(format_duration(P(s, D::duration)), s);
  EXPECT_DOUBLE_EQ(P(format_bytes(2.5e11).c_str(), D::bytes), 2.5e11);
  EXPECT_DOUBLE_EQ(P(format_bandwidth(5e10).c_str(), D::bandwidth), 5e10);
}

}  // namespace
}  // namespace suanwang::units
