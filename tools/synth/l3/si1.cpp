// SYSTEM INFORMATION TYPE 1, 3GPP TS 44.018 clause 9.1.31.
#include <algorithm>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si1(const CellConfig& cell) {
  // L2 pseudo length 21: PD, message type, Cell Channel Description (16), RACH Control Parameters (3)
  L2Block b = detail::start_block(21, 0x19);
  // Cell Channel Description (10.5.2.1b): frequency list format, bits 6-5 of the first octet spare (0)
  const std::vector<int> ca = cell.cell_allocation.empty() ? std::vector<int>{cell.arfcn} : cell.cell_allocation;
  const auto ccd = detail::encode_frequency_list16(ca, true);
  std::copy(ccd.begin(), ccd.end(), b.begin() + 3);
  detail::put_rach_control(b, 19, cell);
  // SI 1 Rest Octets (10.5.2.32): { L | H <NCH Position> } <BAND_INDICATOR: L = 1800, H = 1900>
  detail::BitWriter w(b.data() + 22, 1, "SI1 rest octets");
  w.L();
  w.LH(cell.band == GsmBand::PCS1900);
  return b;
}

}  // namespace tw::synth::l3
