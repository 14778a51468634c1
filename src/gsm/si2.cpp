// TS 44.018 9.1.32 System Information Type 2: neighbour cell description (10.5.2.22), NCC permitted
// (10.5.2.27), RACH control (10.5.2.29).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_si2(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 16 + 1 + 3, "SI2");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  Si2 si;
  si.neighbours = decode_neighbour_cells(c.take(16, "neighbour cell description"), false);
  si.ncc_permitted = c.u8("NCC permitted");
  si.rach = decode_rach_control(c.take(3, "RACH control parameters"));
  if (c.remaining() != 0) out.warnings.push_back("SI2: L2 pseudo length covers octets beyond the mandatory part");
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
