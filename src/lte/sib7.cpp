// TS 36.331 6.3.1 SystemInformationBlockType7: GERAN carrier sets for re-selection (6.3.4 CarrierFreqsGERAN).
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {
namespace {

constexpr int kMaxGnfg = 16;  // 6.4 maxGNFG

void read_carrier_freqs(UperReader& r, GeranCarrierSet& set) {
  auto s = r.scope("carrierFreqs");
  set.starting_arfcn = static_cast<int>(r.constrained(0, 1023, "startingARFCN"));
  set.band_indicator = r.enumerated(2, "bandIndicator");  // dcs1800, pcs1900
  set.arfcns.push_back(set.starting_arfcn);
  auto sf = r.scope("followingARFCNs");
  set.following_kind = r.choice(3, "");
  if (set.following_kind == 0) {
    auto se = r.scope("explicitListOfARFCNs");
    const std::size_t n = r.length(0, 31, "");
    for (std::size_t i = 0; i < n; ++i) set.arfcns.push_back(static_cast<int>(r.constrained(0, 1023, "ARFCN-ValueGERAN")));
  } else if (set.following_kind == 1) {
    auto se = r.scope("equallySpacedARFCNs");
    const int spacing = static_cast<int>(r.constrained(1, 8, "arfcn-Spacing"));
    const int n = static_cast<int>(r.constrained(0, 31, "numberOfFollowingARFCNs"));
    // 36.331 CarrierFreqsGERAN: ARFCN = (startingARFCN + n x arfcn-Spacing) mod 1024, n = 1..number.
    for (int k = 1; k <= n; ++k) set.arfcns.push_back((set.starting_arfcn + k * spacing) % 1024);
  } else {
    // variableBitMapOfARFCNs: bit N (first bit N = 1) set means ARFCN (startingARFCN + N) mod 1024.
    const auto octets = r.octet_string(1, 16, "variableBitMapOfARFCNs");
    for (std::size_t i = 0; i < octets.size() * 8; ++i) {
      if ((octets[i / 8] >> (7 - i % 8)) & 1u) set.arfcns.push_back((set.starting_arfcn + static_cast<int>(i) + 1) % 1024);
    }
  }
}

}  // namespace

Sib7 decode_sib7(UperReader& r) {
  Sib7 sib;
  const auto p = r.preamble(true, 2, "");  // t-ReselectionGERAN-SF, carrierFreqsInfoList
  sib.t_reselection_geran = read_t_reselection(r, "t-ReselectionGERAN");
  if (p.present(0)) sib.t_reselection_geran_sf = read_speed_state_scale_factors(r, "t-ReselectionGERAN-SF");
  if (p.present(1)) {
    auto s = r.scope("carrierFreqsInfoList");
    const std::size_t n = r.length(1, kMaxGnfg, "");
    for (std::size_t i = 0; i < n; ++i) {
      auto si = r.item(i);
      const auto pi = r.preamble(true, 0, "");
      GeranCarrierSet set;
      read_carrier_freqs(r, set);
      {
        auto sc = r.scope("commonInfo");
        const auto pc = r.preamble(false, 2, "");  // cellReselectionPriority, p-MaxGERAN
        if (pc.present(0)) set.cell_reselection_priority = read_cell_reselection_priority(r, "cellReselectionPriority");
        set.ncc_permitted = static_cast<std::uint8_t>(r.bits(8, "ncc-Permitted"));
        set.q_rx_lev_min = static_cast<int>(r.constrained(0, 45, "q-RxLevMin"));
        if (pc.present(1)) set.p_max_geran = static_cast<int>(r.constrained(0, 39, "p-MaxGERAN"));
        set.thresh_x_high = read_reselection_threshold(r, "threshX-High");
        set.thresh_x_low = read_reselection_threshold(r, "threshX-Low");
      }
      sib.extension_additions += skip_additions_if(r, pi);
      sib.carrier_sets.push_back(std::move(set));
    }
  }
  sib.extension_additions += skip_additions_if(r, p);
  return sib;
}

}  // namespace tw::lte::detail
