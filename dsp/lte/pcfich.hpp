// PCFICH receiver (TS 36.211 6.7, 36.212 5.3.4): the 16 QPSK symbols of the 4 REGs of symbol 0
// (control_regs.hpp pcfich_regs), transmit diversity soft demodulation, descrambling (c_init =
// (floor(ns/2) + 1)(2 N_ID + 1) 2^9 + N_ID), soft correlation with the three 32-bit code words of CFI 1..3.
#pragma once
#include "dsp/lte/dl_subframe.hpp"

namespace tw::dsp::lte {

// 36.212 table 5.3.4-1: the code word of CFI 1..3 (bit i of the result = b_i); throws tw::InputError otherwise.
std::uint32_t cfi_code_word(int cfi);

class PcfichDecoder {
 public:
  // A code word is credible when its soft correlation over the soft values' norm reaches this (noise: a
  // standard normal per code word, so 3 words pass 3.5 about 7e-4 of the time; a clean code word: sqrt 32).
  static constexpr float kMinMetric = 3.5f;

  explicit PcfichDecoder(const CellParams& cell);   // throws tw::InputError for a cell outside the specification
  // CFI 1..3, 0 when no code word is credible. metric: the best word's normalised correlation. Throws
  // tw::InputError when sf does not match the cell or lacks channel estimates.
  int execute(const DlSubframe& sf, float* metric = nullptr);
  void reset() {}

 private:
  CellParams cell_;
};

}  // namespace tw::dsp::lte
