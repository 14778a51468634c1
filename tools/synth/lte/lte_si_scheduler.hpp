// Which System Information transmission a synthesized LTE cell sends in which subframe, and how (TS 36.331
// 5.2.1.2 / 5.2.3, 36.321 5.3.1, 36.213 7.1.6.3 / 7.1.7, 36.212 5.3.3.1):
//   - SIB1 in subframe 5 of every frame with SFN mod 2 = 0, RV = ceil(3k/2) mod 4, k = (SFN/2) mod 4;
//   - SI message n (1-based, schedulingInfoList order) in its window: x = (n - 1) w, starting in subframe
//     x mod 10 of the frame with SFN mod T = floor(x / 10) (T its si-Periodicity), w subframes long; the
//     eNodeB sends it in `si_repetitions` of the window's downlink subframes (never SIB1's subframe, never a
//     TDD uplink or special subframe), each with RV = ceil(3k/2) mod 4, k = i mod 4 (i: subframe of the
//     window), every period again;
//   - the SI-RNTI DCI: format 1A (SIB1; SI messages too unless the cell says 1C) in the common search space
//     (aggregation 4 or 8, a candidate of 36.213 9.1.1 with Y_k = 0), TBS like a real eNodeB: the smallest
//     TBS of I_TBS 0..26 x N_PRB^1A 2 / 3 (TPC LSB) holding the message (1C: of table 7.1.7.2.3-1), the
//     message padded with zero bits; as few PRBs as keep the code rate (TBS + 24) / G at most kMaxSiCodeRate
//     (G of subframe 5), localized (1A) or distributed (1C, N_gap,1) from si_start_prb (-1: from the seed).
// Written from the specifications independently of the receiver's dsp/lte/si_schedule.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dsp/lte/dci.hpp"
#include "dsp/lte/dl_subframe.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"

namespace tw::synth::lte {

inline constexpr double kMaxSiCodeRate = 0.35;

// 36.321 5.3.1: RV_K = ceil(3k / 2) mod 4 (k = 0..3 -> 0, 2, 3, 1).
int si_rv(int k);

// The receiver-side description of the cell (CellParams of dsp/lte) from its configuration.
tw::dsp::lte::CellParams cell_params(const LteCellConfig& cell);

struct SiMessagePlan {
  int periodicity_rf = 8;                 // 8 (SIB1: 80 ms, repeated every 20 ms) or si-Periodicity
  std::vector<std::uint8_t> octets;       // the BCCH-DL-SCH message (sib_encoder.hpp)
  std::vector<std::uint8_t> tb;           // transport block: octets + zero padding to TBS bits
  tw::dsp::lte::Dci dci;                  // format, riv, mcs (I_TBS), tpc, gap (rv, aggregation, CCE per subframe)
  tw::dsp::lte::PdschAllocation alloc;    // si_allocation(dci, N_RB)
};

struct SiTransmission {
  int message = 0;                        // 0: SIB1, n >= 1: SI message n
  int sfn = 0, subframe = 0;
  int window_subframe = 0;                // i of the SI window (SIB1: k = (SFN/2) mod 4)
  int rv = 0;                             // redundancy version (36.321 5.3.1)
  tw::dsp::lte::Dci dci;                  // as sent (rv, aggregation, first_cce filled)
  const SiMessagePlan* plan = nullptr;
};

class LteSiPlan {
 public:
  // cell: its system_info (TDD: its tdd-Config set from the cell's own configuration), cfi, bandwidth and the
  // si_* choices; seed: the cell's. Throws tw::InputError naming the field when the messages do not fit the
  // band. A cell whose control region cannot hold a common-search-space PDCCH (4 CCEs) in subframe 5 (6 PRB
  // with a short control region) sends no System Information: enabled() false, disabled_reason() says why.
  LteSiPlan(const LteCellConfig& cell, std::uint64_t seed);

  bool enabled() const { return enabled_; }
  const std::string& disabled_reason() const { return disabled_reason_; }
  int window_ms() const { return window_ms_; }
  const std::vector<SiMessagePlan>& messages() const { return messages_; }   // [0] SIB1, [n] SI-n
  // The transmission of (sfn 0..1023, subframe 0..9), if any.
  std::optional<SiTransmission> at(int sfn, int subframe) const;
  // SI message n (>= 1) whose window holds (sfn, subframe) and i, the window's subframe (whether or not the
  // eNodeB sends in it): {n, i}; n = 0 when none.
  std::pair<int, int> window_at(int sfn, int subframe) const;
  // CCEs of the PDCCH in subframe 0..9 (0: an uplink subframe, or a special subframe with the extended PHICH
  // duration, where the synthesizer sends no PDCCH).
  int n_cce(int subframe) const { return n_cce_[static_cast<std::size_t>(subframe)]; }

 private:
  bool chosen_in_window(int n, int sfn, int subframe, int i) const;
  LteCellConfig cfg_;
  tw::dsp::lte::CellParams cp_;
  std::uint64_t seed_ = 0;
  bool enabled_ = false;
  int window_ms_ = 20;
  std::vector<SiMessagePlan> messages_;
  std::array<int, 10> n_cce_{};
  std::string disabled_reason_;
};

}  // namespace tw::synth::lte
