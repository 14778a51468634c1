// Synthetic tests of the LTE cell search (dsp/lte/cell_search.hpp): signals built here from the shared
// sequences (PSS/SSS only) and by the LTE synthesizer (tools/synth/lte: full cells with CRS and PBCH),
// with AWGN, carrier offsets and several cells on one carrier. The truth is the configuration rendered.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "dsp/lte/cell_search.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "src/core/log.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace lte = tw::dsp::lte;

namespace {

constexpr double kPi = 3.14159265358979323846;

// PSS and SSS of an FDD normal-CP cell (36.211 6.11) at 1.92 Msps, frames starting at `frame_start`, with
// a carrier offset and complex white noise; nothing else is sent.
std::vector<lte::cf32> sync_only_signal(int pci, int frame_start, double cfo_hz, double snr_db, int n, unsigned seed) {
  std::vector<lte::cf32> x(static_cast<std::size_t>(n));
  const int n1 = pci / 3, n2 = pci % 3;
  const auto pss = lte::pss_sequence(n2);
  auto put_symbol = [&](std::int64_t start, int sym_l, auto&& value) {
    // One OFDM symbol with CP: subcarrier k72 at FFT bin (k72 >= 36 ? k72 - 35 : k72 - 36).
    const int cp = lte::cp_length(sym_l, true, 128);
    for (int t = -cp; t < 128; ++t) {
      const std::int64_t i = start + cp + t;
      if (i < 0 || i >= n) continue;
      std::complex<double> v = 0.0;
      for (int k = 0; k < 62; ++k) {
        const int k72 = k + 5, f = k72 >= 36 ? k72 - 35 : k72 - 36;
        v += std::complex<double>(value(k)) * std::polar(1.0, 2.0 * kPi * f * t / 128.0);
      }
      x[static_cast<std::size_t>(i)] += lte::cf32(v / std::sqrt(128.0 * 62.0) * std::sqrt(128.0));
    }
  };
  for (std::int64_t f0 = frame_start - 19200; f0 < n; f0 += 19200) {
    for (int sf : {0, 5}) {
      const auto sss = lte::sss_sequence(n1, n2, sf);
      const std::int64_t base = f0 + sf * 1920;
      put_symbol(base + lte::symbol_start(6, true, 128), 6, [&](int k) { return std::complex<double>(pss[static_cast<std::size_t>(k)]); });
      put_symbol(base + lte::symbol_start(5, true, 128), 5, [&](int k) { return std::complex<double>(sss[static_cast<std::size_t>(k)], 0.0); });
    }
  }
  // Signal power during a sync symbol: about 62/128 per sample -> noise from the SNR per subcarrier.
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  const float sigma = static_cast<float>(std::sqrt(std::pow(10.0, -snr_db / 10.0) / 2.0));
  for (int i = 0; i < n; ++i) {
    x[static_cast<std::size_t>(i)] *= std::polar(1.0f, static_cast<float>(2.0 * kPi * cfo_hz * i / 1.92e6));
    x[static_cast<std::size_t>(i)] += lte::cf32(sigma * g(rng), sigma * g(rng));
  }
  return x;
}

TEST(LteSearch, SyncOnlyCellIsFoundWithItsPciAndOffsetButNoMib) {
  const auto x = sync_only_signal(317, 4321, -123456.0, 0.0, 4 * 19200, 7);
  lte::CellSearch search(lte::CellSearchConfig{});
  const auto cells = search.execute(x);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].pci, 317);
  EXPECT_EQ(cells[0].duplex, "FDD");
  EXPECT_EQ(cells[0].cp, "normal");
  EXPECT_FALSE(cells[0].mib_decoded);
  EXPECT_NEAR(cells[0].cfo_hz, -123456.0, 800.0);  // PSS halves only (no CRS to refine it)
  EXPECT_NEAR(static_cast<double>(cells[0].frame_start_sample), 4321.0, 2.0);
  const auto j = to_json(cells[0]);
  EXPECT_TRUE(j.at("mib").is_null());
  EXPECT_TRUE(j.at("sfn").is_null());
}

// The canceller rebuilds a cell's PSS and SSS from where they are (the truth of the construction above) and
// subtracts them: what is left is a small part of their energy, at a carrier offset and a timing not on a
// sample of the half-frame grid's start.
TEST(LteSearch, SyncCancellerRemovesAKnownCellsPssAndSss) {
  const int pci = 317, frame_start = 4321;
  const double cfo = -12345.0;
  auto x = sync_only_signal(pci, frame_start, cfo, 60.0, 4 * 19200, 5);
  double before = 0.0;
  for (const auto& v : x) before += std::norm(v);
  lte::SyncTrace t;
  t.n_id_1 = pci / 3;
  t.n_id_2 = pci % 3;
  t.pss_sample = (frame_start + lte::symbol_start(6, true, 128) + lte::cp_length(6, true, 128)) % 9600;
  t.pss_period = 9600.0;
  t.sss_parity = 0;  // the first PSS in the capture is subframe 0's
  t.cfo_hz = cfo;
  lte::SyncCanceller canceller;
  canceller.execute(x, t);
  double after = 0.0;
  for (const auto& v : x) after += std::norm(v);
  EXPECT_LT(10.0 * std::log10(after / before), -25.0);  // -30.6 dB here
  // A wrong N_ID(1) removes the PSS only: the SSS stays (about half the energy).
  auto y = sync_only_signal(pci, frame_start, cfo, 60.0, 4 * 19200, 5);
  t.n_id_1 = (t.n_id_1 + 1) % 168;
  canceller.execute(y, t);
  double wrong = 0.0;
  for (const auto& v : y) wrong += std::norm(v);
  EXPECT_GT(10.0 * std::log10(wrong / before), -4.0);  // -3.0 dB here
}

TEST(LteSearch, NoiseAloneGivesNoCell) {
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.0f, 0.1f);
  std::vector<lte::cf32> x(4 * 19200);
  for (auto& v : x) v = lte::cf32(g(rng), g(rng));
  lte::CellSearch search(lte::CellSearchConfig{});
  EXPECT_TRUE(search.execute(x).empty());
}

std::vector<lte::cf32> render(const tw::synth::SceneWithLte& s, double center_hz, int n) {
  tw::synth::SceneRenderer r(s, center_hz, 1.92e6);
  std::vector<lte::cf32> x(static_cast<std::size_t>(n));
  r.render(x);
  return x;
}

TEST(LteSearch, TwoSynthesizedCellsOnOneCarrierAreBothDecoded) {
  tw::synth::SceneWithLte s;
  s.scene.seed = 11;
  s.scene.noise_dbfs = -75.0;
  s.scene.receiver_ppm = 20.0;  // 37 kHz at 1.85 GHz, and the sampling clock with it
  tw::synth::lte::LteCellConfig a;
  a.earfcn = 1300;  // band 3
  a.pci = 150;
  a.ports = 2;
  a.bandwidth_prb = 50;
  a.first_sfn = 28;
  a.first_sfn_set = true;
  a.power_dbfs = -60.0;
  a.delay_us = 1234.0;
  a.pdsch_load = 0.5;
  a.pdcch_load = 0.5;
  tw::synth::lte::LteCellConfig b = a;
  b.pci = 301;
  b.ports = 4;
  b.bandwidth_prb = 100;
  b.phich_resource = "1/2";
  b.first_sfn = 700;
  b.power_dbfs = -66.0;
  b.delay_us = 3456.7;
  s.lte_cells = {a, b};
  const double fc = tw::synth::lte::carrier_hz(a);
  const auto x = render(s, fc, 4 * 19200);
  lte::CellSearchConfig cfg;
  cfg.carrier_hz = fc;
  lte::CellSearch search(cfg);
  const auto cells = search.execute(x);
  ASSERT_EQ(cells.size(), 2u);
  for (const auto& want : {a, b}) {
    const auto it = std::find_if(cells.begin(), cells.end(), [&](const auto& c) { return c.pci == want.pci; });
    ASSERT_NE(it, cells.end()) << want.pci;
    ASSERT_TRUE(it->mib_decoded) << want.pci;
    EXPECT_EQ(it->ports, want.ports);
    EXPECT_EQ(it->duplex, "FDD");
    EXPECT_EQ(it->cp, "normal");
    EXPECT_EQ(it->mib.bandwidth_prb, want.bandwidth_prb);
    EXPECT_EQ(it->mib.phich_resource, want.phich_resource);
    // The frame at frame_start_sample: frame index from the cell's timing (receiver clock included).
    const double t = static_cast<double>(it->frame_start_sample) / 1.92e6;
    const auto idx = tw::synth::lte::frame_index_at(want, s.scene.receiver_ppm, t + 1e-4);
    EXPECT_EQ(it->mib.sfn, tw::synth::lte::sfn_of_frame(want, idx)) << want.pci;
    EXPECT_NEAR(it->cfo_hz, 20e-6 * fc, 300.0);  // the synthesizer: carriers appear at (1 + ppm 1e-6) fc
    EXPECT_NEAR(it->rsrp_dbfs, want.power_dbfs, 3.0);
  }
}

// A weak cell 10-15 dB under a strong one, frame-synchronous with it (one operator's network): the strong
// cell's PSS/SSS sidelobes fall at the weak cell's timing, and the search must still decode both (the
// sidelobe suppression of the second stage, which subtracts a decoded cell's sync signals, must not take the
// weak cell with them). Another root (N_ID(2)): a co-timed cell of the same root adds to the strong cell's
// PSS as one peak, which no PSS search can split. Truth: the configuration rendered.
TEST(LteSearch, WeakCoTimedCellUnderAStrongOneIsDecoded) {
  if (std::getenv("TW_TEST_DEBUG")) tw::log::set_level(tw::log::Level::debug);
  for (const double below_db : {10.0, 15.0})
    for (const int weak_pci : {304, 305}) {  // N_ID(2) 1 and 2 (the strong cell's is 0)
      SCOPED_TRACE(std::to_string(below_db) + " dB, PCI " + std::to_string(weak_pci));
      tw::synth::SceneWithLte s;
      s.scene.seed = 21;
      s.scene.noise_dbfs = -95.0;
      s.scene.receiver_ppm = 15.0;
      tw::synth::lte::LteCellConfig a;
      a.earfcn = 1300;
      a.pci = 150;
      a.ports = 2;
      a.bandwidth_prb = 50;
      a.power_dbfs = -60.0;
      a.delay_us = 2222.0;
      a.pdsch_load = 0.5;
      a.first_sfn = 100;
      a.first_sfn_set = true;
      tw::synth::lte::LteCellConfig b = a;
      b.pci = weak_pci;
      b.ports = 1;
      b.bandwidth_prb = 25;
      b.power_dbfs = a.power_dbfs - below_db;
      s.lte_cells = {a, b};
      const double fc = tw::synth::lte::carrier_hz(a);
      const auto x = render(s, fc, 8 * 19200);
      lte::CellSearchConfig cfg;
      cfg.carrier_hz = fc;
      lte::CellSearch search(cfg);
      const auto cells = search.execute(x);
      ASSERT_EQ(cells.size(), 2u);
      for (const auto& want : {a, b}) {
        const auto it = std::find_if(cells.begin(), cells.end(), [&](const auto& c) { return c.pci == want.pci; });
        ASSERT_NE(it, cells.end()) << want.pci;
        // 10 dB under: both MIBs. 15 dB under the weak cell's PBCH lies under the strong cell's PBCH and data
        // (only its sync signals and CRS are cancelled): its PCI must be right; its MIB is not decoded here for
        // either root (and would have to be right if it were).
        if (below_db <= 10.0 || want.pci == a.pci) ASSERT_TRUE(it->mib_decoded) << want.pci;
        if (!it->mib_decoded) continue;
        EXPECT_EQ(it->ports, want.ports);
        EXPECT_EQ(it->mib.bandwidth_prb, want.bandwidth_prb);
        const double t = static_cast<double>(it->frame_start_sample) / 1.92e6;
        const auto idx = tw::synth::lte::frame_index_at(want, s.scene.receiver_ppm, t + 1e-4);
        EXPECT_EQ(it->mib.sfn, tw::synth::lte::sfn_of_frame(want, idx)) << want.pci;
        EXPECT_NEAR(it->rsrp_dbfs, want.power_dbfs, 3.0);
      }
    }
}

TEST(LteSearch, SynthesizedTddExtendedCpCellIsDecoded) {
  tw::synth::SceneWithLte s;
  s.scene.seed = 5;
  s.scene.noise_dbfs = -72.0;
  s.scene.receiver_ppm = -8.0;
  tw::synth::lte::LteCellConfig c;
  c.earfcn = 38950;  // band 40
  c.duplex = tw::synth::lte::Duplex::TDD;
  c.normal_cp = false;
  c.special_subframe_config = 5;
  c.pci = 77;
  c.ports = 1;
  c.bandwidth_prb = 25;
  c.phich_extended = true;
  c.first_sfn = 1022;
  c.first_sfn_set = true;
  c.power_dbfs = -60.0;
  c.delay_us = 777.0;
  s.lte_cells = {c};
  const double fc = tw::synth::lte::carrier_hz(c);
  const auto x = render(s, fc, 4 * 19200);
  lte::CellSearchConfig cfg;
  cfg.carrier_hz = fc;
  lte::CellSearch search(cfg);
  const auto cells = search.execute(x);
  ASSERT_EQ(cells.size(), 1u);
  const auto& got = cells[0];
  EXPECT_EQ(got.pci, 77);
  EXPECT_EQ(got.duplex, "TDD");
  EXPECT_EQ(got.cp, "extended");
  ASSERT_TRUE(got.mib_decoded);
  EXPECT_EQ(got.ports, 1);
  EXPECT_EQ(got.mib.bandwidth_prb, 25);
  EXPECT_TRUE(got.mib.phich_extended);
  const double t = static_cast<double>(got.frame_start_sample) / 1.92e6;
  EXPECT_EQ(got.mib.sfn, tw::synth::lte::sfn_of_frame(c, tw::synth::lte::frame_index_at(c, s.scene.receiver_ppm, t + 1e-4)));
  EXPECT_NEAR(got.cfo_hz, -8e-6 * fc, 300.0);
}

// A rogue eNodeB that breaks 36.331 6.2.2: spare bits set, or a dl-Bandwidth code outside the enumeration.
tw::synth::SceneWithLte hostile_mib_scene(int spare, int bandwidth_code) {
  tw::synth::SceneWithLte s;
  s.scene.seed = 9;
  s.scene.noise_dbfs = -75.0;
  tw::synth::lte::LteCellConfig c;
  c.earfcn = 1300;
  c.pci = 222;
  c.ports = 2;
  c.bandwidth_prb = 50;
  c.phich_resource = "1/2";
  c.first_sfn = 513;
  c.first_sfn_set = true;
  c.power_dbfs = -62.0;
  c.mib_spare = spare;
  c.mib_dl_bandwidth_code = bandwidth_code;
  s.lte_cells = {c};
  return s;
}

TEST(LteSearch, MibSpareBitsAreIgnoredAndReportedAsReceived) {
  const auto s = hostile_mib_scene(0x2a5, -1);
  const auto& c = s.lte_cells[0];
  const double fc = tw::synth::lte::carrier_hz(c);
  lte::CellSearchConfig cfg;
  cfg.carrier_hz = fc;
  lte::CellSearch search(cfg);
  const auto cells = search.execute(render(s, fc, 4 * 19200));
  ASSERT_EQ(cells.size(), 1u);
  ASSERT_TRUE(cells[0].mib_decoded);
  EXPECT_EQ(cells[0].pci, 222);
  EXPECT_EQ(cells[0].mib.bandwidth_prb, 50);
  EXPECT_EQ(cells[0].mib.phich_resource, "1/2");
  EXPECT_EQ(cells[0].ports, 2);
  // 36.331 6.2.2: the spare BIT STRING (10) is the last 10 bits of the 24.
  EXPECT_EQ(((cells[0].mib_octets[1] & 3) << 8) | cells[0].mib_octets[2], 0x2a5);
}

TEST(LteSearch, MibWithDlBandwidthCodeOutsideTheEnumerationIsNoMib) {
  for (int code : {6, 7}) {
    SCOPED_TRACE(code);
    const auto s = hostile_mib_scene(0, code);
    const double fc = tw::synth::lte::carrier_hz(s.lte_cells[0]);
    lte::CellSearchConfig cfg;
    cfg.carrier_hz = fc;
    lte::CellSearch search(cfg);
    const auto cells = search.execute(render(s, fc, 4 * 19200));
    // The cell is on the air (PSS/SSS); its broadcast is no MIB a UE could read.
    ASSERT_EQ(cells.size(), 1u);
    EXPECT_EQ(cells[0].pci, 222);
    EXPECT_FALSE(cells[0].mib_decoded);
    EXPECT_EQ(cells[0].ports, 0);
  }
}

}  // namespace
