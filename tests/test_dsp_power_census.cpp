// PowerCensus (dsp/power_census.hpp): dBFS normalisation (a tone of amplitude A reads 20 log10 A; white
// noise of power P reads P * 200 kHz / fs), streaming equals one block, and on the synthesizer's "city"
// scene at 10 Msps exactly the cells' channels stand above the floor (no leakage channels), with the
// scene's powers and noise level.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "dsp/power_census.hpp"
#include "src/core/error.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

using tw::dsp::cf32;
using tw::dsp::PowerCensus;
using tw::dsp::PowerCensusConfig;

constexpr double kPi = 3.14159265358979323846;

PowerCensusConfig cfg_for(double fs) {
  PowerCensusConfig c;
  c.sample_rate_hz = fs;
  return c;
}

std::vector<cf32> noise(std::size_t n, double power, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, static_cast<float>(std::sqrt(power / 2.0)));
  std::vector<cf32> x(n);
  for (auto& v : x) v = cf32(g(rng), g(rng));
  return x;
}

void add_tone(std::vector<cf32>& x, double fs, double f, double amp) {
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ph = 2.0 * kPi * std::fmod(f * static_cast<double>(i) / fs, 1.0);
    x[i] += cf32(static_cast<float>(amp * std::cos(ph)), static_cast<float>(amp * std::sin(ph)));
  }
}

const tw::dsp::ChannelPower* find_k(const tw::dsp::CensusResult& r, int k) {
  for (const auto& c : r.channels)
    if (c.k == k) return &c;
  return nullptr;
}

TEST(PowerCensus, ChannelsInsideTheBand) {
  PowerCensus c13(cfg_for(13e6));   // 65 channels -32..32, 1040-point FFT
  EXPECT_EQ(c13.num_channels(), 65u);
  EXPECT_EQ(c13.fft_size(), 1040u);
  PowerCensus c24(cfg_for(2.4e6));  // +-1.2 MHz: channels -5..5 whole (-6 would reach -1.3 MHz)
  EXPECT_EQ(c24.num_channels(), 11u);
  PowerCensus c2048(cfg_for(2.048e6));  // +-1.024 MHz: -4..4
  EXPECT_EQ(c2048.num_channels(), 9u);
  EXPECT_THROW(PowerCensus(cfg_for(0.0)), tw::InputError);
  auto bad = cfg_for(10e6);
  bad.floor_quantile = 1.0;
  EXPECT_THROW(PowerCensus{bad}, tw::InputError);
  bad = cfg_for(10e6);
  bad.grid_offset_hz = 150e3;
  EXPECT_THROW(PowerCensus{bad}, tw::InputError);
  bad = cfg_for(100e3);   // no whole 200 kHz channel
  EXPECT_THROW(PowerCensus{bad}, tw::InputError);
}

// Tone of amplitude A at k*200 kHz + offset: 20 log10 A dBFS in channel k (within 0.2 dB); noise of power P:
// 10 log10(P * 200e3 / fs) in every empty channel, which is also the floor estimate.
void check_levels(double fs, double grid_offset) {
  const double p_noise = 1e-4;   // -40 dBFS in the full band
  auto x = noise(400000, p_noise, 3);
  const double amp = 0.1;        // -20 dBFS
  add_tone(x, fs, grid_offset + 3 * 200e3 + 17e3, amp);
  add_tone(x, fs, grid_offset - 2 * 200e3 - 41e3, amp / 10.0);   // -40 dBFS
  auto cfg = cfg_for(fs);
  cfg.grid_offset_hz = grid_offset;
  PowerCensus pc(cfg);
  pc.execute(x);
  const auto r = pc.result();
  EXPECT_EQ(r.frames, (x.size() - pc.fft_size()) / (pc.fft_size() / 2) + 1);
  const double noise_db = 10.0 * std::log10(p_noise * 200e3 / fs);
  const double tol_noise = 0.35;
  for (const auto& c : r.channels) {
    EXPECT_NEAR(c.offset_hz, grid_offset + c.k * 200e3, 1e-6);
    // A tone's channel also holds that channel's share of the noise.
    if (c.k == 3) {
      EXPECT_NEAR(c.power_dbfs, 10.0 * std::log10(amp * amp + p_noise * 200e3 / fs), 0.2) << fs;
      EXPECT_TRUE(c.above_floor);
    } else if (c.k == -2) {
      EXPECT_NEAR(c.power_dbfs, 10.0 * std::log10(amp * amp / 100.0 + p_noise * 200e3 / fs), 0.2) << fs;
      EXPECT_TRUE(c.above_floor);
    } else {
      EXPECT_NEAR(c.power_dbfs, noise_db, tol_noise) << fs << " channel " << c.k;
      EXPECT_FALSE(c.above_floor) << fs << " channel " << c.k;
    }
  }
  EXPECT_NEAR(r.noise_floor_dbfs, noise_db, tol_noise);
}

TEST(PowerCensus, LevelsAt10Msps) { check_levels(10e6, 0.0); }
TEST(PowerCensus, LevelsAt2p4Msps) { check_levels(2.4e6, 0.0); }
TEST(PowerCensus, LevelsAtRateNotAMultipleOfTheSpacing) { check_levels(2.048e6, 0.0); }
TEST(PowerCensus, LevelsOnAnOffsetGrid) { check_levels(10e6, 60e3); }

TEST(PowerCensus, StreamingEqualsOneBlock) {
  auto x = noise(123457, 1e-3, 9);
  add_tone(x, 13e6, 1.2e6, 0.05);
  PowerCensus one(cfg_for(13e6)), st(cfg_for(13e6));
  one.execute(x);
  std::size_t pos = 0, i = 0;
  const std::size_t sizes[] = {1, 519, 520, 521, 7, 3000};
  while (pos < x.size()) {
    const std::size_t take = std::min(sizes[i++ % std::size(sizes)], x.size() - pos);
    st.execute(std::span<const cf32>(x).subspan(pos, take));
    pos += take;
  }
  const auto a = one.result(), b = st.result();
  ASSERT_EQ(a.frames, b.frames);
  ASSERT_EQ(a.channels.size(), b.channels.size());
  for (std::size_t c = 0; c < a.channels.size(); ++c) EXPECT_EQ(a.channels[c].power_dbfs, b.channels[c].power_dbfs);
  st.reset();
  EXPECT_EQ(st.result().frames, 0u);
  EXPECT_EQ(st.result().channels.at(0).power_dbfs, -200.0);
}

// "city" at 10 Msps: the six cells (ARFCN 58..76) and nothing else above the floor, although every cell
// leaks 14..19 dB below itself into both adjacent channels (far above the -92 dBFS floor); each cell within
// 1 dB of its power_dbfs, except the two with Rayleigh fading (multipath "tu", 2 and 5 Hz Doppler), whose
// power over 0.4 s is itself random (a few Doppler periods): within 3 dB; the floor at the scene's noise
// over 200 kHz of the 10 MHz band.
TEST(PowerCensus, CityScene) {
  const double fs = 10e6, seconds = 0.4;
  const tw::synth::Scene scene = tw::synth::builtin_scene("city");
  const double centre = tw::synth::scene_center_freq_hz(scene, fs);
  tw::synth::SceneRenderer ren(scene, centre, fs);
  PowerCensus pc(cfg_for(fs));
  std::vector<cf32> x(1 << 16);
  const std::size_t total = static_cast<std::size_t>(seconds * fs);
  for (std::size_t pos = 0; pos < total; pos += x.size()) {
    std::span<cf32> blk(x.data(), std::min(x.size(), total - pos));
    ren.render(blk);
    pc.execute(blk);
  }
  const auto r = pc.result();
  std::set<int> want;
  for (int i = 0; i < static_cast<int>(ren.scene().cells.size()); ++i) {
    ASSERT_TRUE(ren.cell_visible(i));
    const int k = static_cast<int>(std::lround(ren.carrier_offset_hz(i) / 200e3));
    want.insert(k);
    const auto* c = find_k(r, k);
    ASSERT_NE(c, nullptr);
    const auto& cell = ren.scene().cells[static_cast<std::size_t>(i)];
    EXPECT_NEAR(c->power_dbfs, cell.power_dbfs, cell.multipath == "tu" ? 3.0 : 1.0) << cell.name;
  }
  std::set<int> got;
  for (const auto& c : r.channels) {
    if (c.above_floor) got.insert(c.k);
  }
  EXPECT_EQ(got, want);
  // The rule was needed: each cell's adjacent channels stand above floor + margin and are called leakage.
  for (int k : want) {
    for (int nb : {k - 1, k + 1}) {
      const auto* c = find_k(r, nb);
      ASSERT_NE(c, nullptr);
      EXPECT_GT(c->power_dbfs, r.noise_floor_dbfs + 6.0) << "channel " << nb;
      EXPECT_TRUE(c->leakage) << "channel " << nb;
    }
  }
  EXPECT_NEAR(r.noise_floor_dbfs, scene.noise_dbfs + 10.0 * std::log10(200e3 / fs), 0.5);
}

}  // namespace
