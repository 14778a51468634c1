// TS 44.018 9.1.19 Immediate Assignment Extended: page mode + spare half octet, two sets of channel
// description (10.5.2.5), request reference (10.5.2.30) and timing advance (10.5.2.40), mobile allocation
// (LV, at most 4 octets), optional starting time (TV, IEI 0x7C), IAX rest octets.
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_immediate_assignment_extended(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 1 + 2 * (3 + 3 + 1) + 1, "Immediate Assignment Extended");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  ImmediateAssignmentInfo ia;
  ia.page_mode = c.u8("page mode") & 0x03;
  for (int i = 0; i < 2; ++i) {
    Assignment a;
    a.channel = decode_channel_description(c.take(3, "channel description"));
    if (a.channel.channel_type == "reserved") {
      out.warnings.push_back("Immediate Assignment Extended: reserved channel type " +
                             hex8(a.channel.channel_type_tdma_offset));
    }
    a.request = decode_request_reference(c.take(3, "request reference"));
    a.timing_advance = static_cast<std::uint8_t>(c.u8("timing advance") & 0x3f);
    ia.assignments.push_back(a);
  }
  decode_allocation_tail(c, ctx, 4, ia);
  out.content = std::move(ia);
}

}  // namespace tw::gsm::detail
