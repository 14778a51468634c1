// Ground truth of a render: the scene, every cell's parameters, every block and SCH sent (OUT.truth.json).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/hex.hpp"
#include "tools/synth/renderer.hpp"

namespace tw::synth {

// "23 octets, space-separated lower case": "49 06 1b ..."
using tw::hex_octets;   // src/core/hex.hpp: "41 06 21 ..."
using tw::hex_string;

class TruthRecorder : public TruthSink {
 public:
  void on_block(const TruthBlock& block) override { blocks_.push_back(block); }
  void on_sch(const TruthSch& sch) override { sch_.push_back(sch); }
  const std::vector<TruthBlock>& blocks() const { return blocks_; }
  const std::vector<TruthSch>& sch() const { return sch_; }

  // {"scene", "center_freq_hz", "sample_rate_hz", "duration_s", "cells": [...with frequency_hz,
  //  offset_hz, visible], "blocks": [{cell, arfcn, fn, tn, channel, message, hex, t_s}], "sch": [{cell,
  //  arfcn, fn, bsic, t_s}]}, blocks and SCH in time order. With LTE cells also "lte_cells": [every field,
  //  frequency_hz, offset_hz, visible, sfn_at_start (SFN of the frame in progress at the first sample),
  //  frame_at_start_t_s (its start), frames: [{sfn, t_s, mib_hex}] (every frame starting within the render
  //  while the cell is on), si_transmissions: [{sfn, subframe, t_s, message ("SIB1" | "SI-n"), rv, tbs,
  //  dci_format ("1A" | "1C"), aggregation, first_cce, prbs (slot 0), [prbs_slot1 when distributed], hex (the
  //  BCCH-DL-SCH message before padding)}] (every System Information transmission in a subframe starting
  //  within the render, lte/lte_si_scheduler.hpp), or si_disabled (why the cell sends none)]; t_s are
  //  receiver times in seconds. With NR cells "nr_cells": [every field, ss_ref_hz, nr_arfcn, offset_hz,
  //  visible, ssbs: [{t_s (symbol 0's CP start), ssb_index, sfn, half_frame, mib_hex (24 bits)}]]. The render is taken to have ended at
  //  renderer.time_s() after duration_s seconds.
  nlohmann::json to_json(const SceneRenderer& renderer, double duration_s) const;

 private:
  std::vector<TruthBlock> blocks_;
  std::vector<TruthSch> sch_;
};

}  // namespace tw::synth
