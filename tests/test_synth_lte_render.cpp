// LTE cells in the scene renderer: power against the configured EPRE (resource elements counted here from
// 36.211: PSS/SSS 6.11, PBCH 6.6.4, CRS 6.10), TDD uplink subframes silent (table 4.2-2), streaming
// equivalence, an out-of-band cell, the scene loader (errors name the key) and the truth file's frames.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <complex>
#include <vector>

#include "src/core/error.hpp"
#include "support/test_support.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

using namespace tw::synth;
using tw::cf32;

namespace {

BlockProviderFactory no_gsm() {
  return [](const CellConfig&, int, std::uint64_t) { return std::unique_ptr<BlockProvider>(); };
}

lte::LteCellConfig cell(int pci, int ports, int n_prb, double power_dbfs) {
  lte::LteCellConfig c;
  c.earfcn = 6300;   // band 20, 806.0 MHz
  c.pci = pci;
  c.ports = ports;
  c.bandwidth_prb = n_prb;
  c.power_dbfs = power_dbfs;
  c.first_sfn = 0;
  c.first_sfn_set = true;
  return c;
}

SceneWithLte scene_of(std::vector<lte::LteCellConfig> cells, double noise_dbfs = -300.0) {
  SceneWithLte s;
  s.scene.seed = 9;
  s.scene.noise_dbfs = noise_dbfs;
  s.lte_cells = std::move(cells);
  return s;
}

double mean_power(const std::vector<cf32>& x, std::size_t from, std::size_t to) {
  double p = 0.0;
  for (std::size_t i = from; i < to; ++i) p += std::norm(std::complex<double>(x[i]));
  return p / static_cast<double>(to - from);
}

}  // namespace

TEST(SynthLteRender, PowerOfAFullyLoadedCellMatchesItsEpre) {
  // 6 PRB, 1 port, every PRB loaded: every RE of every symbol carries one EPRE except the 10 reserved REs
  // of each PSS and SSS symbol (2 + 2 per frame) and, in the PBCH's symbols, the CRS positions of the
  // absent ports: 12 (port 1) in symbol 7 and 24 (ports 2, 3) in symbol 8 of subframe 0.
  auto c = cell(4, 1, 6, -50.0);
  c.pdsch_load = 1.0;
  c.pdcch_load = 1.0;
  // The random-load model: with System Information the control region is PCFICH / PHICH / PDCCH, whose
  // REGs beyond 9 N_CCE never carry a PDCCH (36.211 6.8.1, 6.8.2 <NIL>), so not every RE would be sent.
  c.send_system_info = false;
  const int n = 128;
  auto len = [&](int l) { return (l % 7 == 0 ? 10 : 9) + n; };
  double energy = 0.0;   // sum over one frame of (samples of the symbol) x (REs in it)
  for (int sf = 0; sf < 10; ++sf)
    for (int l = 0; l < 14; ++l) {
      int re = 72;
      if ((sf == 0 || sf == 5) && (l == 5 || l == 6)) re = 62;
      if (sf == 0 && l == 7) re = 60;
      if (sf == 0 && l == 8) re = 48;
      energy += static_cast<double>(len(l)) * re;
    }
  const double want_db = c.power_dbfs + 10.0 * std::log10(energy / 19200.0);
  for (double fs : {1.92e6, 3.0e6}) {   // at the cell's own rate and resampled, the carrier 200 kHz off centre
    const double centre = lte::carrier_hz(c) + (fs == 1.92e6 ? 0.0 : 200e3);
    SceneRenderer r(scene_of({c}), centre, fs, 0.0, no_gsm());
    std::vector<cf32> x(static_cast<std::size_t>(0.2 * fs));
    r.render(x);
    const double got_db = 10.0 * std::log10(mean_power(x, 0, x.size()));
    EXPECT_NEAR(got_db, want_db, 0.1) << "fs " << fs;
  }
}

TEST(SynthLteRender, RsrpOfAnUnloadedTwoPortCell) {
  // Without load a 2-port cell sends, per slot, CRS on 2 x 2 x 2 N_RB REs (ports 0 and 1, symbols 0 and 4):
  // symbol 0 of a slot carries 4 N_RB REs of EPRE (ports 0 + 1, 2 N_RB each). Measure symbol 3 of
  // subframe 2 (empty) and symbol 0 (CRS only): EPRE = power / (4 N_RB).
  auto c = cell(33, 2, 25, -55.0);
  c.send_system_info = false;   // unloaded: no PCFICH / PHICH / PDCCH in symbol 0, no SI
  const double fs = 7.68e6;   // FFT 512
  SceneRenderer r(scene_of({c}), lte::carrier_hz(c), fs, 0.0, no_gsm());
  std::vector<cf32> x(static_cast<std::size_t>(0.01 * fs));
  r.render(x);
  const std::size_t sf2 = 2 * 7680;
  const double p0 = mean_power(x, sf2 + 40, sf2 + 40 + 512);   // symbol 0 (CP 40), useful part
  const std::size_t l3 = sf2 + (40 + 512) + 2 * (36 + 512);    // symbol 3
  const double p3 = mean_power(x, l3, l3 + 548);
  EXPECT_NEAR(10.0 * std::log10(p0 / (4 * 25)), -55.0, 0.05);
  EXPECT_LT(p3, 1e-12);
}

TEST(SynthLteRender, TddUplinkSubframesAreSilent) {
  // Configuration 2 (D S U D D D S U D D), special subframe configuration 0: DwPTS of 3 symbols.
  auto c = cell(99, 1, 6, -40.0);
  c.earfcn = 39150;   // band 40
  c.duplex = lte::Duplex::TDD;
  c.tdd_config = 2;
  c.special_subframe_config = 0;
  c.pdsch_load = 1.0;
  c.pdcch_load = 1.0;
  SceneRenderer r(scene_of({c}), lte::carrier_hz(c), 1.92e6, 0.0, no_gsm());
  std::vector<cf32> x(19200 * 2);
  r.render(x);
  for (int f = 0; f < 2; ++f)
    for (int sf = 0; sf < 10; ++sf) {
      const std::size_t s0 = static_cast<std::size_t>(f * 19200 + sf * 1920);
      const double p = mean_power(x, s0, s0 + 1920);
      if (sf == 2 || sf == 7)
        EXPECT_LT(p, 1e-14) << "uplink subframe " << sf;
      else
        EXPECT_GT(p, 1e-5) << "downlink subframe " << sf;
    }
  // Special subframe 1: DwPTS = symbols 0..2 (138 + 137 + 137 samples), then the guard period is silent.
  const double dw = mean_power(x, 1920, 1920 + 412), gp = mean_power(x, 1920 + 412, 3840);
  EXPECT_GT(dw, 1e-5);
  EXPECT_LT(gp, 1e-14);
}

TEST(SynthLteRender, StreamingEqualsOneLongRender) {
  auto a = cell(150, 2, 50, -60.0);
  a.freq_offset_hz = 123.0;
  a.delay_us = 7.3;
  a.pdsch_load = 0.5;
  a.pdcch_load = 0.5;
  auto b = cell(301, 4, 6, -66.0);
  b.freq_hz = lte::carrier_hz(a) + 300e3;
  b.multipath = "etu";
  b.doppler_hz = 70.0;
  b.first_sfn_set = false;   // from the seed
  auto s = scene_of({a, b}, -80.0);
  s.scene.receiver_ppm = 1.5;
  const double fs = 2.0e6, centre = lte::carrier_hz(a) + 50e3;
  const std::size_t total = 60000;
  SceneRenderer r1(s, centre, fs, 0.25, no_gsm());
  std::vector<cf32> one(total);
  r1.render(one);
  SceneRenderer r2(s, centre, fs, 0.25, no_gsm());
  std::vector<cf32> many(total);
  const std::size_t sizes[] = {1, 7, 1000, 4095, 13, 20000, 2};
  std::size_t done = 0;
  for (int i = 0; done < total; ++i) {
    const std::size_t nn = std::min(total - done, sizes[static_cast<std::size_t>(i) % 7]);
    r2.render(std::span<cf32>(many.data() + done, nn));
    done += nn;
  }
  const double rms = std::sqrt(mean_power(one, 0, total));
  double worst = 0.0;
  for (std::size_t i = 0; i < total; ++i) worst = std::max(worst, static_cast<double>(std::abs(one[i] - many[i])));
  EXPECT_GT(rms, 1e-4);
  EXPECT_LT(worst, 1e-4 * rms);   // the same samples up to float rounding of the carrier rotation
}

TEST(SynthLteRender, OutOfBandCellCostsNothingAndIsReported) {
  const auto c = cell(1, 1, 100, -30.0);
  SceneRenderer r(scene_of({c}), lte::carrier_hz(c) + 15e6, 1.92e6, 0.0, no_gsm());   // 20 MHz cell: edge at 9 MHz
  EXPECT_FALSE(r.lte_cell_visible(0));
  EXPECT_NEAR(r.lte_carrier_offset_hz(0), -15e6, 1e-3);
  std::vector<cf32> x(20000);
  r.render(x);
  EXPECT_LT(mean_power(x, 0, x.size()), 1e-25);
  r.retune(lte::carrier_hz(c) + 8.5e6);   // the band's upper subcarriers are in view now
  EXPECT_TRUE(r.lte_cell_visible(0));
  r.render(x);
  EXPECT_GT(mean_power(x, 0, x.size()), 1e-6);
}

TEST(SynthLteRender, TruthListsFramesWithSfnAndMib) {
  auto c = cell(150, 2, 50, -60.0);
  c.first_sfn = 1022;
  c.delay_us = 100.0;
  c.freq_offset_hz = 806.0;   // 1 ppm fast: frames 1 ppm shorter
  c.phich_resource = "1";
  SceneRenderer r(scene_of({c}), lte::carrier_hz(c), 1.92e6, 0.0, no_gsm());
  TruthRecorder rec;
  r.set_truth_sink(&rec);
  std::vector<cf32> x(static_cast<std::size_t>(0.045 * 1.92e6));
  r.render(x);
  const auto j = rec.to_json(r, 0.045);
  ASSERT_TRUE(j.contains("lte_cells"));
  const auto& lc = j["lte_cells"][0];
  EXPECT_EQ(lc["pci"], 150);
  EXPECT_EQ(lc["ports"], 2);
  EXPECT_EQ(lc["bandwidth_prb"], 50);
  EXPECT_EQ(lc["phich_resource"], "1");
  EXPECT_EQ(lc["sfn_at_start"], 1021);   // t = 0 is 100 us before the frame of SFN 1022
  EXPECT_EQ(lc["power_dbfs"], -60.0);
  const auto& fr = lc["frames"];
  ASSERT_EQ(fr.size(), 5u);   // 0.1, 10.1, 20.1, 30.1, 40.1 ms
  const int sfns[] = {1022, 1023, 0, 1, 2};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(fr[i]["sfn"], sfns[i]);
    EXPECT_NEAR(fr[i]["t_s"].get<double>(), 100e-6 + 0.010 * static_cast<double>(i) / (1.0 + 1e-6), 1e-12);
  }
  // 36.331: n50 (3), normal, one (2), SFN / 4 = 255 -> 011 0 10 11111111 0..., then 0 for SFN 0..3.
  EXPECT_EQ(fr[0]["mib_hex"], "6bfc00");
  EXPECT_EQ(fr[2]["mib_hex"], "680000");
}

TEST(SynthLteRender, HostileMibBitsGoOnTheAir) {
  auto c = cell(150, 1, 50, -60.0);
  c.first_sfn = 1022;
  c.phich_resource = "1";
  c.mib_spare = 0x301;              // spare BIT STRING (10) = 11 0000 0001
  c.mib_dl_bandwidth_code = 7;      // not in the dl-Bandwidth enumeration
  SceneRenderer r(scene_of({c}), lte::carrier_hz(c), 1.92e6, 0.0, no_gsm());
  TruthRecorder rec;
  r.set_truth_sink(&rec);
  std::vector<cf32> x(static_cast<std::size_t>(0.015 * 1.92e6));
  r.render(x);
  const auto j = rec.to_json(r, 0.015);
  // 111 0 10 11111111 11 00000001 for SFN 1022 (bandwidth code 7, phich one, SFN / 4 = 255).
  EXPECT_EQ(j["lte_cells"][0]["frames"][0]["mib_hex"], "ebff01");
  EXPECT_EQ(j["lte_cells"][0]["mib_spare"], 0x301);
  EXPECT_EQ(j["lte_cells"][0]["mib_dl_bandwidth_code"], 7);
  c.mib_spare = 1024;
  EXPECT_THROW(SceneRenderer(scene_of({c}), lte::carrier_hz(c), 1.92e6, 0.0, no_gsm()), tw::InputError);
}

TEST(SynthLteScene, JsonCellsAndErrorsNameTheKey) {
  const auto s = parse_scene_with_lte_text(
      R"({"name":"t","noise_dbfs":-90,"lte_cells":[{"earfcn":1300,"pci":150,"ports":2,"bandwidth_prb":50,"first_sfn":28},
          {"freq_hz":2350e6,"duplex":"TDD","tdd_config":2,"special_subframe_config":7,"pci":30,"cp":"extended",
           "phich_duration":"extended","phich_resource":"1/6","multipath":"etu","pdsch_load":0.5,
           "mib_spare":1023,"mib_dl_bandwidth_code":6}]})",
      "scene.json");
  ASSERT_EQ(s.lte_cells.size(), 2u);
  EXPECT_TRUE(s.scene.cells.empty());
  EXPECT_EQ(s.lte_cells[0].band, 3);
  EXPECT_EQ(s.lte_cells[0].duplex, lte::Duplex::FDD);
  EXPECT_DOUBLE_EQ(lte::carrier_hz(s.lte_cells[0]), 1815.0e6);   // 1805 + 0.1 (1300 - 1200) MHz
  EXPECT_EQ(s.lte_cells[1].earfcn, -1);
  EXPECT_FALSE(s.lte_cells[1].normal_cp);
  EXPECT_TRUE(s.lte_cells[1].phich_extended);
  EXPECT_EQ(s.lte_cells[1].duplex, lte::Duplex::TDD);
  EXPECT_EQ(s.lte_cells[0].mib_spare, 0);
  EXPECT_EQ(s.lte_cells[0].mib_dl_bandwidth_code, -1);
  EXPECT_EQ(s.lte_cells[1].mib_spare, 1023);
  EXPECT_EQ(s.lte_cells[1].mib_dl_bandwidth_code, 6);
  // Round trip through the JSON form.
  const auto back = parse_scene_with_lte(scene_to_json(s), "again");
  EXPECT_EQ(scene_to_json(back), scene_to_json(s));

  auto err = [](const std::string& text) {
    try {
      parse_scene_with_lte_text(text, "scene.json");
    } catch (const tw::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"pci":504}]})"), "scene.json: lte_cells[0].pci: 504 is out of range 0..503");
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300},{"earfcn":1300,"bandwidth_prb":20}]})"),
            "scene.json: lte_cells[1].bandwidth_prb: 20 is not one of 6, 15, 25, 50, 75, 100");
  EXPECT_EQ(err(R"({"lte_cells":[{"pci":1}]})"), "scene.json: lte_cells[0].earfcn: missing (an LTE cell needs \"earfcn\" or \"freq_hz\")");
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"colour":1}]})"), "scene.json: lte_cells[0].colour: unknown key");
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"ports":3}]})"), "scene.json: lte_cells[0].ports: 3 is not 1, 2 or 4");
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"duplex":"TDD"}]})"), "scene.json: lte_cells[0].duplex: TDD does not match band 3");
  EXPECT_NE(err(R"({"lte_cells":[{"earfcn":70000}]})").find("lte_cells[0].earfcn: EARFCN 70000"), std::string::npos);
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"cp":"long"}]})"),
            "scene.json: lte_cells[0].cp: \"long\" is not one of \"normal\", \"extended\"");
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"mib_spare":1024}]})"),
            "scene.json: lte_cells[0].mib_spare: 1024 is out of range 0..1023");
  EXPECT_EQ(err(R"({"lte_cells":[{"earfcn":1300,"mib_dl_bandwidth_code":8}]})"),
            "scene.json: lte_cells[0].mib_dl_bandwidth_code: 8 is out of range 0..7");
  EXPECT_EQ(err(R"({"lte_cells":{}})"), "scene.json: lte_cells: is not an array");
  EXPECT_EQ(err(R"({"seed":1})"), "scene.json: cells: missing (a scene needs a \"cells\" array)");
}

TEST(SynthLteScene, BuiltinLteScenes) {
  const auto s = builtin_scene_with_lte("lte");
  ASSERT_EQ(s.lte_cells.size(), 3u);
  EXPECT_EQ(s.lte_cells[0].earfcn, s.lte_cells[1].earfcn);
  EXPECT_NE(s.lte_cells[0].pci, s.lte_cells[1].pci);
  EXPECT_NE(s.lte_cells[0].ports, s.lte_cells[1].ports);
  EXPECT_NE(s.lte_cells[0].bandwidth_prb, s.lte_cells[1].bandwidth_prb);
  EXPECT_EQ(s.lte_cells[2].duplex, lte::Duplex::TDD);
  const auto w = load_scene_with_lte("lte-weak");
  ASSERT_EQ(w.lte_cells.size(), 1u);
  for (const auto& name : {"lte", "lte-weak"}) {
    const auto a = builtin_scene_with_lte(name);
    EXPECT_EQ(scene_to_json(parse_scene_with_lte(scene_to_json(a), name)), scene_to_json(a)) << name;
  }
  // The scene's centre at 1.92 Msps is the shared EARFCN.
  EXPECT_DOUBLE_EQ(scene_center_freq_hz(s, 1.92e6), 1815.0e6);
}

TEST(SynthLteRender, ReceiverPpmMovesCarrierAndSampleClock) {
  // receiver_ppm = 5 on 806 MHz: the carrier appears 4030 Hz up and the frames come 5 ppm early: frame 200
  // (2 s) 19.2 samples before 200 x 19200 at 1.92 Msps (renderer.hpp's clock convention).
  auto c = cell(5, 1, 6, -40.0);
  c.freq_hz = 806e6;
  auto s = scene_of({c});
  s.scene.receiver_ppm = 5.0;
  const double fs = 1.92e6;
  SceneRenderer r(s, 806e6, fs, 0.0, no_gsm());
  std::vector<cf32> x(static_cast<std::size_t>(2.01 * fs));
  r.render(x);
  // The PSS symbol (N_ID(2) = 2, root 34) in time: 62 subcarriers at f = -31..-1, 1..31 of a 128 FFT.
  std::vector<std::complex<double>> ref(128);
  for (int i = 0; i < 62; ++i) {
    const double e = i <= 30 ? 34.0 * i * (i + 1) : 34.0 * (i + 1) * (i + 2);
    const std::complex<double> d = std::polar(1.0, -std::numbers::pi * e / 63.0);
    const int f = i < 31 ? i - 31 : i - 30;
    for (int n = 0; n < 128; ++n) ref[static_cast<std::size_t>(n)] += d * std::polar(1.0, 2.0 * std::numbers::pi * f * n / 128.0);
  }
  auto corr = [&](std::size_t at, int from, int to) {
    std::complex<double> acc = 0;
    if (at + 128 > x.size()) {
      ADD_FAILURE() << "correlation window beyond the render";
      return acc;
    }
    for (int n = from; n < to; ++n) acc += std::complex<double>(x[at + static_cast<std::size_t>(n)]) * std::conj(ref[static_cast<std::size_t>(n)]);
    return acc;
  };
  auto peak = [&](std::size_t nominal) {
    std::size_t best = nominal;
    double best_v = 0.0;
    for (std::size_t t = nominal - 30; t <= nominal + 30; ++t) {
      const double v = std::abs(corr(t, 0, 64)) + std::abs(corr(t, 64, 128));   // robust to the CFO
      if (v > best_v) {
        best_v = v;
        best = t;
      }
    }
    return best;
  };
  const std::size_t useful = 823 + 9;   // symbol 6 of subframe 0 and its CP
  EXPECT_EQ(peak(useful), useful);
  const std::size_t p200 = peak(200 * 19200 + useful);
  EXPECT_NEAR(static_cast<double>(p200), 200.0 * 19200.0 / (1.0 + 5e-6) + useful, 1.0);
  // Frequency: coarse from the phase advance between the two halves of the PSS correlation (within about
  // 60 Hz), then fine from the phase advance between the PSS of subframes 0 and 5 (5 ms apart, modulo 200 Hz).
  const auto a = corr(p200, 0, 64), b = corr(p200, 64, 128);
  const double coarse = std::arg(b * std::conj(a)) / (2.0 * std::numbers::pi * 64.0 / fs);
  EXPECT_NEAR(coarse, 5e-6 * 806e6, 100.0);
  const double dphi = std::arg(corr(p200 + 9600, 0, 128) * std::conj(corr(p200, 0, 128))) / (2.0 * std::numbers::pi);
  const double cycles = std::round(coarse * 0.005 - dphi) + dphi;
  EXPECT_NEAR(cycles / 0.005, 5e-6 * 806e6, 1.0);
}

TEST(SynthLteRender, MultipathKeepsTheMeanPower) {
  // ETU with 300 Hz Doppler, 2 ports, fully loaded: over 1 s the mean power stays that of the plain cell
  // (profile power normalised to 1).
  auto c = cell(42, 2, 15, -50.0);
  c.pdsch_load = 1.0;
  c.pdcch_load = 1.0;
  auto f = c;
  f.multipath = "etu";
  f.doppler_hz = 300.0;
  const double fs = 3.84e6;
  std::vector<cf32> plain(static_cast<std::size_t>(fs)), faded(static_cast<std::size_t>(fs));
  SceneRenderer(scene_of({c}), lte::carrier_hz(c), fs, 0.0, no_gsm()).render(plain);
  SceneRenderer(scene_of({f}), lte::carrier_hz(c), fs, 0.0, no_gsm()).render(faded);
  const double ratio_db = 10.0 * std::log10(mean_power(faded, 0, faded.size()) / mean_power(plain, 0, plain.size()));
  EXPECT_NEAR(ratio_db, 0.0, 1.0);
  EXPECT_GT(std::abs(ratio_db), 1e-4);   // not the same signal
}
