// TS 36.331 6.3.1 SystemInformationBlockType4: intra-frequency neighbour cells, black list, CSG PCI range.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {

Sib4 decode_sib4(UperReader& r) {
  Sib4 sib;
  const auto p = r.preamble(true, 3, "");
  if (p.present(0)) {
    auto s = r.scope("intraFreqNeighCellList");
    const std::size_t n = r.length(1, kMaxCellIntra, "");
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      const auto pi = r.preamble(true, 0, "");  // IntraFreqNeighCellInfo ::= SEQUENCE { ..., ... }
      NeighCell c;
      c.pci = static_cast<int>(r.constrained(0, 503, "physCellId"));
      c.q_offset_cell = read_q_offset_range(r, "q-OffsetCell");
      sib.extension_additions += skip_additions_if(r, pi);
      sib.neighbours.push_back(c);
    }
  }
  if (p.present(1)) sib.black_list = read_black_cell_list(r, "intraFreqBlackCellList");
  if (p.present(2)) sib.csg_range = read_phys_cell_id_range(r, "csg-PhysCellIdRange");
  sib.extension_additions += skip_additions_if(r, p);
  return sib;
}

}  // namespace tw::lte::detail
