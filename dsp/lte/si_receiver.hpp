// System Information of one LTE cell from a capture of its whole bandwidth: the receiver blocks in the order a
// UE runs them (TS 36.213 7.1, 9.1; 36.331 5.2.1.2, 5.2.3; 36.321 5.3.1) for every subframe that may carry
// SIB1 or an SI message: OFDM demodulation (ofdm_demod) -> channel estimates (channel_estimate) -> CFI
// (pcfich) -> SI-RNTI DCI in the common search space (pdcch) -> resource allocation and TBS (pdsch_allocation)
// -> soft values of the PDSCH (pdsch) -> soft combining of every transmission of the block in the capture and
// turbo decoding (si_combiner). The RRC content is not looked at here (dsp/ does not depend on src/lte): the
// caller parses SIB1 and hands its schedule back for the SI messages.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "dsp/lte/si_schedule.hpp"

namespace tw::dsp::lte {

// One BCCH-DL-SCH transport block as decoded.
struct SiBlock {
  int si_index = 0;                  // 0: SIB1; n >= 1: SI message n of schedulingInfoList
  std::vector<std::uint8_t> octets;  // the transport block (TBS / 8 octets, the RRC message then padding)
  int sfn = 0, subframe = 0;         // the first transmission combined
  int transmissions = 0;             // transmissions combined into the decode
  int tbs = 0;
};

// How the search went, for the reasons given when nothing decodes.
struct SiReceiverStats {
  int subframes = 0;                 // SI subframes demodulated
  int cfi_found = 0;                 // of them with a credible CFI
  int dci_found = 0;                 // SI-RNTI DCIs found
  int dci_rejected = 0;              // candidates whose CRC matched but failed the credibility check
  int dci_combined = 0;              // SIB1 DCIs found only in the PDCCH of several subframes added
};

class SiReceiver {
 public:
  // timing: as the cell search found it at the capture's rate; it is refined on the CRS (refine_dl_timing) over
  // the capture given to each call. Throws tw::InputError naming the field for a cell or timing the
  // demodulator cannot serve (e.g. a rate below the cell's bandwidth).
  SiReceiver(const CellParams& cell, const DlTiming& timing);
  ~SiReceiver();
  SiReceiver(const SiReceiver&) = delete;
  SiReceiver& operator=(const SiReceiver&) = delete;

  // SIB1 from every subframe 5 of the even frames wholly inside iq, combined. nullopt with the reason in
  // `why` ("no SIB1 subframe in the capture", "PCFICH: ...", "PDCCH: ...", "PDSCH: ...") when none decodes.
  std::optional<SiBlock> decode_sib1(std::span<const cf32> iq, std::string& why);

  // The SI messages of `schedule` (from SIB1) in their windows inside iq, each combined over every window of
  // the capture. TDD: the uplink-downlink configuration of `schedule` is used from now on. Messages that do
  // not decode are absent (why_not[n - 1] says why).
  std::vector<SiBlock> decode_si(std::span<const cf32> iq, const SiSchedule& schedule,
                                 std::vector<std::string>* why_not = nullptr);

  const SiReceiverStats& stats() const { return stats_; }
  const DlTiming& timing() const { return timing_; }

  void reset() { stats_ = {}; }

 private:
  struct Impl;
  CellParams cell_;
  DlTiming timing_;
  bool refined_ = false;
  SiReceiverStats stats_;
  std::unique_ptr<Impl> impl_;
};


}  // namespace tw::dsp::lte
