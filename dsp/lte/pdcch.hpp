// PDCCH blind search of the common search space (TS 36.211 6.8, 36.212 5.3.3, 36.213 9.1.1) for formats
// 1A and 1C:
//   1. the REGs of the PDCCH (control_regs.hpp: after PCFICH and PHICH, 6.8.5 order), each carrying the
//      quadruplet the interleaver and the cyclic shift by N_ID put there; transmit diversity soft
//      demodulation (tx_diversity.hpp) back into the quadruplets' order;
//   2. descrambling (6.8.2: c_init = floor(ns/2) 2^9 + N_ID over the whole block of 8 N_REG bits);
//   3. candidates of the common search space: aggregation 4 at CCEs 0, 4, 8, 12 and 8 at 0, 8 (those
//      within N_CCE = floor(N_REG / 9));
//   4. per candidate and format: rate dematching of the E = 72 L soft bits onto the 3 (A + 16) coded bits
//      (36.212 5.1.4.2, soft-combining repeats), tail-biting Viterbi (libosmocoding), CRC-16 xor each RNTI
//      (5.3.3.2), then a credibility check against noise decoded into a code word: the correlation of the
//      E soft bits with the re-encoded, rate-matched word over their norm (a standard normal per code word
//      for noise; the decoder's choice among 2^(A+16) words reaches about sqrt(2 ln 2^(A+16)) ~ 7.8);
//   5. the fields (dci_parse.hpp). A DCI found at several candidates (an aggregation 8 holds an
//      aggregation 4's word when the other CCEs are <NIL>, and each half of an aggregation 8 decodes alone)
//      is reported once: at the largest candidate whose every CCE correlates with the word on its own (2
//      standard deviations of noise), else at the most credible.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dsp/lte/dci.hpp"
#include "dsp/lte/dl_subframe.hpp"

namespace tw::dsp::lte {

class PdcchSearch {
 public:
  static constexpr double kMinEvidence = 8.0;

  explicit PdcchSearch(const CellParams& cell);   // throws tw::InputError for a cell outside the specification
  ~PdcchSearch();
  PdcchSearch(const PdcchSearch&) = delete;
  PdcchSearch& operator=(const PdcchSearch&) = delete;

  // The DCIs of formats 1A / 1C whose CRC is masked by one of `rntis`, in the subframe's common search
  // space with cfi (1..3; control symbols per 36.211 table 6.7-1 for ordinary subframes: CFI, +1 for N_RB
  // <= 10; TDD subframes 1/6 and MBSFN subframes are not modelled). Throws tw::InputError for cfi outside
  // 1..3 or too small for an extended PHICH duration, a subframe that does not match the cell or lacks
  // channel estimates, or more than 16 RNTIs.
  std::vector<Dci> execute(const DlSubframe& sf, int cfi, std::span<const std::uint16_t> rntis);
  // Steps 1 and 2 alone: the descrambled soft bits of the subframe's PDCCH (8 N_REG, quadruplet order), and
  // N_CCE. Throws as execute.
  std::vector<float> soft_bits(const DlSubframe& sf, int cfi, int* n_cce = nullptr);
  // Steps 3-5 on the soft bits of several subframes that carry one DCI at one candidate: the same subframe
  // number (the same scrambling, 6.8.2), the same CFI, and a format 1A word that differs only in its RV field
  // (rv: the RV each subframe's word holds; SIB1's follows 36.321 5.3.1), added candidate by candidate; the
  // DCIs as the first subframe's word says them. A SIB1 DCI too weak in each subframe shows in the sum of
  // four (6 dB). Throws tw::InputError for soft bits of unequal sizes or too few for n_cce, an RV per subframe
  // missing or outside 0..3, or more than 16 RNTIs.
  std::vector<Dci> execute_combined(std::span<const std::vector<float>> llrs, int n_cce, std::span<const int> rv,
                                    std::span<const std::uint16_t> rntis);
  // The credibility of each DCI of the last execute (same order).
  const std::vector<double>& evidence() const;
  // m_i of 36.211 table 6.9-1 for the subframes searched next (PHICH groups times m_i), for a TDD receiver that
  // does not know the uplink-downlink configuration yet; by default m_i comes from CellParams::tdd_config and
  // the subframe (phich_mi of phich_resources.hpp). Throws tw::InputError outside 0..2.
  void set_phich_mi(int phich_mi);
  // Candidates whose CRC matched an RNTI but failed the credibility check in the last execute.
  int rejected() const;
  void reset() {}

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tw::dsp::lte
