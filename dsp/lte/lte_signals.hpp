// LTE physical-layer sequences and the resource grid of the central 6 PRB (TS 36.211).
// Shared by the cell-search receiver (dsp/lte/) and the LTE synthesizer (tools/synth/lte/).
//
// Conventions: subcarrier index k runs 0..12*n_prb-1 over the band as in 36.211 (the DC subcarrier is not
// numbered; it sits between k = 6*n_prb-1 and k = 6*n_prb). The central 6 PRB are k = 6*n_prb-36 ..
// 6*n_prb+35, numbered k72 = 0..71 "within the central 72" (k72 = 36 is the first subcarrier above DC).
// Base grid: 1.92 Msps, FFT 128; other bandwidths use FFT 128*n with CP lengths scaled by n.
#pragma once
#include <array>
#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "dsp/gold_sequence.hpp"

namespace tw::dsp::lte {

using cf32 = std::complex<float>;

constexpr int kCentralSubcarriers = 72;
constexpr int kBaseFftSize = 128;          // 1.92 Msps
constexpr double kBaseSampleRate = 1.92e6;
constexpr double kSubcarrierSpacing = 15e3;
constexpr int kSubframeSamples = 1920;     // at 1.92 Msps
constexpr int kFrameSamples = 19200;
constexpr int kMaxRb = 110;                // N_RB^max,DL

// 36.211 6.11.1.1: Zadoff-Chu d_u(n), n = 0..61, roots 25, 29, 34 for N_ID(2) = 0, 1, 2.
// Element n sits at k72 = n + 5. Throws tw::InputError for n_id_2 outside 0..2.
std::array<cf32, 62> pss_sequence(int n_id_2);
int pss_root(int n_id_2);

// 36.211 6.11.2.1: d(0..61) as +-1, subframe 0 or 5. Element n sits at k72 = n + 5.
std::array<float, 62> sss_sequence(int n_id_1, int n_id_2, int subframe);
// m0, m1 of table 6.11.2.1-1 for N_ID(1) = 0..167.
struct SssIndices { int m0; int m1; };
SssIndices sss_indices(int n_id_1);

// 36.211 7.2: c(n), shared with NR (dsp/gold_sequence.hpp).
using tw::dsp::gold_sequence;

// 36.211 6.10.1.1: r_{l,ns}(m), m = 0..out.size()-1 (normally 2*N_RB^max = 220), c_init =
// 2^10 (7 (ns+1) + l + 1)(2 N_ID + 1) + 2 N_ID + N_CP. Element m' maps to the CRS of PRB-pair m'/2 when
// counted over N_RB^max: for n_prb, the m used on the band is m' - (N_RB^max - n_prb).
void crs_sequence(int n_id_cell, int ns, int l, bool normal_cp, std::span<cf32> out);
// 36.211 6.10.1.2: symbols of a slot carrying the CRS of antenna port p (0..3): returns the count (1 or 2)
// and writes the symbol numbers within the slot.
int crs_symbols_in_slot(int port, bool normal_cp, std::array<int, 2>& symbols);
// Frequency offset (k mod 6) of port p's CRS in symbol l of slot ns: (v + v_shift) mod 6.
int crs_k_offset(int port, int ns, int l, bool normal_cp, int n_id_cell);

// Samples of the CP of symbol l (0-based) of a slot: normal CP 160/144 per 2048 (128: 10 / 9), extended
// 512 per 2048 (128: 32). fft_size must be a multiple of 128.
int cp_length(int l, bool normal_cp, int fft_size);
int symbols_per_slot(bool normal_cp);  // 7 normal, 6 extended
// Sample offset of the start (CP included) of symbol `symbol_in_subframe` within a subframe.
int symbol_start(int symbol_in_subframe, bool normal_cp, int fft_size);

// PSS / SSS positions (36.211 6.11.1.2, 6.11.2.2): symbol within the subframe and the first subframe
// (the second is 5 later). FDD: PSS last symbol of slots 0 and 10, SSS the symbol before. TDD: PSS third
// symbol of subframes 1 and 6, SSS last symbol of subframes 0 and 5.
int pss_symbol(bool tdd, bool normal_cp);
int sss_symbol(bool tdd, bool normal_cp);
int pss_subframe(bool tdd);  // 0 FDD, 1 TDD
int sss_subframe(bool tdd);  // 0 both

// A resource element: symbol within the subframe, subcarrier within the central 72.
struct GridRe {
  int symbol;
  int k72;
};
// 36.211 6.6.4: the PBCH of subframe 0, slot 1, symbols 0..3, the 72 central subcarriers minus the CRS
// positions of 4 ports (k mod 3 == N_ID mod 3 in the symbols that carry CRS), in mapping order (k first,
// then l): 240 per frame for normal CP, 216 extended.
std::vector<GridRe> pbch_resource_elements(int n_id_cell, bool normal_cp);

}  // namespace tw::dsp::lte
