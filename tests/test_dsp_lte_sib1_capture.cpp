// SIB1 decoded end to end from the real band-3 recording (../shared/captures/lte/f1815.3_s19.2_bw20_0.08s_
// hackrf.bin, cs8 at 19.2 Msps): the cell's timing as the project finds it (tests/support/lte_sib_capture.hpp:
// channel selection, cell search, CRS refinement at 19.2 Msps, FFT of 1280 points), OFDM demodulation,
// channel estimation, PCFICH, PDCCH (SI-RNTI), then this branch's blocks: si_allocation (RIV, N_PRB^1A, TBS),
// PdschDemodulator (RE mapping, SFBC, descrambling) and SiCombiner (DL-SCH decoding). The truth is the
// reference decode of reference.json: the SIB1 octets, in subframe 5 of the even frames 952..958.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "dsp/lte/si_schedule.hpp"
#include "support/lte_sib_capture.hpp"
#include "src/core/hex.hpp"
#include "support/test_support.hpp"

namespace lte = tw::dsp::lte;

namespace {

constexpr const char* kSib1Hex = "48481803247c2bffd01810210081044c432523900000";

void decode_sib1(const std::optional<tw::test::LteSibCapture>& cap) {
  ASSERT_TRUE(cap.has_value()) << "no cell found";
  ASSERT_EQ(cap->cell.n_prb, 100);
  lte::DlOfdmDemodulator demod(cap->cell, cap->timing);
  lte::ChannelEstimator est(cap->cell);
  lte::PcfichDecoder pcfich(cap->cell);
  lte::PdcchSearch search(cap->cell);
  lte::PdschDemodulator pdsch(cap->cell);
  const std::uint16_t si[] = {lte::kSiRnti};
  std::optional<lte::SiCombiner> comb, wrong_rnti;
  int tbs = -1, seen = 0, alone = 0;
  lte::DlSubframe sf;
  for (std::int64_t frame = 0; frame < 9; ++frame) {
    const int sfn = (cap->timing.sfn0 + static_cast<int>(frame)) % 1024;
    if (!lte::is_sib1_subframe(sfn, 5)) continue;
    if (!demod.execute(cap->iq, frame, 5, sf)) continue;
    SCOPED_TRACE(sfn);
    est.execute(sf);
    const int cfi = pcfich.execute(sf);
    ASSERT_GE(cfi, 1);
    const auto dcis = search.execute(sf, cfi, si);
    ASSERT_EQ(dcis.size(), 1u);
    const auto alloc = lte::si_allocation(dcis[0], cap->cell.n_prb);
    EXPECT_EQ(dcis[0].rv, lte::sib1_rv(sfn));  // 36.321 5.3.1 agrees with what the DCI says
    if (tbs < 0) {
      tbs = alloc.tbs;
      comb.emplace(tbs);
      wrong_rnti.emplace(tbs);
    }
    ASSERT_EQ(alloc.tbs, tbs);
    const auto llr = pdsch.execute(sf, cfi, alloc, lte::kSiRnti);
    // Each transmission alone, for the record; the combiner tries them too.
    lte::SiCombiner one(tbs);
    one.add(llr, lte::sib1_rv(sfn));
    const auto r1 = one.decode();
    if (r1) {
      ++alone;
      EXPECT_EQ(tw::hex_string(r1->octets), kSib1Hex);
    }
    std::printf("SFN %d: CFI %d, PRB %d..%d, TBS %d, G %zu, RV %d, alone: %s\n", sfn, cfi, alloc.prb_slot0.front(),
                alloc.prb_slot0.back(), alloc.tbs, llr.size(), lte::sib1_rv(sfn), r1 ? "decoded" : "CRC fails");
    comb->add(llr, lte::sib1_rv(sfn));
    // Descrambled with another RNTI's sequence (the P-RNTI): no block may come out.
    wrong_rnti->add(pdsch.execute(sf, cfi, alloc, lte::kPRnti), lte::sib1_rv(sfn));
    ++seen;
  }
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(tbs, 176);
  ASSERT_TRUE(comb.has_value());
  const auto r = comb->decode();
  ASSERT_TRUE(r.has_value()) << "SIB1 not decoded";
  EXPECT_EQ(tw::hex_string(r->octets), kSib1Hex);
  EXPECT_GE(alone, 1);
  EXPECT_FALSE(wrong_rnti->decode().has_value());
}

}  // namespace

TEST(LteSib1Capture, Band3RecordingSib1MatchesTheReference) {
  TW_REQUIRE_SHARED(shared);
  decode_sib1(tw::test::load_lte_sib_capture(shared));  // 19.2 Msps: FFT of 1280 points
}

// The same recording at other rates: 20 Msps (a HackRF's usual rate; 1333.3 samples per 15 kHz symbol, not an
// integer: the demodulator resamples each symbol) and 30.72 Msps (FFT of 2048), resampled by 25/24 and 8/5 with
// the project's polyphase channel selector (pass band +-9.1 MHz: the 18 MHz of 100 PRB), then the whole chain
// again, the timing found anew at that rate.
TEST(LteSib1Capture, Band3RecordingAtOtherRates) {
  TW_REQUIRE_SHARED(shared);
  const auto cap = tw::test::load_lte_sib_capture(shared);
  ASSERT_TRUE(cap.has_value());
  for (const double fs : {20e6, 30.72e6}) {
    SCOPED_TRACE(fs);
    tw::dsp::ChannelSelectConfig rs;
    rs.input_rate_hz = 19.2e6;
    rs.half_bandwidth_hz = 9.1e6;
    rs.output_rate_hz = fs;
    tw::dsp::ChannelSelector up(rs);
    ASSERT_NEAR(19.2e6 * up.interp() / up.decim(), fs, 1.0);
    std::vector<lte::cf32> iq;
    up.execute(cap->iq, iq);
    const auto other = tw::test::find_lte_sib_cell(std::move(iq), fs, 1815.3e6);
    ASSERT_TRUE(other.has_value());
    lte::DlOfdmDemodulator probe(other->cell, other->timing);
    EXPECT_EQ(probe.resampling(), fs == 20e6);
    std::printf("%.2f Msps: FFT %d%s\n", fs / 1e6, probe.fft_size(), probe.resampling() ? " after resampling" : "");
    decode_sib1(other);
  }
}
