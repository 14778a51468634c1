// Acceptance of the GSM receiver (dsp/gsm, src/pipeline/gsm_pipeline) against the scene synthesizer's
// ground truth (tools/synth: every block each cell sent, with its FN and 23 octets). Everything is
// rendered in memory. A block counts as decoded when the receiver reports the same ARFCN, the same FN
// (first frame of the block) and identical octets.
//
// Acquisition allowance (45.002 clause 6.3.1.3, 51-multiframe of TS0 on C0): the FCCH is in frames 0, 10,
// 20, 30, 40, so the longest wait for one is 11 frames; the SCH follows one frame later. Truth blocks that
// begin within the first 13 frames (60 ms) of the capture are therefore not required.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "dsp/gsm/carrier_receiver.hpp"
#include "src/pipeline/gsm_pipeline.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

namespace {

using tw::cf32;
constexpr double kSymbolRate = 1625000.0 / 6.0;   // 45.004 clause 2
constexpr double kFrameS = 120e-3 / 26.0;          // 45.002 clause 4.3.1: 4.615 ms
constexpr double kAcquireS = 13 * kFrameS;

struct Rendered {
  std::vector<cf32> iq;
  tw::synth::TruthRecorder truth;
  std::vector<bool> visible;
  std::vector<double> offset_hz;
  tw::synth::Scene scene;  // as resolved
};

void render(const tw::synth::Scene& scene, double centre_hz, double rate, double seconds, Rendered& r) {
  tw::synth::SceneRenderer ren(scene, centre_hz, rate);
  ren.set_truth_sink(&r.truth);
  r.iq.resize(static_cast<std::size_t>(seconds * rate));
  constexpr std::size_t kChunk = 1 << 16;
  for (std::size_t i = 0; i < r.iq.size(); i += kChunk) {
    ren.render(std::span<cf32>(r.iq).subspan(i, std::min(kChunk, r.iq.size() - i)));
  }
  r.scene = ren.scene();
  for (int i = 0; i < static_cast<int>(r.scene.cells.size()); ++i) {
    r.visible.push_back(ren.cell_visible(i));
    r.offset_hz.push_back(ren.carrier_offset_hz(i));
  }
}

struct Decoded {
  std::map<std::tuple<int, std::uint32_t>, tw::synth::L2Octets> blocks;  // (arfcn, fn) -> octets
  std::map<int, std::set<int>> bsic;   // arfcn -> BSICs of sync events
  std::set<int> arfcns;                // ARFCNs with a sync or a block
  std::size_t n_blocks = 0;
};

Decoded run_pipeline(const Rendered& r, double centre_hz, double rate) {
  tw::GsmPipelineConfig cfg;
  cfg.sample_rate_hz = rate;
  cfg.center_freq_hz = centre_hz;
  cfg.center_freq_known = true;
  tw::GsmPipeline p(cfg);
  Decoded d;
  p.on_block([&](const tw::GsmChannelBlock& b) {
    const int arfcn = b.channel->arfcn.value_or(-1);
    d.blocks[{arfcn, b.block.fn}] = b.block.octets;
    d.arfcns.insert(arfcn);
    ++d.n_blocks;
  });
  p.on_sync([&](const tw::GsmChannelSync& s) {
    const int arfcn = s.channel->arfcn.value_or(-1);
    d.bsic[arfcn].insert(s.sync.bsic);
    d.arfcns.insert(arfcn);
  });
  constexpr std::size_t kChunk = 1 << 15;
  for (std::size_t i = 0; i < r.iq.size(); i += kChunk) {
    p.execute(std::span<const cf32>(r.iq).subspan(i, std::min(kChunk, r.iq.size() - i)));
  }
  p.finish();
  return d;
}

struct Score {
  int sent = 0, decoded = 0, wrong = 0;
  double ratio() const { return sent ? static_cast<double>(decoded) / sent : 0.0; }
};

// BCCH blocks of cell `cell` in the truth (after the acquisition allowance) found in `d`.
Score score_bcch(const Rendered& r, const Decoded& d, int cell) {
  Score s;
  for (const auto& b : r.truth.blocks()) {
    if (b.cell != cell || b.channel != "BCCH" || b.tn != 0 || b.t_start_s < kAcquireS) continue;
    ++s.sent;
    const auto it = d.blocks.find({b.arfcn, b.fn});
    if (it == d.blocks.end()) continue;
    if (it->second == b.octets) {
      ++s.decoded;
    } else {
      ++s.wrong;
    }
  }
  return s;
}

// Every decoded block must be one the truth has (same ARFCN, FN, octets): no false CRC passes.
void expect_all_blocks_true(const Rendered& r, const Decoded& d) {
  std::map<std::tuple<int, std::uint32_t>, tw::synth::L2Octets> sent;
  for (const auto& b : r.truth.blocks()) sent[{b.arfcn, b.fn}] = b.octets;
  for (const auto& [key, oct] : d.blocks) {
    const auto it = sent.find(key);
    // Blocks that began before the capture are not in the truth; only ones far from the start can be checked.
    if (it == sent.end()) continue;
    EXPECT_EQ(it->second, oct) << "arfcn " << std::get<0>(key) << " fn " << std::get<1>(key);
  }
}

tw::synth::Scene single_cell(double power_dbfs = -30.0) {
  auto s = tw::synth::builtin_scene("single");
  s.cells.at(0).power_dbfs = power_dbfs;
  return s;
}

double cell_freq(const tw::synth::CellConfig& c) { return tw::synth::downlink_hz(c.arfcn, c.band); }

// --- High SNR, every rate ---------------------------------------------------------------------------

class E2eGsmRate : public ::testing::TestWithParam<double> {};

TEST_P(E2eGsmRate, EveryBcchBlockAtHighSnr) {
  const double rate = GetParam();
  const auto scene = single_cell();
  const double centre = cell_freq(scene.cells[0]);
  Rendered r;
  render(scene, centre, rate, 2.5, r);
  Decoded d = run_pipeline(r, centre, rate);
  const Score s = score_bcch(r, d, 0);
  ASSERT_GE(s.sent, 9);  // 2.5 s hold ~10 multiframes, one BCCH block each
  EXPECT_EQ(s.decoded, s.sent) << "rate " << rate;
  EXPECT_EQ(s.wrong, 0);
  EXPECT_EQ(d.bsic[scene.cells[0].arfcn], std::set<int>{scene.cells[0].bsic});
  EXPECT_EQ(d.arfcns, std::set<int>{scene.cells[0].arfcn});
  expect_all_blocks_true(r, d);
}

INSTANTIATE_TEST_SUITE_P(Rates, E2eGsmRate,
                         ::testing::Values(kSymbolRate, 2 * kSymbolRate, 3 * kSymbolRate, 4 * kSymbolRate, 1e6,
                                           2.4e6),
                         [](const auto& info) { return "r" + std::to_string(static_cast<long>(info.param)); });

// --- Several cells: the built-in city scene at 2.4 Msps -----------------------------------------------

TEST(E2eGsmScene, CityEveryVisibleCellNoGhosts) {
  const auto scene = tw::synth::builtin_scene("city");
  const double rate = 2.4e6;
  const double centre = tw::synth::scene_center_freq_hz(scene, rate);
  Rendered r;
  render(scene, centre, rate, 3.0, r);
  Decoded d = run_pipeline(r, centre, rate);
  std::set<int> scene_arfcns;
  for (const auto& c : r.scene.cells) scene_arfcns.insert(c.arfcn);
  int n_visible = 0;
  for (int i = 0; i < static_cast<int>(r.scene.cells.size()); ++i) {
    const auto& c = r.scene.cells[static_cast<std::size_t>(i)];
    // A carrier rendered in the band but within 100 kHz of its edge is not a channel the pipeline plans.
    if (!r.visible[static_cast<std::size_t>(i)] || std::fabs(r.offset_hz[static_cast<std::size_t>(i)]) > rate / 2 - 100e3) continue;
    ++n_visible;
    EXPECT_EQ(d.bsic[c.arfcn], std::set<int>{c.bsic}) << c.name;
    const Score s = score_bcch(r, d, i);
    ASSERT_GE(s.sent, 9) << c.name;
    EXPECT_EQ(s.wrong, 0) << c.name;
    if (c.multipath == "none") {
      EXPECT_EQ(s.decoded, s.sent) << c.name;
    } else {
      EXPECT_GE(s.ratio(), 0.9) << c.name << ": " << s.decoded << "/" << s.sent;
    }
  }
  EXPECT_GE(n_visible, 3);
  for (int a : d.arfcns) EXPECT_TRUE(scene_arfcns.count(a)) << "ghost cell on ARFCN " << a;
  expect_all_blocks_true(r, d);
}

// --- Typical urban multipath ----------------------------------------------------------------------------

TEST(E2eGsmScene, TypicalUrbanAtLeast90PercentOfBcch) {
  auto scene = single_cell();
  scene.cells[0].multipath = "tu";
  scene.cells[0].doppler_hz = 4.0;
  const double rate = 4 * kSymbolRate;
  const double centre = cell_freq(scene.cells[0]);
  Rendered r;
  render(scene, centre, rate, 4.0, r);
  Decoded d = run_pipeline(r, centre, rate);
  const Score s = score_bcch(r, d, 0);
  ASSERT_GE(s.sent, 15);
  EXPECT_GE(s.ratio(), 0.9) << s.decoded << "/" << s.sent;
  EXPECT_EQ(s.wrong, 0);
  expect_all_blocks_true(r, d);
}

// --- Receiver frequency error +-100 ppm -------------------------------------------------------------------

class E2eGsmPpm : public ::testing::TestWithParam<double> {};

TEST_P(E2eGsmPpm, SiDecodedAndCfoMeasured) {
  const double ppm = GetParam();
  auto scene = single_cell();
  scene.receiver_ppm = ppm;
  const double rate = 2.4e6;
  const double f = cell_freq(scene.cells[0]);
  Rendered r;
  render(scene, f, rate, 2.5, r);
  tw::gsm::CarrierStats st;
  const auto blocks = tw::gsm::decode_capture(r.iq, rate, 0.0, &st);
  Decoded d;
  for (const auto& b : blocks) d.blocks[{scene.cells[0].arfcn, b.fn}] = b.octets;
  const Score s = score_bcch(r, d, 0);
  ASSERT_GE(s.sent, 9);
  EXPECT_EQ(s.decoded, s.sent);
  EXPECT_EQ(s.wrong, 0);
  EXPECT_EQ(st.bsic, scene.cells[0].bsic);
  // The carrier appears at f (1 + ppm 1e-6): 947.4 MHz * 100e-6 = 94.74 kHz.
  EXPECT_NEAR(st.cfo_hz, f * ppm * 1e-6, 200.0);
  expect_all_blocks_true(r, d);
}

INSTANTIATE_TEST_SUITE_P(Ppm, E2eGsmPpm, ::testing::Values(100.0, -100.0),
                         [](const auto& info) { return info.param > 0 ? std::string("plus100") : std::string("minus100"); });

// --- Noise only ---------------------------------------------------------------------------------------------

TEST(E2eGsmScene, NoiseOnlyNoBlockNoCell) {
  auto scene = single_cell();
  const double centre = cell_freq(scene.cells[0]);
  scene.cells.clear();
  scene.noise_dbfs = -40.0;
  const double rate = 2.4e6;
  Rendered r;
  render(scene, centre, rate, 2.0, r);
  Decoded d = run_pipeline(r, centre, rate);
  EXPECT_EQ(d.n_blocks, 0u);
  EXPECT_TRUE(d.arfcns.empty());
  tw::gsm::CarrierStats st;
  EXPECT_TRUE(tw::gsm::decode_capture(r.iq, rate, 0.0, &st).empty());
  EXPECT_EQ(st.sch_ok, 0u);
  EXPECT_EQ(st.bsic, -1);
}

}  // namespace
