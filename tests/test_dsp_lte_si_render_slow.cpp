// The larger matrix of test_dsp_lte_si_render.cpp (labelled slow): every bandwidth (6..100 PRB) x FDD / TDD
// (uplink-downlink configurations 0..6 in turn) x 1 / 2 / 4 ports x CFI 1..3 x normal / extended CP, SI
// messages in format 1A or 1C in turn, a receiver clock error and EPA fading on some. Each case is rendered
// by the SceneRenderer and decoded by the receiver blocks against the truth file (lte_si_render_support.hpp).
// Cells whose control region cannot hold an SI-RNTI PDCCH (fewer than 4 CCEs in subframe 5, counted here by
// hand) must say so in the truth and send none.
#include <gtest/gtest.h>

#include "lte_si_render_support.hpp"

namespace {

using tw::test::SiCase;

// CCEs of subframe 5 counted by hand from 36.211 6.2.4 / 6.7.4 / 6.9 / 6.8.1: REGs per PRB 2 in a symbol with
// CRS (0; 1 with 4 ports; 3 with extended CP), else 3; minus the PCFICH's 4 and 3 per PHICH mapping unit
// (ceil(N_RB / 8) m_i with Ng = 1, m_i of table 6.9-1 for subframe 5); a CCE is 9 REGs.
int cces_of_subframe_5(int n_prb, bool tdd, int tdd_config, int ports, int cfi, bool normal_cp) {
  const int symbols = cfi + (n_prb <= 10 ? 1 : 0);
  int regs = 0;
  for (int l = 0; l < symbols; ++l) {
    const bool crs = l == 0 || (l == 1 && ports == 4) || (l == 3 && !normal_cp);
    regs += (crs ? 2 : 3) * n_prb;
  }
  static constexpr int kMi5[7] = {2, 0, 0, 0, 0, 0, 1};
  const int mi = tdd ? kMi5[tdd_config] : 1;
  regs -= 4 + 3 * ((n_prb + 7) / 8) * mi;
  return regs / 9;
}

TEST(LteSiRenderSlow, Matrix) {
  int n_case = 0, decoded = 0, disabled = 0;
  for (int n_prb : {6, 15, 25, 50, 75, 100})
    for (bool tdd : {false, true})
      for (int ports : {1, 2, 4})
        for (int cfi : {1, 2, 3})
          for (bool normal_cp : {true, false}) {
            ++n_case;
            SiCase k;
            k.n_prb = n_prb;
            k.tdd = tdd;
            k.ports = ports;
            k.cfi = cfi;
            k.normal_cp = normal_cp;
            k.tdd_config = n_case % 7;
            k.ssp = normal_cp ? n_case % 10 : n_case % 8;
            k.si_1c = n_case % 2 == 0;
            k.receiver_ppm = (n_case % 5 == 0) ? ((n_case % 10 == 0) ? 100.0 : -100.0) : 0.0;
            // EPA with some diversity: a 1-port cell of 6 or 15 PRB sees EPA (410 ns) as flat Rayleigh fading,
            // whose deep fades no receiver survives; those get AWGN.
            if (n_case % 7 == 3 && (ports >= 2 || n_prb >= 25)) {
              k.multipath = "epa";
              k.doppler_hz = 5.0;
              k.snr_db = 18.0;
            }
            k.seed = static_cast<std::uint64_t>(100 + n_case);
            k.name = std::to_string(n_prb) + " PRB " + (tdd ? "TDD config " + std::to_string(k.tdd_config) + " ssp " + std::to_string(k.ssp) : "FDD") +
                     " " + std::to_string(ports) + " ports CFI " + std::to_string(cfi) + (normal_cp ? " normal" : " extended") + " CP" +
                     (k.si_1c ? " 1C" : " 1A") + (k.receiver_ppm != 0.0 ? " " + std::to_string(static_cast<int>(k.receiver_ppm)) + " ppm" : "") +
                     (k.multipath != "none" ? " EPA" : "");
            SCOPED_TRACE(k.name);
            const auto r = tw::test::render_and_decode(k);
            const int cces = cces_of_subframe_5(n_prb, tdd, k.tdd_config, ports, cfi, normal_cp);
            EXPECT_EQ(r.disabled, cces < 4) << cces << " CCEs; " << r.disabled_reason;
            if (r.disabled) {
              ++disabled;
              EXPECT_NE(r.disabled_reason.find(" " + std::to_string(cces) + " CCEs"), std::string::npos) << r.disabled_reason;
              continue;
            }
            EXPECT_EQ(r.sib1_seen, 2);
            EXPECT_GE(r.si_seen, 1);
            EXPECT_EQ(r.decoded_messages, 2);
            if (r.decoded_messages == 2) ++decoded;
          }
  std::printf("%d cases: %d decoded (SIB1 and SI-1), %d without SI (control region under 4 CCEs)\n", n_case, decoded, disabled);
}

}  // namespace
