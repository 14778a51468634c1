#include "dsp/lte/si_receiver.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "dsp/lte/channel_estimate.hpp"
#include "dsp/lte/dci.hpp"
#include "dsp/lte/pcfich.hpp"
#include "dsp/lte/pdcch.hpp"
#include "dsp/lte/pdsch.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "dsp/lte/phich_resources.hpp"
#include "dsp/lte/si_combiner.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

struct SiReceiver::Impl {
  Impl(const CellParams& cell, const DlTiming& timing)
      : demod(cell, timing), est(cell), pcfich(cell), pdcch(cell), pdsch(cell) {}
  DlOfdmDemodulator demod;
  ChannelEstimator est;
  PcfichDecoder pcfich;
  PdcchSearch pdcch;
  PdschDemodulator pdsch;
  DlSubframe sf;
};

SiReceiver::SiReceiver(const CellParams& cell, const DlTiming& timing)
    : cell_(cell), timing_(timing), impl_(std::make_unique<Impl>(cell, timing)) {}
SiReceiver::~SiReceiver() = default;

namespace {

// The frames (counted from sfn0) that may hold a whole subframe of iq.
std::pair<std::int64_t, std::int64_t> frame_range(const DlTiming& t, std::size_t n) {
  const double frame = 0.01 * t.sample_rate_hz / t.clock_scale;
  const auto first = static_cast<std::int64_t>(std::floor(-t.frame_start_sample / frame)) - 1;
  const auto last = static_cast<std::int64_t>(std::ceil((static_cast<double>(n) - t.frame_start_sample) / frame)) + 1;
  return {first, last};
}

// The DCI's allocation, or nullopt for one outside the cell (a hostile or misread DCI: nothing to take).
std::optional<PdschAllocation> allocation_in_cell(const Dci& dci, int n_prb) {
  try {
    return si_allocation(dci, n_prb);
  } catch (const InputError&) {
    return std::nullopt;
  }
}

SiBlock sib1_block(const SiDecodeResult& r, int sfn, int tbs) {
  SiBlock b;
  b.si_index = 0;
  b.octets = r.octets;
  b.sfn = sfn;
  b.subframe = 5;
  b.transmissions = r.transmissions;
  b.tbs = tbs;
  return b;
}

}  // namespace

std::optional<SiBlock> SiReceiver::decode_sib1(std::span<const cf32> iq, std::string& why) {
  if (!refined_) {
    timing_ = refine_dl_timing(cell_, timing_, iq);
    impl_->demod.set_timing(timing_);
    refined_ = true;
  }
  const std::uint16_t si_rnti[] = {kSiRnti};
  // TDD before SIB1: m_i of subframe 5 is 0 in configurations 1..5, 2 in 0 and 1 in 6 (table 6.9-1); the
  // common ones first.
  std::vector<int> mi_tries{1};
  if (cell_.tdd) mi_tries = cell_.tdd_config >= 0 ? std::vector<int>{phich_mi(true, cell_.tdd_config, 5)} : std::vector<int>{0, 1, 2};
  // SIB1 keeps its TBS, allocation and CFI within its 80 ms period (36.331 5.2.1.2: the same SIB1, RV by
  // 36.321 5.3.1); a rogue's may differ, hence one combiner per TBS.
  struct Seen {
    int tbs = 0;
    PdschAllocation alloc;
    int cfi = 0;
    int count = 0;
  };
  std::map<int, SiCombiner> by_tbs;
  std::map<int, Seen> seen_tbs;
  std::map<int, std::pair<int, int>> first_at;  // tbs -> first (sfn, subframe)
  struct Pending {
    DlSubframe sf;       // demodulated, with channel estimates
    int sfn = 0;
    int pcfich_cfi = 0;  // credible CFI or 0
  };
  std::vector<Pending> without_dci;  // SIB1 subframes whose PDCCH did not decode (kept for the second pass)
  const auto [f0, f1] = frame_range(timing_, iq.size());
  int subframes = 0, with_cfi = 0, with_dci = 0;
  for (std::int64_t f = f0; f <= f1; ++f) {
    const int sfn = static_cast<int>(((timing_.sfn0 + f) % 1024 + 1024) % 1024);
    if (!is_sib1_subframe(sfn, 5)) continue;
    auto& sf = impl_->sf;
    if (!impl_->demod.execute(iq, f, 5, sf)) continue;
    ++subframes;
    impl_->est.execute(sf);
    const int pcfich_cfi = impl_->pcfich.execute(sf);
    with_cfi += pcfich_cfi >= 1;
    // The PCFICH has 16 REs, an aggregation-4 PDCCH 144: where the CFI is not credible the PDCCH's CRC and
    // credibility check decide among the three.
    const std::vector<int> cfis = pcfich_cfi >= 1 ? std::vector<int>{pcfich_cfi} : std::vector<int>{1, 2, 3};
    bool found = false;
    for (const int cfi : cfis) {
      for (const int mi : mi_tries) {
        if (cell_.tdd) impl_->pdcch.set_phich_mi(mi);
        const auto dcis = impl_->pdcch.execute(sf, cfi, si_rnti);
        stats_.dci_rejected += impl_->pdcch.rejected();
        if (dcis.empty()) continue;
        if (cell_.tdd) mi_tries = {mi};  // the configuration's m_i found: keep it
        for (const auto& dci : dcis) {
          const auto in_cell = allocation_in_cell(dci, cell_.n_prb);
          if (!in_cell) continue;
          const PdschAllocation& alloc = *in_cell;
          const auto llr = impl_->pdsch.execute(sf, cfi, alloc, kSiRnti);
          if (llr.empty()) continue;
          found = true;
          ++with_dci;
          auto it = by_tbs.find(alloc.tbs);
          if (it == by_tbs.end()) {
            if (by_tbs.size() >= 4) continue;  // bounded: a hostile cell cannot make us keep many
            it = by_tbs.emplace(alloc.tbs, SiCombiner(alloc.tbs)).first;
            first_at[alloc.tbs] = {sfn, 5};
            seen_tbs[alloc.tbs] = {alloc.tbs, alloc, cfi, 0};
          }
          ++seen_tbs[alloc.tbs].count;
          if (it->second.transmissions() < SiCombiner::kMaxTransmissions)
            it->second.add(llr, dci.format == DciFormat::f1a && dci.rv >= 0 ? dci.rv : sib1_rv(sfn));
        }
        break;
      }
      if (found) break;
    }
    if (!found && without_dci.size() < SiCombiner::kMaxTransmissions) without_dci.push_back({sf, sfn, pcfich_cfi});
  }
  stats_.subframes += subframes;
  stats_.cfi_found += with_cfi;
  stats_.dci_found += with_dci;
  if (subframes == 0) {
    why = "no SIB1 subframe (subframe 5 of an even frame) wholly inside the capture";
    return std::nullopt;
  }
  // No SI-RNTI DCI in any one SIB1 subframe: the PDCCH of all of them added (PdcchSearch::execute_combined:
  // subframe 5 every time, so one scrambling; one candidate and CFI, as eNodeBs place SIB1's DCI first in the
  // common search space), the RV fields as 36.321 5.3.1 gives them or all alike; a DCI found so is the
  // allocation of every one of them.
  if (with_dci == 0 && without_dci.size() >= 2) {
    std::vector<int> cfi_order;
    for (const auto& p : without_dci)
      if (p.pcfich_cfi >= 1 && std::find(cfi_order.begin(), cfi_order.end(), p.pcfich_cfi) == cfi_order.end()) cfi_order.push_back(p.pcfich_cfi);
    for (int cfi = 1; cfi <= 3; ++cfi)
      if (std::find(cfi_order.begin(), cfi_order.end(), cfi) == cfi_order.end()) cfi_order.push_back(cfi);
    std::vector<int> rv_sib1, rv_same(without_dci.size(), 0);
    for (const auto& p : without_dci) rv_sib1.push_back(sib1_rv(p.sfn));
    for (const int cfi : cfi_order)
      for (const int mi : mi_tries) {
        if (cell_.tdd) impl_->pdcch.set_phich_mi(mi);
        std::vector<std::vector<float>> llrs;
        int n_cce = 0;
        for (const auto& p : without_dci) llrs.push_back(impl_->pdcch.soft_bits(p.sf, cfi, &n_cce));
        for (const auto* rvs : {&rv_sib1, &rv_same}) {
          const auto dcis = impl_->pdcch.execute_combined(llrs, n_cce, *rvs, si_rnti);
          stats_.dci_rejected += impl_->pdcch.rejected();
          for (const auto& dci : dcis) {
            const auto alloc = allocation_in_cell(dci, cell_.n_prb);
            if (!alloc) continue;
            SiCombiner comb(alloc->tbs);
            for (const auto& p : without_dci) {
              const auto llr = impl_->pdsch.execute(p.sf, cfi, *alloc, kSiRnti);
              if (!llr.empty() && comb.transmissions() < SiCombiner::kMaxTransmissions) comb.add(llr, sib1_rv(p.sfn));
            }
            if (const auto r = comb.decode()) {
              ++stats_.dci_combined;
              return sib1_block(*r, without_dci.front().sfn, alloc->tbs);
            }
          }
        }
      }
  }
  if (with_dci == 0) {
    why = with_cfi == 0 ? "PCFICH: no credible CFI, and no SI-RNTI DCI at any CFI, in the " + std::to_string(subframes) +
                              " SIB1 subframes"
                        : "PDCCH: no SI-RNTI DCI in the " + std::to_string(subframes) + " SIB1 subframes";
    return std::nullopt;
  }
  auto block_of = [&](int tbs, const SiDecodeResult& r) { return sib1_block(r, first_at[tbs].first, tbs); };
  for (auto& [tbs, comb] : by_tbs)
    if (const auto r = comb.decode()) return block_of(tbs, *r);
  // The SIB1 subframes whose PDCCH did not decode still carry the same SIB1 at the same allocation: add them
  // with the allocation, CFI and RV (36.321 5.3.1) of the transmissions found, to those.
  if (!without_dci.empty()) {
    const Seen* best = nullptr;
    for (const auto& [tbs, seen] : seen_tbs)
      if (!best || seen.count > best->count) best = &seen;
    auto& comb = by_tbs.at(best->tbs);
    for (const auto& p : without_dci) {
      const auto llr = impl_->pdsch.execute(p.sf, p.pcfich_cfi >= 1 ? p.pcfich_cfi : best->cfi, best->alloc, kSiRnti);
      if (!llr.empty() && comb.transmissions() < SiCombiner::kMaxTransmissions) comb.add(llr, sib1_rv(p.sfn));
    }
    if (const auto r = comb.decode()) return block_of(best->tbs, *r);
  }
  why = "PDSCH: CRC fails on " + std::to_string(with_dci) + " SIB1 transmissions, alone and combined";
  return std::nullopt;
}

std::vector<SiBlock> SiReceiver::decode_si(std::span<const cf32> iq, const SiSchedule& schedule,
                                           std::vector<std::string>* why_not) {
  check_si_schedule(schedule);
  if (!refined_) {
    timing_ = refine_dl_timing(cell_, timing_, iq);
    impl_->demod.set_timing(timing_);
    refined_ = true;
  }
  const std::size_t n_msgs = schedule.periodicity_rf.size();
  if (why_not) why_not->assign(n_msgs, "no subframe of its SI window inside the capture");
  const std::uint16_t si_rnti[] = {kSiRnti};
  std::vector<std::map<int, SiCombiner>> by_tbs(n_msgs);
  std::vector<std::map<int, std::pair<int, int>>> first_at(n_msgs);
  std::vector<int> seen(n_msgs, 0), with_dci(n_msgs, 0);
  const auto [f0, f1] = frame_range(timing_, iq.size());
  for (std::int64_t f = f0; f <= f1; ++f) {
    const int sfn = static_cast<int>(((timing_.sfn0 + f) % 1024 + 1024) % 1024);
    for (int subframe = 0; subframe < 10; ++subframe) {
      const auto opp = si_message_at(schedule, sfn, subframe);
      if (!opp) continue;
      auto& sf = impl_->sf;
      if (!impl_->demod.execute(iq, f, subframe, sf)) continue;
      const auto n = static_cast<std::size_t>(opp->n - 1);
      ++seen[n];
      ++stats_.subframes;
      impl_->est.execute(sf);
      const int cfi = impl_->pcfich.execute(sf);
      if (cfi < 1) continue;
      ++stats_.cfi_found;
      if (schedule.tdd) impl_->pdcch.set_phich_mi(phich_mi(true, schedule.tdd_config, subframe));
      const auto dcis = impl_->pdcch.execute(sf, cfi, si_rnti);
      stats_.dci_rejected += impl_->pdcch.rejected();
      for (const auto& dci : dcis) {
        const auto in_cell = allocation_in_cell(dci, cell_.n_prb);
        if (!in_cell) continue;
        const PdschAllocation& alloc = *in_cell;
        const auto llr = impl_->pdsch.execute(sf, cfi, alloc, kSiRnti);
        if (llr.empty()) continue;
        ++with_dci[n];
        ++stats_.dci_found;
        auto& m = by_tbs[n];
        auto it = m.find(alloc.tbs);
        if (it == m.end()) {
          if (m.size() >= 4) continue;
          it = m.emplace(alloc.tbs, SiCombiner(alloc.tbs)).first;
          first_at[n][alloc.tbs] = {sfn, subframe};
        }
        // 36.321 5.3.1: the RV of the i-th subframe of the window; format 1A also says it.
        if (it->second.transmissions() < SiCombiner::kMaxTransmissions)
          it->second.add(llr, dci.format == DciFormat::f1a && dci.rv >= 0 ? dci.rv : opp->rv);
      }
    }
  }
  std::vector<SiBlock> out;
  for (std::size_t n = 0; n < n_msgs; ++n) {
    bool done = false;
    for (auto& [tbs, comb] : by_tbs[n]) {
      const auto r = comb.decode();
      if (!r) continue;
      SiBlock b;
      b.si_index = static_cast<int>(n + 1);
      b.octets = r->octets;
      b.sfn = first_at[n][tbs].first;
      b.subframe = first_at[n][tbs].second;
      b.transmissions = r->transmissions;
      b.tbs = tbs;
      out.push_back(std::move(b));
      done = true;
      break;
    }
    if (why_not && !done && seen[n] > 0)
      (*why_not)[n] = with_dci[n] == 0 ? "PDCCH: no SI-RNTI DCI in the " + std::to_string(seen[n]) + " subframes of its windows"
                                       : "PDSCH: CRC fails on " + std::to_string(with_dci[n]) + " transmissions";
    if (why_not && done) (*why_not)[n].clear();
  }
  return out;
}

}  // namespace tw::dsp::lte
