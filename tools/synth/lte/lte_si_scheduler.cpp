#include "tools/synth/lte/lte_si_scheduler.hpp"

#include <algorithm>
#include <string>

#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/phich_resources.hpp"
#include "dsp/lte/tbs_table.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/sib_encoder.hpp"
#include "tools/synth/splitmix.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

namespace {

bool valid_periodicity(int t) {
  for (int v : {8, 16, 32, 64, 128, 256, 512})
    if (t == v) return true;
  return false;
}

bool valid_window(int w) {
  for (int v : {1, 2, 5, 10, 15, 20, 40})
    if (w == v) return true;
  return false;
}

}  // namespace

int si_rv(int k) { return ((3 * k + 1) / 2) % 4; }   // ceil(3k/2) mod 4

dl::CellParams cell_params(const LteCellConfig& c) {
  dl::CellParams p;
  p.pci = c.pci;
  p.n_prb = c.bandwidth_prb;
  p.normal_cp = c.normal_cp;
  p.ports = c.ports;
  p.tdd = c.duplex == Duplex::TDD;
  p.tdd_config = p.tdd ? c.tdd_config : -1;
  p.special_subframe_config = p.tdd ? c.special_subframe_config : -1;
  p.phich_extended = c.phich_extended;
  p.phich_resource = c.phich_resource;
  return p;
}

LteSiPlan::LteSiPlan(const LteCellConfig& cell, std::uint64_t seed) : cfg_(cell), cp_(cell_params(cell)), seed_(seed) {
  enabled_ = cell.send_system_info;
  if (!enabled_) return;
  const int n_rb = cell.bandwidth_prb;
  if (cell.si_repetitions < 1 || cell.si_repetitions > 40)
    throw InputError("si_repetitions: " + std::to_string(cell.si_repetitions) + " is outside 1..40");
  if (cell.si_aggregation != 0 && cell.si_aggregation != 4 && cell.si_aggregation != 8)
    throw InputError("si_aggregation: " + std::to_string(cell.si_aggregation) + " is not 4 or 8");
  if (cell.si_start_prb < -1 || cell.si_start_prb >= n_rb)
    throw InputError("si_start_prb: " + std::to_string(cell.si_start_prb) + " is outside 0.." + std::to_string(n_rb - 1));
  // SIB1's tdd-Config is the cell's own (36.331 6.2.2: the cell's subframe assignment and special subframe).
  LteSystemInfoConfig& si = cfg_.system_info;
  if (cp_.tdd) si.tdd_config = TddConfigSib{cell.tdd_config, cell.special_subframe_config};
  else si.tdd_config.reset();
  window_ms_ = si.si_window_ms;
  if (!valid_window(window_ms_)) throw InputError("si_window_ms: " + std::to_string(window_ms_) + " is not 1, 2, 5, 10, 15, 20 or 40");
  const auto sched = effective_scheduling(si);
  std::vector<std::vector<std::uint8_t>> octets{encode_sib1(si)};
  for (auto& m : encode_si_messages(si)) octets.push_back(std::move(m));
  int t_min = 512;
  for (const auto& e : sched) {
    if (!valid_periodicity(e.periodicity_rf))
      throw InputError("periodicity_rf: " + std::to_string(e.periodicity_rf) + " is not 8, 16, ..., 512");
    t_min = std::min(t_min, e.periodicity_rf);
  }
  // 36.331 5.2.3: the windows of all SI messages follow one another within the shortest period.
  if (static_cast<long>(sched.size()) * window_ms_ > 10L * t_min)
    throw InputError("si_window_ms: " + std::to_string(sched.size()) + " windows of " + std::to_string(window_ms_) +
                     " ms do not fit the shortest si-Periodicity (" + std::to_string(t_min) + " frames)");

  // CCEs per subframe; the control region of subframe 5 (SIB1's) must hold an aggregation-4 candidate.
  for (int sf = 0; sf < 10; ++sf) {
    const char type = subframe_type(cell, sf);
    if (type == 'U' || (type == 'S' && cell.phich_extended)) continue;
    // 36.211 table 6.9.3-1: the extended PHICH duration needs 3 control symbols outside MBSFN / special
    // subframes; a cell configured with fewer has no valid control region and sends no System Information.
    if (cell.phich_extended && control_symbols(cell, sf) < 3) {
      disabled_reason_ = "cfi: " + std::to_string(control_symbols(cell, sf)) +
                         " control symbols are too few for the extended PHICH duration (36.211 table 6.9.3-1)";
      enabled_ = false;
      return;
    }
    try {
      n_cce_[static_cast<std::size_t>(sf)] =
          dl::ControlRegs(cp_, control_symbols(cell, sf), dl::phich_mi(cp_.tdd, cp_.tdd_config, sf)).n_cce();
    } catch (const InputError& e) {
      // A MIB whose PHICH groups (Ng, duration) do not fit this control region (36.211 6.9.3: few PRB, 4 ports,
      // short CFI): there is no PDCCH to send, like the cases above (found by fuzz_lte_search).
      disabled_reason_ = std::string("control region: ") + e.what();
      enabled_ = false;
      return;
    }
  }
  if (n_cce_[5] < 4) {   // no common search space: the cell cannot send System Information
    disabled_reason_ = "cfi: the control region (" + std::to_string(control_symbols(cell, 5)) + " symbols) of " +
                       std::to_string(n_rb) + " PRB with " + std::to_string(cell.ports) + " ports holds " +
                       std::to_string(n_cce_[5]) + " CCEs; an SI-RNTI PDCCH needs 4";
    enabled_ = false;
    return;
  }

  std::uint64_t r = splitmix64(seed ^ 0x51b1ULL);
  for (std::size_t m = 0; m < octets.size(); ++m) {
    SiMessagePlan p;
    p.periodicity_rf = m == 0 ? 8 : sched[m - 1].periodicity_rf;
    p.octets = octets[m];
    const int bits = static_cast<int>(8 * p.octets.size());
    const bool f1c = m > 0 && cell.si_format_1c;
    dl::Dci& d = p.dci;
    d.format = f1c ? dl::DciFormat::f1c : dl::DciFormat::f1a;
    d.rnti = dl::kSiRnti;
    // TBS: the smallest that holds the message (ties: the smaller I_TBS).
    int best = -1, best_itbs = 0, best_n1a = 2;
    if (!f1c) {
      for (int i_tbs = 0; i_tbs <= dl::kMaxItbs; ++i_tbs)
        for (int n1a : {2, 3}) {
          const int t = dl::transport_block_size(i_tbs, n1a);
          if (t >= bits && (best < 0 || t < best)) best = t, best_itbs = i_tbs, best_n1a = n1a;
        }
    } else {
      for (int i_tbs = 0; i_tbs <= dl::kMaxItbs1c && best < 0; ++i_tbs)
        if (dl::tbs_format_1c(i_tbs) >= bits) best = dl::tbs_format_1c(i_tbs), best_itbs = i_tbs;
    }
    const std::string name = m == 0 ? "SIB1" : "SI-" + std::to_string(m);
    if (best < 0) throw InputError("system_info: " + name + " (" + std::to_string(bits) + " bits) exceeds the largest transport block");
    d.mcs = best_itbs;
    d.tpc = best_n1a == 3 ? 1 : 0;   // 36.212 5.3.3.1.3: the TPC LSB picks N_PRB^1A
    // Allocation: the fewest blocks that keep the code rate low, from the start PRB.
    r = splitmix64(r);
    const int step = f1c ? dl::n_rb_step(n_rb) : 1;
    const int n_vrb = f1c ? (dl::n_vrb_distributed(n_rb, 0) / step) * step : n_rb;
    bool done = false;
    for (int l = step; l <= n_vrb && !done; l += step) {
      int start = cell.si_start_prb >= 0 ? cell.si_start_prb : static_cast<int>(r % static_cast<std::uint64_t>(n_vrb - l + 1));
      start = std::min(start, n_vrb - l) / step * step;
      d.riv = f1c ? dl::riv_encode(start / step, l / step, n_vrb / step) : dl::riv_encode(start, l, n_rb);
      p.alloc = dl::si_allocation(d, n_rb);
      const double g = 2.0 * static_cast<double>(dl::pdsch_resource_elements(cp_, 5, cell.cfi, p.alloc).size());
      const double rate = (best + 24) / g;
      if (rate <= kMaxSiCodeRate) done = true;
      else if (l + step > n_vrb && rate > 0.9)
        throw InputError("system_info: " + name + " (TBS " + std::to_string(best) + ") does not fit " + std::to_string(n_rb) +
                         " PRB at a decodable code rate");
    }
    if (p.alloc.tbs != best) throw InputError("system_info: " + name + " TBS mismatch");   // cannot happen
    p.tb.assign(static_cast<std::size_t>(best / 8), 0);
    std::copy(p.octets.begin(), p.octets.end(), p.tb.begin());
    messages_.push_back(std::move(p));
  }
}

std::pair<int, int> LteSiPlan::window_at(int sfn, int subframe) const {
  const int w = window_ms_;
  const int a = 10 * sfn + subframe;
  for (std::size_t n = 1; n < messages_.size(); ++n) {
    const int x = static_cast<int>(n - 1) * w;                  // 36.331 5.2.3
    const int period_sf = 10 * messages_[n].periodicity_rf;     // divides 10240
    const int pos = a % period_sf;
    if (pos >= x && pos < x + w) return {static_cast<int>(n), pos - x};
  }
  return {0, 0};
}

bool LteSiPlan::chosen_in_window(int n, int sfn, int subframe, int i) const {
  // The window's eligible subframes: downlink ('D'), not SIB1's (subframe 5 of an even frame).
  const int a = 10 * sfn + subframe;
  const int start = a - i;   // never negative: windows lie within a period, periods divide 1024 frames
  std::vector<int> eligible;
  for (int j = 0; j < window_ms_; ++j) {
    const int b = start + j, s = b % 10, f = b / 10;
    if (subframe_type(cfg_, s) != 'D') continue;
    if (s == 5 && f % 2 == 0) continue;
    eligible.push_back(j);
  }
  const int reps = std::min<int>(cfg_.si_repetitions, static_cast<int>(eligible.size()));
  // The first eligible subframe always, then random others (a partial shuffle seeded per window).
  std::uint64_t r = splitmix64(seed_ ^ splitmix64(static_cast<std::uint64_t>(n) * 7919ULL + static_cast<std::uint64_t>(start)));
  for (int k = 1; k < reps; ++k) {
    r = splitmix64(r);
    const int pick = k + static_cast<int>(r % static_cast<std::uint64_t>(eligible.size() - static_cast<std::size_t>(k)));
    std::swap(eligible[static_cast<std::size_t>(k)], eligible[static_cast<std::size_t>(pick)]);
  }
  for (int k = 0; k < reps; ++k)
    if (eligible[static_cast<std::size_t>(k)] == i) return true;
  return false;
}

std::optional<SiTransmission> LteSiPlan::at(int sfn, int subframe) const {
  if (!enabled_) return std::nullopt;
  if (sfn < 0 || sfn > 1023) throw InputError("sfn: " + std::to_string(sfn) + " is outside 0..1023");
  if (subframe < 0 || subframe > 9) throw InputError("subframe: " + std::to_string(subframe) + " is outside 0..9");
  SiTransmission t;
  t.sfn = sfn;
  t.subframe = subframe;
  if (subframe == 5 && sfn % 2 == 0) {   // 36.331 5.2.1.2
    t.message = 0;
    t.window_subframe = (sfn / 2) % 4;
  } else {
    const auto [n, i] = window_at(sfn, subframe);
    if (n == 0 || subframe_type(cfg_, subframe) != 'D' || !chosen_in_window(n, sfn, subframe, i)) return std::nullopt;
    t.message = n;
    t.window_subframe = i;
  }
  t.plan = &messages_[static_cast<std::size_t>(t.message)];
  t.dci = t.plan->dci;
  t.rv = si_rv(t.window_subframe % 4);   // 36.321 5.3.1
  t.dci.rv = t.dci.format == dl::DciFormat::f1a ? t.rv : -1;
  // Common search space (36.213 9.1.1, Y_k = 0): CCE L ((m) mod floor(N_CCE / L)), m < 16 / L.
  const int n_cce = n_cce_[static_cast<std::size_t>(subframe)];
  if (n_cce < 4) return std::nullopt;
  std::uint64_t r = splitmix64(seed_ ^ splitmix64(static_cast<std::uint64_t>(10 * sfn + subframe) + 0xcce0000ULL));
  int agg = cfg_.si_aggregation != 0 ? cfg_.si_aggregation : ((r & 1u) ? 8 : 4);
  if (agg == 8 && n_cce < 8) agg = 4;
  const int cands = std::min(16 / agg, n_cce / agg);
  r = splitmix64(r);
  t.dci.aggregation = agg;
  t.dci.first_cce = agg * static_cast<int>((r >> 8) % static_cast<std::uint64_t>(cands));
  return t;
}

}  // namespace tw::synth::lte
