// The PDCCH transmit chain of the LTE synthesizer (TS 36.212 5.3.3, 36.211 6.8): DCI fields -> payload
// bits (formats 1A / 1C of the common search space) -> CRC-16 masked by the RNTI -> tail-biting
// convolutional code -> rate matching to 72 L bits -> CCE placement (<NIL> elsewhere) -> scrambling ->
// QPSK -> transmit diversity -> quadruplets interleaved and cyclically shifted onto the PDCCH's REGs
// (dsp/lte/control_regs.hpp). The PHICH's REGs can carry random QPSK (the receiver must keep off them).
#pragma once
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/lte/dci.hpp"
#include "dsp/lte/dl_subframe.hpp"

namespace tw::synth::lte {

using cf32 = std::complex<float>;

// 36.212 5.3.3.1.3 / 5.3.3.1.4: the payload of d's format for the SI-/P-/RA-RNTI reading (1A: flag 1,
// localized/distributed, RIV (the gap in the NDI bit when distributed and N_RB >= 50), MCS, HARQ, NDI, RV,
// TPC, [TDD DAI 00], zero padding; 1C: [gap], RIV, I_TBS). Throws tw::InputError for a field too wide.
std::vector<std::uint8_t> pack_dci(const tw::dsp::lte::Dci& d, int n_prb, bool tdd);

// 36.212 5.3.3.2 - 5.3.3.4: payload (0/1) -> e bits (0/1) for aggregation L (e_bits = 72 L).
std::vector<std::uint8_t> dci_encode(std::span<const std::uint8_t> payload, std::uint16_t rnti, int e_bits);

struct PdcchTx {
  tw::dsp::lte::Dci dci;     // format, rnti, aggregation, first_cce and the fields (bits ignored: packed here)
  float gain = 1.0f;
};

struct PdcchFill {
  bool phich_random = true;        // random QPSK on the PHICH REGs
  bool other_cces_random = false;  // random QPSK on CCEs no DCI uses (another UE's PDCCH) instead of <NIL>
  std::uint64_t seed = 1;
  int phich_mi = -1;               // m_i of 36.211 table 6.9-1; -1: the cell's (TDD configuration, subframe)
};

// Writes the PDCCHs of `subframe` (cfi 1..3) into the port grids (layout of LteCellChain::build_grid).
// Throws tw::InputError for a DCI outside the CCEs or overlapping another, or grids that do not fit.
void pdcch_encode(const tw::dsp::lte::CellParams& cell, int subframe, int cfi, std::span<const PdcchTx> dcis,
                  std::vector<std::vector<cf32>>& grids, const PdcchFill& fill = {});

}  // namespace tw::synth::lte
