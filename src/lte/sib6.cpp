// TS 36.331 6.3.1 SystemInformationBlockType6: UTRA FDD and TDD carriers for re-selection.
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {
namespace {

constexpr int kMaxUtraFddCarrier = 16, kMaxUtraTddCarrier = 16;  // 6.4

std::vector<UtraCarrier> read_list(UperReader& r, const char* field, bool fdd, std::size_t max, unsigned& additions) {
  auto s = r.scope(field);
  const std::size_t n = r.length(1, max, "");
  std::vector<UtraCarrier> out;
  for (std::size_t i = 0; i < n; ++i) {
    auto si = r.item(i);
    const auto p = r.preamble(true, 1, "");  // cellReselectionPriority OPTIONAL; extensible
    UtraCarrier c;
    c.carrier_freq = static_cast<int>(r.constrained(0, 16383, "carrierFreq"));
    if (p.present(0)) c.cell_reselection_priority = read_cell_reselection_priority(r, "cellReselectionPriority");
    c.thresh_x_high = read_reselection_threshold(r, "threshX-High");
    c.thresh_x_low = read_reselection_threshold(r, "threshX-Low");
    c.q_rx_lev_min = static_cast<int>(r.constrained(-60, -13, "q-RxLevMin"));
    c.p_max_utra = static_cast<int>(r.constrained(-50, 33, "p-MaxUTRA"));
    if (fdd) c.q_qual_min = static_cast<int>(r.constrained(-24, 0, "q-QualMin"));
    if (p.extended) {
      auto ext = r.extension_additions("extensionAdditions");
      for (const auto& a : ext) additions += a ? 1u : 0u;
      if (fdd && !ext.empty() && ext[0]) {  // CarrierFreqUTRA-FDD [[ threshX-Q-r9 SEQUENCE {..} OPTIONAL ]]
        UperReader& g = *ext[0];
        if (g.preamble(false, 1, "").present(0)) {
          auto sq = g.scope("threshX-Q-r9");
          c.thresh_x_high_q = read_reselection_threshold(g, "threshX-HighQ-r9");
          c.thresh_x_low_q = read_reselection_threshold(g, "threshX-LowQ-r9");
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Sib6 decode_sib6(UperReader& r) {
  Sib6 sib;
  const auto p = r.preamble(true, 3, "");
  if (p.present(0)) {
    sib.utra_fdd = read_list(r, "carrierFreqListUTRA-FDD", true, kMaxUtraFddCarrier, sib.extension_additions);
  }
  if (p.present(1)) {
    sib.utra_tdd = read_list(r, "carrierFreqListUTRA-TDD", false, kMaxUtraTddCarrier, sib.extension_additions);
  }
  sib.t_reselection_utra = read_t_reselection(r, "t-ReselectionUTRA");
  if (p.present(2)) sib.t_reselection_utra_sf = read_speed_state_scale_factors(r, "t-ReselectionUTRA-SF");
  sib.extension_additions += skip_additions_if(r, p);
  return sib;
}

}  // namespace tw::lte::detail
