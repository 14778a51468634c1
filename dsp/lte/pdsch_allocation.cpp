// TS 36.213 7.1.6.3 / 7.1.7, TS 36.211 6.2.3.
#include "dsp/lte/pdsch_allocation.hpp"

#include <algorithm>
#include <string>

#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {
namespace {

void check_n_rb(int n_rb) {
  if (n_rb < 6 || n_rb > 110) throw InputError("n_rb_dl " + std::to_string(n_rb) + " outside 6..110");
}

}  // namespace

int riv_encode(int rb_start, int l_crb, int n) {
  if (l_crb - 1 <= n / 2) return n * (l_crb - 1) + rb_start;
  return n * (n - l_crb + 1) + (n - 1 - rb_start);
}

RivAllocation riv_decode(int riv, int n, int n_max) {
  if (n < 1 || riv < 0 || riv >= n * (n + 1) / 2)
    throw InputError("riv " + std::to_string(riv) + " outside 0.." + std::to_string(n * (n + 1) / 2 - 1));
  RivAllocation a;
  const int q = riv / n, r = riv % n;
  a.l_crb = q + 1;
  a.rb_start = r;
  if (a.rb_start + a.l_crb > n) {  // the second branch of the definition
    a.l_crb = n - q + 1;
    a.rb_start = n - 1 - r;
  }
  if (a.l_crb < 1 || a.rb_start < 0 || a.rb_start + a.l_crb > n_max || riv_encode(a.rb_start, a.l_crb, n) != riv)
    throw InputError("riv " + std::to_string(riv) + " is no allocation within " + std::to_string(n_max) +
                     " virtual resource blocks");
  return a;
}

int n_vrb_distributed(int n_rb, int gap) {
  const int g = n_gap(n_rb, gap);
  if (gap == 0) return 2 * std::min(g, n_rb - g);
  return n_rb / (2 * g) * 2 * g;
}

int rbg_size(int n_rb) {
  check_n_rb(n_rb);
  if (n_rb <= 10) return 1;
  if (n_rb <= 26) return 2;
  if (n_rb <= 63) return 3;
  return 4;
}

int n_rb_step(int n_rb) {
  check_n_rb(n_rb);
  return n_rb < 50 ? 2 : 4;
}

int distributed_vrb_to_prb(int n_vrb, int slot, int n_rb, int gap) {
  const int g = n_gap(n_rb, gap);
  const int n_vrb_dl = n_vrb_distributed(n_rb, gap);
  if (n_vrb < 0 || n_vrb >= n_vrb_dl)
    throw InputError("n_vrb " + std::to_string(n_vrb) + " outside 0.." + std::to_string(n_vrb_dl - 1));
  // Ñ_VRB: the interleaver's size (N_VRB^DL for N_gap,1, 2 N_gap for N_gap,2).
  const int nt_vrb = gap == 0 ? n_vrb_dl : 2 * g;
  const int p = rbg_size(n_rb);
  const int n_row = (nt_vrb + 4 * p - 1) / (4 * p) * p;
  const int n_null = 4 * n_row - nt_vrb;
  const int block = nt_vrb * (n_vrb / nt_vrb);
  const int nt = n_vrb % nt_vrb;
  const int p1 = 2 * n_row * (nt % 2) + nt / 2 + block;   // ñ'_PRB
  const int p2 = n_row * (nt % 4) + nt / 4 + block;       // ñ''_PRB
  int prb;                                                // ñ_PRB of the even slot
  if (n_null != 0 && nt >= nt_vrb - n_null && nt % 2 == 1) prb = p1 - n_row;
  else if (n_null != 0 && nt >= nt_vrb - n_null && nt % 2 == 0) prb = p1 - n_row + n_null / 2;
  else if (n_null != 0 && nt < nt_vrb - n_null && nt % 4 >= 2) prb = p2 - n_null / 2;
  else prb = p2;
  if (slot % 2 == 1) prb = (prb + nt_vrb / 2) % nt_vrb + block;
  // The gap: n_PRB = ñ_PRB below Ñ_VRB / 2, else ñ_PRB + N_gap - Ñ_VRB / 2.
  return prb < nt_vrb / 2 ? prb : prb + g - nt_vrb / 2;
}

PdschAllocation si_allocation(const Dci& dci, int n_rb_dl) {
  check_n_rb(n_rb_dl);
  PdschAllocation a;
  std::vector<int> vrbs;
  const bool distributed = dci.format == DciFormat::f1c || dci.distributed;
  const int gap = dci.gap;
  if (gap != 0 && gap != 1) throw InputError("gap " + std::to_string(gap) + " is not 0 or 1");
  if (gap == 1 && (!distributed || n_rb_dl < 50))
    throw InputError("gap: N_gap,2 only for distributed blocks with N_RB >= 50");
  if (dci.format == DciFormat::f1a) {
    const int n_max = distributed ? n_vrb_distributed(n_rb_dl, gap) : n_rb_dl;
    const RivAllocation r = riv_decode(dci.riv, n_rb_dl, n_max);
    for (int i = 0; i < r.l_crb; ++i) vrbs.push_back(r.rb_start + i);
    if (dci.mcs < 0 || dci.mcs > kMaxItbs)
      throw InputError("mcs " + std::to_string(dci.mcs) + ": I_TBS = I_MCS must be 0..26 for SI-RNTI format 1A");
    if (dci.tpc < 0 || dci.tpc > 3) throw InputError("tpc " + std::to_string(dci.tpc) + " outside 0..3");
    a.i_tbs = dci.mcs;
    a.tbs = transport_block_size(a.i_tbs, (dci.tpc & 1) ? 3 : 2);  // 36.212 5.3.3.1.3: the LSB picks N_PRB^1A
  } else {
    const int step = n_rb_step(n_rb_dl);
    const int n_vrb_prime = n_vrb_distributed(n_rb_dl, gap) / step;
    const RivAllocation r = riv_decode(dci.riv, n_vrb_prime, n_vrb_prime);
    for (int i = 0; i < r.l_crb * step; ++i) vrbs.push_back(r.rb_start * step + i);
    if (dci.mcs < 0 || dci.mcs > kMaxItbs1c)
      throw InputError("mcs " + std::to_string(dci.mcs) + ": format 1C I_TBS must be 0..31");
    a.i_tbs = dci.mcs;
    a.tbs = tbs_format_1c(a.i_tbs);
  }
  for (int v : vrbs) {
    a.prb_slot0.push_back(distributed ? distributed_vrb_to_prb(v, 0, n_rb_dl, gap) : v);
    a.prb_slot1.push_back(distributed ? distributed_vrb_to_prb(v, 1, n_rb_dl, gap) : v);
  }
  for (auto* s : {&a.prb_slot0, &a.prb_slot1}) {
    std::sort(s->begin(), s->end());
    for (int prb : *s)
      if (prb < 0 || prb >= n_rb_dl) throw InputError("riv: allocation beyond N_RB " + std::to_string(n_rb_dl));
    if (std::adjacent_find(s->begin(), s->end()) != s->end()) throw InputError("riv: a PRB allocated twice");
  }
  a.n_prb = static_cast<int>(vrbs.size());
  a.qm = 2;
  return a;
}

}  // namespace tw::dsp::lte
