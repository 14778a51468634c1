#include "src/sweep/cell_merge.hpp"

#include <algorithm>
#include <cmath>

#include "src/core/gsm_bands.hpp"

namespace tw::sweep {

using nlohmann::json;

namespace {
FnRelation relation_of(const json& a, const json& b);
}  // namespace

FnRelation fn_relation(const json& a, const json& b) { return relation_of(a, b); }

namespace {

double num(const json& j, const char* key, double fallback) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}
int bsic_of(const json& j) { return j.contains("bsic") && j["bsic"].is_number_integer() ? j["bsic"].get<int>() : -1; }
bool has_ci(const json& j) { return j.contains("ci") && j["ci"].is_number(); }
// Same cell identity: CGI equal where both have it.
bool identity_compatible(const json& a, const json& b) {
  if (!has_ci(a) || !has_ci(b)) return true;
  for (const char* k : {"mcc", "mnc", "lac", "ci"})
    if (a.contains(k) && b.contains(k) && a[k] != b[k]) return false;
  return true;
}
// Frame number consistency (45.002 clause 4.3.3: FN counts TDMA frames of 120/26 ms modulo the hyperframe
// 26 x 51 x 2048). Two records whose SCH frame numbers agree with the time between them run on the same
// cell clock.
FnRelation relation_of(const json& a, const json& b) {
  auto get = [](const json& r, std::int64_t& fn, double& t) {
    if (!r.contains("sync_fn") || !r["sync_fn"].is_number_integer()) return false;
    if (!r.contains("sync_time_s") || !r["sync_time_s"].is_number()) return false;
    fn = r["sync_fn"].get<std::int64_t>();
    t = r["sync_time_s"].get<double>();
    return fn >= 0 && fn < kHyperframe && std::isfinite(t);
  };
  std::int64_t fa = 0, fb = 0;
  double ta = 0, tb = 0;
  if (!get(a, fa, ta) || !get(b, fb, tb)) return FnRelation::unknown;
  const double dt = tb - ta;
  const double frames = dt / kFrameS;
  if (std::fabs(frames) > 1e12) return FnRelation::unknown;
  std::int64_t d = ((fa + static_cast<std::int64_t>(std::llround(frames)) - fb) % kHyperframe + kHyperframe) % kHyperframe;
  d = std::min(d, kHyperframe - d);
  // One frame for the timing of the two SCH bursts, plus a receiver clock error of up to 100 ppm over dt.
  const double tolerance = 1.0 + std::fabs(frames) * 100e-6;
  return static_cast<double>(d) <= tolerance ? FnRelation::consistent : FnRelation::inconsistent;
}

bool valid_freq(const json& j) { return j.contains("freq_hz") && j["freq_hz"].is_number() && j["freq_hz"].get<double>() > 0; }

std::size_t si_count(const json& j) {
  return j.contains("si_seen") && j["si_seen"].is_array() ? j["si_seen"].size() : 0;
}

// Which record describes the cell best.
bool better(const json& a, const json& b) {
  const bool ia = has_ci(a), ib = has_ci(b);
  if (ia != ib) return ia;
  const bool sa = bsic_of(a) >= 0, sb = bsic_of(b) >= 0;
  if (sa != sb) return sa;
  // More of the cell's System Information (a tuning that ended once its own carriers were complete may
  // hold a partial record of a carrier at its edge that another tuning decoded fully).
  const std::size_t na_si = si_count(a), nb_si = si_count(b);
  if (na_si != nb_si) return na_si > nb_si;
  const double na = num(a, "snr_db", -100), nb = num(b, "snr_db", -100);
  if (std::fabs(na - nb) > 1.0) return na > nb;
  return num(a, "power_dbfs", -200) > num(b, "power_dbfs", -200);
}

std::vector<cal::CarrierObservation> observations(const std::vector<json>& recs, double min_snr_db,
                                                  const char* channel_key) {
  std::vector<cal::CarrierObservation> out;
  for (const auto& r : recs) {
    if (bsic_of(r) < 0 || num(r, "snr_db", -100) < min_snr_db) continue;
    if (!r.contains(channel_key) || !r[channel_key].is_number()) continue;
    out.push_back({r[channel_key].get<double>(), num(r, "cfo_hz", 0.0)});
  }
  return out;
}

}  // namespace

std::optional<cal::PpmEstimate> estimate_from_cells(const std::vector<json>& cells, double min_snr_db,
                                                    const cal::PpmEstimatorOptions& options) {
  const auto obs = observations(cells, min_snr_db, "observed_freq_hz");
  if (obs.empty()) return std::nullopt;
  return cal::estimate_receiver_ppm(obs, options);
}

MergeResult merge_sweep_cells(const std::vector<json>& records, const MergeOptions& o) {
  MergeResult res;
  res.records = records.size();
  std::vector<json> recs, lte;
  for (const auto& r : records)
    if (r.is_object() && r.contains("rat") && r["rat"] == "LTE") lte.push_back(r);
    else if (valid_freq(r)) recs.push_back(r);
    else res.cells.push_back(r);

  double e = 0.0;
  if (o.receiver_ppm) {
    e = *o.receiver_ppm;
  } else if (auto est = cal::estimate_receiver_ppm(observations(recs, o.min_snr_db, "freq_hz"))) {
    res.receiver_error = est;
    e = est->receiver_ppm;
  }
  res.receiver_ppm_used = e;

  // Map each record to its true carrier.
  for (auto& r : recs) {
    const double observed = r["freq_hz"].get<double>();
    const double apparent = observed + num(r, "cfo_hz", 0.0);
    const double truth = apparent / (1.0 + e * 1e-6);
    r["observed_freq_hz"] = observed;
    if (r.contains("arfcn")) r["observed_arfcn"] = r["arfcn"];
    if (auto ch = gsm_channel_at(truth, 60e3)) {
      r["arfcn"] = ch->arfcn;
      r["band"] = gsm_band_name(ch->band);
      r["freq_hz"] = ch->downlink_hz;
      r["cfo_residual_ppb"] = std::round((apparent / (ch->downlink_hz * (1.0 + e * 1e-6)) - 1.0) * 1e9);
    }
    r["apparent_hz"] = apparent;
  }

  // Group by true carrier, and within it by cell identity.
  std::sort(recs.begin(), recs.end(), [](const json& a, const json& b) { return better(a, b); });
  std::vector<json> groups;
  for (auto& r : recs) {
    bool merged = false;
    for (auto& g : groups) {
      if (std::fabs(g["freq_hz"].get<double>() - r["freq_hz"].get<double>()) > 1.0) continue;
      if (!identity_compatible(g, r)) continue;
      const int gb = bsic_of(g), rb = bsic_of(r);
      if (gb >= 0 && rb >= 0 && gb != rb && has_ci(r)) continue;
      // Same carrier and BSIC but another frame number clock: a second transmitter (e.g. a copy of the cell).
      if (gb >= 0 && gb == rb && relation_of(g, r) == FnRelation::inconsistent) continue;
      g["observations"] = g["observations"].get<int>() + 1;
      ++res.duplicates;
      merged = true;
      break;
    }
    if (!merged) {
      r["observations"] = 1;
      groups.push_back(std::move(r));
    }
  }

  // Ghosts: compare every cell with the stronger ones.
  std::vector<bool> drop(groups.size(), false);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const json& x = groups[i];
    for (std::size_t j = 0; j < groups.size() && !drop[i]; ++j) {
      if (i == j || drop[j]) continue;
      const json& y = groups[j];
      const double px = num(x, "power_dbfs", -200), py = num(y, "power_dbfs", -200);
      if (py <= px) continue;
      const double df = std::fabs(x["freq_hz"].get<double>() - y["freq_hz"].get<double>());
      const bool same_bsic = bsic_of(x) >= 0 && bsic_of(x) == bsic_of(y);
      const FnRelation fn = same_bsic ? relation_of(x, y) : FnRelation::unknown;
      // The same BSIC on another frame number clock is another transmitter, whatever else matches.
      if (fn == FnRelation::inconsistent) continue;
      if (df > 1.0 && df < 400e3 + 1.0 && same_bsic && identity_compatible(x, y)) {
        drop[i] = true;
        ++res.adjacent_ghosts;
        continue;
      }
      if (x.contains("tuning_hz") && x["tuning_hz"].is_number() && py >= px + o.mirror_margin_db &&
          (!has_ci(x) || identity_compatible(x, y)) && (bsic_of(x) < 0 || bsic_of(x) == bsic_of(y))) {
        const double mirror = 2.0 * x["tuning_hz"].get<double>() - x["apparent_hz"].get<double>();
        if (std::fabs(mirror - y["apparent_hz"].get<double>()) < 100e3) {
          drop[i] = true;
          ++res.mirror_ghosts;
          continue;
        }
      }
      // Same BSIC on the same cell clock anywhere else (an alias folded in from beyond the device's filter,
      // an image): the same transmitter, seen weaker.
      if (fn == FnRelation::consistent && df > 1.0 && identity_compatible(x, y)) {
        drop[i] = true;
        ++res.fn_ghosts;
      }
    }
  }
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (!drop[i]) {
      groups[i].erase("apparent_hz");
      res.cells.push_back(std::move(groups[i]));
    }

  if (!lte.empty()) {
    res.lte_records = lte.size();
    double le = 0.0;
    if (o.receiver_ppm) {
      le = *o.receiver_ppm;
      res.lte_receiver_error_source = "given";
    } else if (res.receiver_error) {
      le = res.receiver_error->receiver_ppm;
      res.lte_receiver_error_source = "gsm";
    } else if (auto est = estimate_lte_receiver_ppm(lte)) {
      le = est->receiver_ppm;
      res.lte_receiver_error = est;
      res.lte_receiver_error_source = "lte";
    }
    res.lte_receiver_ppm_used = le;
    auto m = merge_lte_cells(lte, le);
    res.lte_duplicates = m.duplicates;
    res.lte_unconfirmed = m.unconfirmed;
    res.lte_cells = m.cells.size();
    for (auto& c : m.cells) res.cells.push_back(std::move(c));
  }
  std::stable_sort(res.cells.begin(), res.cells.end(), [](const json& a, const json& b) {
    return num(a, "freq_hz", 0) < num(b, "freq_hz", 0);
  });
  return res;
}

}  // namespace tw::sweep
