#include "dsp/lte/control_regs.hpp"

#include <algorithm>
#include <string>

#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/phich_resources.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {

void check_cell(const CellParams& c) {
  if (c.n_prb < 6 || c.n_prb > kMaxRb) throw InputError("n_prb: " + std::to_string(c.n_prb) + " is outside 6..110");
  if (c.pci < 0 || c.pci > 503) throw InputError("pci: " + std::to_string(c.pci) + " is outside 0..503");
  if (c.ports != 1 && c.ports != 2 && c.ports != 4) throw InputError("ports: " + std::to_string(c.ports) + " is not 1, 2 or 4");
}

// 6.2.4: does symbol l of the control region carry CRS (REGs of 6 subcarriers)?
bool rs_symbol(const CellParams& c, int l) {
  return l == 0 || (l == 1 && c.ports == 4) || (l == 3 && !c.normal_cp);
}

Reg make_reg(const CellParams& c, int l, int k0) {
  Reg r;
  r.l = l;
  r.k0 = k0;
  if (!rs_symbol(c, l)) {
    for (int i = 0; i < 4; ++i) r.k[static_cast<std::size_t>(i)] = k0 + i;
    return r;
  }
  // The reference signals of the symbol sit at k mod 3 == N_ID mod 3 (ports 0/1 or 2/3 together).
  const int v = c.pci % 3;
  int j = 0;
  for (int k = k0; k < k0 + 6; ++k)
    if (k % 3 != v) r.k[static_cast<std::size_t>(j++)] = k;
  return r;
}

}  // namespace

int control_symbols(int cfi, int n_prb) {
  if (cfi < 1 || cfi > 3) throw InputError("CFI: " + std::to_string(cfi) + " is outside 1..3");
  return cfi + (n_prb <= 10 ? 1 : 0);
}

std::array<Reg, 4> pcfich_regs(const CellParams& cell) {
  check_cell(cell);
  const int nsc = 12 * cell.n_prb;
  const int k_bar = 6 * (cell.pci % (2 * cell.n_prb));
  std::array<Reg, 4> out{};
  for (int i = 0; i < 4; ++i) {
    const int k = (k_bar + (i * cell.n_prb / 2) * 6) % nsc;
    out[static_cast<std::size_t>(i)] = make_reg(cell, 0, k);
  }
  return out;
}

std::vector<int> subblock_interleave_order(int m) {
  if (m < 0 || m > 1 << 20) throw InputError("interleaver: " + std::to_string(m) + " elements is out of range");
  static constexpr int perm[32] = {1, 17, 9,  25, 5, 21, 13, 29, 3, 19, 11, 27, 7, 23, 15, 31,
                                   0, 16, 8, 24, 4, 20, 12, 28, 2, 18, 10, 26, 6, 22, 14, 30};
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(m));
  if (m == 0) return out;
  const int rows = (m + 31) / 32;
  const int nd = rows * 32 - m;
  for (int col = 0; col < 32; ++col)
    for (int row = 0; row < rows; ++row) {
      const int y = row * 32 + perm[col];
      if (y >= nd) out.push_back(y - nd);
    }
  return out;
}

ControlRegs::ControlRegs(const CellParams& cell, int l_ctrl, int phich_mi, bool mbsfn_or_special) : l_ctrl_(l_ctrl) {
  check_cell(cell);
  if (l_ctrl < 1 || l_ctrl > 4) throw InputError("control symbols: " + std::to_string(l_ctrl) + " is outside 1..4");
  if (cell.phich_extended && l_ctrl < (mbsfn_or_special ? 2 : 3))
    throw InputError("control symbols: " + std::to_string(l_ctrl) + " is too few for the extended PHICH duration");
  // Every REG, k0 increasing then l (6.8.5's loop over k' then l').
  for (int k0 = 0; k0 < 12 * cell.n_prb; ++k0)
    for (int l = 0; l < l_ctrl; ++l) {
      const int in_prb = k0 % 12;
      const bool starts = rs_symbol(cell, l) ? (in_prb == 0 || in_prb == 6) : (in_prb % 4 == 0);
      if (starts) all_.push_back(make_reg(cell, l, k0));
    }
  auto index_of = [&](int l, int k0) {
    for (std::size_t i = 0; i < all_.size(); ++i)
      if (all_[i].l == l && all_[i].k0 == k0) return static_cast<int>(i);
    throw InputError("control region: no REG at (" + std::to_string(k0) + ", " + std::to_string(l) + ")");
  };
  std::vector<std::uint8_t> taken(all_.size(), 0);
  const auto pc = pcfich_regs(cell);
  for (int i = 0; i < 4; ++i) {
    pcfich_[static_cast<std::size_t>(i)] = index_of(0, pc[static_cast<std::size_t>(i)].k0);
    taken[static_cast<std::size_t>(pcfich_[static_cast<std::size_t>(i)])] = 1;
  }
  // 6.9.3: REGs not assigned to the PCFICH, per symbol in increasing frequency.
  std::array<std::vector<int>, 3> free_in;
  for (std::size_t i = 0; i < all_.size(); ++i)
    if (all_[i].l < 3 && !taken[i]) free_in[static_cast<std::size_t>(all_[i].l)].push_back(static_cast<int>(i));
  const int units = phich_mapping_units(cell.n_prb, cell.phich_resource, phich_mi);
  const std::array<int, 3> n_free = {static_cast<int>(free_in[0].size()), static_cast<int>(free_in[1].size()),
                                     static_cast<int>(free_in[2].size())};
  const auto pos = phich_reg_positions(cell.pci, units, cell.phich_extended, mbsfn_or_special, n_free);
  for (const auto& unit : pos) {
    std::array<int, 3> idx{};
    for (int i = 0; i < 3; ++i) {
      const auto& p = unit[static_cast<std::size_t>(i)];
      const int r = free_in[static_cast<std::size_t>(p.l)][static_cast<std::size_t>(p.n)];
      if (taken[static_cast<std::size_t>(r)]) throw InputError("phich_resource: PHICH groups overlap in this control region");
      taken[static_cast<std::size_t>(r)] = 1;
      idx[static_cast<std::size_t>(i)] = r;
    }
    phich_.push_back(idx);
  }
  for (std::size_t i = 0; i < all_.size(); ++i)
    if (!taken[i]) pdcch_.push_back(static_cast<int>(i));
  // 6.8.5: w = interleaved quadruplets, w_bar(i) = w((i + N_ID) mod M_quad) goes to REG i.
  const int mq = static_cast<int>(pdcch_.size());
  const auto order = subblock_interleave_order(mq);
  quad_.resize(static_cast<std::size_t>(mq));
  for (int i = 0; i < mq; ++i) quad_[static_cast<std::size_t>(i)] = order[static_cast<std::size_t>((i + cell.pci) % mq)];
}

}  // namespace tw::dsp::lte
