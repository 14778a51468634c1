// Soft MLSE on a known channel with inter-symbol interference (r_n = sum h_k a_(n-k) + w_n).
#include <gtest/gtest.h>

#include <random>

extern "C" {
#include <osmocom/core/bits.h>
}

#include "dsp/gsm/mlse.hpp"

namespace {

using tw::gsm::cf32;

struct Trial {
  std::vector<std::uint8_t> bits;
  std::vector<float> llr;
};

Trial run(const std::array<cf32, 5>& h, float snr_db, std::uint32_t seed, std::size_t n = 150) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.f, 1.f);
  float eh = 0;
  for (auto v : h) eh += std::norm(v);
  const float sigma2 = eh / std::pow(10.f, snr_db / 10.f);
  Trial t;
  t.bits.resize(n);
  for (auto& b : t.bits) b = static_cast<std::uint8_t>(rng() & 1);
  std::vector<cf32> r(n);
  for (std::size_t i = 0; i < n; ++i) {
    cf32 acc{};
    for (std::size_t k = 0; k < 5; ++k) {
      // Symbols before the burst: +1 (a_n = 1 - 2 b_n, b = 0)
      const float a = i >= k ? (t.bits[i - k] ? -1.f : 1.f) : 1.f;
      acc += h[k] * a;
    }
    r[i] = acc + std::sqrt(sigma2 / 2) * cf32(g(rng), g(rng));
  }
  std::vector<std::int8_t> known(n, 0);
  t.llr.resize(n);
  tw::gsm::Mlse mlse(n);
  mlse.equalize(r, h, sigma2, known, t.llr);
  return t;
}

// A channel with strong ISI: energy spread over all five taps, complex.
const std::array<cf32, 5> kChannel = {cf32(0.3f, 0.1f), cf32(0.8f, -0.2f), cf32(1.0f, 0.4f),
                                      cf32(-0.4f, 0.5f), cf32(0.2f, -0.1f)};

TEST(Mlse, NoBitErrorsAtHighSnrAndSignsMatch) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    const Trial t = run(kChannel, 30.f, seed);
    // The last 4 symbols are only seen through the first taps; check all but those.
    for (std::size_t i = 0; i + 4 < t.bits.size(); ++i) {
      ASSERT_EQ(t.llr[i] < 0, t.bits[i] == 1) << "seed " << seed << " symbol " << i << " llr " << t.llr[i];
      // Soft bit sign convention of libosmocoding: osmo_ubit2sbit maps 0 -> +127, 1 -> -127.
      sbit_t ref;
      osmo_ubit2sbit(&ref, &t.bits[i], 1);
      const std::int8_t s = tw::gsm::llr_to_sbit(t.llr[i]);
      ASSERT_EQ(s > 0, ref > 0);
    }
  }
}

TEST(Mlse, UnequalisedChannelWouldFail) {
  // Independent check that the channel really has ISI: symbol-by-symbol decision on the main tap errs.
  std::mt19937 rng(7);
  int errors = 0;
  // Decide a_n from r_(n+2) * conj(h_2) alone on a noiseless realisation.
  std::vector<int> a(200);
  for (auto& v : a) v = (rng() & 1) ? -1 : 1;
  for (std::size_t i = 0; i + 2 < a.size(); ++i) {
    cf32 r{};
    for (std::size_t k = 0; k < 5; ++k) r += kChannel[k] * static_cast<float>(i + 2 >= k ? a[i + 2 - k] : 1);
    const float d = (r * std::conj(kChannel[2])).real();
    if ((d < 0) != (a[i] < 0)) ++errors;
  }
  EXPECT_GT(errors, 10);
}

TEST(Mlse, SoftValuesAreSmallWhereErrorsHappen) {
  // At low SNR some decisions are wrong; those carry less confidence than the right ones on average.
  double right = 0, wrong = 0;
  int n_right = 0, n_wrong = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    const Trial t = run(kChannel, 4.f, seed);
    for (std::size_t i = 0; i + 4 < t.bits.size(); ++i) {
      const bool ok = (t.llr[i] < 0) == (t.bits[i] == 1);
      (ok ? right : wrong) += std::fabs(t.llr[i]);
      ++(ok ? n_right : n_wrong);
    }
  }
  ASSERT_GT(n_wrong, 0);
  const double ber = static_cast<double>(n_wrong) / (n_right + n_wrong);
  EXPECT_LT(ber, 0.1);
  EXPECT_LT(wrong / n_wrong, 0.5 * right / n_right);
}

TEST(Mlse, KnownSymbolsAreForced) {
  const std::size_t n = 40;
  std::vector<cf32> r(n, cf32(0, 0));  // no information at all
  std::vector<std::int8_t> known(n, 0);
  known[5] = 1;
  known[6] = -1;
  std::vector<float> llr(n);
  tw::gsm::Mlse m(n);
  m.equalize(r, kChannel, 1.0f, known, llr);
  EXPECT_GT(llr[5], 100.f);
  EXPECT_LT(llr[6], -100.f);
}

// The max-log MAP recursion written plainly (one state at a time), as the receiver had it before the
// vectorised trellis: the vectorised one must give the same LLRs bit for bit (same additions, same order).
std::vector<float> reference_llr(const std::vector<cf32>& r, const std::array<cf32, 5>& h, float sigma2,
                                 const std::vector<std::int8_t>& known) {
  constexpr float kNeg = -1e30f;
  const std::size_t n = r.size();
  auto sym = [](int s, int i) { return ((s >> i) & 1) ? -1.0f : 1.0f; };
  std::array<cf32, 32> ex{};
  for (int s = 0; s < 16; ++s) {
    cf32 tail{};
    for (int i = 0; i < 4; ++i) tail += h[static_cast<std::size_t>(i + 1)] * sym(s, i);
    ex[static_cast<std::size_t>(2 * s)] = tail + h[0];
    ex[static_cast<std::size_t>(2 * s + 1)] = tail - h[0];
  }
  const float inv = 1.0f / std::max(sigma2, 1e-12f);
  std::vector<float> g(n * 32), alpha((n + 1) * 16, 0.0f), llr(n);
  for (std::size_t k = 0; k < n; ++k) {
    for (int j = 0; j < 32; ++j) {
      const float dr = r[k].real() - ex[static_cast<std::size_t>(j)].real(), di = r[k].imag() - ex[static_cast<std::size_t>(j)].imag();
      g[k * 32 + static_cast<std::size_t>(j)] = -(dr * dr + di * di) * inv;
    }
    if (known[k] != 0)
      for (int s = 0; s < 16; ++s) g[k * 32 + static_cast<std::size_t>(2 * s + (known[k] < 0 ? 0 : 1))] = kNeg;
  }
  for (std::size_t k = 0; k < n; ++k) {
    float best = kNeg;
    for (int s2 = 0; s2 < 16; ++s2) {
      const int bn = s2 & 1, p0 = s2 >> 1, p1 = (s2 >> 1) | 8;
      const float v = std::max(alpha[k * 16 + static_cast<std::size_t>(p0)] + g[k * 32 + static_cast<std::size_t>(p0 * 2 + bn)],
                               alpha[k * 16 + static_cast<std::size_t>(p1)] + g[k * 32 + static_cast<std::size_t>(p1 * 2 + bn)]);
      alpha[(k + 1) * 16 + static_cast<std::size_t>(s2)] = v;
      best = std::max(best, v);
    }
    for (int s2 = 0; s2 < 16; ++s2) alpha[(k + 1) * 16 + static_cast<std::size_t>(s2)] -= best;
  }
  std::array<float, 16> bn{}, bc{};
  for (std::size_t k = n; k-- > 0;) {
    float b0 = kNeg, b1 = kNeg, bm = kNeg;
    for (int s = 0; s < 16; ++s) {
      const float t0 = g[k * 32 + static_cast<std::size_t>(2 * s)] + bn[static_cast<std::size_t>((s << 1) & 15)];
      const float t1 = g[k * 32 + static_cast<std::size_t>(2 * s + 1)] + bn[static_cast<std::size_t>(((s << 1) | 1) & 15)];
      b0 = std::max(b0, alpha[k * 16 + static_cast<std::size_t>(s)] + t0);
      b1 = std::max(b1, alpha[k * 16 + static_cast<std::size_t>(s)] + t1);
      bc[static_cast<std::size_t>(s)] = std::max(t0, t1);
      bm = std::max(bm, bc[static_cast<std::size_t>(s)]);
    }
    for (int s = 0; s < 16; ++s) bn[static_cast<std::size_t>(s)] = bc[static_cast<std::size_t>(s)] - bm;
    llr[k] = std::clamp(b0 - b1, -1e4f, 1e4f);
  }
  return llr;
}

TEST(Mlse, SameLlrsAsThePlainRecursion) {
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.f, 1.f);
  for (int trial = 0; trial < 50; ++trial) {
    std::array<cf32, 5> h;
    for (auto& v : h) v = cf32(g(rng), g(rng)) * 0.5f;
    const std::size_t n = 150;
    std::vector<cf32> r(n);
    for (auto& v : r) v = cf32(g(rng), g(rng));
    std::vector<std::int8_t> known(n, 0);
    for (std::size_t i = 0; i < n; ++i) if (rng() % 5 == 0) known[i] = (rng() & 1) ? 1 : -1;
    const float sigma2 = 0.05f + static_cast<float>(rng() % 100) / 50.f;
    std::vector<float> llr(n);
    tw::gsm::Mlse m(n);
    m.equalize(r, h, sigma2, known, llr);
    const auto ref = reference_llr(r, h, sigma2, known);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(llr[i], ref[i]) << "trial " << trial << " symbol " << i;
  }
}

TEST(Mlse, SoftBitIsRoundedAndClippedLlr) {
  // osmocom soft bit: round(8 * llr), halves away from zero, clipped to +-127; NaN carries no information.
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-20.f, 20.f);
  std::vector<float> v = {0.f, -0.f, 0.0625f, -0.0625f, 0.1875f, -0.1875f, 15.8125f, 15.9375f, -15.9375f, 16.f, 1e4f, -1e4f};
  for (int i = 0; i < 100000; ++i) v.push_back(u(rng));
  for (float x : v) {
    const float ref = std::clamp(std::round(x * 8.0f), -127.0f, 127.0f);
    ASSERT_EQ(tw::gsm::llr_to_sbit(x), static_cast<std::int8_t>(ref)) << x;
  }
  EXPECT_EQ(tw::gsm::llr_to_sbit(std::nanf("")), 0);
}

}  // namespace
