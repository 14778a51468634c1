// Downlink control information addressed to the SI-RNTI (TS 36.212 5.3.3.1.3 format 1A, 5.3.3.1.4 format 1C)
// as the PDCCH blind search finds it (dsp/lte/pdcch), and the RNTIs of the common search space.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tw::dsp::lte {

constexpr std::uint16_t kSiRnti = 0xFFFF;   // 36.321 table 7.1-1
constexpr std::uint16_t kPRnti = 0xFFFE;

enum class DciFormat { f1a, f1c };

struct Dci {
  DciFormat format = DciFormat::f1a;
  std::uint16_t rnti = kSiRnti;       // the RNTI whose mask made the CRC check
  int aggregation = 4;                // CCEs: 4 or 8 (common search space)
  int first_cce = 0;
  std::vector<std::uint8_t> bits;     // the DCI payload (0/1), as sent, without CRC
  // Fields (36.212 5.3.3.1.3 / 5.3.3.1.4; 36.213 7.1.6.3):
  bool distributed = false;           // 1A: localized/distributed VRB assignment flag; 1C: always distributed
  int gap = 0;                        // N_gap indicator: 0 = N_gap,1, 1 = N_gap,2 (1A with N_RB >= 50 and
                                      // distributed; 1C with N_RB >= 50)
  int riv = 0;                        // resource indication value
  int mcs = 0;                        // 1A: I_MCS (5 bits; for SI-RNTI I_TBS = I_MCS, 36.213 7.1.7); 1C: I_TBS
  int harq_process = 0;               // 1A
  bool ndi = false;                   // 1A
  int rv = -1;                        // 1A: redundancy version (2 bits); 1C: -1 (from 36.321 5.3.1)
  int tpc = 0;                        // 1A: TPC (for SI-RNTI its LSB picks N_PRB^1A = 3 (1) or 2 (0), 36.212 5.3.3.1.3)
};

}  // namespace tw::dsp::lte
