// TS 44.018 9.1.34 System Information Type 2ter: extended BCCH frequency list as neighbour cell
// description 2 (10.5.2.22a: multiband reporting, BA-IND), SI2ter rest octets (10.5.2.33a).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {

void parse_si2ter(const L3Context& ctx, ParsedMessage& out) {
  require_pseudo_length(ctx, 2 + 16, "SI2ter");
  OctetCursor c(ctx.block, 3, ctx.l3_end);
  Si2ter si;
  si.neighbours = decode_neighbour_cells(c.take(16, "extended BCCH frequency list"), true);
  if (c.remaining() != 0) out.warnings.push_back("SI2ter: L2 pseudo length covers octets beyond the mandatory part");
  // 10.5.2.33a: { L | H <SI2ter_MP_CHANGE_MARK : bit (1)> <SI2ter_3G_CHANGE_MARK : bit (1)>
  //                    <SI2ter_INDEX : bit (3)> <SI2ter_COUNT : bit (3)> ... } <spare padding>
  BitReader r(ctx.rest_from(ctx.l3_end));
  if (r.high()) {
    si.rest_present = true;
    si.mp_change_mark = static_cast<std::uint8_t>(r.bits(1, "SI2ter_MP_CHANGE_MARK"));
    si.change_mark_3g = static_cast<std::uint8_t>(r.bits(1, "SI2ter_3G_CHANGE_MARK"));
    si.index = static_cast<std::uint8_t>(r.bits(3, "SI2ter_INDEX"));
    si.count = static_cast<std::uint8_t>(r.bits(3, "SI2ter_COUNT"));
    if (si.index > si.count) out.warnings.push_back("SI2ter: SI2ter_INDEX > SI2ter_COUNT");
    // { 0 | 1 <UTRAN FDD Description> } { 0 | 1 <UTRAN TDD Description> }, each ::= 01 <ARFCN : bit (14)>
    // { 0 | 1 <Bandwidth : bit (3)> } (the values 00, 10, 11 of the first two bits shall not be used).
    for (int tdd = 0; tdd < 2; ++tdd) {
      if (!r.bit("UTRAN description present")) continue;
      if (r.bits(2, "UTRAN description form") != 1) {
        throw tw::InputError("SI2ter rest octets: UTRAN description form other than 01");
      }
      const auto arfcn = static_cast<std::uint16_t>(r.bits(14, tdd ? "TDD-ARFCN" : "FDD-ARFCN"));
      (tdd ? si.utran_tdd_arfcn : si.utran_fdd_arfcn) = arfcn;
      if (r.bit("Bandwidth present")) r.skip(3, "Bandwidth");
    }
  }
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
