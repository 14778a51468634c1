// TS 44.018 9.1.33 System Information Type 2bis: extended BCCH frequency list (10.5.2.22), RACH control
// (10.5.2.29), SI2bis rest octets (spare padding).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_si2bis(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 16 + 3, "SI2bis");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  Si2 si;
  si.neighbours = decode_neighbour_cells(c.take(16, "extended BCCH frequency list"), false);
  si.rach = decode_rach_control(c.take(3, "RACH control parameters"));
  if (c.remaining() != 0) out.warnings.push_back("SI2bis: L2 pseudo length covers octets beyond the mandatory part");
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
