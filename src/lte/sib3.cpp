// TS 36.331 6.3.1 SystemInformationBlockType3: cell re-selection common, serving frequency and intra-frequency
// information, and the Rel-9 extension addition group (s-IntraSearch-v920 ...); later additions and
// lateNonCriticalExtension are skipped.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {

Sib3 decode_sib3(UperReader& r) {
  Sib3 sib;
  const auto p = r.preamble(true, 0, "");
  {
    auto s = r.scope("cellReselectionInfoCommon");
    const auto pc = r.preamble(false, 1, "");
    sib.q_hyst = r.enumerated(16, "q-Hyst");
    if (pc.present(0)) {
      auto ss = r.scope("speedStateReselectionPars");
      Sib3::SpeedState st;
      st.mobility = read_mobility_state_parameters(r, "mobilityStateParameters");
      auto sq = r.scope("q-HystSF");
      st.sf_medium = r.enumerated(4, "sf-Medium");  // dB-6, dB-4, dB-2, dB0
      st.sf_high = r.enumerated(4, "sf-High");
      sib.speed_state = st;
    }
  }
  {
    auto s = r.scope("cellReselectionServingFreqInfo");
    const auto pc = r.preamble(false, 1, "");
    if (pc.present(0)) sib.s_non_intra_search = read_reselection_threshold(r, "s-NonIntraSearch");
    sib.thresh_serving_low = read_reselection_threshold(r, "threshServingLow");
    sib.cell_reselection_priority = read_cell_reselection_priority(r, "cellReselectionPriority");
  }
  {
    auto s = r.scope("intraFreqCellReselectionInfo");
    const auto pc = r.preamble(false, 4, "");  // p-Max, s-IntraSearch, allowedMeasBandwidth, t-ReselectionEUTRA-SF
    sib.q_rx_lev_min = read_q_rx_lev_min(r, "q-RxLevMin");
    if (pc.present(0)) sib.p_max = read_p_max(r, "p-Max");
    if (pc.present(1)) sib.s_intra_search = read_reselection_threshold(r, "s-IntraSearch");
    if (pc.present(2)) sib.allowed_meas_bandwidth = r.enumerated(6, "allowedMeasBandwidth");
    sib.presence_antenna_port1 = r.boolean("presenceAntennaPort1");
    sib.neigh_cell_config = static_cast<unsigned>(r.bits(2, "neighCellConfig"));
    sib.t_reselection_eutra = read_t_reselection(r, "t-ReselectionEUTRA");
    if (pc.present(3)) sib.t_reselection_eutra_sf = read_speed_state_scale_factors(r, "t-ReselectionEUTRA-SF");
  }
  if (p.extended) {
    auto additions = r.extension_additions("extensionAdditions");
    for (const auto& a : additions) sib.extension_additions += a ? 1u : 0u;
    // Addition 0 is lateNonCriticalExtension (skipped); addition 1 the group of v920.
    if (additions.size() > 1 && additions[1]) {
      UperReader& g = *additions[1];
      const auto pg = g.preamble(false, 4, "");
      if (pg.present(0)) {
        auto sg = g.scope("s-IntraSearch-v920");
        sib.s_intra_search_p = read_reselection_threshold(g, "s-IntraSearchP-r9");
        sib.s_intra_search_q = read_reselection_threshold(g, "s-IntraSearchQ-r9");
      }
      if (pg.present(1)) {
        auto sg = g.scope("s-NonIntraSearch-v920");
        sib.s_non_intra_search_p = read_reselection_threshold(g, "s-NonIntraSearchP-r9");
        sib.s_non_intra_search_q = read_reselection_threshold(g, "s-NonIntraSearchQ-r9");
      }
      if (pg.present(2)) sib.q_qual_min = read_q_qual_min(g, "q-QualMin-r9");
      if (pg.present(3)) sib.thresh_serving_low_q = read_reselection_threshold(g, "threshServingLowQ-r9");
    }
  }
  return sib;
}

}  // namespace tw::lte::detail
