// SYSTEM INFORMATION TYPE 13, 3GPP TS 44.018 clause 9.1.43a; SI 13 Rest Octets 10.5.2.37b with the
// GPRS Cell Options of 3GPP TS 44.060 clause 12.24.
#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {

L2Block encode_si13(const CellConfig& cell) {
  (void)cell;  // the CellConfig has no GPRS parameters yet: fixed, commonly used values below
  // "The L2 Pseudo Length of this message has the value 0" (9.1.43a)
  L2Block b = detail::start_block(0, 0x00);
  detail::BitWriter w(b.data() + 3, 20, "SI13 rest octets");
  w.H();             // SI13 rest octets present
  w.put(0, 3);       // BCCH_CHANGE_MARK
  w.put(0, 4);       // SI_CHANGE_FIELD: update of unspecified SI messages
  w.put(0, 1);       // no SI13_CHANGE_MARK / GPRS Mobile Allocation
  w.put(0, 1);       // 0: PBCCH not present in the cell
  w.put(0, 8);       // RAC
  w.put(0, 1);       // SPGC_CCCH_SUP: split pg cycle on CCCH not supported
  w.put(6, 3);       // PRIORITY_ACCESS_THR 110: packet access allowed for priority levels 1..4
  w.put(0, 2);       // NETWORK_CONTROL_ORDER NC0
  // GPRS Cell Options (44.060 12.24)
  w.put(1, 2);       // NMO 01: Network Mode of Operation II
  w.put(4, 3);       // T3168 100: 2500 ms
  w.put(0, 3);       // T3192 000: 500 ms
  w.put(3, 3);       // DRX_TIMER_MAX 011
  w.put(0, 1);       // ACCESS_BURST_TYPE: 8-bit
  w.put(1, 1);       // CONTROL_ACK_TYPE: RLC/MAC control block
  w.put(15, 4);      // BS_CV_MAX
  w.put(0, 1);       // no PAN_DEC/PAN_INC/PAN_MAX
  w.put(0, 1);       // no extension information
  // GPRS Power Control Parameters (10.5.2.37b)
  w.put(0, 4);       // ALPHA 0
  w.put(15, 5);      // T_AVG_W
  w.put(15, 5);      // T_AVG_T
  w.put(0, 1);       // PC_MEAS_CHAN: BCCH
  w.put(4, 4);       // N_AVG_I
  w.H();             // Release 99 additions:
  w.put(1, 1);       // SGSNR: SGSN of Release 99 onwards
  // Release 4 additions: L (spare padding)
  return b;
}

}  // namespace tw::synth::l3
