// TS 44.018 9.1.20 Immediate Assignment Reject: page mode + spare half octet, four request references
// (10.5.2.30) each with a wait indication (10.5.2.43, T3122 in seconds), IAR rest octets.
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_immediate_assignment_reject(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 1 + 4 * 4, "Immediate Assignment Reject");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  ImmediateAssignmentReject rej;
  rej.page_mode = c.u8("page mode") & 0x03;
  for (int i = 0; i < 4; ++i) {
    RejectEntry e;
    e.request = decode_request_reference(c.take(3, "request reference"));
    e.wait_indication = c.u8("wait indication");
    rej.entries.push_back(e);
  }
  if (c.remaining() != 0) {
    out.warnings.push_back("Immediate Assignment Reject: L2 pseudo length covers octets beyond the mandatory part");
  }
  out.content = std::move(rej);
}

}  // namespace tw::gsm::detail
