// SYSTEM INFORMATION TYPE 3, 3GPP TS 44.018 clause 9.1.35.
#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si3(const CellConfig& cell) {
  // L2 pseudo length 18: PD, type, Cell Identity (2), LAI (5), Control Channel Description (3),
  // Cell Options (1), Cell Selection Parameters (2), RACH Control (3); SI 3 Rest Octets (4)
  L2Block b = detail::start_block(18, 0x1b);
  detail::check_range("SI3", "ci", cell.ci, 0, 65535);
  b[3] = static_cast<std::uint8_t>(cell.ci >> 8);  // Cell Identity (10.5.1.1)
  b[4] = static_cast<std::uint8_t>(cell.ci & 0xff);
  std::size_t at = detail::put_lai(b, 5, cell.mcc, cell.mnc, cell.mnc_digits, cell.lac);
  at = detail::put_control_channel_description(b, at, cell);
  at = detail::put_cell_options(b, at, cell);
  at = detail::put_cell_selection(b, at, cell);
  at = detail::put_rach_control(b, at, cell);
  // SI 3 Rest Octets (10.5.2.34)
  detail::BitWriter w(b.data() + at, b.size() - at, "SI3 rest octets");
  detail::put_optional_selection_parameters(w, cell);
  w.L();                                 // Optional Power Offset: absent
  w.LH(!cell.neighbors_ter.empty());     // System Information 2ter Indicator: H = SI2ter is broadcast
  w.H();                                 // Early Classmark Sending Control: H = early sending accepted
  w.L();                                 // Scheduling if and where: absent
  detail::put_gprs_indicator(w, cell);   // { L | H <GPRS Indicator> }
  w.H();                                 // 3G Early Classmark Sending Restriction: H = UTRAN classmark
                                         // sending controlled by Early Classmark Sending Control
  if (cell.si2quater.present) {          // { L | H <SI2quater Indicator: SI2quater_POSITION> }
    w.H();
    w.put(0, 1);                         // 0: SI2quater sent on BCCH Norm
  } else {
    w.L();
  }
  return b;
}

}  // namespace tw::synth::l3
