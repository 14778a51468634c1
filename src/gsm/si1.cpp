// TS 44.018 9.1.31 System Information Type 1: cell channel description (10.5.2.1b), RACH control
// (10.5.2.29), SI1 rest octets (10.5.2.32).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_si1(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 16 + 3, "SI1");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  Si1 si;
  auto fl = decode_frequency_list(c.take(16, "cell channel description"));
  if (!fl.ok) throw tw::InputError("cell channel description: " + fl.error);
  si.format = fl.format;
  si.cell_arfcns = std::move(fl.arfcns);
  si.rach = decode_rach_control(c.take(3, "RACH control parameters"));
  if (c.remaining() != 0) out.warnings.push_back("SI1: L2 pseudo length covers octets beyond the mandatory part");
  // 10.5.2.32: { L | H <NCH Position : bit (5)> } <BAND_INDICATOR: L = 1800, H = 1900> <spare padding>
  BitReader r(ctx.rest_from(ctx.l3_end));
  if (r.high()) si.nch_position = static_cast<std::uint8_t>(r.bits(5, "NCH position"));
  si.band_indicator_1900 = r.high();
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
