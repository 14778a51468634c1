// TS 36.331 6.3.1 SystemInformationBlockType5: inter-frequency (E-UTRA) carriers and their neighbour cells.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {
namespace {

InterFreqCarrier read_carrier(UperReader& r, unsigned& additions) {
  // InterFreqCarrierFreqInfo: OPTIONAL/DEFAULT p-Max, t-ReselectionEUTRA-SF, cellReselectionPriority,
  // q-OffsetFreq (DEFAULT dB0), interFreqNeighCellList, interFreqBlackCellList; extensible.
  const auto p = r.preamble(true, 6, "");
  InterFreqCarrier c;
  c.dl_carrier_freq = static_cast<int>(r.constrained(0, 65535, "dl-CarrierFreq"));
  c.q_rx_lev_min = read_q_rx_lev_min(r, "q-RxLevMin");
  if (p.present(0)) c.p_max = read_p_max(r, "p-Max");
  c.t_reselection_eutra = read_t_reselection(r, "t-ReselectionEUTRA");
  if (p.present(1)) c.t_reselection_eutra_sf = read_speed_state_scale_factors(r, "t-ReselectionEUTRA-SF");
  c.thresh_x_high = read_reselection_threshold(r, "threshX-High");
  c.thresh_x_low = read_reselection_threshold(r, "threshX-Low");
  c.allowed_meas_bandwidth = r.enumerated(6, "allowedMeasBandwidth");
  c.presence_antenna_port1 = r.boolean("presenceAntennaPort1");
  if (p.present(2)) c.cell_reselection_priority = read_cell_reselection_priority(r, "cellReselectionPriority");
  c.neigh_cell_config = static_cast<unsigned>(r.bits(2, "neighCellConfig"));
  if (p.present(3)) c.q_offset_freq = read_q_offset_range(r, "q-OffsetFreq");
  if (p.present(4)) {
    auto s = r.scope("interFreqNeighCellList");
    const std::size_t n = r.length(1, kMaxCellInter, "");
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      NeighCell nc;  // InterFreqNeighCellInfo: not extensible
      nc.pci = static_cast<int>(r.constrained(0, 503, "physCellId"));
      nc.q_offset_cell = read_q_offset_range(r, "q-OffsetCell");
      c.neighbours.push_back(nc);
    }
  }
  if (p.present(5)) c.black_list = read_black_cell_list(r, "interFreqBlackCellList");
  if (p.extended) {
    auto ext = r.extension_additions("extensionAdditions");
    for (const auto& a : ext) additions += a ? 1u : 0u;
    if (!ext.empty() && ext[0]) {  // [[ q-QualMin-r9 OPTIONAL, threshX-Q-r9 SEQUENCE {..} OPTIONAL ]]
      UperReader& g = *ext[0];
      const auto pg = g.preamble(false, 2, "");
      if (pg.present(0)) c.q_qual_min = read_q_qual_min(g, "q-QualMin-r9");
      if (pg.present(1)) {
        auto sq = g.scope("threshX-Q-r9");
        c.thresh_x_high_q = read_reselection_threshold(g, "threshX-HighQ-r9");
        c.thresh_x_low_q = read_reselection_threshold(g, "threshX-LowQ-r9");
      }
    }
  }
  return c;
}

}  // namespace

Sib5 decode_sib5(UperReader& r) {
  Sib5 sib;
  const auto p = r.preamble(true, 0, "");
  {
    auto s = r.scope("interFreqCarrierFreqList");
    const std::size_t n = r.length(1, kMaxFreq, "");
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      sib.carriers.push_back(read_carrier(r, sib.extension_additions));
    }
  }
  sib.extension_additions += skip_additions_if(r, p);
  return sib;
}

}  // namespace tw::lte::detail
