// Transport block size tables (TS 36.213 7.1.7.2.1-1, 7.1.7.2.3-1) against spot values looked up in the
// specification and the recording's reference decode, and against the tables' construction: every size
// was chosen so that the transport block plus its CRC segments into turbo code blocks without filler bits
// (TS 36.212 5.1.2 with the interleaver sizes K of table 5.1.3-3), and sizes grow with I_TBS and N_PRB.
#include <gtest/gtest.h>

#include <set>

#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"

namespace lte = tw::dsp::lte;

namespace {

// 36.212 table 5.1.3-3: K = 40..512 step 8, 528..1024 step 16, 1056..2048 step 32, 2112..6144 step 64.
std::set<int> turbo_interleaver_sizes() {
  std::set<int> k;
  for (int v = 40; v <= 512; v += 8) k.insert(v);
  for (int v = 528; v <= 1024; v += 16) k.insert(v);
  for (int v = 1056; v <= 2048; v += 32) k.insert(v);
  for (int v = 2112; v <= 6144; v += 64) k.insert(v);
  return k;
}

// 36.212 5.1.2: B = A + 24; C = 1 when B <= Z = 6144, else C = ceil(B / (Z - L)) with B' = B + C L, L = 24.
// The table's sizes make every code block exactly one interleaver size (no filler: F = 0, C- = 0).
bool segments_without_filler(int tbs, const std::set<int>& k_sizes) {
  const int b = tbs + 24;
  if (b <= 6144) return k_sizes.count(b) == 1;
  const int c = (b + 6144 - 24 - 1) / (6144 - 24);
  const int b_prime = b + 24 * c;
  return b_prime % c == 0 && k_sizes.count(b_prime / c) == 1;
}

}  // namespace

TEST(LteTbs, SpotValuesFromTheSpecification) {
  EXPECT_EQ(lte::transport_block_size(0, 1), 16);      // first entry of the table
  EXPECT_EQ(lte::transport_block_size(26, 110), 75376);  // last entry: the largest one-layer block
  EXPECT_EQ(lte::transport_block_size(26, 100), 75376);
  EXPECT_EQ(lte::transport_block_size(6, 1), 328);     // the table's one out-of-order entry, as printed
  // The recording f1815.3_s19.2 (reference.json): SIB1 with MCS 3 over N_PRB^1A = 3 has 176 bits.
  EXPECT_EQ(lte::transport_block_size(3, 3), 176);
  EXPECT_EQ(lte::tbs_format_1c(0), 40);
  EXPECT_EQ(lte::tbs_format_1c(6), 176);
  EXPECT_EQ(lte::tbs_format_1c(15), 488);
  EXPECT_EQ(lte::tbs_format_1c(31), 1736);
}

TEST(LteTbs, EverySizeSegmentsWithoutFillerBits) {
  const auto k_sizes = turbo_interleaver_sizes();
  int checked = 0;
  for (int i = 0; i <= lte::kMaxItbs; ++i)
    for (int n = 1; n <= 110; ++n) {
      const int tbs = lte::transport_block_size(i, n);
      EXPECT_EQ(tbs % 8, 0) << "I_TBS " << i << " N_PRB " << n;
      EXPECT_TRUE(segments_without_filler(tbs, k_sizes)) << "I_TBS " << i << " N_PRB " << n << ": " << tbs;
      ++checked;
    }
  for (int i = 0; i <= lte::kMaxItbs1c; ++i)
    EXPECT_TRUE(segments_without_filler(lte::tbs_format_1c(i), k_sizes)) << "1C I_TBS " << i;
  EXPECT_EQ(checked, 27 * 110);
}

TEST(LteTbs, SizesGrowWithItbsAndNprb) {
  for (int i = 0; i <= lte::kMaxItbs; ++i)
    for (int n = 2; n <= 110; ++n) {
      if (i == 6 && n == 2) continue;  // after the out-of-order (6, 1)
      EXPECT_LE(lte::transport_block_size(i, n - 1), lte::transport_block_size(i, n)) << i << " " << n;
    }
  for (int n = 1; n <= 110; ++n)
    for (int i = 1; i <= lte::kMaxItbs; ++i) {
      if (i == 7 && n == 1) continue;
      EXPECT_LE(lte::transport_block_size(i - 1, n), lte::transport_block_size(i, n)) << i << " " << n;
    }
  // Roughly proportional to N_PRB: 110 PRB carry between 100x and 200x one PRB (I_TBS > 0; row 0 is 194x).
  for (int i = 0; i <= lte::kMaxItbs; ++i) {
    if (i == 6) continue;
    const double ratio = static_cast<double>(lte::transport_block_size(i, 110)) / lte::transport_block_size(i, 1);
    EXPECT_GT(ratio, 90.0) << i;
    EXPECT_LT(ratio, 200.0) << i;
  }
  for (int i = 1; i <= lte::kMaxItbs1c; ++i) EXPECT_LT(lte::tbs_format_1c(i - 1), lte::tbs_format_1c(i));
}

TEST(LteTbs, OutOfRangeIsAnInputErrorNamingTheField) {
  auto message = [](auto f) {
    try {
      f();
    } catch (const tw::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([] { lte::transport_block_size(27, 1); }).find("i_tbs"), std::string::npos);
  EXPECT_NE(message([] { lte::transport_block_size(-1, 1); }).find("i_tbs"), std::string::npos);
  EXPECT_NE(message([] { lte::transport_block_size(0, 0); }).find("n_prb"), std::string::npos);
  EXPECT_NE(message([] { lte::transport_block_size(0, 111); }).find("n_prb"), std::string::npos);
  EXPECT_NE(message([] { lte::tbs_format_1c(32); }).find("i_tbs"), std::string::npos);
}
