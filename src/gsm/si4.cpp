// TS 44.018 9.1.36 System Information Type 4: LAI (10.5.1.3), cell selection parameters (10.5.2.4),
// RACH control (10.5.2.29), optional CBCH channel description (IEI 0x64, 10.5.2.5) and CBCH mobile
// allocation (IEI 0x72, 10.5.2.21), SI4 rest octets (10.5.2.35: SI4 rest octets_O).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_si4(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 5 + 2 + 3, "SI4");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  Si4 si;
  si.lai = decode_lai(c.take(5, "LAI"));
  si.cell_selection = decode_cell_selection(c.take(2, "cell selection parameters"));
  si.rach = decode_rach_control(c.take(3, "RACH control parameters"));
  while (c.remaining() != 0) {
    const std::uint8_t iei = c.u8("IEI");
    if (iei == 0x64 && !si.cbch) {
      si.cbch = decode_channel_description(c.take(3, "CBCH channel description"));
      if (si.cbch->channel_type != "SDCCH/4" && si.cbch->channel_type != "SDCCH/8") {
        out.warnings.push_back("SI4: CBCH channel description is not an SDCCH/4 or SDCCH/8 (" +
                               si.cbch->channel_type + ")");
      }
    } else if (iei == 0x72 && !si.cbch_mobile_allocation) {
      const std::uint8_t len = c.u8("CBCH mobile allocation length");
      if (len > 8) throw tw::InputError("CBCH mobile allocation: length " + std::to_string(len) + " > 8");
      const auto ma = c.take(len, "CBCH mobile allocation");
      si.cbch_mobile_allocation = std::vector<std::uint8_t>(ma.begin(), ma.end());
    } else {
      throw tw::InputError("unexpected or repeated IEI " + hex8(iei) + " within the L2 pseudo length");
    }
  }
  // 10.5.2.35: <Optional selection parameters> <Optional Power offset> { L | H <GPRS Indicator> } ...
  BitReader r(ctx.rest_from(ctx.l3_end));
  if (r.high()) si.selection = read_selection_parameters(r);
  if (r.high()) si.power_offset = static_cast<std::uint8_t>(r.bits(2, "POWER_OFFSET"));
  if (r.high()) si.gprs = read_gprs_indicator(r);
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
