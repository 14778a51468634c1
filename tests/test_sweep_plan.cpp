// Band plans and the sweep planner (src/sweep/band_plan.*, sweep_plan.*). Truth: 45.005 clause 2 carrier
// tables worked out here, and the geometry rules of the planner checked channel by channel.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "src/core/error.hpp"
#include "src/sweep/band_plan.hpp"
#include "src/sweep/scan_session.hpp"
#include "src/sweep/sweep_plan.hpp"
#include "support/test_support.hpp"

using namespace tw;
using namespace tw::sweep;
using tw::test::expect_input_error;

TEST(SweepBandPlan, BandsHoldTheCarriersOf45005) {
  // E-GSM900: ARFCN 0..124 and 975..1023, downlink 925.2..959.8 MHz (Fl(n) = 890 + 0.2n + 45, n-1024 above 974).
  const auto e = make_band(GsmBandId::egsm900);
  EXPECT_EQ(e.channels.size(), 125u + 49u);
  EXPECT_EQ(e.channels.front().arfcn, 975);
  EXPECT_NEAR(e.low_hz(), 925.2e6, 1);
  EXPECT_EQ(e.channels.back().arfcn, 124);
  EXPECT_NEAR(e.high_hz(), 959.8e6, 1);
  // DCS1800: 512..885, 1805.2..1879.8 MHz; PCS1900: 512..810, 1930.2..1989.8; GSM850: 128..251, 869.2..893.8.
  const auto d = make_band(GsmBandId::dcs1800);
  EXPECT_EQ(d.channels.size(), 374u);
  EXPECT_NEAR(d.low_hz(), 1805.2e6, 1);
  EXPECT_NEAR(d.high_hz(), 1879.8e6, 1);
  const auto p = make_band(GsmBandId::pcs1900);
  EXPECT_EQ(p.channels.size(), 299u);
  EXPECT_NEAR(p.high_hz(), 1989.8e6, 1);
  const auto g = make_band(GsmBandId::gsm850);
  EXPECT_EQ(g.channels.size(), 124u);
  EXPECT_NEAR(g.low_hz(), 869.2e6, 1);
}

TEST(SweepBandPlan, ParsesListsAllAndRegions) {
  auto names = [](const std::vector<SweepBand>& v) {
    std::vector<std::string> n;
    for (const auto& b : v) n.push_back(b.name);
    return n;
  };
  EXPECT_EQ(names(parse_band_list("GSM900,DCS1800")), (std::vector<std::string>{"E-GSM900", "DCS1800"}));
  EXPECT_EQ(names(parse_band_list("dcs1800, gsm900")), (std::vector<std::string>{"E-GSM900", "DCS1800"}));
  EXPECT_EQ(names(parse_band_list("all")), (std::vector<std::string>{"GSM850", "E-GSM900", "DCS1800", "PCS1900"}));
  // P-GSM lies inside E-GSM: swept once.
  EXPECT_EQ(names(parse_band_list("P-GSM900,E-GSM900")), (std::vector<std::string>{"E-GSM900"}));
  // Regions: the GSM bands and the operators' LTE bands, in frequency order (36.101 table 5.5-1 edges:
  // B20 791-821, B3 1805-1880, B7 2620-2690; B12 729-746, B13 746-756, B5 869-894, B2 1930-1990, B66 2110-2200).
  EXPECT_EQ(names(region_bands("eu")), (std::vector<std::string>{"LTE-B20", "E-GSM900", "LTE-B3", "DCS1800", "LTE-B7"}));
  EXPECT_EQ(names(region_bands("us")),
            (std::vector<std::string>{"LTE-B12", "LTE-B13", "LTE-B5", "GSM850", "LTE-B2", "PCS1900", "LTE-B66"}));
  EXPECT_EQ(names(parse_band_list("eu")), names(region_bands("eu")));
  EXPECT_EQ(names(filter_rats(region_bands("eu"), "gsm")), (std::vector<std::string>{"E-GSM900", "DCS1800"}));
  EXPECT_EQ(names(filter_rats(region_bands("eu"), "LTE")), (std::vector<std::string>{"LTE-B20", "LTE-B3", "LTE-B7"}));
  EXPECT_EQ(names(filter_rats(region_bands("us"), "gsm,lte")), names(region_bands("us")));
  expect_input_error([] { filter_rats(region_bands("eu"), "umts"); }, {"umts"});
  expect_input_error([] { filter_rats(parse_band_list("GSM900"), "lte"); }, {"--rat"});
  // B20's downlink: 791..821 MHz, EARFCN 6150..6449, every 100 kHz.
  const auto b20 = region_bands("eu").front();
  EXPECT_EQ(b20.lte_channels.size(), 300u);
  EXPECT_EQ(b20.lte_channels.front().earfcn, 6150);
  EXPECT_NEAR(b20.low_hz(), 791.0e6, 1);
  EXPECT_THROW(parse_band_list("GSM900,UMTS1"), InputError);
  EXPECT_THROW(parse_band_list("GSM900,LTE-B99"), InputError);  // no such LTE band
  EXPECT_THROW(parse_band_list("GSM900,,DCS"), InputError);
  EXPECT_THROW(region_bands("mars"), InputError);
}

namespace {

// The planner's promises, checked independently: every channel assigned exactly once; each lies at least
// 100 kHz inside the usable band (80% of the rate) of its tuning and at least 100 kHz from its DC.
void check_plan(const std::vector<SweepBand>& bands, double rate) {
  SweepPlanOptions o;
  o.sample_rate_hz = rate;
  const auto plan = plan_sweep(bands, o);
  std::map<double, int> seen;
  const double usable_half = 0.8 * rate / 2;
  for (const auto& t : plan.tunings)
    for (const auto& ch : t.channels) {
      ++seen[ch.downlink_hz];
      const double d = std::fabs(ch.downlink_hz - t.center_hz);
      EXPECT_LE(d, usable_half - 100e3 + 1e-3) << ch.arfcn << " in tuning " << t.center_hz;
      EXPECT_GE(d, 100e3 - 1e-3) << ch.arfcn << " too near DC of " << t.center_hz;
    }
  std::size_t total = 0;
  for (const auto& b : bands) {
    total += b.channels.size();
    for (const auto& ch : b.channels) EXPECT_EQ(seen[ch.downlink_hz], 1) << b.name << " ARFCN " << ch.arfcn;
  }
  EXPECT_EQ(plan.channels(), total);
}

}  // namespace

TEST(SweepPlanner, CoversEveryChannelOnceInsideTheBandAndClearOfDc) {
  for (double rate : {2.4e6, 2.048e6, 8e6, 20e6}) {
    SCOPED_TRACE(rate);
    check_plan(parse_band_list("all"), rate);
    check_plan(parse_band_list("GSM450,GSM480,R-GSM900"), rate);
  }
}

TEST(SweepPlanner, TuningCountsForEgsm900) {
  // 2.4 Msps: usable +-960 kHz, channels up to 860 kHz from the centre and 100 kHz off DC: at +-100, 300, 500,
  // 700 kHz, 8 per tuning; E-GSM900 spans 174 contiguous carriers -> ceil(174/8) = 22 tunings.
  const auto egsm = parse_band_list("GSM900");
  SweepPlanOptions o;
  o.sample_rate_hz = 2.4e6;
  EXPECT_EQ(plan_sweep(egsm, o).tunings.size(), 22u);
  EXPECT_EQ(plan_sweep(egsm, o).tunings.front().channels.size(), 8u);
  // 20 Msps: usable +-8 MHz, channels up to 7.9 MHz out: 100 + 200k*39 = 7.9 MHz -> 80 per tuning -> 3 tunings.
  o.sample_rate_hz = 20e6;
  EXPECT_EQ(plan_sweep(egsm, o).tunings.size(), 3u);
  EXPECT_EQ(plan_sweep(egsm, o).tunings.front().channels.size(), 80u);
}

TEST(SweepPlanner, DwellPerModeAndOverride) {
  const auto egsm = parse_band_list("GSM900");
  SweepPlanOptions o;
  o.mode = ScanMode::full;
  // A whole SI cycle is 8 x 51 frames of 4.615 ms = 1.88 s (45.002 clause 6.3.1.3): the default covers it.
  EXPECT_GT(plan_sweep(egsm, o).dwell_s, 8 * 51 * 4.615e-3);
  o.mode = ScanMode::sync;
  // FCCH/SCH every 10 or 11 frames (45.002 clause 7 table 3): the dwell holds several.
  EXPECT_GT(plan_sweep(egsm, o).dwell_s, 3 * 11 * 4.615e-3);
  EXPECT_LT(plan_sweep(egsm, o).dwell_s, 1.0);
  o.dwell_s = 0.7;
  EXPECT_DOUBLE_EQ(plan_sweep(egsm, o).dwell_s, 0.7);
  o.dwell_s = -1;
  EXPECT_THROW(plan_sweep(egsm, o), InputError);
  EXPECT_THROW(scan_mode_from_name("deep"), InputError);
}

TEST(SweepPlanner, RejectsARateTooSmallForOneChannel) {
  SweepPlanOptions o;
  o.sample_rate_hz = 400e3;  // usable +-160 kHz: no carrier fits 100 kHz inside and 100 kHz off DC
  EXPECT_THROW(plan_sweep(parse_band_list("GSM900"), o), InputError);
  o.sample_rate_hz = 500e3;  // usable +-200 kHz: the two carriers at +-100 kHz -> 174 / 2 tunings
  const auto plan = plan_sweep(parse_band_list("GSM900"), o);
  EXPECT_EQ(plan.tunings.size(), 87u);
}

TEST(SweepBandPlan, LteBandsParseToTheEarfcnRasterAndArePlannedBesideGsm) {
  const auto bands = parse_band_list("GSM900, LTE-B20, lte-b3, LTE-B20");
  ASSERT_EQ(bands.size(), 3u);  // sorted by lowest frequency, LTE-B20 once
  EXPECT_EQ(bands[0].name, "LTE-B20");
  EXPECT_TRUE(bands[0].is_lte());
  EXPECT_EQ(bands[0].lte_band, 20);
  // 36.101 table 5.7.3-1: B20 791..821 MHz, EARFCN 6150..6449 on the 100 kHz raster.
  ASSERT_EQ(bands[0].lte_channels.size(), 300u);
  EXPECT_EQ(bands[0].lte_channels.front().earfcn, 6150);
  EXPECT_NEAR(bands[0].low_hz(), 791.0e6, 1);
  EXPECT_NEAR(bands[0].high_hz(), 820.9e6, 1);
  EXPECT_EQ(bands[1].name, "E-GSM900");
  EXPECT_EQ(bands[2].name, "LTE-B3");
  EXPECT_NEAR(bands[2].low_hz(), 1805.0e6, 1);  // B3: 1805 MHz at EARFCN 1200
  // The GSM tunings of the mixed list are those of GSM900 alone; the LTE bands add theirs, in band order.
  SweepPlanOptions o;
  const auto mixed = plan_sweep(bands, o);
  const auto gsm = plan_sweep(parse_band_list("GSM900"), o);
  std::vector<double> gsm_centres;
  std::vector<std::string> order;
  for (const auto& t : mixed.tunings) {
    if (!t.is_lte()) gsm_centres.push_back(t.center_hz);
    if (order.empty() || order.back() != t.band) order.push_back(t.band);
  }
  ASSERT_EQ(gsm_centres.size(), gsm.tunings.size());
  for (std::size_t i = 0; i < gsm.tunings.size(); ++i) EXPECT_EQ(gsm_centres[i], gsm.tunings[i].center_hz);
  EXPECT_EQ(order, (std::vector<std::string>{"LTE-B20", "E-GSM900", "LTE-B3"}));
  // 174 GSM channels + 300 + 750 EARFCNs.
  EXPECT_EQ(mixed.channels(), 174u + 300u + 750u);
  EXPECT_EQ(mixed.lte_tunings(), 43u + 150u);  // worked out in LteTuningCountsAndWindows
  EXPECT_THROW(parse_band_list("LTE-B6"), InputError);  // not in the table
}

namespace {

// The LTE planner's promises, checked independently of how it places things: every EARFCN of the band
// assigned to exactly one tuning; the tuning centre on the 100 kHz raster; for a receiver error anywhere in
// +-ppm, the carrier of every assigned EARFCN, seen at F (1 + e), lies inside the window of one of the
// tuning's offsets; every window with the central 6 PRB (+-540 kHz, 36.211 6.6) inside the usable band; no
// window wider than the search holds (324 kHz); each EARFCN's own raster point is one of the searched offsets
// (the search takes the offset it finds for the receiver's clock error).
void expect_lte_plan_covers(const SweepBand& band, const SweepPlanOptions& o) {
  SCOPED_TRACE(band.name + " at " + std::to_string(o.sample_rate_hz));
  const auto tunings = plan_lte_band(band, o);
  std::map<int, int> seen;
  const double usable = o.usable_fraction * o.sample_rate_hz / 2;
  for (const auto& t : tunings) {
    EXPECT_TRUE(t.is_lte());
    EXPECT_NEAR(std::remainder(t.center_hz, 100e3), 0.0, 1.0) << t.center_hz;
    EXPECT_LE(t.lte_max_cfo_hz, 324e3 + 1);
    ASSERT_FALSE(t.lte_offsets_hz.empty());
    for (double off : t.lte_offsets_hz) EXPECT_LE(std::fabs(off) + t.lte_max_cfo_hz + 540e3, usable + 1);
    for (const auto& ch : t.lte_channels) {
      ++seen[ch.earfcn];
      bool own = false;
      for (double off : t.lte_offsets_hz) own = own || std::fabs(t.center_hz + off - ch.downlink_hz) < 1.0;
      EXPECT_TRUE(own) << "EARFCN " << ch.earfcn;
      for (double ppm : {-o.lte_receiver_ppm, -0.5 * o.lte_receiver_ppm, 0.0, 0.3 * o.lte_receiver_ppm, o.lte_receiver_ppm}) {
        const double apparent = ch.downlink_hz * (1 + ppm * 1e-6);
        bool inside = false;
        for (double off : t.lte_offsets_hz)
          if (std::fabs(apparent - (t.center_hz + off)) <= t.lte_max_cfo_hz + 1) inside = true;
        EXPECT_TRUE(inside) << "EARFCN " << ch.earfcn << " at " << ppm << " ppm";
      }
    }
  }
  EXPECT_EQ(seen.size(), band.lte_channels.size());
  for (const auto& [earfcn, n] : seen) EXPECT_EQ(n, 1) << "EARFCN " << earfcn;
}

}  // namespace

TEST(SweepLtePlan, EveryEarfcnSearchedOnceWithAnHonestWindow) {
  SweepPlanOptions o;
  for (int b : {20, 3, 7, 1, 28, 40}) expect_lte_plan_covers(make_lte_band(b), o);
  o.sample_rate_hz = 20e6;
  o.usable_fraction = 0.88;
  for (int b : {20, 3, 7}) expect_lte_plan_covers(make_lte_band(b), o);
  o = SweepPlanOptions{};
  o.lte_receiver_ppm = 20;
  for (int b : {20, 7, 42}) expect_lte_plan_covers(make_lte_band(b), o);
}

TEST(SweepLtePlan, LteTuningCountsAndWindows) {
  SweepPlanOptions o;  // 2.4 Msps, 80% usable: +-960 kHz; 100 ppm
  // Offsets on the raster points, window = receiver error + 5 kHz.
  // B20 (top 820.9 MHz): eps = 82.09 kHz, window 87.09 kHz; room 960 - 540 - 87.09 = 332.91 kHz -> half
  // 300 kHz: 7 EARFCNs a tuning, ceil(300 / 7) = 43 tunings, offsets -300..300 kHz. First centre 791.0 + 0.3 MHz.
  auto t = plan_lte_band(make_lte_band(20), o);
  ASSERT_EQ(t.size(), 43u);
  EXPECT_NEAR(t[0].center_hz, 791.3e6, 1);
  EXPECT_NEAR(t[1].center_hz, 792.0e6, 1);
  EXPECT_EQ(t[0].lte_channels.size(), 7u);
  EXPECT_EQ(t[0].lte_channels.front().earfcn, 6150);
  EXPECT_EQ(t.back().lte_channels.back().earfcn, 6449);
  EXPECT_EQ(t[0].lte_offsets_hz, (std::vector<double>{-300e3, -200e3, -100e3, 0.0, 100e3, 200e3, 300e3}));
  EXPECT_NEAR(t[0].lte_max_cfo_hz, 87.09e3, 1);
  // B3 (top 1879.9 MHz): eps 187.99 kHz, window 192.99; room 227.01 -> half 200 kHz (5 EARFCNs: 150 tunings).
  t = plan_lte_band(make_lte_band(3), o);
  ASSERT_EQ(t.size(), 150u);
  EXPECT_NEAR(t[0].lte_max_cfo_hz, 192.99e3, 1);
  EXPECT_EQ(t[0].lte_offsets_hz, (std::vector<double>{-200e3, -100e3, 0.0, 100e3, 200e3}));
  // B7 (top 2689.9 MHz): eps 268.99 kHz, window 273.99; room 146.01 -> half 100 kHz (700 / 3 -> 234 tunings).
  t = plan_lte_band(make_lte_band(7), o);
  ASSERT_EQ(t.size(), 234u);
  EXPECT_NEAR(t[0].lte_max_cfo_hz, 273.99e3, 1);
  // B42 (3400..3600 MHz): 100 ppm is 360 kHz, more than the search holds (324 kHz): a clear error; calibrated (20 ppm)
  // it plans.
  expect_input_error([&] { plan_lte_band(make_lte_band(42), o); }, {"LTE-B42", "calibrate"});
  // 1.5 Msps: +-600 kHz usable cannot hold the 6 PRB and 82 kHz of error.
  o.sample_rate_hz = 1.5e6;
  expect_input_error([&] { plan_lte_band(make_lte_band(20), o); }, {"LTE-B20", "usable band"});
  // Dwell: 80 ms by default, bounded.
  o = SweepPlanOptions{};
  EXPECT_DOUBLE_EQ(plan_sweep(parse_band_list("LTE-B20"), o).lte_dwell_s, 0.08);
  EXPECT_NEAR(plan_sweep(parse_band_list("LTE-B20"), o).stream_seconds(), 43 * (0.08 + 0.005), 1e-9);
  o.lte_dwell_s = 0.01;
  EXPECT_THROW(plan_sweep(parse_band_list("LTE-B20"), o), InputError);
}

TEST(SweepPlanner, HackrfFractionCoversEgsm900InTwoTunings) {
  // E-GSM900: 174 carriers, 925.2..959.8 MHz. At 20 Msps with 0.88 of the rate usable, a tuning reaches
  // 0.88 x 10 MHz - 100 kHz = 8.7 MHz either side: carriers at +-100, 300, ..., 8700 kHz, 88 of them, so two
  // tunings take the 174. With the 0.8 of other devices: 7.9 MHz, 80 carriers: three tunings.
  EXPECT_DOUBLE_EQ(usable_fraction_for_driver("hackrf"), 0.88);
  EXPECT_DOUBLE_EQ(usable_fraction_for_driver("rtlsdr"), 0.8);
  EXPECT_DOUBLE_EQ(usable_fraction_for_driver("towerwatch-sim"), 0.8);
  SweepPlanOptions o;
  o.sample_rate_hz = 20e6;
  o.usable_fraction = usable_fraction_for_driver("hackrf");
  const auto plan = plan_sweep(parse_band_list("GSM900"), o);
  ASSERT_EQ(plan.tunings.size(), 2u);
  EXPECT_EQ(plan.tunings[0].channels.size(), 88u);
  EXPECT_EQ(plan.tunings[1].channels.size(), 86u);
  EXPECT_NEAR(plan.tunings[0].center_hz, 925.2e6 + 8.7e6, 1);
  for (const auto& t : plan.tunings)
    for (const auto& ch : t.channels) {
      const double d = std::fabs(ch.downlink_hz - t.center_hz);
      EXPECT_GE(d, 100e3 - 1);                              // clear of DC
      EXPECT_LE(d + 100e3, 0.88 * 20e6 / 2 + 1);            // the whole channel inside the usable band
    }
  o.usable_fraction = 0.8;
  EXPECT_EQ(plan_sweep(parse_band_list("GSM900"), o).tunings.size(), 3u);
}
