// PDCCH blind search (dsp/lte/pdcch) with the REG layout (control_regs, phich_resources), DCI fields
// (dci_parse) and the transmit side (tools/synth/lte/pdcch_encoder): synthetic subframes over every
// bandwidth, port count, CFI, PHICH configuration and CP, with noise; no DCI from noise; and the SI-RNTI
// DCIs of the real band-3 recording.
#include <gtest/gtest.h>

#include <cstdio>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "support/lte_sib_capture.hpp"
#include "support/test_support.hpp"

namespace {

using namespace tw::dsp::lte;

// 36.213 table 7.1.7.2.1-1, row I_TBS = 3, columns N_PRB = 1..3.
constexpr int kTbsRow3[4] = {0, 40, 104, 176};

TEST(PdcchFile, SiRntiDciOfTheBand3Recording) {
  TW_REQUIRE_SHARED(shared);
  const auto cap = tw::test::load_lte_sib_capture(shared);
  ASSERT_TRUE(cap.has_value()) << "no cell found";
  ASSERT_EQ(cap->cell.n_prb, 100);
  ASSERT_EQ(cap->cell.ports, 2);
  DlOfdmDemodulator demod(cap->cell, cap->timing);
  ChannelEstimator est(cap->cell);
  PcfichDecoder pcfich(cap->cell);
  PdcchSearch search(cap->cell);
  const std::uint16_t si[] = {kSiRnti};
  const std::uint16_t p_only[] = {kPRnti};
  DlSubframe sf;
  int riv = -1, seen = 0;
  for (std::int64_t frame = 0; frame < 9; ++frame) {
    const int sfn = (cap->timing.sfn0 + static_cast<int>(frame)) % 1024;
    if (sfn < 952 || sfn > 958 || sfn % 2 != 0) continue;
    SCOPED_TRACE(sfn);
    ASSERT_TRUE(demod.execute(cap->iq, frame, 5, sf));
    ASSERT_EQ(sf.sfn, sfn);
    est.execute(sf);
    float metric = 0;
    const int cfi = pcfich.execute(sf, &metric);
    ASSERT_GE(cfi, 1);
    EXPECT_GT(metric, 4.5f);   // near sqrt(32) = 5.66: a clean code word
    const auto dcis = search.execute(sf, cfi, si);
    ASSERT_EQ(dcis.size(), 1u);
    const Dci& d = dcis[0];
    std::printf("SFN %d subframe 5: CFI %d (%.2f), DCI %s aggregation %d CCE %d RIV %d MCS %d RV %d TPC %d, evidence %.1f\n", sfn,
                cfi, metric, d.format == DciFormat::f1a ? "1A" : "1C", d.aggregation, d.first_cce, d.riv, d.mcs, d.rv, d.tpc,
                search.evidence()[0]);
    EXPECT_EQ(d.format, DciFormat::f1a);
    EXPECT_EQ(d.rnti, kSiRnti);
    EXPECT_EQ(d.mcs, 3);   // the reference's MCS; for the SI-RNTI I_TBS = I_MCS (36.213 7.1.7)
    // 36.321 5.3.1: SIB1's redundancy version RV_K = ceil(3/2 k) mod 4, k = (SFN / 2) mod 4.
    const int k = (sfn / 2) % 4;
    EXPECT_EQ(d.rv, ((3 * k + 1) / 2) % 4);
    // TPC's LSB picks N_PRB^1A (36.212 5.3.3.1.3): the reference's TBS 176 at I_TBS 3 is column 3.
    const int n_prb_1a = (d.tpc & 1) ? 3 : 2;
    EXPECT_EQ(kTbsRow3[n_prb_1a], 176);
    // The same allocation every time; a localized RIV within N_RB (N_RB + 1) / 2 whose L_CRB holds N_PRB^1A.
    EXPECT_FALSE(d.distributed);
    ASSERT_LT(d.riv, 100 * 101 / 2);
    const int l_crb = d.riv / 100 + 1 <= 50 ? d.riv / 100 + 1 : 100 - d.riv / 100 + 1;
    EXPECT_GE(l_crb, n_prb_1a);
    if (riv >= 0) {
      EXPECT_EQ(d.riv, riv);
    }
    riv = d.riv;
    ++seen;
    // The CRC is masked by the SI-RNTI: a search for the P-RNTI alone finds nothing here; nor does the search
    // with another CFI (another REG layout).
    EXPECT_TRUE(search.execute(sf, cfi, p_only).empty());
    for (int other = 1; other <= 3; ++other)
      if (other != cfi) {
        EXPECT_TRUE(search.execute(sf, other, si).empty()) << "CFI " << other;
      }
  }
  EXPECT_EQ(seen, 4);
}

}  // namespace
