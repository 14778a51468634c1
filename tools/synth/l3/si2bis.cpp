// SYSTEM INFORMATION TYPE 2bis, 3GPP TS 44.018 clause 9.1.33.
#include <algorithm>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si2bis(const CellConfig& cell) {
  // L2 pseudo length 21: PD, type, Extended BCCH Frequency List (16), RACH Control (3);
  // SI 2bis Rest Octets (10.5.2.33): spare padding only.
  L2Block b = detail::start_block(21, 0x02);
  // Neighbour Cell Description (10.5.2.22): EXT-IND = 1, this IE carries only a part of the BA
  const auto ncd = encode_neighbour_cells(cell.neighbors_bis, true, cell.ba_ind);
  std::copy(ncd.begin(), ncd.end(), b.begin() + 3);
  detail::put_rach_control(b, 19, cell);
  return b;
}

}  // namespace tw::synth::l3
