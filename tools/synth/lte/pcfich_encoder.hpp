// The PCFICH transmit chain of the LTE synthesizer (TS 36.212 5.3.4, 36.211 6.7): CFI -> 32-bit code word
// -> scrambling (c_init = (floor(ns/2) + 1)(2 N_ID + 1) 2^9 + N_ID) -> QPSK -> transmit diversity (the
// PBCH's precoder) -> the 4 REGs of symbol 0 (dsp/lte/control_regs.hpp pcfich_regs).
#pragma once
#include <complex>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"

namespace tw::synth::lte {

using cf32 = std::complex<float>;

// Writes the PCFICH of `subframe` (0..9) carrying `cfi` (1..3) into the port grids (grids[p][l * 12 N_RB +
// k], the layout of LteCellChain::build_grid; grids.size() == cell.ports, each at least 12 N_RB long), with
// amplitude `gain` per RE. Throws tw::InputError for a CFI, subframe or grid that does not fit.
void pcfich_encode(const tw::dsp::lte::CellParams& cell, int subframe, int cfi, std::vector<std::vector<cf32>>& grids,
                   float gain = 1.0f);

}  // namespace tw::synth::lte
