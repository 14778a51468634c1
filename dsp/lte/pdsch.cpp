// TS 36.211 6.3 (scrambling, layer mapping and precoding for transmit diversity), 6.4 (PDSCH mapping).
#include "dsp/lte/pdsch.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "dsp/lte/lte_signals.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {
namespace {

void check_cell(const CellParams& c) {
  if (c.pci < 0 || c.pci > 503) throw InputError("pci " + std::to_string(c.pci) + " outside 0..503");
  if (c.n_prb < 6 || c.n_prb > kMaxRb) throw InputError("n_prb " + std::to_string(c.n_prb) + " outside 6..110");
  if (c.ports != 1 && c.ports != 2 && c.ports != 4) throw InputError("ports " + std::to_string(c.ports) + " not 1, 2 or 4");
}

// 36.211 table 4.2-2.
constexpr const char* kTddConfigs[7] = {"DSUUUDSUUU", "DSUUDDSUUD", "DSUDDDSUDD", "DSUUUDDDDD",
                                        "DSUUDDDDDD", "DSUDDDDDDD", "DSUUUDSUUD"};
// 36.211 table 4.2-1: DwPTS in OFDM symbols (normal CP configs 0..9, extended CP configs 0..7).
constexpr int kDwptsNormal[10] = {3, 9, 10, 11, 12, 3, 9, 10, 11, 6};
constexpr int kDwptsExtended[8] = {3, 8, 9, 10, 3, 8, 9, 5};

}  // namespace

char subframe_kind(const CellParams& cell, int subframe) {
  if (subframe < 0 || subframe > 9) throw InputError("subframe " + std::to_string(subframe) + " outside 0..9");
  if (!cell.tdd) return 'D';
  if (cell.tdd_config < 0 || cell.tdd_config > 6)
    throw InputError("tdd_config " + std::to_string(cell.tdd_config) + " unknown or outside 0..6");
  return kTddConfigs[cell.tdd_config][subframe];
}

int downlink_symbols(const CellParams& cell, int subframe) {
  const char kind = subframe_kind(cell, subframe);
  const int full = cell.normal_cp ? 14 : 12;
  if (kind == 'D') return full;
  if (kind == 'U') return 0;
  const int ssc = cell.special_subframe_config;
  if (ssc < 0 || ssc > (cell.normal_cp ? 9 : 7))
    throw InputError("special_subframe_config " + std::to_string(ssc) + " unknown or outside the table");
  return cell.normal_cp ? kDwptsNormal[ssc] : kDwptsExtended[ssc];
}

int control_symbols(const CellParams& cell, int subframe, int cfi) {
  if (cfi < 1 || cfi > 3) throw InputError("cfi " + std::to_string(cfi) + " outside 1..3");
  if (cell.tdd && (subframe == 1 || subframe == 6)) return cell.n_prb <= 10 ? 2 : std::min(cfi, 2);
  return cfi + (cell.n_prb <= 10 ? 1 : 0);
}

std::vector<int> pdsch_resource_elements(const CellParams& cell, int subframe, int cfi, const PdschAllocation& alloc) {
  check_cell(cell);
  const int n_sc = 12 * cell.n_prb;
  const int per_slot = symbols_per_slot(cell.normal_cp);
  const int n_dl = downlink_symbols(cell, subframe);
  const int first = control_symbols(cell, subframe, cfi);
  for (const auto* s : {&alloc.prb_slot0, &alloc.prb_slot1})
    for (int prb : *s)
      if (prb < 0 || prb >= cell.n_prb)
        throw InputError("prb " + std::to_string(prb) + " outside 0.." + std::to_string(cell.n_prb - 1));
  if (alloc.prb_slot0.size() > static_cast<std::size_t>(cell.n_prb) || alloc.prb_slot1.size() > static_cast<std::size_t>(cell.n_prb))
    throw InputError("prb: more PRBs than the band holds");

  // The central 72 subcarriers (k72 = 0..71 -> k = 6 N_RB - 36 + k72).
  const int k_centre0 = 6 * cell.n_prb - 36;
  std::array<bool, 14> centre_reserved{};  // symbols whose central 72 subcarriers carry PSS/SSS/PBCH
  const bool sync_sf = cell.tdd ? (subframe == 0 || subframe == 5 || subframe == 1 || subframe == 6)
                                : (subframe == 0 || subframe == 5);
  if (sync_sf) {
    if (!cell.tdd) {
      centre_reserved[static_cast<std::size_t>(per_slot - 1)] = true;  // PSS: last symbol of slot 0
      centre_reserved[static_cast<std::size_t>(per_slot - 2)] = true;  // SSS: the one before
    } else if (subframe == 0 || subframe == 5) {
      centre_reserved[static_cast<std::size_t>(2 * per_slot - 1)] = true;  // SSS: last symbol of the subframe
    } else {
      centre_reserved[2] = true;  // PSS: third symbol of subframes 1 and 6
    }
  }
  if (subframe == 0)
    for (int l = 0; l < 4; ++l) centre_reserved[static_cast<std::size_t>(per_slot + l)] = true;  // PBCH

  // CRS positions per symbol: k mod 6 offsets of every port present.
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(alloc.prb_slot0.size() + alloc.prb_slot1.size()) * 12 * 7);
  for (int l = first; l < n_dl; ++l) {
    const int slot = l / per_slot, l_slot = l % per_slot;
    const int ns = 2 * subframe + slot;
    std::array<bool, 6> crs{};
    for (int p = 0; p < cell.ports; ++p) {
      std::array<int, 2> sy{};
      const int n = crs_symbols_in_slot(p, cell.normal_cp, sy);
      for (int i = 0; i < n; ++i)
        if (sy[static_cast<std::size_t>(i)] == l_slot)
          crs[static_cast<std::size_t>(crs_k_offset(p, ns, l_slot, cell.normal_cp, cell.pci))] = true;
    }
    const bool reserved = centre_reserved[static_cast<std::size_t>(l)];
    const auto& prbs = slot == 0 ? alloc.prb_slot0 : alloc.prb_slot1;
    for (int prb : prbs)
      for (int k = 12 * prb; k < 12 * prb + 12; ++k) {
        if (crs[static_cast<std::size_t>(k % 6)]) continue;
        if (reserved && k >= k_centre0 && k < k_centre0 + kCentralSubcarriers) continue;
        out.push_back(l * n_sc + k);
      }
  }
  return out;
}

std::uint32_t pdsch_c_init(std::uint16_t rnti, int q, int ns, int n_id_cell) {
  return (static_cast<std::uint32_t>(rnti) << 14) + (static_cast<std::uint32_t>(q) << 13) +
         (static_cast<std::uint32_t>(ns / 2) << 9) + static_cast<std::uint32_t>(n_id_cell);
}

PdschDemodulator::PdschDemodulator(const CellParams& cell) : cell_(cell) { check_cell(cell_); }

std::vector<float> PdschDemodulator::execute(const DlSubframe& sf, int cfi, const PdschAllocation& alloc,
                                             std::uint16_t rnti) {
  if (sf.n_prb != cell_.n_prb)
    throw InputError("n_prb: subframe has " + std::to_string(sf.n_prb) + " PRB, the cell " + std::to_string(cell_.n_prb));
  if (sf.subframe < 0 || sf.subframe > 9) throw InputError("subframe " + std::to_string(sf.subframe) + " outside 0..9");
  const int n_sym = cell_.normal_cp ? 14 : 12;
  if (sf.n_symbols != n_sym) throw InputError("n_symbols " + std::to_string(sf.n_symbols) + " does not match the CP");
  const std::size_t n_re = static_cast<std::size_t>(sf.n_symbols) * static_cast<std::size_t>(sf.n_sc());
  if (sf.re.size() != n_re) throw InputError("re: " + std::to_string(sf.re.size()) + " values, expected " + std::to_string(n_re));
  for (int p = 0; p < cell_.ports; ++p)
    if (sf.h[static_cast<std::size_t>(p)].size() != n_re)
      throw InputError("h: no channel estimate of port " + std::to_string(p));
  if (!(sf.noise_var > 0.0f) || !std::isfinite(sf.noise_var)) throw InputError("noise_var must be positive and finite");

  const std::vector<int> res = pdsch_resource_elements(cell_, sf.subframe, cfi, alloc);
  const std::size_t m = res.size();
  std::vector<float> llr(2 * m);
  const float inv_n0 = 1.0f / sf.noise_var;
  const float k_single = 2.0f * std::sqrt(2.0f) * inv_n0;  // 4 a / N0, a = 1/sqrt(2)
  const float k_div = 2.0f * inv_n0;                        // 4 a kappa / N0, kappa = 1/sqrt(2)
  const cf32* re = sf.re.data();
  auto put = [&](std::size_t sym, cf32 z, float scale) {
    llr[2 * sym] = scale * z.real();
    llr[2 * sym + 1] = scale * z.imag();
  };
  if (cell_.ports == 1) {
    const cf32* h0 = sf.h[0].data();
    for (std::size_t i = 0; i < m; ++i) put(i, std::conj(h0[res[i]]) * re[res[i]], k_single);
  } else if (cell_.ports == 2) {
    // 6.3.4.3: on the REs (a, b) of pair i: y0(a) = x0/sqrt2, y1(a) = -x1*/sqrt2, y0(b) = x1/sqrt2,
    // y1(b) = x0*/sqrt2 with x0 = d(2i), x1 = d(2i+1) (6.3.3.3). Alamouti combining.
    const cf32* h0 = sf.h[0].data();
    const cf32* h1 = sf.h[1].data();
    for (std::size_t i = 0; i + 1 < m; i += 2) {
      const int a = res[i], b = res[i + 1];
      const cf32 x0 = std::conj(h0[a]) * re[a] + h1[b] * std::conj(re[b]);
      const cf32 x1 = -h1[a] * std::conj(re[a]) + std::conj(h0[b]) * re[b];
      put(i, x0, k_div);
      put(i + 1, x1, k_div);
    }
  } else {
    // 4 ports, SFBC + FSTD: REs 4i, 4i+1 carry x0, x1 on ports 0 and 2; REs 4i+2, 4i+3 carry x2, x3 on
    // ports 1 and 3 (a trailing pair when M_symb mod 4 = 2: the two null symbols are not sent).
    const cf32* h[4] = {sf.h[0].data(), sf.h[1].data(), sf.h[2].data(), sf.h[3].data()};
    for (std::size_t i = 0; i + 1 < m; i += 2) {
      const int a = res[i], b = res[i + 1];
      const int pa = (i % 4 == 0) ? 0 : 1, pb = pa + 2;
      const cf32 x0 = std::conj(h[pa][a]) * re[a] + h[pb][b] * std::conj(re[b]);
      const cf32 x1 = -h[pb][a] * std::conj(re[a]) + std::conj(h[pa][b]) * re[b];
      put(i, x0, k_div);
      put(i + 1, x1, k_div);
    }
  }
  // 6.3.1: descrambling (a scrambled bit 1 flips the sign of its soft value).
  c_.resize(2 * m);
  gold_sequence(pdsch_c_init(rnti, 0, 2 * sf.subframe, cell_.pci), c_);
  for (std::size_t i = 0; i < 2 * m; ++i)
    if (c_[i]) llr[i] = -llr[i];
  return llr;
}

}  // namespace tw::dsp::lte
