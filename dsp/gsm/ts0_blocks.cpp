#include "dsp/gsm/ts0_blocks.hpp"

namespace tw::gsm {

Ts0Position ts0_position(std::uint32_t fn) {
  const int t3 = static_cast<int>(fn % 51);
  Ts0Position p;
  if (t3 == 50) return p;
  const int r = t3 % 10;
  if (t3 < 50 && r == 0) {
    p.kind = Ts0FrameKind::fcch;
    return p;
  }
  if (r == 1) {
    p.kind = Ts0FrameKind::sch;
    return p;
  }
  // Within each group of ten frames (after FCCH, SCH): blocks at r = 2..5 and 6..9.
  p.kind = Ts0FrameKind::block;
  p.block_first = t3 - r + (r < 6 ? 2 : 6);
  p.burst_index = (r < 6 ? r - 2 : r - 6);
  return p;
}

const char* ts0_channel_name(int block_first, int ccch_conf) {
  if (block_first == 2) return "BCCH";
  if (block_first == 6 || block_first == 12 || block_first == 16) return "CCCH";
  if (ccch_conf == 1) {
    if (block_first == 42 || block_first == 46) return "SACCH/C4";
    return "SDCCH/4";
  }
  return "CCCH";
}

}  // namespace tw::gsm
