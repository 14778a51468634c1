// SYSTEM INFORMATION TYPE 4, 3GPP TS 44.018 clause 9.1.36.
#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si4(const CellConfig& cell) {
  // L2 pseudo length 12: PD, type, LAI (5), Cell Selection Parameters (2), RACH Control (3);
  // no CBCH Channel Description / CBCH Mobile Allocation; SI 4 Rest Octets (10)
  L2Block b = detail::start_block(12, 0x1c);
  std::size_t at = detail::put_lai(b, 3, cell.mcc, cell.mnc, cell.mnc_digits, cell.lac);
  at = detail::put_cell_selection(b, at, cell);
  at = detail::put_rach_control(b, at, cell);
  // SI 4 Rest Octets (10.5.2.35): SI4 rest octets_O = <Optional selection parameter>
  // <Optional Power offset> { L | H <GPRS Indicator> }, then L (no rest octets_S) and spare padding.
  detail::BitWriter w(b.data() + at, b.size() - at, "SI4 rest octets");
  detail::put_optional_selection_parameters(w, cell);
  w.L();  // power offset absent
  detail::put_gprs_indicator(w, cell);
  return b;
}

}  // namespace tw::synth::l3
