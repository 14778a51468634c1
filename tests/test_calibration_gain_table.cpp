// The level calibration table (calibration/gain_table.*): lookup rules and hostile files.
#include <gtest/gtest.h>

#include "calibration/gain_table.hpp"
#include "src/core/error.hpp"
#include "support/test_support.hpp"

using tw::cal::GainTable;

TEST(CalibrationGainTable, PicksTheBandAndTheNearestGain) {
  tw::test::TempDir dir;
  const auto f = dir / "gain_table.json";
  tw::test::write_file(f, R"({"version":1,"devices":{"S1":[
      {"band":"E-GSM900","gain_db":40,"offset_db":-28.5},
      {"band":"E-GSM900","gain_db":30,"offset_db":-18.0},
      {"band":"DCS1800","offset_db":-24.0}],
    "S2":[{"band":"PCS1900","offset_db":-1}]}})");
  EXPECT_FALSE(GainTable::load(f, "S9").has_value());
  const auto t = GainTable::load(f, "S1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->entries().size(), 3u);
  // P-GSM900 cells use the 900 MHz front end's entries.
  EXPECT_EQ(t->offset_db("P-GSM900", 39.0), -28.5);
  EXPECT_EQ(t->offset_db("E-GSM900", 31.0), -18.0);
  EXPECT_FALSE(t->offset_db("P-GSM900", 35.0).has_value());     // 5 dB from both: no entry fits
  EXPECT_FALSE(t->offset_db("P-GSM900", std::nullopt).has_value());  // automatic gain: only gain-less entries
  EXPECT_EQ(t->offset_db("DCS1800", std::nullopt), -24.0);
  EXPECT_EQ(t->offset_db("DCS1800", 12.0), -24.0);
  EXPECT_FALSE(t->offset_db("PCS1900", 12.0).has_value());
  EXPECT_FALSE(GainTable::load(dir / "absent.json", "S1").has_value());
}

TEST(CalibrationGainTable, MalformedEntriesAreErrorsNamingTheField) {
  tw::test::TempDir dir;
  const auto f = dir / "gain_table.json";
  auto error_of = [&](const std::string& text) -> std::string {
    tw::test::write_file(f, text);
    try {
      GainTable::load(f, "S1");
    } catch (const tw::InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of(R"({"version":1,"devices":{"S1":[{"band":"LTE7","offset_db":1}]}})").find("S1[0].band"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"version":1,"devices":{"S1":[{"band":"DCS1800","offset_db":"x"}]}})").find("offset_db"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"version":1,"devices":{"S1":[{"band":"DCS1800","gain_db":1e9,"offset_db":1}]}})").find("gain_db"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"version":2,"devices":{}})").find("version"), std::string::npos);
  EXPECT_NE(error_of("[1,2]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"version":1,"devices":{"S1":{}}})").find("expected an array"), std::string::npos);
}
