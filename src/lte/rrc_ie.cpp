// IEs shared by several SIBs (TS 36.331 6.3.4 mobility control information elements, 6.3.2 Q-OffsetRange).
#include "src/lte/sib_decoders.hpp"

namespace tw::lte::detail {

SpeedStateScaleFactors read_speed_state_scale_factors(UperReader& r, const char* field) {
  auto s = r.scope(field);
  SpeedStateScaleFactors f;
  f.sf_medium = r.enumerated(4, "sf-Medium");  // oDot25, oDot5, oDot75, lDot0
  f.sf_high = r.enumerated(4, "sf-High");
  return f;
}

MobilityStateParameters read_mobility_state_parameters(UperReader& r, const char* field) {
  auto s = r.scope(field);
  MobilityStateParameters m;
  m.t_evaluation = r.enumerated(8, "t-Evaluation");
  m.t_hyst_normal = r.enumerated(8, "t-HystNormal");
  m.n_cell_change_medium = static_cast<int>(r.constrained(1, 16, "n-CellChangeMedium"));
  m.n_cell_change_high = static_cast<int>(r.constrained(1, 16, "n-CellChangeHigh"));
  return m;
}

PhysCellIdRange read_phys_cell_id_range(UperReader& r, const char* field) {
  auto s = r.scope(field);  // an empty name adds no level to the error path
  const auto p = r.preamble(false, 1, "");
  PhysCellIdRange range;
  range.start = static_cast<int>(r.constrained(0, 503, "start"));
  if (p.present(0)) range.range = r.enumerated(16, "range");
  return range;
}

std::vector<PhysCellIdRange> read_black_cell_list(UperReader& r, const char* field) {
  auto s = r.scope(field);
  const std::size_t n = r.length(1, kMaxCellBlack, "");
  std::vector<PhysCellIdRange> out;
  for (std::size_t i = 0; i < n; ++i) {
    auto si = r.item(i);
    out.push_back(read_phys_cell_id_range(r, ""));
  }
  return out;
}

int read_q_rx_lev_min(UperReader& r, const char* field) { return static_cast<int>(r.constrained(-70, -22, field)); }
int read_p_max(UperReader& r, const char* field) { return static_cast<int>(r.constrained(-30, 33, field)); }
int read_reselection_threshold(UperReader& r, const char* field) {
  return static_cast<int>(r.constrained(0, 31, field));
}
int read_cell_reselection_priority(UperReader& r, const char* field) {
  return static_cast<int>(r.constrained(0, 7, field));
}
int read_t_reselection(UperReader& r, const char* field) { return static_cast<int>(r.constrained(0, 7, field)); }
unsigned read_q_offset_range(UperReader& r, const char* field) { return r.enumerated(31, field); }
int read_q_qual_min(UperReader& r, const char* field) { return static_cast<int>(r.constrained(-34, -3, field)); }

unsigned skip_additions_if(UperReader& r, const UperReader::Preamble& p) {
  return p.extended ? r.skip_extension_additions("extensionAdditions") : 0;
}

}  // namespace tw::lte::detail
