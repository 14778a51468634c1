// PfbChannelizer (dsp/pfb_channelizer.hpp): channel layout and rates, tones land in their channel with the
// right amplitude, frequency and sample time, adjacent channels are >= 60 dB down, streaming equals
// one-shot, and a synthesized GSM cell (tools/synth) decodes from its channel's output to the exact BCCH
// blocks the synthesizer sent.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <map>
#include <random>
#include <vector>

#include "dsp/gsm/carrier_receiver.hpp"
#include "dsp/pfb_channelizer.hpp"
#include "src/core/error.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

namespace {

using tw::dsp::cf32;
using tw::dsp::PfbChannelizer;
using tw::dsp::PfbChannelizerConfig;

constexpr double kPi = 3.14159265358979323846;
constexpr double kSymbolRate = 1625000.0 / 6.0;   // 45.004 clause 2
constexpr double kFrameS = 120e-3 / 26.0;          // 45.002 clause 4.3.1

PfbChannelizerConfig cfg_for(double fs) {
  PfbChannelizerConfig c;
  c.input_rate_hz = fs;
  return c;
}

std::vector<cf32> tone(double fs, double f, double amp, std::size_t n) {
  std::vector<cf32> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double ph = 2.0 * kPi * std::fmod(f * static_cast<double>(i) / fs, 1.0);
    x[i] = cf32(static_cast<float>(amp * std::cos(ph)), static_cast<float>(amp * std::sin(ph)));
  }
  return x;
}

double mean_power_db(const std::vector<cf32>& y, std::size_t skip) {
  double s = 0.0;
  for (std::size_t i = skip; i < y.size(); ++i) s += std::norm(y[i]);
  return 10.0 * std::log10(s / static_cast<double>(y.size() - skip) + 1e-30);
}

TEST(PfbChannelizer, ChannelCountAndRates) {
  // fs = M * 200 kHz; output 2 samples/symbol when fs is a multiple of 2 * 1625000/6 Hz, else fs/floor(M/2).
  struct Case { double fs; unsigned m, d; double out; };
  for (const Case& c : {Case{13e6, 65, 24, 2.0 * kSymbolRate}, Case{2.4e6, 12, 6, 400e3},
                        Case{10e6, 50, 25, 400e3}, Case{20e6, 100, 50, 400e3}, Case{26e6, 130, 48, 2.0 * kSymbolRate}}) {
    PfbChannelizer ch(cfg_for(c.fs));
    EXPECT_EQ(ch.num_channels(), c.m) << c.fs;
    EXPECT_EQ(ch.decimation(), c.d) << c.fs;
    EXPECT_NEAR(ch.output_rate_hz(), c.out, 1e-6) << c.fs;
  }
  PfbChannelizer ch(cfg_for(13e6));
  EXPECT_EQ(ch.channel_number(0), -32);
  EXPECT_EQ(ch.channel_number(64), 32);
  EXPECT_DOUBLE_EQ(ch.channel_offset_hz(39), 1.4e6);
  EXPECT_EQ(ch.row_of_offset(1.4e6 + 30e3), 39);
  EXPECT_EQ(ch.row_of_offset(-6.4e6), 0);
  EXPECT_EQ(ch.row_of_offset(6.7e6), -1);
  EXPECT_NEAR(ch.input_time_of_output(10), 240.0 - (65.0 * 14 - 1) / 2.0, 1e-9);
}

TEST(PfbChannelizer, RejectsUnusableConfigurations) {
  EXPECT_THROW(PfbChannelizer(cfg_for(2.048e6)), tw::InputError);   // 10.24 channels
  EXPECT_THROW(PfbChannelizer(cfg_for(0.0)), tw::InputError);
  EXPECT_THROW(PfbChannelizer(cfg_for(-13e6)), tw::InputError);
  EXPECT_THROW(PfbChannelizer(cfg_for(std::nan(""))), tw::InputError);
  auto c = cfg_for(13e6);
  c.output_decimation = 33;   // > M/2
  EXPECT_THROW(PfbChannelizer{c}, tw::InputError);
  c = cfg_for(13e6);
  c.taps_per_branch = 1;
  EXPECT_THROW(PfbChannelizer{c}, tw::InputError);
  c = cfg_for(13e6);
  c.cutoff_hz = 250e3;
  EXPECT_THROW(PfbChannelizer{c}, tw::InputError);
  PfbChannelizer ch(cfg_for(2.4e6));
  const std::vector<int> bad = {12};
  EXPECT_THROW(ch.set_channels(bad), tw::InputError);
}

// A tone at k*200 kHz + small offset: channel k carries it with amplitude A (within 0.2 dB), as
// A * e^{j 2pi off t} at the documented input time t of each output; k-1 and k+1 are >= 60 dB lower.
void check_tones(double fs) {
  PfbChannelizer ch(cfg_for(fs));
  const int m = static_cast<int>(ch.num_channels());
  const double amp = 0.25;
  const std::size_t n = 40000;
  const std::size_t skip = ch.prototype_length() / ch.decimation() + 2;
  std::vector<std::vector<cf32>> out;
  for (int row : {1, m / 2 - 1, m / 2, m / 2 + 3, m - 1}) {
    for (double off : {0.0, 15e3, -15e3, 40e3}) {
      const int k = ch.channel_number(row);
      const double f = k * 200e3 + off;
      const auto x = tone(fs, f, amp, n);
      ch.reset();
      const std::size_t got = ch.execute(x, out);
      ASSERT_EQ(got, (n - 1) / ch.decimation() + 1);
      const double p = mean_power_db(out[static_cast<std::size_t>(row)], skip);
      EXPECT_NEAR(p, 20.0 * std::log10(amp), 0.2) << "fs " << fs << " channel " << k << " offset " << off;
      // Value and timing: y_m = A exp(j 2pi off t_m / fs), t_m = input_time_of_output(m).
      double worst = 0.0;
      for (std::size_t i = skip; i < out[static_cast<std::size_t>(row)].size(); i += 37) {
        const double t = ch.input_time_of_output(i);
        const std::complex<double> want = std::polar(amp, 2.0 * kPi * off * t / fs);
        const std::complex<double> y(out[static_cast<std::size_t>(row)][i]);
        worst = std::max(worst, std::abs(y - want) / amp);
      }
      EXPECT_LT(worst, 0.01) << "fs " << fs << " channel " << k << " offset " << off;
      if (std::fabs(off) <= 15e3) {
        for (int nb : {row - 1, row + 1}) {
          if (nb < 0 || nb >= m) continue;
          const double pn = mean_power_db(out[static_cast<std::size_t>(nb)], skip);
          EXPECT_LT(pn, p - 60.0) << "fs " << fs << " channel " << k << " offset " << off << " neighbour row " << nb;
        }
      }
    }
  }
}

TEST(PfbChannelizer, ToneAt13Msps) { check_tones(13e6); }
TEST(PfbChannelizer, ToneAt10Msps) { check_tones(10e6); }
TEST(PfbChannelizer, ToneAt2p4Msps) { check_tones(2.4e6); }

TEST(PfbChannelizer, StreamingInOddBlocksEqualsOneShot) {
  std::mt19937 rng(5);
  std::normal_distribution<float> g(0.0f, 0.3f);
  std::vector<cf32> x(60001);
  for (auto& v : x) v = cf32(g(rng), g(rng));

  PfbChannelizer one(cfg_for(13e6));
  std::vector<std::vector<cf32>> ref;
  const std::size_t n_ref = one.execute(x, ref);
  EXPECT_EQ(n_ref, (x.size() - 1) / 24 + 1);

  PfbChannelizer st(cfg_for(13e6));
  std::vector<std::vector<cf32>> acc(65), out;
  const std::size_t sizes[] = {1, 7, 23, 24, 25, 911, 8191, 8193, 13, 20000};
  std::size_t pos = 0, i = 0;
  while (pos < x.size()) {
    const std::size_t take = std::min(sizes[i++ % std::size(sizes)], x.size() - pos);
    const std::size_t got = st.execute(std::span<const cf32>(x).subspan(pos, take), out);
    for (std::size_t r = 0; r < 65; ++r) {
      ASSERT_EQ(out[r].size(), got);
      acc[r].insert(acc[r].end(), out[r].begin(), out[r].end());
    }
    pos += take;
  }
  EXPECT_EQ(st.inputs_consumed(), x.size());
  EXPECT_EQ(st.outputs_produced(), n_ref);
  for (std::size_t r = 0; r < 65; ++r) {
    ASSERT_EQ(acc[r].size(), ref[r].size());
    for (std::size_t j = 0; j < ref[r].size(); ++j) ASSERT_EQ(acc[r][j], ref[r][j]) << r << " " << j;
  }

  // A subset of rows: the same values, the other rows empty.
  PfbChannelizer sub(cfg_for(13e6));
  const std::vector<int> rows = {39, 3, 64};
  sub.set_channels(rows);
  sub.execute(x, out);
  for (std::size_t r = 0; r < 65; ++r) {
    if (r == 39 || r == 3 || r == 64) {
      EXPECT_EQ(out[r], ref[r]) << r;
    } else {
      EXPECT_TRUE(out[r].empty()) << r;
    }
  }
  // reset(): the same as a fresh instance.
  st.reset();
  st.execute(x, out);
  for (std::size_t r = 0; r < 65; ++r) EXPECT_EQ(out[r], ref[r]) << r;
}

// The "single" scene's cell placed 1.4 MHz above the capture centre at 13 Msps: channel +7 at 541666.67 Hz,
// through decode_capture (ChannelSelector 2/1 to 4 samples/symbol, receiver), gives every BCCH block the
// synthesizer sent (same FN, identical 23 octets) after the acquisition allowance, and nothing else.
TEST(PfbChannelizer, GsmCellDecodesFromItsChannel) {
  const double fs = 13e6, seconds = 1.2;
  const tw::synth::Scene scene = tw::synth::builtin_scene("single");
  const auto& cell = scene.cells.at(0);
  const double centre = tw::synth::downlink_hz(cell.arfcn, cell.band) - 1.4e6;
  tw::synth::SceneRenderer ren(scene, centre, fs);
  tw::synth::TruthRecorder truth;
  ren.set_truth_sink(&truth);
  ASSERT_TRUE(ren.cell_visible(0));
  ASSERT_NEAR(ren.carrier_offset_hz(0), 1.4e6, 1e3);

  PfbChannelizer ch(cfg_for(fs));
  const int row = ch.row_of_offset(1.4e6);
  ASSERT_EQ(ch.channel_number(row), 7);
  std::vector<cf32> x(1 << 16), chan;
  std::vector<std::vector<cf32>> out;
  const std::size_t total = static_cast<std::size_t>(seconds * fs);
  for (std::size_t pos = 0; pos < total; pos += x.size()) {
    std::span<cf32> blk(x.data(), std::min(x.size(), total - pos));
    ren.render(blk);
    ch.execute(blk, out);
    chan.insert(chan.end(), out[static_cast<std::size_t>(row)].begin(), out[static_cast<std::size_t>(row)].end());
  }
  const auto blocks = tw::gsm::decode_capture(chan, ch.output_rate_hz(), 0.0);

  std::map<std::uint32_t, tw::synth::L2Octets> sent;   // BCCH blocks by first FN
  for (const auto& b : truth.blocks()) {
    if (b.cell == 0 && b.tn == 0 && b.channel == "BCCH") sent[b.fn] = b.octets;
  }
  ASSERT_FALSE(sent.empty());
  std::map<std::uint32_t, tw::synth::L2Octets> got;
  for (const auto& b : blocks) {
    if (b.channel != "BCCH") continue;
    got[b.fn] = b.octets;
    auto it = sent.find(b.fn);
    ASSERT_NE(it, sent.end()) << "decoded a BCCH block at FN " << b.fn << " that was not sent";
    EXPECT_EQ(b.octets, it->second) << "FN " << b.fn;
  }
  // 45.002 clause 6.3.1.3: FCCH within 11 frames, SCH one later: blocks starting after 13 frames (plus the
  // channelizer's delay) and ending before the capture's end must all be there.
  const double delay_s = (ch.prototype_length() / 2.0) / fs;
  std::size_t required = 0;
  for (const auto& b : truth.blocks()) {
    if (b.cell != 0 || b.tn != 0 || b.channel != "BCCH") continue;
    if (b.t_start_s < 13 * kFrameS + delay_s || b.t_end_s > seconds - delay_s) continue;
    ++required;
    EXPECT_TRUE(got.count(b.fn)) << "BCCH block at FN " << b.fn << " (" << b.message << ") not decoded";
  }
  EXPECT_GE(required, 4u);
}

}  // namespace
