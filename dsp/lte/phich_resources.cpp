#include "dsp/lte/phich_resources.hpp"

#include <cmath>

#include "src/core/error.hpp"

namespace tw::dsp::lte {

double phich_ng(const std::string& r) {
  if (r == "1/6") return 1.0 / 6.0;
  if (r == "1/2") return 0.5;
  if (r == "1") return 1.0;
  if (r == "2") return 2.0;
  throw InputError("phich_resource: '" + r + "' is not 1/6, 1/2, 1 or 2");
}

namespace {
int units_per_mi(int n_prb, const std::string& r) {
  if (n_prb < 6 || n_prb > 110) throw InputError("n_prb: " + std::to_string(n_prb) + " is outside 6..110");
  // ceil(Ng N_RB / 8) in integers: Ng = num / den.
  int num = 1, den = 1;
  const double ng = phich_ng(r);
  if (ng < 0.2) den = 6;
  else if (ng < 0.6) den = 2;
  else num = static_cast<int>(ng);
  return (num * n_prb + 8 * den - 1) / (8 * den);
}
}  // namespace

int phich_groups(int n_prb, const std::string& r, bool normal_cp) {
  const int u = units_per_mi(n_prb, r);
  return normal_cp ? u : 2 * u;
}

int phich_mapping_units(int n_prb, const std::string& r, int phich_mi) {
  if (phich_mi < 0 || phich_mi > 2) throw InputError("phich_mi: " + std::to_string(phich_mi) + " is outside 0..2");
  return units_per_mi(n_prb, r) * phich_mi;
}

int phich_mi(bool tdd, int tdd_config, int subframe) {
  if (subframe < 0 || subframe > 9) throw InputError("subframe: " + std::to_string(subframe) + " is outside 0..9");
  if (!tdd) return 1;
  if (tdd_config < -1 || tdd_config > 6) throw InputError("tdd_config: " + std::to_string(tdd_config) + " is outside 0..6");
  if (tdd_config < 0) return 1;
  static constexpr int kMi[7][10] = {{2, 1, 0, 0, 0, 2, 1, 0, 0, 0}, {0, 1, 0, 0, 1, 0, 1, 0, 0, 1},
                                     {0, 0, 0, 1, 0, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 0, 0, 0, 0, 1, 1},
                                     {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
                                     {1, 1, 0, 0, 0, 1, 1, 0, 0, 1}};   // 36.211 table 6.9-1
  return kMi[tdd_config][subframe];
}

std::vector<std::array<PhichReg, 3>> phich_reg_positions(int n_id_cell, int units, bool extended, bool mbsfn_or_special,
                                                        const std::array<int, 3>& n_free) {
  if (n_id_cell < 0 || n_id_cell > 503) throw InputError("N_ID_cell: " + std::to_string(n_id_cell) + " is outside 0..503");
  if (units < 0 || units > 64) throw InputError("PHICH mapping units: " + std::to_string(units) + " is outside 0..64");
  std::vector<std::array<PhichReg, 3>> out(static_cast<std::size_t>(units));
  for (int m = 0; m < units; ++m) {
    for (int i = 0; i < 3; ++i) {
      int l = 0;
      if (extended) l = mbsfn_or_special ? (m / 2 + i + 1) % 2 : i;
      const int nl = n_free[static_cast<std::size_t>(l)];
      const int ref = n_free[mbsfn_or_special && extended ? 1 : 0];
      if (nl <= 0 || ref <= 0) throw InputError("PHICH: control symbol " + std::to_string(l) + " has no free resource-element group");
      // 6.9.3 step 8: n_i = (floor(N_ID n_l'i / n_0) + m' + floor(i n_l'i / 3)) mod n_l'i (n_1 in place of
      // n_0 for the MBSFN / special-subframe extended case).
      const int n = static_cast<int>((static_cast<long>(n_id_cell) * nl / ref + m + i * nl / 3) % nl);
      out[static_cast<std::size_t>(m)][static_cast<std::size_t>(i)] = {l, n};
    }
  }
  return out;
}

}  // namespace tw::dsp::lte
