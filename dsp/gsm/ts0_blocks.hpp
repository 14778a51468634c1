// TS0 of C0 in the 51-frame multiframe (3GPP TS 45.002 clause 7, table 3 and clause 6.3.1.3).
// Non-combined (CCCH_CONF = 0): FCCH 0,10,20,30,40; SCH 1,11,21,31,41; BCCH 2-5; CCCH 6-9, 12-15, 16-19,
// 22-25, 26-29, 32-35, 36-39, 42-45, 46-49; idle 50. Combined (CCCH_CONF = 1): the same four-frame groups,
// with SDCCH/4 (0..3) on 22-25, 26-29, 32-35, 36-39 and SACCH/C4 on 42-45, 46-49. The frame positions of
// the blocks are the same in both layouts, so every group is decoded; only the name depends on CCCH_CONF.
#pragma once
#include <cstdint>

namespace tw::gsm {

enum class Ts0FrameKind { fcch, sch, block, idle };

struct Ts0Position {
  Ts0FrameKind kind = Ts0FrameKind::idle;
  int block_first = -1;   // FN mod 51 of the block's first frame (kind == block)
  int burst_index = -1;   // 0..3 within the block
};

Ts0Position ts0_position(std::uint32_t fn);

// Channel name of the block starting at `block_first` (FN mod 51): "BCCH", "CCCH", "SDCCH/4", "SACCH/C4".
// ccch_conf: 0 non-combined, 1 combined, -1 not yet known (SI3 not seen): named as non-combined.
const char* ts0_channel_name(int block_first, int ccch_conf);

}  // namespace tw::gsm
