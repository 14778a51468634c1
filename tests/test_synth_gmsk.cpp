// GMSK modulator against 3GPP TS 45.004: phase advance pi/2 per symbol with alpha = 1 - 2 (b_i xor b_(i-1)),
// so an all-zero burst (FCCH) is a tone at +1625000/24 Hz; the BT=0.3 pulse is symmetric.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "tools/synth/gmsk.hpp"

using namespace tw::synth;
using tw::cf32;

namespace {
double phase_step(const std::vector<cf32>& x, std::size_t from, std::size_t to) {   // mean per sample
  std::complex<double> acc = 0;
  for (std::size_t n = from; n + 1 < to; ++n) acc += std::complex<double>(x[n + 1]) * std::conj(std::complex<double>(x[n]));
  return std::arg(acc);
}
}  // namespace

TEST(SynthGmsk, PulseIsSymmetricAndAdvancesPiOver2) {
  GmskModulator m(4);
  const auto& p = m.pulse();
  ASSERT_EQ(p.size(), 16u);
  double sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    sum += p[i];
    EXPECT_NEAR(p[i], p[p.size() - 1 - i], 1e-6);
  }
  EXPECT_NEAR(sum, std::numbers::pi / 2, 1e-5);
}

TEST(SynthGmsk, AllZeroBitsGiveThePositiveFcchTone) {
  GmskModulator m(4);
  std::vector<std::uint8_t> bits(148, 0);
  std::vector<cf32> out(148 * 4);
  m.modulate(std::vector<std::uint8_t>{0}, std::span<cf32>(out.data(), 4));   // previous bit 0
  m.modulate(bits, out);
  // +pi/2 per symbol = +pi/8 per sample at 4 samples/symbol: 67.708 kHz at 1.0833 Msps.
  EXPECT_NEAR(phase_step(out, 20, 560), std::numbers::pi / 8, 1e-4);
  for (const auto& v : out) EXPECT_NEAR(std::abs(v), 1.0f, 1e-5);
}

TEST(SynthGmsk, DifferentialEncoding) {
  GmskModulator m(8);
  // All ones (after a leading 1): d = 0 -> +pi/2 per symbol too. Alternating 0101: d = 1 -> -pi/2.
  std::vector<std::uint8_t> ones(100, 1), alt(100);
  for (std::size_t i = 0; i < alt.size(); ++i) alt[i] = static_cast<std::uint8_t>(i & 1);
  std::vector<cf32> o1(800), o2(800);
  m.modulate(ones, o1);
  m.reset();
  m.modulate(alt, o2);
  EXPECT_NEAR(phase_step(o1, 80, 780), std::numbers::pi / 16, 1e-4);
  EXPECT_NEAR(phase_step(o2, 80, 780), -std::numbers::pi / 16, 1e-4);
}

TEST(SynthGmsk, StreamingIsPhaseContinuous) {
  std::vector<std::uint8_t> bits(300);
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<std::uint8_t>((i * 7 + i / 3) % 2);
  GmskModulator whole(4), parts(4);
  std::vector<cf32> a(1200), b(1200);
  whole.modulate(bits, a);
  parts.modulate(std::span<const std::uint8_t>(bits.data(), 101), std::span<cf32>(b.data(), 404));
  parts.modulate(std::span<const std::uint8_t>(bits.data() + 101, 199), std::span<cf32>(b.data() + 404, 796));
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_LT(std::abs(a[i] - b[i]), 1e-4f) << i;
}

TEST(SynthGmsk, SymbolSignsRecoverTheBits) {
  // The phase change across each bit period (around its centre, after the modulator delay) has the sign
  // of alpha; undoing the differential encoding gives the bits back.
  GmskModulator m(4);
  std::vector<std::uint8_t> bits(200);
  std::uint32_t s = 12345;
  for (auto& b : bits) {
    s = s * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>((s >> 16) & 1);
  }
  std::vector<cf32> out(bits.size() * 4 + 16);
  std::vector<std::uint8_t> padded = bits;
  padded.insert(padded.end(), 4, 0);
  m.modulate(padded, out);
  const double d = m.delay_samples();
  std::uint8_t prev = 1;
  for (std::size_t i = 0; i < bits.size(); ++i) {
    // bit i spans ideal time [4i, 4i + 4) samples -> output index + delay
    const auto a = static_cast<std::size_t>(std::lround(4.0 * i + d));
    const auto b = static_cast<std::size_t>(std::lround(4.0 * i + 4 + d));
    const double dphi = std::arg(std::complex<double>(out[b]) * std::conj(std::complex<double>(out[a])));
    const std::uint8_t dbit = dphi > 0 ? 0 : 1;
    const std::uint8_t bit = dbit ^ prev;
    prev = bit;
    ASSERT_EQ(bit, bits[i]) << i;
  }
}
