// TS 44.018 9.1.43a System Information Type 13 (L2 pseudo length 0): SI13 rest octets (10.5.2.37b) with
// the GPRS Mobile Allocation (44.060 12.10a), GPRS Cell Options (44.060 12.24) and GPRS Power Control
// Parameters (44.060 12.9a).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {
namespace {

// 44.060 12.10a: <HSN:6> { 0 | 1 <RFL number list> } { 0 <MA_LENGTH:6> <MA_BITMAP: val+1>
//                | 1 { 0 | 1 <ARFCN index list> } }
void skip_gprs_mobile_allocation(BitReader& r) {
  r.skip(6, "HSN");
  if (r.bit("RFL number list")) {
    do {
      r.skip(4, "RFL_NUMBER");
    } while (r.bit("RFL number list continuation"));
  }
  if (!r.bit("MA choice")) {
    const unsigned len = r.bits(6, "MA_LENGTH");
    r.skip(len + 1, "MA_BITMAP");
  } else if (r.bit("ARFCN index list")) {
    do {
      r.skip(6, "ARFCN_INDEX");
    } while (r.bit("ARFCN index list continuation"));
  }
}

}  // namespace

void parse_si13(const L3Context& ctx, ParsedMessage& out) {
  // The L2 pseudo length of SI13 is 0 (9.1.43a): the rest octets follow the message type.
  Si13 si;
  BitReader r(ctx.rest_from(3));
  if (r.high()) {
    si.rest_present = true;
    si.bcch_change_mark = static_cast<std::uint8_t>(r.bits(3, "BCCH_CHANGE_MARK"));
    si.si_change_field = static_cast<std::uint8_t>(r.bits(4, "SI_CHANGE_FIELD"));
    if (r.bit("SI13_CHANGE_MARK present")) {
      si.si13_change_mark = static_cast<std::uint8_t>(r.bits(2, "SI13_CHANGE_MARK"));
      skip_gprs_mobile_allocation(r);
    }
    if (!r.bit("PBCCH present")) {
      si.rac = static_cast<std::uint8_t>(r.bits(8, "RAC"));
      si.spgc_ccch_sup = r.bit("SPGC_CCCH_SUP");
      si.priority_access_thr = static_cast<std::uint8_t>(r.bits(3, "PRIORITY_ACCESS_THR"));
      si.network_control_order = static_cast<std::uint8_t>(r.bits(2, "NETWORK_CONTROL_ORDER"));
      // GPRS Cell Options IE
      si.nmo = static_cast<std::uint8_t>(r.bits(2, "NMO"));
      if (si.nmo == 3) out.warnings.push_back("SI13: NMO value 3 is reserved");
      si.t3168 = static_cast<std::uint8_t>(r.bits(3, "T3168"));
      si.t3192 = static_cast<std::uint8_t>(r.bits(3, "T3192"));
      si.drx_timer_max = static_cast<std::uint8_t>(r.bits(3, "DRX_TIMER_MAX"));
      si.access_burst_type = r.bit("ACCESS_BURST_TYPE");
      si.control_ack_type = r.bit("CONTROL_ACK_TYPE");
      si.bs_cv_max = static_cast<std::uint8_t>(r.bits(4, "BS_CV_MAX"));
      if (r.bit("PAN present")) r.skip(9, "PAN_DEC/PAN_INC/PAN_MAX");
      if (r.bit("extension present")) {
        const unsigned len = r.bits(6, "Extension Length");
        r.skip(len + 1, "extension information");
      }
      // GPRS Power Control Parameters IE: ALPHA (4) T_AVG_W (5) T_AVG_T (5) PC_MEAS_CHAN (1) N_AVG_I (4)
      si.alpha = static_cast<std::uint8_t>(r.bits(4, "ALPHA"));
      r.skip(5 + 5 + 1 + 4, "GPRS power control parameters");
    } else {
      // PBCCH present ("shall never be indicated", 10.5.2.37b): PSI1_REPEAT_PERIOD and PBCCH description.
      si.pbcch_present = true;
      out.warnings.push_back("SI13: PBCCH indicated (never used since Rel-99 cleanup, 44.018 1.8)");
      r.skip(4, "PSI1_REPEAT_PERIOD");
      r.skip(4 + 3 + 3, "PBCCH description");
      if (!r.bit("PBCCH carrier")) {
        if (r.bit("PBCCH ARFCN")) r.skip(10, "ARFCN");
      } else {
        r.skip(6, "MAIO");
      }
    }
    if (r.high()) si.sgsnr = static_cast<std::uint8_t>(r.bits(1, "SGSNR"));  // release 99 additions
  }
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
