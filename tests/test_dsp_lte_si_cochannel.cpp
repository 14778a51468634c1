// Two cells on one EARFCN (the synthesizer's SceneRenderer, 80 ms, 15 PRB, 2 ports, 20 dB SNR): the weaker
// cell, 4 dB under the stronger, whose every resource element the stronger one overlays (SINR about -4 dB on
// its PDCCH and PDSCH), still gives its SIB1 through SiReceiver (channel estimates over the subframe, the
// PDCCH added over the SIB1 subframes, the PDSCH combined). Truth: the truth file's SIB1 octets of each cell
// (what the System Information encoder wrote from the scene's keys: TAC 4242, cell identity 0x1234500 + PCI).
#include <gtest/gtest.h>

#include "dsp/lte/si_receiver.hpp"
#include "lte_si_render_support.hpp"
#include "src/core/hex.hpp"

namespace {

namespace dl = tw::dsp::lte;
using tw::test::SiCase;

TEST(LteSiCoChannel, TheWeakerOfTwoCellsOnOneEarfcnGivesItsSib1) {
  for (const double weaker_db : {-4.0, -6.0}) {
    SCOPED_TRACE(weaker_db);
    SiCase k;
    k.n_prb = 15;
    k.ports = 2;
    k.cfi = 2;
    k.snr_db = 20.0;
    k.seed = 31;
    tw::synth::SceneWithLte s;
    s.scene.seed = k.seed;
    const double power = -60.0;
    const int fft = tw::test::natural_fft(k.n_prb);
    const double fs = 15e3 * fft;
    s.scene.noise_dbfs = power - k.snr_db + 10.0 * std::log10(static_cast<double>(fft));
    s.lte_cells.push_back(tw::test::si_cell(k, 101, power, 2.0));
    s.lte_cells.push_back(tw::test::si_cell(k, 236, power + weaker_db, 3.5));
    tw::synth::SceneRenderer r(s, tw::synth::lte::carrier_hz(s.lte_cells[0]), fs);
    std::vector<std::complex<float>> iq(static_cast<std::size_t>(0.080 * fs));
    r.render(iq);
    tw::synth::TruthRecorder rec;
    const nlohmann::json truth = rec.to_json(r, static_cast<double>(iq.size()) / fs);
    int decoded = 0;
    for (std::size_t ci = 0; ci < 2; ++ci) {
      SCOPED_TRACE("cell " + std::to_string(ci));
      const auto& tc = truth["lte_cells"][ci];
      const auto& cfg = r.lte_cells()[ci];
      const dl::CellParams cell = tw::test::cell_params_of(k, cfg);
      const dl::DlTiming tm = tw::test::timing_of(tc, fs);
      std::string want;
      for (const auto& t : tc["si_transmissions"])
        if (t["message"] == "SIB1") want = t["hex"].get<std::string>();
      ASSERT_FALSE(want.empty()) << "the truth lists no SIB1";
      dl::SiReceiver rx(cell, tm);
      std::string why;
      const auto sib1 = rx.decode_sib1(iq, why);
      ASSERT_TRUE(sib1.has_value()) << why;
      want.resize(2 * sib1->octets.size(), '0');   // zero padding to the TBS
      EXPECT_EQ(tw::hex_string(sib1->octets), want);
      decoded += tw::hex_string(sib1->octets) == want;
      std::printf("cell PCI %d at %+.0f dB: SIB1 from %d transmissions (%d DCIs found alone, %d by adding subframes)\n",
                  cell.pci, ci == 0 ? 0.0 : weaker_db, sib1->transmissions, rx.stats().dci_found, rx.stats().dci_combined);
    }
    EXPECT_EQ(decoded, 2);
  }
}

}  // namespace
