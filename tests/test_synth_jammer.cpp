// The scene's wideband noise jammer (tools/synth/jammer.hpp, key "jammers") against its definition: a power
// spectral density of power_dbfs / bandwidth_hz inside [center - bw/2, center + bw/2] and nothing outside,
// whatever part of it a capture sees; on only between on_s and off_s; the scene key's errors name the field.
// Measured with an averaged periodogram written here (FFTW not used), against the configured levels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"
#include "tools/synth/jammer.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

using nlohmann::json;
using tw::synth::cf32;

// Mean power per MHz (dBFS/MHz) of x between f_lo and f_hi (baseband Hz): a Hann-windowed 256-point DFT per
// block, written out (bin power |X_k|^2 / (n sum w^2) sums to the mean power over all bins, Parseval).
double density_dbfs_per_mhz(const std::vector<cf32>& x, double fs, double f_lo, double f_hi) {
  constexpr int n = 256;
  std::vector<double> w(n);
  double wss = 0.0;
  for (int i = 0; i < n; ++i) {
    w[static_cast<std::size_t>(i)] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n);
    wss += w[static_cast<std::size_t>(i)] * w[static_cast<std::size_t>(i)];
  }
  std::vector<std::complex<double>> tw(n);
  for (int i = 0; i < n; ++i) tw[static_cast<std::size_t>(i)] = std::polar(1.0, -2.0 * std::numbers::pi * i / n);
  const int blocks = static_cast<int>(x.size() / n);
  double power = 0.0;
  int bins = 0;
  for (int k = 0; k < n; ++k) {
    const int sk = k < n / 2 ? k : k - n;
    const double f = sk * fs / n;
    if (f < f_lo || f > f_hi) continue;
    double p = 0.0;
    for (int b = 0; b < blocks; ++b) {
      std::complex<double> acc = 0.0;
      for (int i = 0; i < n; ++i)
        acc += std::complex<double>(x[static_cast<std::size_t>(b * n + i)]) * w[static_cast<std::size_t>(i)] *
               tw[static_cast<std::size_t>((k * i) % n)];
      p += std::norm(acc) / (n * wss);
    }
    power += p / blocks;
    ++bins;
  }
  return 10.0 * std::log10(std::max(power, 1e-30) / (bins * fs / n / 1e6));
}

std::vector<cf32> render(const json& doc, double centre, double fs, double seconds, double start_s = 0.0) {
  const auto s = tw::synth::parse_scene_with_lte(doc, "jammer scene");
  tw::synth::SceneRenderer r(s, centre, fs, start_s);
  std::vector<cf32> x(static_cast<std::size_t>(seconds * fs));
  r.render(x);
  return x;
}

json scene(json jammer) {
  return {{"seed", 3}, {"noise_dbfs", -300.0}, {"cells", json::array()}, {"jammers", json::array({jammer})}};
}

TEST(SynthJammer, DensityInsideTheBandNothingOutside) {
  // 4 MHz wide at 802 MHz, -40 dBFS in all: -46.0 dBFS/MHz. Capture at 801 MHz, 8 Msps: the band covers
  // baseband -1..+3 MHz.
  const auto x = render(scene({{"center_hz", 802e6}, {"bandwidth_hz", 4e6}, {"power_dbfs", -40.0}}), 801e6, 8e6, 0.02);
  EXPECT_NEAR(density_dbfs_per_mhz(x, 8e6, -0.8e6, 2.8e6), -40.0 - 10.0 * std::log10(4.0), 0.5);
  // Outside: only the block edges' splatter, far below (the band's density -46 dBFS/MHz).
  EXPECT_LT(density_dbfs_per_mhz(x, 8e6, -3.8e6, -2.0e6), -46.0 - 30.0);
  // A capture that sees half the band holds half its power.
  const auto half = render(scene({{"center_hz", 802e6}, {"bandwidth_hz", 4e6}, {"power_dbfs", -40.0}}), 800e6, 4e6, 0.02);
  double p = 0.0;
  for (const auto& v : half) p += std::norm(v);
  EXPECT_NEAR(10.0 * std::log10(p / static_cast<double>(half.size())), -43.0, 0.5);
  // An EARFCN names the centre (B20: 791 + 0.1 (6300 - 6150) = 806 MHz).
  const auto e = render(scene({{"earfcn", 6300}, {"bandwidth_hz", 2e6}, {"power_dbfs", -50.0}}), 806e6, 4e6, 0.02);
  EXPECT_NEAR(density_dbfs_per_mhz(e, 4e6, -0.9e6, 0.9e6), -50.0 - 10.0 * std::log10(2.0), 0.5);
}

TEST(SynthJammer, OnlyBetweenOnAndOff) {
  const double fs = 2e6;
  const auto x = render(scene({{"center_hz", 800e6}, {"bandwidth_hz", 10e6}, {"power_dbfs", -30.0}, {"on_s", 0.01}, {"off_s", 0.02}}),
                        800e6, fs, 0.03);
  auto power = [&](double t0, double t1) {
    double p = 0.0;
    const auto a = static_cast<std::size_t>(t0 * fs), b = static_cast<std::size_t>(t1 * fs);
    for (std::size_t i = a; i < b; ++i) p += std::norm(x[i]);
    return p / static_cast<double>(b - a);
  };
  EXPECT_LT(power(0.0, 0.0099), 1e-20);
  EXPECT_NEAR(10.0 * std::log10(power(0.0101, 0.0199)), -30.0 - 10.0 * std::log10(5.0), 0.3);
  EXPECT_LT(power(0.0201, 0.03), 1e-20);
  // The same samples whatever the block sizes: absolute sample index.
  const auto s = tw::synth::parse_scene_with_lte(scene({{"center_hz", 800e6}, {"bandwidth_hz", 1e6}, {"power_dbfs", -30.0}}), "s");
  tw::synth::SceneRenderer a(s, 800e6, fs), b(s, 800e6, fs);
  std::vector<cf32> whole(10000), parts(10000);
  a.render(whole);
  b.render(std::span<cf32>(parts).first(3333));
  b.render(std::span<cf32>(parts).subspan(3333));
  EXPECT_EQ(whole, parts);
}

TEST(SynthJammer, SceneKeyErrorsNameTheField) {
  auto fails_with = [](json j, const std::string& what) {
    try {
      tw::synth::parse_scene_with_lte(scene(j), "bad.json");
      ADD_FAILURE() << "accepted " << j.dump();
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  fails_with({{"bandwidth_hz", 1e6}}, "jammers[0]");
  fails_with({{"center_hz", 8e8}, {"bandwidth_hz", -1.0}}, "jammers[0].bandwidth_hz");
  fails_with({{"center_hz", 8e8}, {"on_s", 2.0}, {"off_s", 1.0}}, "jammers[0].off_s");
  fails_with({{"center_hz", 8e8}, {"colour", 1}}, "jammers[0].colour");
  // The JSON form round-trips.
  const auto s = tw::synth::parse_scene_with_lte(scene({{"earfcn", 6300}, {"power_dbfs", -20.0}, {"off_s", 4.0}}), "s");
  ASSERT_EQ(s.scene.jammers.size(), 1u);
  EXPECT_DOUBLE_EQ(s.scene.jammers[0].center_hz, 806e6);
  const json back = tw::synth::scene_to_json(s.scene);
  EXPECT_EQ(tw::synth::scene_to_json(tw::synth::parse_scene(back, "back")), back);
}

}  // namespace
