// SYSTEM INFORMATION TYPE 2ter, 3GPP TS 44.018 clause 9.1.34.
#include <algorithm>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si2ter(const CellConfig& cell) {
  // L2 pseudo length 18: PD, type, Extended BCCH Frequency List (16); SI 2ter Rest Octets (4)
  L2Block b = detail::start_block(18, 0x03);
  // Neighbour Cell Description 2 (10.5.2.22a): the formats of 10.5.2.1b with format bit 7 taken as 0
  // (so no bit map 0); bits 7-6 = Multiband reporting (0: normal reporting), bit 5 = BA-IND.
  auto ncd = detail::encode_frequency_list16(cell.neighbors_ter, false);
  ncd[0] = static_cast<std::uint8_t>(ncd[0] | (cell.ba_ind ? 0x10 : 0));
  std::copy(ncd.begin(), ncd.end(), b.begin() + 3);
  // SI 2ter Rest Octets (10.5.2.33a): { L | H <SI2ter_MP_CHANGE_MARK ...> } all L: spare padding.
  return b;
}

}  // namespace tw::synth::l3
