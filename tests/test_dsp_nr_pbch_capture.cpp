// The PBCH decoder (dsp/nr/pbch_coding) on the real recording of ../shared/captures/nr (a third-party gNodeB,
// band n3, 15 kHz, 15.36 Msps): the test cuts the SS/PBCH block out itself (a plain DFT of the 4 symbols at
// the reference's SSB start and SSB centre, 38.211 7.4.3.1 mapping, the PBCH DMRS of 7.4.1.4.1 for the
// channel), demaps QPSK and decodes. Truth: reference.json (srsRAN's decode): PCI, SSB index, SFN 4 LSBs,
// half frame and k_SSB MSB, with a passing CRC; and pbch_encode of the decoded payload is the block on the air
// (all 864 hard decisions). Only the signal path's bare minimum is here; the receiver
// proper (search, timing, CFO) is dsp/nr's synchronisation block.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <complex>
#include <cstdint>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "dsp/gold_sequence.hpp"
#include "dsp/nr/pbch_coding.hpp"
#include "src/nr/mib.hpp"
#include "support/test_support.hpp"

namespace {

using cf = std::complex<double>;
constexpr double kPi = 3.14159265358979323846;

// 38.211 7.4.1.4.1: r(m), m = 0..143, c_init = 2^11 (i+1)(floor(N_ID/4)+1) + 2^6 (i+1) + N_ID mod 4,
// i = i_SSB + 4 n_hf for L_max = 4.
std::vector<cf> pbch_dmrs(int pci, int i_bar) {
  const std::uint32_t c_init = (1u << 11) * static_cast<std::uint32_t>((i_bar + 1) * (pci / 4 + 1)) +
                               (1u << 6) * static_cast<std::uint32_t>(i_bar + 1) + static_cast<std::uint32_t>(pci % 4);
  std::vector<std::uint8_t> c(288);
  tw::dsp::gold_sequence(c_init, c);
  std::vector<cf> r(144);
  for (int m = 0; m < 144; ++m) {
    r[static_cast<std::size_t>(m)] = cf(1 - 2 * c[static_cast<std::size_t>(2 * m)], 1 - 2 * c[static_cast<std::size_t>(2 * m + 1)]) / std::sqrt(2.0);
  }
  return r;
}

// 38.211 table 7.4.3.1-1: SSB symbol 1 and 3 all 240 subcarriers, symbol 2 subcarriers 0..47 and 192..239.
bool pbch_subcarrier(int l, int k) { return l != 2 || k < 48 || k >= 192; }

}  // namespace

TEST(NrPbchCapture, DecodesTheReferenceCell) {
  TW_REQUIRE_SHARED(shared);
  std::ifstream in(shared / "captures/nr/reference.json");
  ASSERT_TRUE(in) << "reference.json";
  const auto ref = nlohmann::json::parse(in);
  const auto& cap = ref.at("captures").at(0);
  const auto& cell = cap.at("cells").at(0);
  ASSERT_EQ(cap.at("format"), "cf32");
  const double fs = cap.at("sample_rate").get<double>();
  ASSERT_EQ(fs, 15.36e6);
  const int fft = 1024, cp = 72;  // 15 kHz at 15.36 Msps; SSB symbols (2..5 or 8..11 of a slot) have the short CP
  std::ifstream iq(shared / "captures/nr" / cap.at("file").get<std::string>(), std::ios::binary);
  ASSERT_TRUE(iq);
  std::vector<std::complex<float>> x;
  {
    std::vector<char> raw((std::istreambuf_iterator<char>(iq)), std::istreambuf_iterator<char>());
    x.resize(raw.size() / 8);
    std::memcpy(x.data(), raw.data(), x.size() * 8);
  }
  const int pci = cell.at("pci");
  const int ssb_index = cell.at("ssb_index");
  const int half_frame = cell.at("half_frame");
  // SSB subcarrier k sits at (k - 120) * 15 kHz from the SSB centre (38.211 5.4.3.1: SSREF at k = 120).
  const double ssb_offset_hz = cap.at("ssb_center_freq").get<double>() - cap.at("center_freq").get<double>();
  const int k0 = static_cast<int>(std::lround(ssb_offset_hz / 15e3)) - 120;
  const int start = cell.at("ssb_start_sample");
  const auto dmrs = pbch_dmrs(pci, ssb_index + 4 * half_frame);  // L_max = 4 (n3: f <= 3 GHz)
  const int v = pci % 4;
  // Demodulate SSB symbols 1..3 at a window start t (the useful part of symbol 0) with a plain DFT.
  auto grid_at = [&](int t) {
    std::vector<std::vector<cf>> g(4, std::vector<cf>(240));
    for (int l = 1; l <= 3; ++l) {
      const int s0 = t + l * (fft + cp);
      for (int k = 0; k < 240; ++k) {
        const int bin = k + k0;
        cf acc = 0;
        for (int n = 0; n < fft; ++n) {
          const auto& s = x[static_cast<std::size_t>(s0 + n)];
          acc += cf(s.real(), s.imag()) * std::polar(1.0, -2.0 * kPi * bin * n / fft);
        }
        g[static_cast<std::size_t>(l)][static_cast<std::size_t>(k)] = acc;
      }
    }
    return g;
  };
  // The window: the CP start the reference gives, plus the CP (a few samples early stays inside the CP).
  const auto g = grid_at(start + cp - 4);
  // Channel at the DMRS (k = 4 m + v), a least-squares estimate, then the mean of the 3 nearest in the symbol.
  std::vector<float> llr;
  llr.reserve(864);
  int m = 0;
  std::vector<std::vector<std::pair<int, cf>>> h(4);
  for (int l = 1; l <= 3; ++l) {
    for (int k = v; k < 240; k += 4) {
      if (!pbch_subcarrier(l, k)) continue;
      h[static_cast<std::size_t>(l)].push_back({k, g[static_cast<std::size_t>(l)][static_cast<std::size_t>(k)] / dmrs[static_cast<std::size_t>(m++)]});
    }
  }
  ASSERT_EQ(m, 144);
  double dmrs_power = 0;
  for (int l = 1; l <= 3; ++l) {
    for (int k = 0; k < 240; ++k) {
      if (!pbch_subcarrier(l, k) || k % 4 == v) continue;
      // 3 nearest DMRS of the symbol.
      const auto& hl = h[static_cast<std::size_t>(l)];
      std::vector<std::pair<int, cf>> near(hl);
      std::partial_sort(near.begin(), near.begin() + 3, near.end(),
                        [k](const auto& a, const auto& b) { return std::abs(a.first - k) < std::abs(b.first - k); });
      const cf he = (near[0].second + near[1].second + near[2].second) / 3.0;
      dmrs_power += std::norm(he);
      const cf z = g[static_cast<std::size_t>(l)][static_cast<std::size_t>(k)] * std::conj(he) / std::max(std::norm(he), 1e-30);
      // 38.211 5.1.3 QPSK: b(2i) on the real part, b(2i+1) on the imaginary part, 0 -> +1/sqrt(2).
      llr.push_back(static_cast<float>(z.real()));
      llr.push_back(static_cast<float>(z.imag()));
    }
  }
  ASSERT_EQ(llr.size(), 864u);
  const auto d = tw::nr::pbch_decode(llr, static_cast<std::uint16_t>(pci), static_cast<std::uint8_t>(ssb_index & 3), 4);
  ASSERT_TRUE(d.has_value()) << "CRC fails on the recorded PBCH";
  EXPECT_EQ(d->payload.sfn & 15, cell.at("sfn_4lsb").get<int>());
  EXPECT_EQ(d->payload.half_frame ? 1 : 0, half_frame);
  EXPECT_EQ(d->payload.ssb_index, ssb_index);
  EXPECT_EQ(d->payload.k_ssb_msb, cell.at("k_ssb_msb").get<int>());
  EXPECT_EQ(d->payload.reserved_bits, 0);
  EXPECT_GT(d->metric, 0.5);
  // The encoder against a real gNodeB: the decoded payload re-encoded (pbch_encode) is the block on the air,
  // hard decision for hard decision.
  const auto f = tw::nr::pbch_encode(d->payload, static_cast<std::uint16_t>(pci), 4);
  int differ = 0;
  for (int i = 0; i < 864; ++i) differ += (llr[static_cast<std::size_t>(i)] < 0) != (f[static_cast<std::size_t>(i)] != 0);
  EXPECT_EQ(differ, 0);
  std::string err;
  const auto mib = tw::nr::parse_mib(d->payload.mib_bits, &err);
  ASSERT_TRUE(mib) << err;
  // 15 kHz common SCS is what a 15 kHz SSB FDD carrier in n3 uses (CORESET#0 index 6 per the reference notes).
  std::printf("MIB %06X: %s, metric %.3f, list rank %d\n", d->payload.mib_bits, tw::nr::to_json(*mib).dump().c_str(), d->metric, d->list_rank);
  EXPECT_EQ(mib->control_resource_set_zero, 6);
}
