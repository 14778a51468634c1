// PDSCH resource allocation of SI-RNTI DCIs: RIV (TS 36.213 7.1.6.3) against examples worked by hand from
// the formula, the gap table 6.2.3.2-1 and N_VRB of TS 36.211, and the distributed VRB -> PRB mapping against
// the interleaver as 6.2.3.2 describes it in words (a matrix of 4 columns and N_row rows written row by row,
// read column by column, N_null nulls in the last N_null/2 rows of the 2nd and 4th columns), built here.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"

namespace lte = tw::dsp::lte;

namespace {

std::string error_of(auto f) {
  try {
    f();
  } catch (const tw::InputError& e) {
    return e.what();
  }
  return "no error";
}

// 6.2.3.2 in words: ñ_PRB (even slot) of every ñ_VRB of one interleaving unit of size nt.
std::vector<int> interleaver_by_matrix(int nt, int p) {
  const int n_row = (nt + 4 * p - 1) / (4 * p) * p;  // ceil(Ñ / 4P) P
  const int n_null = 4 * n_row - nt;
  std::vector<std::vector<int>> m(static_cast<std::size_t>(n_row), std::vector<int>(4, -2));
  for (int r = n_row - n_null / 2; r < n_row; ++r) m[static_cast<std::size_t>(r)][1] = m[static_cast<std::size_t>(r)][3] = -1;
  int v = 0;
  for (int r = 0; r < n_row; ++r)
    for (int c = 0; c < 4; ++c)
      if (m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != -1) m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = v++;
  EXPECT_EQ(v, nt);
  std::vector<int> prb_of_vrb(static_cast<std::size_t>(nt), -1);
  int j = 0;
  for (int c = 0; c < 4; ++c)
    for (int r = 0; r < n_row; ++r) {
      const int x = m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
      if (x >= 0) prb_of_vrb[static_cast<std::size_t>(x)] = j++;
    }
  return prb_of_vrb;
}

lte::Dci dci_1a(int riv, bool distributed, int gap, int mcs, int tpc) {
  lte::Dci d;
  d.format = lte::DciFormat::f1a;
  d.riv = riv;
  d.distributed = distributed;
  d.gap = gap;
  d.mcs = mcs;
  d.tpc = tpc;
  return d;
}

}  // namespace

TEST(LtePdschAllocation, RivWorkedExamples) {
  // N = 100: start 5, L 3: L - 1 = 2 <= 50 -> 100 * 2 + 5 = 205.
  EXPECT_EQ(lte::riv_encode(5, 3, 100), 205);
  // N = 100: start 10, L 60: L - 1 = 59 > 50 -> 100 (100 - 60 + 1) + (100 - 1 - 10) = 4100 + 89 = 4189.
  EXPECT_EQ(lte::riv_encode(10, 60, 100), 4189);
  // N = 6: start 0, L 6: 5 > 3 -> 6 * 1 + 5 = 11; start 2, L 2 -> 6 + 2 = 8.
  EXPECT_EQ(lte::riv_encode(0, 6, 6), 11);
  EXPECT_EQ(lte::riv_encode(2, 2, 6), 8);
  // N = 25: the whole band, 25 * 1 + 24 = 49.
  EXPECT_EQ(lte::riv_encode(0, 25, 25), 49);
  const auto a = lte::riv_decode(4189, 100, 100);
  EXPECT_EQ(a.rb_start, 10);
  EXPECT_EQ(a.l_crb, 60);
  const auto b = lte::riv_decode(205, 100, 100);
  EXPECT_EQ(b.rb_start, 5);
  EXPECT_EQ(b.l_crb, 3);
  const auto c = lte::riv_decode(11, 6, 6);
  EXPECT_EQ(c.rb_start, 0);
  EXPECT_EQ(c.l_crb, 6);
}

TEST(LtePdschAllocation, RivIsABijectionOntoItsRange) {
  for (int n : {6, 11, 15, 25, 50, 75, 100, 110}) {
    std::set<int> seen;
    for (int l = 1; l <= n; ++l)
      for (int s = 0; s + l <= n; ++s) {
        const int riv = lte::riv_encode(s, l, n);
        EXPECT_TRUE(seen.insert(riv).second) << n << " " << s << " " << l;
        const auto d = lte::riv_decode(riv, n, n);
        EXPECT_EQ(d.rb_start, s);
        EXPECT_EQ(d.l_crb, l);
      }
    EXPECT_EQ(static_cast<int>(seen.size()), n * (n + 1) / 2);
    EXPECT_EQ(*seen.rbegin(), n * (n + 1) / 2 - 1);
    EXPECT_NE(error_of([&] { lte::riv_decode(n * (n + 1) / 2, n, n); }).find("riv"), std::string::npos);
  }
  // Within N but beyond N_max (distributed blocks): start 40 + 10 blocks > 46.
  EXPECT_NE(error_of([] { lte::riv_decode(lte::riv_encode(40, 10, 50), 50, 46); }).find("riv"), std::string::npos);
}

TEST(LtePdschAllocation, GapTableAndVrbCounts) {
  // 36.211 table 6.2.3.2-1.
  EXPECT_EQ(lte::n_gap(6, 0), 3);
  EXPECT_EQ(lte::n_gap(7, 0), 4);
  EXPECT_EQ(lte::n_gap(10, 0), 5);
  EXPECT_EQ(lte::n_gap(11, 0), 4);
  EXPECT_EQ(lte::n_gap(15, 0), 8);
  EXPECT_EQ(lte::n_gap(25, 0), 12);
  EXPECT_EQ(lte::n_gap(27, 0), 18);
  EXPECT_EQ(lte::n_gap(45, 0), 27);
  EXPECT_EQ(lte::n_gap(50, 0), 27);
  EXPECT_EQ(lte::n_gap(50, 1), 9);
  EXPECT_EQ(lte::n_gap(64, 0), 32);
  EXPECT_EQ(lte::n_gap(75, 1), 16);
  EXPECT_EQ(lte::n_gap(100, 0), 48);
  EXPECT_EQ(lte::n_gap(100, 1), 16);
  // N_VRB^DL: 2 min(N_gap, N_RB - N_gap); floor(N_RB / 2 N_gap) 2 N_gap.
  EXPECT_EQ(lte::n_vrb_distributed(6, 0), 6);
  EXPECT_EQ(lte::n_vrb_distributed(15, 0), 14);
  EXPECT_EQ(lte::n_vrb_distributed(25, 0), 24);
  EXPECT_EQ(lte::n_vrb_distributed(50, 0), 46);
  EXPECT_EQ(lte::n_vrb_distributed(50, 1), 36);
  EXPECT_EQ(lte::n_vrb_distributed(75, 0), 64);
  EXPECT_EQ(lte::n_vrb_distributed(75, 1), 64);
  EXPECT_EQ(lte::n_vrb_distributed(100, 0), 96);
  EXPECT_EQ(lte::n_vrb_distributed(100, 1), 96);
  EXPECT_EQ(lte::n_rb_step(25), 2);
  EXPECT_EQ(lte::n_rb_step(50), 4);
  EXPECT_NE(error_of([] { lte::n_gap(25, 1); }).find("gap"), std::string::npos);
  EXPECT_NE(error_of([] { lte::n_vrb_distributed(5, 0); }).find("n_prb"), std::string::npos);
}

TEST(LtePdschAllocation, DistributedMappingFollowsTheInterleaverDefinition) {
  for (int n_rb : {6, 15, 25, 50, 75, 100}) {
    for (int gap : {0, 1}) {
      if (gap == 1 && n_rb < 50) continue;
      const int g = lte::n_gap(n_rb, gap);
      const int n_vrb = lte::n_vrb_distributed(n_rb, gap);
      const int nt = gap == 0 ? n_vrb : 2 * g;
      const auto table = interleaver_by_matrix(nt, lte::rbg_size(n_rb));
      std::set<int> used0, used1;
      for (int v = 0; v < n_vrb; ++v) {
        const int unit = v / nt * nt;
        const int even = table[static_cast<std::size_t>(v % nt)] + unit;
        const int odd = (table[static_cast<std::size_t>(v % nt)] + nt / 2) % nt + unit;
        auto to_prb = [&](int t) { return t < nt / 2 ? t : t + g - nt / 2; };
        EXPECT_EQ(lte::distributed_vrb_to_prb(v, 0, n_rb, gap), to_prb(even)) << n_rb << " " << gap << " " << v;
        EXPECT_EQ(lte::distributed_vrb_to_prb(v, 1, n_rb, gap), to_prb(odd)) << n_rb << " " << gap << " " << v;
        used0.insert(lte::distributed_vrb_to_prb(v, 0, n_rb, gap));
        used1.insert(lte::distributed_vrb_to_prb(v, 1, n_rb, gap));
      }
      // One PRB per VRB and slot, all within the band.
      EXPECT_EQ(static_cast<int>(used0.size()), n_vrb);
      EXPECT_EQ(used0, used1);
      EXPECT_GE(*used0.begin(), 0);
      EXPECT_LT(*used0.rbegin(), n_rb);
    }
  }
  // Worked by hand for N_RB = 6 (P = 1, Ñ = 6, N_row = 2, N_null = 2): matrix rows {0 1 2 3}, {4 x 5 x};
  // read by columns: 0 4 1 2 5 3, so VRB 1 -> ñ 2, VRB 3 -> ñ 5 -> 5 + N_gap(3) - 3 = 5. Odd slot: VRB 0 ->
  // (0 + 3) mod 6 = 3.
  EXPECT_EQ(lte::distributed_vrb_to_prb(1, 0, 6, 0), 2);
  EXPECT_EQ(lte::distributed_vrb_to_prb(3, 0, 6, 0), 5);
  EXPECT_EQ(lte::distributed_vrb_to_prb(0, 1, 6, 0), 3);
}

TEST(LtePdschAllocation, SiAllocationFormat1A) {
  // Localized: 3 PRB from 10 in a 100 PRB cell, I_MCS 3, TPC LSB 1 -> column 3 -> 176 bits (the recording's
  // SIB1); TPC LSB 0 (MSB set) -> column 2.
  auto a = lte::si_allocation(dci_1a(lte::riv_encode(10, 3, 100), false, 0, 3, 1), 100);
  EXPECT_EQ(a.prb_slot0, (std::vector<int>{10, 11, 12}));
  EXPECT_EQ(a.prb_slot1, a.prb_slot0);
  EXPECT_EQ(a.n_prb, 3);
  EXPECT_EQ(a.tbs, 176);
  EXPECT_EQ(a.qm, 2);
  a = lte::si_allocation(dci_1a(lte::riv_encode(10, 3, 100), false, 0, 3, 2), 100);
  EXPECT_EQ(a.tbs, lte::transport_block_size(3, 2));
  // Distributed, 25 PRB: each slot the mapping of the VRBs.
  a = lte::si_allocation(dci_1a(lte::riv_encode(4, 4, 25), true, 0, 5, 0), 25);
  ASSERT_EQ(a.n_prb, 4);
  std::vector<int> want0, want1;
  for (int v = 4; v < 8; ++v) {
    want0.push_back(lte::distributed_vrb_to_prb(v, 0, 25, 0));
    want1.push_back(lte::distributed_vrb_to_prb(v, 1, 25, 0));
  }
  std::sort(want0.begin(), want0.end());
  std::sort(want1.begin(), want1.end());
  EXPECT_EQ(a.prb_slot0, want0);
  EXPECT_EQ(a.prb_slot1, want1);
  // Slot hopping: each VRB sits Ñ_VRB / 2 interleaver positions further in the odd slot.
  EXPECT_NE(lte::distributed_vrb_to_prb(4, 0, 25, 0), lte::distributed_vrb_to_prb(4, 1, 25, 0));
}

TEST(LtePdschAllocation, SiAllocationFormat1C) {
  // 50 PRB: N_step 4, N'_VRB = floor(46 / 4) = 11; RIV for start' 1, L' 2 -> VRBs 4..11; I_TBS 6 -> 176.
  lte::Dci d;
  d.format = lte::DciFormat::f1c;
  d.riv = lte::riv_encode(1, 2, 11);
  d.mcs = 6;
  const auto a = lte::si_allocation(d, 50);
  EXPECT_EQ(a.n_prb, 8);
  EXPECT_EQ(a.tbs, 176);
  std::vector<int> want;
  for (int v = 4; v < 12; ++v) want.push_back(lte::distributed_vrb_to_prb(v, 0, 50, 0));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(a.prb_slot0, want);
  // RIV of N'_VRB = 11: at most 66 values.
  d.riv = 66;
  EXPECT_NE(error_of([&] { lte::si_allocation(d, 50); }).find("riv"), std::string::npos);
}

TEST(LtePdschAllocation, BadFieldsAreInputErrors) {
  EXPECT_NE(error_of([] { lte::si_allocation(dci_1a(5050, false, 0, 3, 0), 100); }).find("riv"), std::string::npos);
  EXPECT_NE(error_of([] { lte::si_allocation(dci_1a(lte::riv_encode(40, 10, 50), true, 0, 3, 0), 50); }).find("riv"),
            std::string::npos);
  EXPECT_NE(error_of([] { lte::si_allocation(dci_1a(0, false, 0, 27, 0), 100); }).find("mcs"), std::string::npos);
  EXPECT_NE(error_of([] { lte::si_allocation(dci_1a(0, true, 1, 3, 0), 25); }).find("gap"), std::string::npos);
  EXPECT_NE(error_of([] { lte::si_allocation(dci_1a(0, false, 0, 3, 0), 111); }).find("n_rb_dl"), std::string::npos);
  EXPECT_NE(error_of([] { lte::si_allocation(dci_1a(-1, false, 0, 3, 0), 100); }).find("riv"), std::string::npos);
}

TEST(LtePdschAllocation, AnyDciIsAnAllocationOrAnInputError) {
  // Every field comes from the air: random formats, RIVs (within and beyond their field), gaps, MCS, TPC and
  // bandwidths give a valid allocation (PRBs in the band, one per VRB and slot, TBS from the tables) or a
  // tw::InputError, never anything else.
  std::mt19937 rng(5);
  int valid = 0, rejected = 0;
  for (int t = 0; t < 20000; ++t) {
    lte::Dci d;
    d.format = (rng() & 1) ? lte::DciFormat::f1a : lte::DciFormat::f1c;
    d.distributed = rng() & 1;
    d.gap = static_cast<int>(rng() % 3) - (rng() % 8 == 0 ? 1 : 0);
    d.riv = static_cast<int>(rng() % 8192) - (rng() % 16 == 0 ? 100 : 0);
    d.mcs = static_cast<int>(rng() % 34);
    d.tpc = static_cast<int>(rng() % 4);
    const int n_rb = static_cast<int>(rng() % 112);
    try {
      const auto a = lte::si_allocation(d, n_rb);
      ++valid;
      ASSERT_GE(a.n_prb, 1);
      ASSERT_EQ(a.prb_slot0.size(), static_cast<std::size_t>(a.n_prb));
      ASSERT_EQ(a.prb_slot1.size(), static_cast<std::size_t>(a.n_prb));
      for (int p : a.prb_slot0) ASSERT_TRUE(p >= 0 && p < n_rb);
      for (int p : a.prb_slot1) ASSERT_TRUE(p >= 0 && p < n_rb);
      ASSERT_GE(a.tbs, 16);
      ASSERT_EQ(a.qm, 2);
    } catch (const tw::InputError&) {
      ++rejected;
    }
  }
  EXPECT_GT(valid, 500);
  EXPECT_GT(rejected, 1000);
}
