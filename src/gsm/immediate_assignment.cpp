// TS 44.018 9.1.18 Immediate Assignment: page mode (10.5.2.26, bits 4..1) and dedicated mode or TBF
// (10.5.2.25b, bits 8..5), channel description (10.5.2.5) or packet channel description (10.5.2.25a),
// request reference (10.5.2.30), timing advance (10.5.2.40), mobile allocation (LV, 10.5.2.21),
// optional starting time (TV, IEI 0x7C, 10.5.2.38), IA rest octets (10.5.2.16: only where a TLLI lies).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_immediate_assignment(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 1 + 3 + 3 + 1 + 1, "Immediate Assignment");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  ImmediateAssignmentInfo ia;
  const std::uint8_t pm = c.u8("page mode");
  ia.page_mode = pm & 0x03;
  ia.tbf = (pm & 0x10) != 0;       // T/D bit
  ia.downlink = (pm & 0x20) != 0;  // downlink bit
  Assignment a;
  const auto cd = c.take(3, "channel description");
  a.channel = ia.tbf ? decode_packet_channel_description(cd) : decode_channel_description(cd);
  if (a.channel.channel_type == "reserved") {
    out.warnings.push_back("Immediate Assignment: reserved channel type " + hex8(a.channel.channel_type_tdma_offset));
  }
  a.request = decode_request_reference(c.take(3, "request reference"));
  a.timing_advance = static_cast<std::uint8_t>(c.u8("timing advance") & 0x3f);
  ia.assignments.push_back(a);
  decode_allocation_tail(c, ctx, 8, ia);
  // 10.5.2.16 IA Rest Octets ::= ... | H H { 0 0 < Packet Uplink Assignment > | 0 1 < Packet Downlink
  // Assignment > | 1 < Second Part Packet Assignment > }, and < Packet Downlink Assignment > ::= < TLLI : bit (32) >
  // ...: a bystander's temporary identity (derived from its P-TMSI, 23.003 2.6). H / L: the bit differs from /
  // equals the spare padding 0x2b at that position (CSN.1); the rest octets start on an octet boundary.
  const auto rest = ctx.rest_from(ctx.l3_end);
  if (rest.size() >= 5 && (rest[0] >> 6) == 0x3 /* H H against padding bits 0 0 */ && ((rest[0] >> 4) & 0x3) == 0x1)
    out.identity_fields.push_back({IdentityField::Coding::tlli_bits, ctx.l3_end * 8 + 4, 32});
  out.content = std::move(ia);
}

}  // namespace tw::gsm::detail
