// TS 44.018 9.1.24 Paging Request Type 3: page mode + channels needed, four TMSI/P-TMSI (10.5.2.42),
// P3 rest octets.
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_paging_request_3(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 1 + 16, "Paging Request Type 3");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  PagingSummary p;
  const std::uint8_t pm = c.u8("page mode");
  p.page_mode = pm & 0x03;
  const bool keep = ctx.opts != nullptr && ctx.opts->keep_identities;
  for (int i = 0; i < 4; ++i) {
    const auto tmsi = c.take(4, "TMSI/P-TMSI");
    note_identity(ctx, out, IdentityField::Coding::tmsi, tmsi);
    add_packed_tmsi(tmsi, p, keep);
  }
  p.channel_needed.push_back(static_cast<std::uint8_t>((pm >> 4) & 0x03));
  p.channel_needed.push_back(static_cast<std::uint8_t>((pm >> 6) & 0x03));
  if (c.remaining() != 0) out.warnings.push_back("Paging Request Type 3: L2 pseudo length covers octets beyond the mandatory part");
  out.content = std::move(p);
}

}  // namespace tw::gsm::detail
