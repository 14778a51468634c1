// SYSTEM INFORMATION TYPE 2, 3GPP TS 44.018 clause 9.1.32.
#include <algorithm>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si2(const CellConfig& cell) {
  // L2 pseudo length 22: PD, type, BCCH Frequency List (16), NCC Permitted (1), RACH Control (3)
  L2Block b = detail::start_block(22, 0x1a);
  // Neighbour Cell Description (10.5.2.22); EXT-IND = 1 when SI2bis carries the rest of the BA
  const auto ncd = encode_neighbour_cells(cell.neighbors, !cell.neighbors_bis.empty(), cell.ba_ind);
  std::copy(ncd.begin(), ncd.end(), b.begin() + 3);
  detail::check_range("SI2", "ncc_permitted", cell.ncc_permitted, 0, 255);
  b[19] = static_cast<std::uint8_t>(cell.ncc_permitted);  // 10.5.2.27: bit n+1 = NCC n
  detail::put_rach_control(b, 20, cell);
  return b;
}

}  // namespace tw::synth::l3
