// F2: frame-timing inconsistency (RF fingerprint). TS 45.002 4.3.3: a cell's frame number runs continuously
// (one per 60/13 ms, modulo 2 715 648), so FN minus the frames elapsed in wall time is a constant of the cell,
// its phase (src/scorer/fn_clock.hpp). A device cloning every broadcast parameter of a cell starts its own
// counter: its phase is unrelated to the real cell's.
//  - With a learned phase of this CGI (at least kMinAgreeing agreeing observations) and the SCH's wall clock in
//    the record ("sync_unix_ms", live sweeps): the cell's phase differs by more than options.f2_tolerance_s.
//  - Else, another cell of the sweep with the same MCC/MNC/LAC/CI on another ARFCN and a phase more than the
//    tolerance away: both are flagged (one sweep cannot tell the original; A4 fires with it, and the pair stays
//    below the threshold for the original unless something else is wrong with it).
//  - LTE: the SFN clock (TS 36.211 4: 10 ms radio frames, SFN modulo 1024, 36.331 MIB). One cell has one
//    counter, so SFN x 10 ms minus the stream time of that frame's start ("sfn_time_s", the sweep runner's)
//    modulo 10.24 s is its phase; another cell of the sweep with the same MCC/MNC + 28-bit cell identity on
//    another EARFCN or PCI (the pair A4 names) whose phase is more than kLteToleranceS away runs its own
//    counter: both are flagged, as for GSM. Stream times of one sweep only (no baseline: 10.24 s wraps).
#include <algorithm>
#include <cmath>
#include <optional>

#include "src/scorer/fn_clock.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr std::int64_t kMinAgreeing = 3;

// LTE: the SFN period and the agreement window of two SFN phases. The same transmitter seen by two tunings of
// one sweep agrees to the sensor's sample clock error over the sweep (100 ppm x 10 min = 60 ms) plus a frame
// boundary found to a sample; a counter started independently falls within +-0.1 s of it with probability
// 0.2 / 10.24 = 2 %.
constexpr double kSfnPeriodS = 10.24;
constexpr double kLteToleranceS = 0.1;

// (SFN x 10 ms - stream time of that frame) modulo 10.24 s, in [0, 10.24); nullopt without both fields.
std::optional<double> lte_sfn_phase_s(const CellObservation& c) {
  const auto& p = c.params;
  if (!p.is_object() || !p.contains("sfn") || !p["sfn"].is_number_integer() || !p.contains("sfn_time_s") ||
      !p["sfn_time_s"].is_number())
    return std::nullopt;
  const auto sfn = p["sfn"].get<long long>();
  const double t = p["sfn_time_s"].get<double>();
  if (sfn < 0 || sfn > 1023 || !std::isfinite(t) || std::abs(t) > 1e9) return std::nullopt;
  const double ph = std::fmod(static_cast<double>(sfn) * 0.01 - t, kSfnPeriodS);
  return ph < 0 ? ph + kSfnPeriodS : ph;
}

double circular_s(double a, double b) {
  const double d = std::fmod(std::abs(a - b), kSfnPeriodS);
  return std::min(d, kSfnPeriodS - d);
}

std::vector<Reason> lte_sfn_clock(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  const auto mine = lte_sfn_phase_s(cell);
  if (!mine || !cell.ci) return {};
  const auto pci = scorer::lte_pci(cell);
  nlohmann::json twins = nlohmann::json::array();
  double worst = 0.0;
  for (const auto* o : scorer::same_operator_others(cell, ctx.sweep)) {
    if (o->rat != "LTE" || o->ci != cell.ci || o->arfcn < 0) continue;
    const auto opci = scorer::lte_pci(*o);
    if (o->arfcn == cell.arfcn && (!pci || !opci || *pci == *opci)) continue;   // the same cell
    const auto theirs = lte_sfn_phase_s(*o);
    if (!theirs) continue;
    const double d = circular_s(*mine, *theirs);
    if (d <= kLteToleranceS) continue;
    twins.push_back({{"earfcn", o->arfcn}, {"pci", opci ? nlohmann::json(*opci) : nlohmann::json(nullptr)},
                     {"sfn_phase_s", std::round(*theirs * 1e4) / 1e4}, {"distance_s", std::round(d * 1e4) / 1e4}});
    worst = std::max(worst, d);
  }
  if (twins.empty()) return {};
  return {scorer::make_reason(weight,
                              "the same cell identity on EARFCN " + std::to_string(twins.front()["earfcn"].get<int>()) +
                                  " runs an SFN clock " + scorer::fixed1(worst * 1e3) + " ms apart: two transmitters",
                              {{"sfn", cell.params["sfn"]}, {"sfn_phase_s", std::round(*mine * 1e4) / 1e4},
                               {"twins", twins}, {"tolerance_s", kLteToleranceS}})};
}
}  // namespace

std::vector<Reason> f2_frame_timing(const CellObservation& cell, const ScoringContext& ctx, double weight) {
  if (cell.rat == "LTE") return lte_sfn_clock(cell, ctx, weight);
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
