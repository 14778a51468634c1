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
  ia.mobile_allocation_length = c.u8("mobile allocation length");
  if (ia.mobile_allocation_length > 4) {
    throw tw::InputError("mobile allocation: length " + std::to_string(ia.mobile_allocation_length) + " > 4");
  }
  const auto ma = c.take(ia.mobile_allocation_length, "mobile allocation");
  ia.mobile_allocation.assign(ma.begin(), ma.end());
  if (c.remaining() != 0) {
    const std::uint8_t iei = c.u8("starting time IEI");
    if (iei != 0x7c) throw tw::InputError("unexpected IEI " + hex8(iei) + " (starting time is 0x7c)");
    ia.starting_time = decode_starting_time(c.take(2, "starting time"));
  }
  if (c.remaining() != 0) throw tw::InputError("octets left within the L2 pseudo length after the starting time");
  ia.rest_octets_length = ctx.block.size() - ctx.l3_end;
  out.content = std::move(ia);
}

}  // namespace tw::gsm::detail
