// TS 44.018 9.1.35 System Information Type 3: cell identity (10.5.1.1), LAI (10.5.1.3), control channel
// description (10.5.2.11), cell options (10.5.2.3), cell selection parameters (10.5.2.4), RACH control
// (10.5.2.29), SI3 rest octets (10.5.2.34).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_si3(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 2 + 5 + 3 + 1 + 2 + 3, "SI3");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  Si3 si;
  const auto ci = c.take(2, "cell identity");
  si.ci = static_cast<std::uint16_t>((ci[0] << 8) | ci[1]);
  si.lai = decode_lai(c.take(5, "LAI"));
  si.ccd = decode_control_channel(c.take(3, "control channel description"));
  if (si.ccd.ccch_combined() && si.ccd.bs_ag_blks_res > 2) {
    out.warnings.push_back("SI3: BS_AG_BLKS_RES > 2 with a combined CCCH (45.002 allows 0..2)");
  }
  si.cell_options = decode_cell_options(c.u8("cell options"));
  si.cell_selection = decode_cell_selection(c.take(2, "cell selection parameters"));
  si.rach = decode_rach_control(c.take(3, "RACH control parameters"));
  if (c.remaining() != 0) out.warnings.push_back("SI3: L2 pseudo length covers octets beyond the mandatory part");

  // 10.5.2.34 SI3 rest octets (CSN.1, L/H relative to the 0x2b padding).
  BitReader r(ctx.rest_from(ctx.l3_end));
  Si3RestOctets& ro = si.rest;
  if (r.high()) ro.selection = read_selection_parameters(r);                          // optional selection parameters
  if (r.high()) ro.power_offset = static_cast<std::uint8_t>(r.bits(2, "POWER_OFFSET"));  // optional power offset
  ro.si2ter_indicator = r.high();
  ro.early_classmark_sending = r.high();
  if (r.high()) ro.where = static_cast<std::uint8_t>(r.bits(3, "WHERE"));  // scheduling if and where
  if (r.high()) ro.gprs = read_gprs_indicator(r);
  ro.early_classmark_3g_restriction = r.high();
  if (r.high()) ro.si2quater_position = static_cast<std::uint8_t>(r.bits(1, "SI2quater_POSITION"));
  if (r.high()) ro.si13alt_position = static_cast<std::uint8_t>(r.bits(1, "SI13alt_POSITION"));
  if (r.high()) ro.si21_position = static_cast<std::uint8_t>(r.bits(1, "SI21_POSITION"));
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
