// PDSCH of System Information (dsp/lte/pdsch, tools/synth/lte/pdsch_encoder): the RE mapping against counts
// worked by hand from TS 36.211 6.4 / 6.10.1.2 / 6.6.4 / 6.11, the encoder's scrambling and QPSK against
// 36.211 6.3.1 / 7.2 written out here, and demodulation (1 port, SFBC 2 ports, SFBC+FSTD 4 ports) of
// synthetic grids through a known channel with noise: hard decisions at high SNR, the soft values'
// calibration (consistent Gaussian LLRs: E[L | bit] = var(L) / 2), and whole SIB1 transport blocks (the
// recording's reference octets) through DL-SCH coding, decoded alone and by combining at low SNR.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <random>
#include <set>

#include "dsp/lte/dci.hpp"
#include "dsp/lte/dlsch_coding.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "dsp/lte/si_schedule.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/pdsch_encoder.hpp"

namespace lte = tw::dsp::lte;
using cf32 = std::complex<float>;

namespace {

constexpr double kPi = 3.14159265358979323846;

lte::CellParams cell_of(int pci, int n_prb, int ports) {
  lte::CellParams c;
  c.pci = pci;
  c.n_prb = n_prb;
  c.ports = ports;
  return c;
}

lte::PdschAllocation localized(std::vector<int> prbs) {
  lte::PdschAllocation a;
  a.prb_slot0 = prbs;
  a.prb_slot1 = prbs;
  a.n_prb = static_cast<int>(prbs.size());
  return a;
}

int count(const lte::CellParams& c, int sf, int cfi, std::vector<int> prbs) {
  return static_cast<int>(lte::pdsch_resource_elements(c, sf, cfi, localized(std::move(prbs))).size());
}

// 36.211 7.2 written out as in the text (Nc = 1600).
std::vector<int> gold_reference(std::uint32_t c_init, int len) {
  const int nc = 1600, total = nc + len + 31;
  std::vector<int> x1(static_cast<std::size_t>(total)), x2(static_cast<std::size_t>(total));
  x1[0] = 1;
  for (int i = 0; i < 31; ++i) x2[static_cast<std::size_t>(i)] = (c_init >> i) & 1;
  for (int n = 0; n + 31 < total; ++n) {
    const auto u = static_cast<std::size_t>(n);
    x1[u + 31] = (x1[u + 3] + x1[u]) % 2;
    x2[u + 31] = (x2[u + 3] + x2[u + 2] + x2[u + 1] + x2[u]) % 2;
  }
  std::vector<int> c(static_cast<std::size_t>(len));
  for (int n = 0; n < len; ++n) c[static_cast<std::size_t>(n)] = (x1[static_cast<std::size_t>(n + nc)] + x2[static_cast<std::size_t>(n + nc)]) % 2;
  return c;
}

// Received subframe: sum over ports of h_p * grid_p plus complex Gaussian noise of variance n0 per RE. The
// channel of port p is a gain and phase with a linear phase over k (a delay) and a slow drift over l, so it
// is nearly flat over neighbouring REs (as SFBC assumes), but differs per port.
lte::DlSubframe receive(const lte::CellParams& c, int subframe, const std::vector<std::vector<cf32>>& grids, float n0,
                        std::mt19937& rng, bool flat = false) {
  lte::DlSubframe sf;
  sf.subframe = subframe;
  sf.n_prb = c.n_prb;
  sf.n_symbols = c.normal_cp ? 14 : 12;
  const std::size_t n = static_cast<std::size_t>(sf.n_symbols * sf.n_sc());
  sf.re.assign(n, cf32{});
  std::normal_distribution<float> g(0.0f, std::sqrt(n0 / 2.0f));
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (int p = 0; p < c.ports; ++p) {
    auto& h = sf.h[static_cast<std::size_t>(p)];
    h.resize(n);
    const float amp = flat ? 1.0f : 0.5f + u(rng), ph = flat ? 0.0f : static_cast<float>(2 * kPi) * u(rng);
    const float tau = flat ? 0.0f : 0.002f * u(rng), drift = flat ? 0.0f : 0.01f * u(rng);
    for (int l = 0; l < sf.n_symbols; ++l)
      for (int k = 0; k < sf.n_sc(); ++k)
        h[static_cast<std::size_t>(l * sf.n_sc() + k)] =
            std::polar(amp, ph + static_cast<float>(2 * kPi) * tau * static_cast<float>(k) + drift * static_cast<float>(l));
    for (std::size_t i = 0; i < n; ++i) sf.re[i] += h[i] * grids[static_cast<std::size_t>(p)][i];
  }
  for (auto& x : sf.re) x += cf32(g(rng), g(rng));
  sf.noise_var = n0;
  return sf;
}

std::vector<std::uint8_t> random_bits(std::size_t n, std::mt19937& rng) {
  std::vector<std::uint8_t> b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng() & 1);
  return b;
}

std::vector<std::uint8_t> hex(const std::string& s) {
  std::vector<std::uint8_t> o;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) o.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return o;
}

}  // namespace

TEST(LtePdsch, ResourceElementCountsWorkedByHand) {
  // PCI 300 (v_shift 0), 100 PRB, 2 ports, normal CP, CFI 2 (PDSCH from symbol 2), subframe 5, 2 PRB away from
  // the centre: 12 symbols x 12 = 144 per PRB, minus the CRS of ports 0/1 in symbols 4, 7, 11 (4 each) = 132.
  const auto c2 = cell_of(300, 100, 2);
  EXPECT_EQ(count(c2, 5, 2, {0, 1}), 264);
  // The central 72 subcarriers are k = 564..635: PRB 47..52. Subframe 5 loses the PSS/SSS symbols 5, 6 (no CRS
  // there): 132 - 24 = 108 per PRB.
  EXPECT_EQ(count(c2, 5, 2, {49, 50}), 216);
  EXPECT_EQ(count(c2, 5, 2, {46, 47}), 132 + 108);
  // Subframe 0, central PRB: symbols 2, 3, 4, 11, 12, 13 remain (PSS/SSS 5, 6; PBCH 7..10): 72 - 8 CRS = 64.
  EXPECT_EQ(count(c2, 0, 2, {49}), 64);
  // 1 port: 2 CRS REs per CRS symbol: 144 - 6 = 138 per PRB.
  EXPECT_EQ(count(cell_of(300, 100, 1), 5, 2, {0, 1}), 276);
  // 4 ports, CFI 1: symbols 1..13 = 156, CRS in 1 (ports 2, 3), 4, 7, 8, 11 (4 REs each) = 20 -> 136.
  EXPECT_EQ(count(cell_of(300, 100, 4), 5, 1, {0}), 136);
  // 25 PRB (odd): the central 72 are k = 114..185; PRB 9 (k 108..119) keeps its 6 outer subcarriers in the
  // PSS/SSS symbols: 132 - 12 = 120; PRB 12 lies inside: 108.
  const auto c25 = cell_of(300, 25, 2);
  EXPECT_EQ(count(c25, 5, 2, {9}), 120);
  EXPECT_EQ(count(c25, 5, 2, {12}), 108);
  EXPECT_EQ(count(c25, 5, 2, {15}), 120);
  // Subframe 0, PRB 9 of 25 (outer half k 108..113, CRS at k = 108, 111 | 114, 117): symbols 2, 3, 12, 13 whole
  // (48), 4 and 11 minus 4 CRS (16), the outer 6 of the PSS/SSS symbols 5, 6 (12) and of the PBCH symbols
  // 8, 9, 10 (18), PBCH symbol 7's outer 6 minus its 2 CRS (4): 98.
  EXPECT_EQ(count(c25, 0, 2, {9}), 98);
  // Extended CP (6 symbols per slot, CRS of ports 0/1 in symbols 0 and 3 of each slot, PSS/SSS in symbols 5, 4):
  // symbols 2..11 = 120, minus CRS in 3, 6, 9 (4 each) = 108; a central PRB of subframe 5 also loses 4 and 5: 84.
  auto ext = cell_of(300, 100, 2);
  ext.normal_cp = false;
  EXPECT_EQ(count(ext, 5, 2, {0}), 108);
  EXPECT_EQ(count(ext, 5, 2, {50}), 84);
  // 6 PRB: CFI 2 -> 3 control symbols (N_RB <= 10); 1 port, subframe 1: 11 x 12 - 3 x 2 = 126.
  EXPECT_EQ(count(cell_of(1, 6, 1), 1, 2, {0}), 126);
  // v_shift moves the CRS but not the count; PCI 301 with 2 ports: every RE returned avoids k mod 3 = 1 in CRS
  // symbols.
  const auto c301 = cell_of(301, 100, 2);
  const auto res = lte::pdsch_resource_elements(c301, 5, 2, localized({3, 4}));
  EXPECT_EQ(res.size(), 264u);
  for (int r : res) {
    const int l = r / 1200, k = r % 1200;
    if (l == 4 || l == 7 || l == 11) {
      EXPECT_NE(k % 3, 301 % 3) << l << " " << k;
    }
  }
  // Mapping order: k first, then l (ascending for a localized allocation).
  for (std::size_t i = 1; i < res.size(); ++i) EXPECT_LT(res[i - 1], res[i]);
}

TEST(LtePdsch, TddSymbolsAndBadInputs) {
  auto c = cell_of(10, 25, 1);
  c.tdd = true;
  c.tdd_config = 1;
  c.special_subframe_config = 7;  // DwPTS 10 symbols (normal CP)
  // Special subframe 1: control region at most 2 symbols; PSS in symbol 2 (central 72); DwPTS 10 symbols.
  // PRB 0 (outside the centre): symbols 2..9 = 8 x 12, minus CRS in 4, 7 (2 each) = 92.
  EXPECT_EQ(count(c, 1, 3, {0}), 92);
  EXPECT_EQ(lte::downlink_symbols(c, 2), 0);
  EXPECT_EQ(count(c, 2, 1, {0}), 0);  // uplink subframe
  auto check = [](auto f, const char* field) {
    try {
      f();
      ADD_FAILURE() << "no error for " << field;
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  check([&] { count(cell_of(300, 100, 2), 5, 4, {0}); }, "cfi");
  check([&] { count(cell_of(300, 100, 2), 5, 2, {100}); }, "prb");
  check([&] { count(cell_of(300, 100, 3), 5, 2, {0}); }, "ports");
  check([&] { count(cell_of(504, 100, 2), 5, 2, {0}); }, "pci");
  auto unknown = c;
  unknown.tdd_config = -1;
  check([&] { count(unknown, 5, 2, {0}); }, "tdd_config");
  // The demodulator checks the subframe against the cell.
  lte::PdschDemodulator dem(cell_of(300, 25, 2));
  lte::DlSubframe sf;
  sf.n_prb = 25;
  sf.subframe = 5;
  sf.re.resize(14 * 300);
  check([&] { dem.execute(sf, 2, localized({0}), lte::kSiRnti); }, "h");
  sf.n_prb = 50;
  check([&] { dem.execute(sf, 2, localized({0}), lte::kSiRnti); }, "n_prb");
}

TEST(LtePdsch, EncoderScramblesAndModulatesAsTheSpecificationSays) {
  // c_init = n_RNTI 2^14 + q 2^13 + floor(ns / 2) 2^9 + N_ID: SI-RNTI, subframe 5 (ns = 10), PCI 300.
  EXPECT_EQ(lte::pdsch_c_init(0xFFFF, 0, 10, 300), 65535u * 16384u + 5u * 512u + 300u);
  const auto c = cell_of(300, 25, 1);
  const auto alloc = localized({3, 4, 5});
  const auto res = lte::pdsch_resource_elements(c, 5, 2, alloc);
  std::mt19937 rng(1);
  const auto e = random_bits(2 * res.size(), rng);
  std::vector<std::vector<cf32>> grids;
  tw::synth::lte::pdsch_map_bits(e, c, 5, 2, alloc, lte::kSiRnti, grids);
  const auto cseq = gold_reference(65535u * 16384u + 5u * 512u + 300u, static_cast<int>(e.size()));
  const float a = 1.0f / std::sqrt(2.0f);
  for (std::size_t i = 0; i < res.size(); ++i) {
    const cf32 want((e[2 * i] ^ cseq[2 * i]) ? -a : a, (e[2 * i + 1] ^ cseq[2 * i + 1]) ? -a : a);
    ASSERT_LT(std::abs(grids[0][static_cast<std::size_t>(res[i])] - want), 1e-6f) << i;
  }
  // Nothing outside the PDSCH REs.
  std::set<int> in(res.begin(), res.end());
  for (std::size_t i = 0; i < grids[0].size(); ++i)
    if (!in.count(static_cast<int>(i))) {
      ASSERT_EQ(grids[0][i], cf32{}) << i;
    }
  // 2 ports: per RE pair, total power 1 (1/2 per port) and port 1's first symbol is -conj(x1) / sqrt 2.
  const auto c2 = cell_of(300, 25, 2);
  const auto res2 = lte::pdsch_resource_elements(c2, 5, 2, alloc);
  const auto e2 = random_bits(2 * res2.size(), rng);
  grids.clear();
  tw::synth::lte::pdsch_map_bits(e2, c2, 5, 2, alloc, lte::kSiRnti, grids);
  const auto cseq2 = gold_reference(65535u * 16384u + 5u * 512u + 300u, static_cast<int>(e2.size()));
  for (std::size_t i = 0; i + 1 < res2.size(); i += 2) {
    const cf32 x1((e2[2 * i + 2] ^ cseq2[2 * i + 2]) ? -a : a, (e2[2 * i + 3] ^ cseq2[2 * i + 3]) ? -a : a);
    ASSERT_LT(std::abs(grids[1][static_cast<std::size_t>(res2[i])] - (-std::conj(x1) * a)), 1e-6f);
    ASSERT_LT(std::abs(grids[0][static_cast<std::size_t>(res2[i + 1])] - x1 * a), 1e-6f);
    const float p = std::norm(grids[0][static_cast<std::size_t>(res2[i])]) + std::norm(grids[1][static_cast<std::size_t>(res2[i])]);
    ASSERT_NEAR(p, 1.0f, 1e-5f);
  }
  // 4 ports (6.3.4.3, SFBC + FSTD): REs 4i, 4i+1 on ports 0 and 2 (x0, x1), REs 4i+2, 4i+3 on ports 1 and 3
  // (x2, x3): y1(4i+2) = x2 / sqrt2, y3(4i+2) = -conj(x3) / sqrt2, y1(4i+3) = x3 / sqrt2, y3(4i+3) = conj(x2) / sqrt2.
  const auto c4 = cell_of(300, 25, 4);
  const auto res4 = lte::pdsch_resource_elements(c4, 5, 2, alloc);
  const auto e4 = random_bits(2 * res4.size(), rng);
  std::vector<std::vector<cf32>> g4;
  tw::synth::lte::pdsch_map_bits(e4, c4, 5, 2, alloc, lte::kSiRnti, g4);
  const auto cseq4 = gold_reference(65535u * 16384u + 5u * 512u + 300u, static_cast<int>(e4.size()));
  auto sym = [&](std::size_t j) {
    return cf32((e4[2 * j] ^ cseq4[2 * j]) ? -a : a, (e4[2 * j + 1] ^ cseq4[2 * j + 1]) ? -a : a);
  };
  auto at4 = [&](int p, std::size_t j) { return g4[static_cast<std::size_t>(p)][static_cast<std::size_t>(res4[j])]; };
  for (std::size_t i = 0; i + 3 < res4.size(); i += 4) {
    ASSERT_LT(std::abs(at4(0, i) - sym(i) * a), 1e-6f);
    ASSERT_LT(std::abs(at4(2, i) + std::conj(sym(i + 1)) * a), 1e-6f);
    ASSERT_LT(std::abs(at4(2, i + 1) - std::conj(sym(i)) * a), 1e-6f);
    ASSERT_LT(std::abs(at4(1, i + 2) - sym(i + 2) * a), 1e-6f);
    ASSERT_LT(std::abs(at4(3, i + 2) + std::conj(sym(i + 3)) * a), 1e-6f);
    ASSERT_LT(std::abs(at4(3, i + 3) - std::conj(sym(i + 2)) * a), 1e-6f);
    ASSERT_EQ(at4(1, i), cf32{});
    ASSERT_EQ(at4(3, i), cf32{});
    ASSERT_EQ(at4(0, i + 2), cf32{});
    ASSERT_EQ(at4(2, i + 3), cf32{});
  }
  EXPECT_THROW(tw::synth::lte::pdsch_map_bits(std::span(e2).first(10), c2, 5, 2, alloc, lte::kSiRnti, grids),
               tw::InputError);
}

TEST(LtePdsch, RoundTripHardDecisionsAtHighSnr) {
  std::mt19937 rng(7);
  for (int ports : {1, 2, 4})
    for (int n_prb : {6, 25, 50, 100})
      for (int subframe : {0, 5}) {
        const auto c = cell_of(static_cast<int>(rng() % 504), n_prb, ports);
        lte::Dci d;
        d.distributed = (n_prb >= 25);
        const int n_vrb = d.distributed ? lte::n_vrb_distributed(n_prb, 0) : n_prb;
        d.riv = lte::riv_encode(n_vrb / 2 - 2, 4, n_prb);  // 4 blocks around the centre
        d.mcs = 2;
        const auto alloc = lte::si_allocation(d, n_prb);
        const auto res = lte::pdsch_resource_elements(c, subframe, 2, alloc);
        const auto e = random_bits(2 * res.size(), rng);
        std::vector<std::vector<cf32>> grids;
        tw::synth::lte::pdsch_map_bits(e, c, subframe, 2, alloc, lte::kSiRnti, grids);
        const auto sf = receive(c, subframe, grids, 0.01f, rng);  // 20 dB per RE
        lte::PdschDemodulator dem(c);
        const auto llr = dem.execute(sf, 2, alloc, lte::kSiRnti);
        ASSERT_EQ(llr.size(), e.size());
        int errors = 0;
        for (std::size_t i = 0; i < e.size(); ++i) errors += (llr[i] > 0) != (e[i] == 0);
        EXPECT_EQ(errors, 0) << ports << " ports, " << n_prb << " PRB, subframe " << subframe;
      }
}

TEST(LtePdsch, SoftValuesAreCalibrated) {
  // Consistent Gaussian LLRs L = log P(0)/P(1) have E[L s] = var(L) / 2 with s = +1 for bit 0, -1 for bit 1;
  // a wrong SNR scaling by a factor f gives E[L s] / (var / 2) = 1 / f.
  std::mt19937 rng(3);
  for (int ports : {1, 2, 4}) {
    const auto c = cell_of(77, 50, ports);
    const auto alloc = localized({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
    const auto res = lte::pdsch_resource_elements(c, 3, 1, alloc);
    double sum = 0, sum2 = 0;
    std::size_t n = 0;
    for (int rep = 0; rep < 4; ++rep) {
      const auto e = random_bits(2 * res.size(), rng);
      std::vector<std::vector<cf32>> grids;
      tw::synth::lte::pdsch_map_bits(e, c, 3, 1, alloc, lte::kSiRnti, grids);
      const auto sf = receive(c, 3, grids, 0.5f, rng, /*flat=*/true);  // 3 dB per RE
      lte::PdschDemodulator dem(c);
      const auto llr = dem.execute(sf, 1, alloc, lte::kSiRnti);
      for (std::size_t i = 0; i < e.size(); ++i) {
        const double v = llr[i] * (e[i] ? -1.0 : 1.0);
        sum += v;
        sum2 += v * v;
        ++n;
      }
    }
    const double mean = sum / static_cast<double>(n), var = sum2 / static_cast<double>(n) - mean * mean;
    EXPECT_NEAR(mean / (var / 2.0), 1.0, 0.08) << ports << " ports: mean " << mean << " var " << var;
  }
}

TEST(LtePdsch, Sib1TransportBlocksDecodeAloneAndCombined) {
  // The recording's SIB1 (reference.json), 176 bits: DCI 1A, MCS 3, N_PRB^1A 3, sent in subframe 5 of frames
  // 952, 954, 956, 958 with RV 0, 2, 3, 1 (36.321 5.3.1).
  const auto sib1 = hex("48481803247c2bffd01810210081044c432523900000");
  const auto c = cell_of(300, 100, 2);
  lte::Dci d;
  d.riv = lte::riv_encode(30, 3, 100);
  d.mcs = 3;
  d.tpc = 1;
  const auto alloc = lte::si_allocation(d, 100);
  ASSERT_EQ(alloc.tbs, 176);
  std::mt19937 rng(11);
  auto transmit = [&](int sfn, float n0) {
    std::vector<std::vector<cf32>> grids;
    tw::synth::lte::pdsch_encode(sib1, c, 5, 2, alloc, lte::kSiRnti, lte::sib1_rv(sfn), grids);
    const auto sf = receive(c, 5, grids, n0, rng);
    lte::PdschDemodulator dem(c);
    return dem.execute(sf, 2, alloc, lte::kSiRnti);
  };
  // Good SNR: the first transmission alone.
  {
    lte::SiCombiner comb(alloc.tbs);
    for (int sfn : {952, 954, 956, 958}) comb.add(transmit(sfn, 0.1f), lte::sib1_rv(sfn));
    const auto r = comb.decode();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->octets, sib1);
    EXPECT_EQ(r->transmissions, 1);
    EXPECT_EQ(r->first, 0);
  }
  // Low SNR (-7 dB per RE, 396 coded bits for 200): no transmission alone, the four combined.
  int combined_ok = 0, alone_ok = 0;
  for (int trial = 0; trial < 6; ++trial) {
    lte::SiCombiner comb(alloc.tbs);
    for (int sfn : {952, 954, 956, 958}) comb.add(transmit(sfn, 5.0f), lte::sib1_rv(sfn));
    const auto r = comb.decode();
    if (r) {
      EXPECT_EQ(r->octets, sib1);
      if (r->transmissions == 4) ++combined_ok; else ++alone_ok;
    }
  }
  std::printf("low SNR: %d of 6 combined, %d alone\n", combined_ok, alone_ok);
  EXPECT_GE(combined_ok, 4);
  EXPECT_LE(alone_ok, 1);
  // A fifth "transmission" that does not belong (strong soft values of no code word, as from a false DCI)
  // spoils the combination of all five; leaving it out recovers the block.
  {
    lte::SiCombiner comb(alloc.tbs);
    for (int sfn : {952, 954, 956, 958}) comb.add(transmit(sfn, 5.0f), lte::sib1_rv(sfn));
    std::vector<float> bad(2 * lte::pdsch_resource_elements(c, 5, 2, alloc).size());
    for (auto& x : bad) x = (rng() & 1) ? 6.0f : -6.0f;
    comb.add(bad, 0);
    const auto r = comb.decode();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->octets, sib1);
    EXPECT_EQ(r->transmissions, 4);
    EXPECT_EQ(r->left_out, 4);
  }
  // Noise alone never gives a block.
  lte::SiCombiner noise(alloc.tbs);
  std::normal_distribution<float> g(0.0f, 1.0f);
  for (int k = 0; k < 4; ++k) {
    std::vector<float> v(2 * lte::pdsch_resource_elements(c, 5, 2, alloc).size());
    for (auto& x : v) x = 2.0f * g(rng);
    noise.add(v, lte::rv_of_k(k));
  }
  EXPECT_FALSE(noise.decode().has_value());
  EXPECT_THROW(noise.add(std::vector<float>(10, 0.0f), 4), tw::InputError);
}

TEST(LtePdsch, SiMessageCombinedOverItsWindow) {
  // An SI message (n = 1, T = 16 frames, w = 20 ms) sent with DCI format 1C (distributed, N_RB^step 4) by a
  // 4-port 50 PRB cell in the first four subframes of its window that may carry it, with the RVs of the
  // window's subframe numbers (36.321 5.3.1), at -10 dB per RE (no transmission decodes alone); the receiver
  // takes the same subframes and RVs from si_schedule and combines them.
  const auto c = cell_of(123, 50, 4);
  lte::SiSchedule sched;
  sched.periodicity_rf = {16};
  sched.window_ms = 20;
  lte::Dci d;
  d.format = lte::DciFormat::f1c;
  d.riv = lte::riv_encode(2, 2, lte::n_vrb_distributed(50, 0) / lte::n_rb_step(50));  // VRBs 8..15
  d.mcs = 10;
  const auto alloc = lte::si_allocation(d, 50);
  ASSERT_EQ(alloc.tbs, lte::tbs_format_1c(10));
  std::mt19937 rng(21);
  std::vector<std::uint8_t> tb(static_cast<std::size_t>(alloc.tbs / 8));
  for (auto& o : tb) o = static_cast<std::uint8_t>(rng());
  lte::SiCombiner comb(alloc.tbs);
  std::vector<int> rvs;
  for (int sfn = 32; sfn < 34 && rvs.size() < 4; ++sfn)
    for (int sf = 0; sf < 10 && rvs.size() < 4; ++sf) {
      const auto o = lte::si_message_at(sched, sfn, sf);
      if (!o) continue;
      ASSERT_EQ(o->n, 1);
      std::vector<std::vector<cf32>> grids;
      tw::synth::lte::pdsch_encode(tb, c, sf, 2, alloc, lte::kSiRnti, o->rv, grids);
      const auto rx = receive(c, sf, grids, 10.0f, rng);
      lte::PdschDemodulator dem(c);
      comb.add(dem.execute(rx, 2, alloc, lte::kSiRnti), o->rv);
      rvs.push_back(o->rv);
    }
  EXPECT_EQ(rvs, (std::vector<int>{0, 2, 3, 1}));  // subframes 0..3 of frame 32: i = 0..3
  const auto r = comb.decode();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->octets, tb);
  EXPECT_EQ(r->transmissions, 4);
}

TEST(LtePdsch, NoBlockFromSoftValuesThatDoNotCarryIt) {
  // fuzz_lte_pdsch's finding: one transmission (RV 2) of only G = 256 soft values for a 1000-bit block
  // (format 1C, I_TBS 23), the 8 values below repeated, "decoded" to the all-zero block, whose CRC24A is 0:
  // the turbo decoder turns near-erasures into zeros, and the zeros' code word disagrees with the values.
  const std::vector<float> pattern = {-1, -51, 45, 1, 0, 0, 1, 0};
  std::vector<float> llr(256);
  for (std::size_t i = 0; i < llr.size(); ++i) llr[i] = pattern[i % pattern.size()];
  const int tbs = lte::tbs_format_1c(23);
  ASSERT_EQ(tbs, 1000);
  lte::SiCombiner comb(tbs);
  comb.add(llr, 2);
  EXPECT_FALSE(comb.decode().has_value());
  lte::DlschDecoder dec(tbs);
  dec.add(llr, 2, 2);
  EXPECT_FALSE(dec.decode().has_value());
  // 256 soft values that agree with the all-zero code word still cannot carry 1024 bits (rate above 1).
  dec.reset();
  dec.add(std::vector<float>(256, 4.0f), 2, 0);
  EXPECT_FALSE(dec.decode().has_value());
  // The all-zero block sent at a rate below 1 (the transmit chain's bits as +-4) is a block like any other.
  const std::vector<std::uint8_t> zeros(static_cast<std::size_t>(tbs), 0);
  const auto e = lte::dlsch_encode(zeros, 2400, 2, 0);
  std::vector<float> good(e.size());
  for (std::size_t i = 0; i < e.size(); ++i) good[i] = e[i] ? -4.0f : 4.0f;
  dec.reset();
  dec.add(good, 2, 0);
  const auto bits = dec.decode();
  ASSERT_TRUE(bits.has_value());
  EXPECT_EQ(*bits, zeros);
  // The same values with every 20th one flipped (a noisy block): still decoded; all flipped: nothing.
  for (std::size_t i = 0; i < good.size(); i += 20) good[i] = -good[i];
  dec.reset();
  dec.add(good, 2, 0);
  EXPECT_TRUE(dec.decode().has_value());
  for (float& v : good) v = -v;
  dec.reset();
  dec.add(good, 2, 0);
  EXPECT_FALSE(dec.decode().has_value());
}
