// Soft demodulation of QPSK sent with transmit diversity (TS 36.211 6.3.3.3 / 6.3.4.3, SFBC for 2 ports,
// SFBC + FSTD for 4) or from one port (6.3.4.1), one quadruplet of resource elements at a time (the unit of
// the PCFICH, PHICH and PDCCH, whose symbol pairs never straddle a quadruplet).
#pragma once
#include <array>

#include "dsp/lte/dl_subframe.hpp"

namespace tw::dsp::lte {

// y: the 4 received REs of the quadruplet (increasing k); h[p][i]: port p's channel at RE i (p < ports);
// noise_var: per RE. llr[2i] / llr[2i+1]: the bits of QPSK symbol i (36.211 7.1.2: real / imaginary part),
// log(P(0)/P(1)), positive for bit 0. ports: 1, 2 or 4 (anything else: all llr 0).
void tx_diversity_llr(int ports, const std::array<cf32, 4>& y, const std::array<std::array<cf32, 4>, 4>& h, float noise_var,
                      std::array<float, 8>& llr);

// Gathers quadruplet REs and channel from a subframe: symbol l, subcarriers k[0..3].
void gather_quadruplet(const DlSubframe& sf, int ports, int l, const std::array<int, 4>& k, std::array<cf32, 4>& y,
                       std::array<std::array<cf32, 4>, 4>& h);

}  // namespace tw::dsp::lte
