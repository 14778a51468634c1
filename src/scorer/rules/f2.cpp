// F2: frame-timing inconsistency (RF fingerprint). TS 45.002 4.3.3: a cell's frame number runs continuously
// (one per 60/13 ms, modulo 2 715 648), so FN minus the frames elapsed in wall time is a constant of the cell,
// its phase (src/scorer/fn_clock.hpp). A device cloning every broadcast parameter of a cell starts its own
// counter: its phase is unrelated to the real cell's.
//  - With a learned phase of this CGI (at least kMinAgreeing agreeing observations) and the SCH's wall clock in
//    the record ("sync_unix_ms", live sweeps): the cell's phase differs by more than options.f2_tolerance_s.
//  - Else, another cell of the sweep with the same MCC/MNC/LAC/CI on another ARFCN and a phase more than the
//    tolerance away: both are flagged (one sweep cannot tell the original; A4 fires with it, and the pair stays
//    below the threshold for the original unless something else is wrong with it).
#include <cmath>

#include "src/scorer/fn_clock.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kMinAgreeing = 3;
}

std::vector<Reason> f2_frame_timing(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (!cell.mcc || !cell.mnc || !cell.lac || !cell.ci) return {};
  const auto mine = fn_clock::cell_phase(cell);
  if (!mine) return {};
  const std::int64_t tol = fn_clock::frames_in(ctx.options.f2_tolerance_s);
  const double frame_s = 60.0 / 13.0 / 1000.0;
  const auto wall = fn_clock::wall_clock_phase(cell);
  if (ctx.baseline && cell.rat == "GSM" && wall) {
    const auto k = ctx.baseline->find_cell(*cell.mcc, *cell.mnc, *cell.lac, *cell.ci);
    if (k && k->fn_phase && k->fn_phase_n >= kMinAgreeing) {
      const std::int64_t d = fn_clock::distance(*wall, *k->fn_phase);
      if (d <= tol) return {};
      return {scorer::make_reason(weight,
                                  "frame number clock is " + std::to_string(d) + " frames (" + scorer::fixed1(d * frame_s) +
                                      " s) off the phase learned for this identity over " +
                                      std::to_string(k->fn_phase_n) + " sweeps",
                                  {{"sync_fn", cell.params.value("sync_fn", nlohmann::json())},
                                   {"fn_phase", *wall}, {"learned_fn_phase", *k->fn_phase},
                                   {"distance_frames", d}, {"tolerance_frames", tol}})};
    }
  }
  nlohmann::json twins = nlohmann::json::array();
  std::int64_t worst = 0;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
    if (o->lac != cell.lac || o->ci != cell.ci || o->arfcn == cell.arfcn) continue;
    const auto theirs = fn_clock::cell_phase(*o);
    if (!theirs) continue;
    const std::int64_t d = fn_clock::distance(*mine, *theirs);
    if (d <= tol) continue;
    twins.push_back({{"arfcn", o->arfcn}, {"fn_phase", *theirs}, {"distance_frames", d}});
    worst = std::max(worst, d);
  }
  if (twins.empty()) return {};
  return {scorer::make_reason(weight,
                              "the same identity on ARFCN " + std::to_string(twins.front()["arfcn"].get<int>()) +
                                  " runs a frame number clock " + std::to_string(worst) + " frames (" +
                                  scorer::fixed1(worst * frame_s) + " s) apart: two transmitters",
                              {{"sync_fn", cell.params.value("sync_fn", nlohmann::json())}, {"fn_phase", *mine},
                               {"twins", twins}, {"tolerance_frames", tol}})};
}

}  // namespace tw::rules
