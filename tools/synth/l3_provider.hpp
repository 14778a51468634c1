// The default block source of a synthesized cell: System Information and CCCH traffic encoded with the L3
// encoders (tools/synth/l3/encode.hpp).
//
// CCCH traffic (CellConfig::traffic), drawn per block from a generator seeded by (cell seed, FN) so a block is
// the same however the stream is cut or sought:
//  - the first bs_ag_blks_res CCCH blocks of the multiframe are reserved for AGCH (45.002 7 table 5 note, 44.018
//    10.5.2.11): Immediate Assignment or Immediate Assignment Reject at their rates, else an L2 fill frame;
//  - the other blocks carry paging at paging_per_s (Type 1/2/3 by the configured shares, identities synthetic),
//    else an access grant, else a fill frame. Paging groups are not followed (blocks are picked at random).
//  - Immediate Assignments hop over the cell allocation for imm_ass_hopping_fraction of them when the cell
//    allocation has at least 2 ARFCNs; otherwise they assign a single ARFCN.
// SDCCH/4 blocks (combined CCCH) carry L2 fill frames.
#pragma once
#include <cstdint>

#include "tools/synth/c0_schedule.hpp"
#include "tools/synth/cell_config.hpp"
#include "tools/synth/l3/encode.hpp"

namespace tw::synth {

class L3BlockProvider : public BlockProvider {
 public:
  L3BlockProvider(const CellConfig& cell, std::uint64_t cell_seed);
  BlockContent bcch(SiType type, std::uint32_t fn) override;
  BlockContent ccch(int block, std::uint32_t fn) override;
  BlockContent sdcch(int subchannel, std::uint32_t fn) override;

  // Probabilities per CCCH block derived from the traffic rates (for tests).
  double paging_probability() const { return p_page_; }
  double imm_ass_probability() const { return p_ia_; }
  double imm_ass_reject_probability() const { return p_iar_; }

 private:
  l3::MobileIdentity random_identity(std::uint64_t& state);
  CellConfig cell_;
  std::uint64_t seed_;
  L2Octets si1_{}, si2_{}, si2bis_{}, si2ter_{}, si2quater_{}, si3_{}, si4_{}, si13_{}, fill_{};
  int reserved_ = 0;
  double p_page_ = 0.0, p_ia_ = 0.0, p_iar_ = 0.0;
};

}  // namespace tw::synth
