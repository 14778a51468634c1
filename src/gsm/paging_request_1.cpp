// TS 44.018 9.1.22 Paging Request Type 1: page mode (10.5.2.26) and channels needed (10.5.2.8) in one
// octet, mobile identity 1 (LV, 24.008 10.5.1.4), optional mobile identity 2 (TLV, IEI 0x17),
// P1 rest octets (not decoded).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_paging_request_1(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 1 + 2, "Paging Request Type 1");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  PagingSummary p;
  const std::uint8_t pm = c.u8("page mode");
  p.page_mode = pm & 0x03;
  const bool keep = ctx.opts != nullptr && ctx.opts->keep_identities;
  const std::uint8_t len1 = c.u8("mobile identity 1 length");
  const auto id1 = c.take(len1, "mobile identity 1");
  note_identity(ctx, out, IdentityField::Coding::mobile_identity, id1);
  add_mobile_identity(id1, p, keep);
  p.channel_needed.push_back(static_cast<std::uint8_t>((pm >> 4) & 0x03));
  if (c.remaining() != 0) {
    const std::uint8_t iei = c.u8("mobile identity 2 IEI");
    if (iei != 0x17) throw tw::InputError("unexpected IEI " + hex8(iei) + " (mobile identity 2 is 0x17)");
    const std::uint8_t len2 = c.u8("mobile identity 2 length");
    const auto id2 = c.take(len2, "mobile identity 2");
    note_identity(ctx, out, IdentityField::Coding::mobile_identity, id2);
    add_mobile_identity(id2, p, keep);
    p.channel_needed.push_back(static_cast<std::uint8_t>((pm >> 6) & 0x03));
  }
  if (c.remaining() != 0) throw tw::InputError("octets left within the L2 pseudo length after mobile identity 2");
  out.content = std::move(p);
}

}  // namespace tw::gsm::detail
