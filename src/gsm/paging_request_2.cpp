// TS 44.018 9.1.23 Paging Request Type 2: page mode + channels needed, mobile identities 1 and 2 as
// TMSI/P-TMSI (10.5.2.42, 4-octet V), optional mobile identity 3 (TLV, IEI 0x17), P2 rest octets.
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_paging_request_2(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 1 + 4 + 4, "Paging Request Type 2");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  PagingSummary p;
  const std::uint8_t pm = c.u8("page mode");
  p.page_mode = pm & 0x03;
  const bool keep = ctx.opts != nullptr && ctx.opts->keep_identities;
  for (const char* field : {"mobile identity 1 (TMSI)", "mobile identity 2 (TMSI)"}) {
    const auto tmsi = c.take(4, field);
    note_identity(ctx, out, IdentityField::Coding::tmsi, tmsi);
    add_packed_tmsi(tmsi, p, keep);
  }
  p.channel_needed.push_back(static_cast<std::uint8_t>((pm >> 4) & 0x03));
  p.channel_needed.push_back(static_cast<std::uint8_t>((pm >> 6) & 0x03));
  if (c.remaining() != 0) {
    const std::uint8_t iei = c.u8("mobile identity 3 IEI");
    if (iei != 0x17) throw tw::InputError("unexpected IEI " + hex8(iei) + " (mobile identity 3 is 0x17)");
    const std::uint8_t len3 = c.u8("mobile identity 3 length");
    const auto id3 = c.take(len3, "mobile identity 3");
    note_identity(ctx, out, IdentityField::Coding::mobile_identity, id3);
    add_mobile_identity(id3, p, keep);
  }
  if (c.remaining() != 0) throw tw::InputError("octets left within the L2 pseudo length after mobile identity 3");
  out.content = std::move(p);
}

}  // namespace tw::gsm::detail
