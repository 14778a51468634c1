// The SS/PBCH block's resource grid, TS 38.211 7.4.3.1 (table 7.4.3.1-1): 4 OFDM symbols x 240 subcarriers.
//   symbol 0: PSS on k = 56..182;  symbol 1: PBCH (and its DMRS) on k = 0..239;
//   symbol 2: PBCH on 0..47 and 192..239, SSS on 56..182;  symbol 3: PBCH on k = 0..239;
//   PBCH DMRS at k = 0+v, 4+v, 8+v, ... with v = N_ID_cell mod 4 (the PBCH's symbols leave them out).
// PBCH symbols and DMRS are mapped in increasing k first, then l (7.3.3.3, 7.4.1.4.2).
// And where the blocks of a half-frame start (38.213 4.1): cases A, B, C with L_max = 4 or 8.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tw::dsp::nr {

constexpr int kSsbSubcarriers = 240;
constexpr int kSsbSymbols = 4;
constexpr int kSsbRefK = 120;          // SS_REF (the GSCN frequency) is subcarrier 120 (38.101-1 5.4.3.1)
constexpr int kPbchRe = 432;           // PBCH data REs -> 864 bits
constexpr int kPbchDmrsRe = 144;

struct SsbRe {
  std::uint8_t l;    // SSB symbol 0..3
  std::uint8_t k;    // SSB subcarrier 0..239
};

// The 432 PBCH data REs in mapping order, and the 144 DMRS REs in mapping order, for a PCI.
const std::array<SsbRe, kPbchRe>& pbch_data_res(int pci);
const std::array<SsbRe, kPbchDmrsRe>& pbch_dmrs_res(int pci);

enum class SsbCase { A, B, C };
const char* ssb_case_name(SsbCase c);   // "A" "B" "C"
int ssb_case_scs_khz(SsbCase c);        // 15, 30, 30

// First OFDM symbol (0-based, counted from the half-frame's start in symbols of the SSB's numerology) of
// every candidate SSB i = 0 .. l_max-1 (38.213 4.1). l_max 4 or 8 (FR1).
std::vector<int> ssb_first_symbols(SsbCase c, int l_max);

// Start (first sample of the cyclic prefix) of symbol `sym` of a half-frame, in samples at n_fft samples per
// useful symbol (38.211 5.3.1: CP 144 n_fft/2048, plus 16 n_fft/2048 on the first symbol of every 0.5 ms).
long symbol_start_in_half_frame(int sym, int scs_khz, int n_fft);
int cp_length(int n_fft);   // normal CP (not the longer one every 0.5 ms)

}  // namespace tw::dsp::nr
