// Test signals for the LTE control-channel receivers without OFDM: the resource grids of every antenna port
// of one subframe (layout of LteCellChain::build_grid: grid[p][l * 12 N_RB + k]) through a known channel
// per port (gain, delay and an echo: H_p(k) = g_p e^{-j 2 pi f_k df tau} + e_p e^{-j 2 pi f_k df (tau +
// tau_e)}, f_k the subcarrier's signed index, no DC) plus complex white Gaussian noise, as the OFDM
// demodulator would deliver them (dsp/lte/dl_subframe.hpp).
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"

namespace tw::synth::lte {

using cf32 = std::complex<float>;

struct SubframeChannel {
  std::array<cf32, 4> gain{cf32{1, 0}, cf32{1, 0}, cf32{1, 0}, cf32{1, 0}};   // g_p
  std::array<cf32, 4> echo{};                                                // e_p
  double delay_s = 0.0;        // tau: a timing error (a phase slope over the band)
  double echo_delay_s = 0.0;   // tau_e
  double noise_var = 0.0;      // E|n|^2 per RE
  std::uint64_t seed = 1;
};

// The received subframe (re only: h and noise_var left for the estimator) and, when h_true is given, the
// channel of every port at every RE. Throws tw::InputError when the grids do not match the cell.
tw::dsp::lte::DlSubframe apply_subframe_channel(const tw::dsp::lte::CellParams& cell, int sfn, int subframe,
                                                const std::vector<std::vector<cf32>>& grids, const SubframeChannel& ch,
                                                std::array<std::vector<cf32>, 4>* h_true = nullptr);

}  // namespace tw::synth::lte
