// Frequency List encoding (3GPP TS 44.018 10.5.2.13 and Annex J), checked against octets worked out by
// hand from the spec and against libosmogsm's gsm48_decode_freq_list, an independent decoder.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

extern "C" {
#include <osmocom/gsm/gsm48_ie.h>
}

#include "tools/synth/l3/encode.hpp"
#include "tools/synth/l3/ie_common.hpp"

using tw::synth::l3::encode_neighbour_cells;

namespace {

std::vector<int> osmo_decode(std::array<std::uint8_t, 16> v) {
  std::vector<gsm_sysinfo_freq> f(1024);
  const int rc = gsm48_decode_freq_list(f.data(), v.data(), 16, 0xff, 0x01);
  EXPECT_EQ(rc, 0);
  std::vector<int> out;
  for (int i = 0; i < 1024; ++i) {
    if (f[static_cast<std::size_t>(i)].mask & 0x01) out.push_back(i);
  }
  return out;
}

std::vector<int> sorted_unique(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Format identification of the first octet (10.5.2.1b/10.5.2.13): bits 8,7 then bits 4..2.
enum class Fmt { bitmap0, r1024, r512, r256, r128, variable };
Fmt format_of(std::uint8_t o) {
  if ((o & 0xc0) == 0x00) return Fmt::bitmap0;
  if ((o & 0x08) == 0) return Fmt::r1024;
  switch ((o >> 1) & 0x07) {
    case 0b100: return Fmt::r512;
    case 0b101: return Fmt::r256;
    case 0b110: return Fmt::r128;
    default: return Fmt::variable;
  }
}

// n distinct ARFCNs in [lo, lo + span] (mod 1024), both ends included.
std::vector<int> random_set(std::mt19937& rng, int n, int lo, int span) {
  std::set<int> s{lo % 1024, (lo + span) % 1024};
  std::uniform_int_distribution<int> d(0, span);
  while (static_cast<int>(s.size()) < n) s.insert((lo + d(rng)) % 1024);
  return {s.begin(), s.end()};
}

}  // namespace

// 10.5.2.13.2 bit map 0: ARFCN n is bit n of the 124-bit map; ARFCN 124 is bit 4 of the first octet,
// ARFCN 1 bit 1 of the last. BA-IND (bit 5) and EXT-IND (bit 6) of the first octet.
TEST(FrequencyList, BitMap0WorkedExample) {
  const auto v = encode_neighbour_cells({1, 62, 124}, true, true);
  const std::array<std::uint8_t, 16> expect{0x38, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0x01};
  EXPECT_EQ(v, expect);
  auto value = v;
  value[0] &= 0xcf;  // the decoder reads the plain frequency list
  EXPECT_EQ(osmo_decode(value), (std::vector<int>{1, 62, 124}));
}

// 10.5.2.13.3 range 1024, worked by hand with Annex J: ARFCNs {100, 200, 700} are the values
// {99, 199, 699} in range 1023. Pivot 99 (one other value, 199, within the 511 after it): W(1) = 100.
// Left subset (origin 99 + 511 + 1 = 611): 699 - 611 = 88 -> W(2) = 89. Right subset (origin 100):
// 199 - 100 = 99 -> W(3) = 100. Decoding per 10.5.2.13.3: F1 = W1 = 100,
// F2 = (W1 - 512 + W2) smod 1023 = 700, F3 = (W1 + W3) smod 1023 = 200.
// Bits: 10 00 0 F0=0 | W1 0001100100 | W2 001011001 | W3 001100100 | 0...
TEST(FrequencyList, Range1024WorkedExample) {
  EXPECT_EQ(tw::synth::l3::detail::annex_j_encode({99, 199, 699}, 1023), (std::vector<int>{0, 100, 89, 100}));
  const auto v = encode_neighbour_cells({700, 100, 200}, false, false);
  const std::array<std::uint8_t, 16> expect{0x80, 0x64, 0x2c, 0x99, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(v, expect);
  EXPECT_EQ(osmo_decode(v), (std::vector<int>{100, 200, 700}));
}

// 10.5.2.13.4 range 512, worked by hand: ORIG-ARFCN 600 (the ARFCN after the largest gap), the others as
// F - ORIG - 1 = {49, 99} in range 511. Pivot 99 (no other value in the 255 after it): W(1) = 100; left
// subset origin 99 + 255 + 1 = 355: (49 - 355) mod 511 = 205 -> W(2) = 206 (8 bits); right subset empty.
// Decoding: F1 = ORIG + W1 = 700, F2 = ORIG + (W1 - 256 + W2) smod 511 = 650.
// Bits: 10 00 100 | ORIG 1001011000 | W1 001100100 | W2 11001110 | 0...
TEST(FrequencyList, Range512WorkedExample) {
  // (encode_neighbour_cells would pick range 1024 for three ARFCNs: the range 512 writer is called directly)
  EXPECT_EQ(tw::synth::l3::detail::annex_j_encode({49, 99}, 511), (std::vector<int>{0, 100, 206}));
  const auto v = tw::synth::l3::detail::encode_frequency_list_range({650, 700, 600}, 512);
  const std::array<std::uint8_t, 16> expect{0x89, 0x2c, 0x19, 0x33, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(v, expect);
  EXPECT_EQ(osmo_decode(v), (std::vector<int>{600, 650, 700}));
  // {100, 400, 700}: the largest circular gap is 424 (700 -> 100), so the span is 600 > 511
  EXPECT_THROW(tw::synth::l3::detail::encode_frequency_list_range({100, 400, 700}, 512), std::invalid_argument);
  // {100, 700} wraps: ORIG 700, span 424, which fits
  EXPECT_EQ(osmo_decode(tw::synth::l3::detail::encode_frequency_list_range({100, 700}, 512)),
            (std::vector<int>{100, 700}));
}

TEST(FrequencyList, WidthsOfW) {
  // 10.5.2.13.3: W(1) 10 bits, W(2..3) 9, W(4..7) 8, W(8..15) 7, W(16) 6
  EXPECT_EQ(tw::synth::l3::detail::w_width(10, 1), 10);
  EXPECT_EQ(tw::synth::l3::detail::w_width(10, 3), 9);
  EXPECT_EQ(tw::synth::l3::detail::w_width(10, 4), 8);
  EXPECT_EQ(tw::synth::l3::detail::w_width(10, 15), 7);
  EXPECT_EQ(tw::synth::l3::detail::w_width(10, 16), 6);
  // 10.5.2.13.6 range 128: W(16..31) 3 bits
  EXPECT_EQ(tw::synth::l3::detail::w_width(7, 28), 3);
}

TEST(FrequencyList, ArfcnZeroNeedsRange1024WithF0) {
  const auto v = encode_neighbour_cells({0, 1, 124}, false, false);
  EXPECT_EQ(format_of(v[0]), Fmt::r1024);
  EXPECT_TRUE(v[0] & 0x04);  // F0
  EXPECT_EQ(osmo_decode(v), (std::vector<int>{0, 1, 124}));
}

TEST(FrequencyList, EmptyListIsAnEmptyBitMap0) {
  const auto v = encode_neighbour_cells({}, false, false);
  EXPECT_EQ(v, (std::array<std::uint8_t, 16>{}));
  EXPECT_TRUE(osmo_decode(v).empty());
}

struct FormatCase {
  Fmt fmt;
  int n_min, n_max;  // number of ARFCNs
  int span;          // they lie within lo .. lo + span
};

// Random sets sized so that exactly one format is the first that holds them, each decoded by libosmogsm.
TEST(FrequencyList, EveryFormatRoundTripsThroughOsmocomDecoder) {
  const FormatCase cases[] = {
      {Fmt::bitmap0, 1, 60, 123},   // lo = 1
      {Fmt::r1024, 2, 16, 1023},
      {Fmt::r512, 17, 18, 511},
      {Fmt::r256, 19, 22, 255},
      {Fmt::r128, 23, 29, 127},
      {Fmt::variable, 30, 80, 111},
  };
  std::mt19937 rng(12345);
  int checked = 0;
  for (const auto& c : cases) {
    for (int trial = 0; trial < 200; ++trial) {
      const int n = std::uniform_int_distribution<int>(c.n_min, c.n_max)(rng);
      const int lo = c.fmt == Fmt::bitmap0 ? 1 : std::uniform_int_distribution<int>(0, 1023)(rng);
      auto set = random_set(rng, n, lo, std::min(c.span, 1023));
      if (c.fmt == Fmt::r1024 && std::all_of(set.begin(), set.end(), [](int f) { return f >= 1 && f <= 124; })) {
        set.push_back(700);  // keep it out of bit map 0
        set = sorted_unique(set);
        if (set.size() > 16) set.erase(set.begin());
      }
      if (c.fmt != Fmt::bitmap0 && c.fmt != Fmt::r1024 &&
          std::all_of(set.begin(), set.end(), [](int f) { return f >= 1 && f <= 124; })) {
        continue;  // a set inside 1..124 is bit map 0 whatever its size
      }
      if (c.fmt == Fmt::r512 && set.size() <= 17 && set.front() == 0) {
        continue;  // ARFCN 0 rides in F0: range 1024 holds 17 ARFCNs when one of them is 0
      }
      const auto v = encode_neighbour_cells(set, false, false);
      ASSERT_EQ(format_of(v[0]), c.fmt) << "n=" << set.size() << " lo=" << lo;
      ASSERT_EQ(osmo_decode(v), sorted_unique(set)) << "n=" << set.size() << " lo=" << lo;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

// Annex J fills W(1..n) without holes: the number of W fields is the number of values.
TEST(FrequencyList, AnnexJTreeHasNoHoles) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 500; ++trial) {
    const int n = std::uniform_int_distribution<int>(1, 16)(rng);
    std::set<int> s;
    while (static_cast<int>(s.size()) < n) s.insert(std::uniform_int_distribution<int>(0, 1022)(rng));
    const auto w = tw::synth::l3::detail::annex_j_encode({s.begin(), s.end()}, 1023);
    ASSERT_EQ(static_cast<int>(w.size()) - 1, n);
    for (int k = 1; k <= n; ++k) ASSERT_NE(w[static_cast<std::size_t>(k)], 0);
  }
}

TEST(FrequencyList, RejectsWhatCannotBeEncoded) {
  std::vector<int> spread;
  for (int f = 0; f < 1024; f += 25) spread.push_back(f);  // 41 ARFCNs over the whole range
  EXPECT_THROW(encode_neighbour_cells(spread, false, false), std::invalid_argument);
  EXPECT_THROW(encode_neighbour_cells({1024}, false, false), std::invalid_argument);
  EXPECT_THROW(encode_neighbour_cells({-1}, false, false), std::invalid_argument);
}
