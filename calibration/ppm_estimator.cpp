#include "calibration/ppm_estimator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "src/core/gsm_bands.hpp"

namespace tw::cal {

double correction_for_receiver_ppm(double receiver_ppm) { return (1.0 / (1.0 + receiver_ppm * 1e-6) - 1.0) * 1e6; }

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

std::optional<PpmEstimate> estimate_receiver_ppm(const std::vector<CarrierObservation>& obs,
                                                 const PpmEstimatorOptions& o) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Proposals per observation.
  std::vector<std::vector<double>> proposals(obs.size());
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const double a = obs[i].apparent_hz();
    if (!(a > 0) || !std::isfinite(a)) continue;
    const double span = o.max_abs_ppm * 1e-6;
    for (const auto& ch : gsm_channels_between(a / (1.0 + span), a / (1.0 - span))) {
      const double e = (a / ch.downlink_hz - 1.0) * 1e6;
      if (std::fabs(e) <= o.max_abs_ppm) proposals[i].push_back(e);
    }
  }
  // Consensus: the proposal most observations agree with (ties: the smaller error).
  double best = nan;
  std::size_t best_votes = 0;
  for (const auto& ps : proposals)
    for (double v : ps) {
      std::size_t votes = 0;
      for (const auto& qs : proposals)
        if (std::any_of(qs.begin(), qs.end(), [&](double q) { return std::fabs(q - v) <= o.consensus_ppm; })) ++votes;
      if (votes > best_votes || (votes == best_votes && std::fabs(v) < std::fabs(best))) {
        best = v;
        best_votes = votes;
      }
    }
  if (best_votes == 0) return std::nullopt;

  PpmEstimate est;
  est.per_observation_ppm.assign(obs.size(), nan);
  est.kept.assign(obs.size(), false);
  std::vector<double> values;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    double pick = nan;
    for (double q : proposals[i])
      if (std::fabs(q - best) <= o.consensus_ppm && (std::isnan(pick) || std::fabs(q - best) < std::fabs(pick - best)))
        pick = q;
    if (proposals[i].size() == 1 && std::isnan(pick)) pick = proposals[i][0];  // an outlier, but say where it is
    est.per_observation_ppm[i] = pick;
    if (!proposals[i].empty() &&
        std::any_of(proposals[i].begin(), proposals[i].end(), [&](double q) { return std::fabs(q - best) <= o.consensus_ppm; }))
      values.push_back(pick);
  }
  // Median / MAD rejection.
  const double med = median(values);
  std::vector<double> dev;
  for (double v : values) dev.push_back(std::fabs(v - med));
  const double limit = std::max(o.min_reject_ppm, o.mad_factor * 1.4826 * median(dev));
  std::vector<double> kept;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const double v = est.per_observation_ppm[i];
    const bool agrees = !proposals[i].empty() &&
                        std::any_of(proposals[i].begin(), proposals[i].end(),
                                    [&](double q) { return std::fabs(q - best) <= o.consensus_ppm; });
    if (agrees && std::fabs(v - med) <= limit) {
      est.kept[i] = true;
      kept.push_back(v);
    } else if (!proposals[i].empty()) {
      ++est.rejected;
    }
  }
  std::sort(kept.begin(), kept.end());
  est.used = kept.size();
  std::size_t trim = kept.size() >= 5 ? static_cast<std::size_t>(std::floor(kept.size() * o.trim_fraction)) : 0;
  double sum = 0.0;
  std::size_t n = 0;
  for (std::size_t i = trim; i + trim < kept.size(); ++i, ++n) sum += kept[i];
  est.receiver_ppm = sum / static_cast<double>(n);
  double ss = 0.0;
  for (double v : kept) ss += (v - est.receiver_ppm) * (v - est.receiver_ppm);
  est.spread_ppm = kept.size() > 1 ? std::sqrt(ss / static_cast<double>(kept.size() - 1)) : 0.0;
  return est;
}

}  // namespace tw::cal
