// ChannelSelector: mixing, low-pass and exact rational resampling to the GSM working rate.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numeric>

#include "dsp/channel_select.hpp"
#include "src/core/error.hpp"

namespace {

using tw::dsp::cf32;
constexpr double kPi = 3.14159265358979323846;
constexpr double kWork = 1625000.0 * 4.0 / 6.0;

std::vector<cf32> tone(double rate, double f, std::size_t n, float amp = 1.0f) {
  std::vector<cf32> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = std::polar(amp, static_cast<float>(2 * kPi * f * i / rate));
  return v;
}

// Frequency (Hz) of a pure tone from the mean phase advance, and its mean amplitude.
void measure(const std::vector<cf32>& y, std::size_t skip, double rate, double& f, double& amp) {
  std::complex<double> acc{};
  double a = 0;
  for (std::size_t i = skip + 1; i < y.size() - skip; ++i) {
    acc += std::complex<double>(y[i]) * std::conj(std::complex<double>(y[i - 1]));
    a += std::abs(y[i]);
  }
  f = std::arg(acc) * rate / (2 * kPi);
  amp = a / static_cast<double>(y.size() - 2 * skip - 1);
}

struct Case {
  double rate;
  unsigned p, q;  // expected exact ratio (45.002 symbol rate 1625000/6, 4 samples per symbol)
};

class ChannelSelectRates : public ::testing::TestWithParam<Case> {};

TEST_P(ChannelSelectRates, ExactRatioAndToneLandsAtBaseband) {
  const Case c = GetParam();
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = c.rate;
  cfg.channel_offset_hz = c.rate >= 1e6 ? 200e3 : 0.0;
  tw::dsp::ChannelSelector sel(cfg);
  EXPECT_EQ(sel.interp(), c.p);
  EXPECT_EQ(sel.decim(), c.q);
  // A tone 30 kHz above the channel centre must come out at +30 kHz with unit amplitude.
  const std::size_t n = static_cast<std::size_t>(c.rate * 0.02);
  const auto in = tone(c.rate, cfg.channel_offset_hz + 30e3, n);
  std::vector<cf32> out;
  // Streaming in odd-sized pieces.
  std::size_t produced = 0;
  for (std::size_t i = 0; i < n; i += 777) produced += sel.execute(std::span(in).subspan(i, std::min<std::size_t>(777, n - i)), out);
  EXPECT_EQ(produced, out.size());
  // Exact bookkeeping: outputs k with k*Q/P < n, i.e. ceil(n*P/Q).
  const std::uint64_t want = (static_cast<std::uint64_t>(n) * c.p + c.q - 1) / c.q;
  EXPECT_EQ(out.size(), want);
  EXPECT_EQ(sel.outputs_produced(), want);
  double f = 0, amp = 0;
  measure(out, 400, kWork, f, amp);
  EXPECT_NEAR(f, 30e3, 5.0);
  EXPECT_NEAR(amp, 1.0, 0.02);
}

INSTANTIATE_TEST_SUITE_P(Rates, ChannelSelectRates,
                         ::testing::Values(Case{500e3, 13, 6}, Case{1e6, 13, 12}, Case{kWork, 1, 1},
                                           Case{2.4e6, 65, 144}, Case{4e6, 13, 48},
                                           Case{1625000.0 / 6.0, 4, 1}));

TEST(ChannelSelect, StreamingEqualsOneShot) {
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = 1e6;
  cfg.channel_offset_hz = -150e3;
  auto in = tone(1e6, -100e3, 20000);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] += cf32(0.1f * std::sin(0.37f * i), 0.05f * std::cos(1.3f * i));
  tw::dsp::ChannelSelector a(cfg), b(cfg);
  std::vector<cf32> ya, yb;
  a.execute(in, ya);
  for (std::size_t i = 0; i < in.size(); i += 1) b.execute(std::span(in).subspan(i, 1), yb);
  ASSERT_EQ(ya.size(), yb.size());
  for (std::size_t i = 0; i < ya.size(); ++i) ASSERT_LT(std::abs(ya[i] - yb[i]), 1e-4f) << i;
}

TEST(ChannelSelect, RejectsNeighbourChannel) {
  // A carrier 400 kHz from the selected channel (2.4 Msps capture) is attenuated by the low-pass.
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = 2.4e6;
  cfg.channel_offset_hz = 0.0;
  tw::dsp::ChannelSelector sel(cfg);
  const auto in = tone(2.4e6, 400e3, 48000);
  std::vector<cf32> out;
  sel.execute(in, out);
  double p = 0;
  for (std::size_t i = 500; i < out.size(); ++i) p += std::norm(out[i]);
  p /= static_cast<double>(out.size() - 500);
  EXPECT_LT(10 * std::log10(p), -50.0);
}

TEST(ChannelSelect, InputTimeMapsOutputToInput) {
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = 500e3;
  tw::dsp::ChannelSelector sel(cfg);
  // Output k = 13 m lies at input time 6 m minus the filter delay.
  const double d = -sel.input_time_of_output(0);
  EXPECT_GT(d, 0.0);
  EXPECT_NEAR(sel.input_time_of_output(13 * 1000), 6000.0 - d, 1e-9);
}

TEST(ChannelSelect, BadConfigurationIsInputError) {
  tw::dsp::ChannelSelectConfig cfg;
  cfg.input_rate_hz = 0;
  EXPECT_THROW(tw::dsp::ChannelSelector{cfg}, tw::InputError);
  cfg.input_rate_hz = 1e6;
  cfg.channel_offset_hz = 600e3;
  EXPECT_THROW(tw::dsp::ChannelSelector{cfg}, tw::InputError);
  cfg.channel_offset_hz = 0;
  cfg.input_rate_hz = std::nan("");
  EXPECT_THROW(tw::dsp::ChannelSelector{cfg}, tw::InputError);
}

// Rates that are not multiples of 1/3 Hz, or whose exact ratio to the working rate is huge (a file written
// at 1083333 Hz instead of 1083333.33 Hz), are served by the nearest small ratio: the output rate stays
// within 2 ppm of the working rate, which the receiver absorbs like a clock error.
TEST(ChannelSelect, AnyRateIsServedWithinTwoPartsPerMillion) {
  for (double rate : {1234567.891, 1083333.0, 2.048e6, 3.2e6, 1.92e6, 6.5e6 + 0.1}) {
    tw::dsp::ChannelSelectConfig cfg;
    cfg.input_rate_hz = rate;
    tw::dsp::ChannelSelector sel(cfg);
    EXPECT_NEAR(sel.output_rate_hz() / cfg.output_rate_hz, 1.0, 2e-6) << rate;
    EXPECT_NEAR(rate * sel.interp() / sel.decim(), sel.output_rate_hz(), 1e-6 * rate) << rate;
    EXPECT_LE(sel.interp(), 1024u) << rate;
  }
}

}  // namespace
