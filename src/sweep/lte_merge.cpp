#include "src/sweep/lte_merge.hpp"

#include <algorithm>
#include <cmath>

#include "src/core/lte_bands.hpp"
#include "src/pipeline/lte_system_info.hpp"

namespace tw::sweep {

using nlohmann::json;

namespace {

constexpr double kRasterHz = 100e3;      // 36.101 5.7.2
constexpr double kSameCarrierHz = 50e3;  // half the raster: one carrier
constexpr int kSfnModulo = 1024;         // 36.331 MIB: systemFrameNumber (8 MSBs) + 2 bits from the PBCH TTI

double num(const json& j, const char* key, double fallback) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}
int pci_of(const json& j) {
  if (!j.contains("pci") || !j["pci"].is_number_integer()) return -1;
  const int p = j["pci"].get<int>();
  return p >= 0 && p <= 503 ? p : -1;  // 36.211 6.11: 504 identities
}
bool mib_of(const json& j) { return j.contains("mib") && j["mib"].is_string(); }

// The apparent carrier: "apparent_carrier_hz", else tuning + offset + CFO.
std::optional<double> apparent_of(const json& j) {
  double a = num(j, "apparent_carrier_hz", -1.0);
  if (!(a > 0) && j.contains("tuning_hz") && j["tuning_hz"].is_number())
    a = num(j, "tuning_hz", 0.0) + num(j, "offset_hz", 0.0) + num(j, "cfo_hz", 0.0);
  if (!(a > 0) || !std::isfinite(a) || a > 1e11) return std::nullopt;
  return a;
}

bool better(const json& a, const json& b) {
  const bool ma = mib_of(a), mb = mib_of(b);
  if (ma != mb) return ma;
  const double sa = num(a, "sinr_db", -100), sb = num(b, "sinr_db", -100);
  if (std::fabs(sa - sb) > 1.0) return sa > sb;
  return num(a, "rsrp_dbfs", -200) > num(b, "rsrp_dbfs", -200);
}

struct Group {
  std::size_t best;                 // index of the best record
  std::vector<std::size_t> members;
  double apparent;
};

// Records (with an apparent carrier, in `order` best first) grouped into cells: same PCI, apparent carriers
// within 50 kHz of the group's best, frame timing not inconsistent with it.
std::vector<Group> group_records(const std::vector<json>& recs, const std::vector<double>& apparent) {
  std::vector<std::size_t> order(recs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return better(recs[a], recs[b]); });
  std::vector<Group> groups;
  for (std::size_t i : order) {
    bool merged = false;
    for (auto& g : groups) {
      const json& head = recs[g.best];
      if (pci_of(head) != pci_of(recs[i]) || pci_of(head) < 0) continue;
      if (std::fabs(g.apparent - apparent[i]) > kSameCarrierHz) continue;
      if (lte_sfn_relation(head, recs[i]) == SfnRelation::inconsistent) continue;
      g.members.push_back(i);
      merged = true;
      break;
    }
    if (!merged) groups.push_back(Group{i, {i}, apparent[i]});
  }
  return groups;
}

}  // namespace

SfnRelation lte_sfn_relation(const json& a, const json& b) {
  auto get = [](const json& r, int& sfn, double& t) {
    if (!r.contains("sfn") || !r["sfn"].is_number_integer()) return false;
    if (!r.contains("sfn_time_s") || !r["sfn_time_s"].is_number()) return false;
    sfn = r["sfn"].get<int>();
    t = r["sfn_time_s"].get<double>();
    return sfn >= 0 && sfn < kSfnModulo && std::isfinite(t);
  };
  int sa = 0, sb = 0;
  double ta = 0, tb = 0;
  if (!get(a, sa, ta) || !get(b, sb, tb)) return SfnRelation::unknown;
  const double frames = (tb - ta) / kLteFrameS;
  if (std::fabs(frames) > 1e12) return SfnRelation::unknown;
  const double k = std::round(frames);
  // Frame starts are measured to a few samples; the receiver clock may run 100 ppm off over the interval.
  if (std::fabs(frames - k) > 0.05 + 100e-6 * std::fabs(frames)) return SfnRelation::inconsistent;
  const long long kk = static_cast<long long>(k);
  const long long d = ((static_cast<long long>(sa) + kk - sb) % kSfnModulo + kSfnModulo) % kSfnModulo;
  return d == 0 ? SfnRelation::consistent : SfnRelation::inconsistent;
}

std::optional<LteReceiverEstimate> estimate_lte_receiver_ppm(const std::vector<json>& records, double max_abs_ppm) {
  std::vector<json> recs;
  std::vector<double> apparent;
  for (const auto& r : records)
    if (auto a = apparent_of(r); a && mib_of(r) && pci_of(r) >= 0) {
      recs.push_back(r);
      apparent.push_back(*a);
    }
  if (recs.empty()) return std::nullopt;
  const auto groups = group_records(recs, apparent);
  // Proposals per distinct cell.
  std::vector<std::vector<double>> proposals;
  for (const auto& g : groups) {
    const double a = g.apparent;
    const double span = max_abs_ppm * 1e-6;
    std::vector<double> ps;
    for (double f = std::ceil(a / (1.0 + span) / kRasterHz) * kRasterHz; f <= a / (1.0 - span); f += kRasterHz) {
      const double e = (a / f - 1.0) * 1e6;
      if (std::fabs(e) <= max_abs_ppm) ps.push_back(e);
    }
    proposals.push_back(std::move(ps));
  }
  constexpr double kAgree = 1.0;
  double best = 0.0;
  std::size_t best_votes = 0;
  for (const auto& ps : proposals)
    for (double v : ps) {
      std::size_t votes = 0;
      for (const auto& qs : proposals)
        if (std::any_of(qs.begin(), qs.end(), [&](double q) { return std::fabs(q - v) <= kAgree; })) ++votes;
      if (votes > best_votes || (votes == best_votes && std::fabs(v) < std::fabs(best))) {
        best = v;
        best_votes = votes;
      }
    }
  if (best_votes == 0) return std::nullopt;
  double sum = 0.0, sum2 = 0.0;
  std::size_t n = 0;
  for (const auto& qs : proposals)
    for (double q : qs)
      if (std::fabs(q - best) <= kAgree) {
        sum += q;
        sum2 += q * q;
        ++n;
        break;
      }
  LteReceiverEstimate est;
  est.receiver_ppm = sum / static_cast<double>(n);
  est.spread_ppm = n > 1 ? std::sqrt(std::max(0.0, (sum2 - sum * sum / static_cast<double>(n)) / static_cast<double>(n - 1))) : 0.0;
  est.cells = n;
  est.candidates = groups.size();
  return est;
}

LteMergeResult merge_lte_cells(const std::vector<json>& records, double receiver_ppm) {
  LteMergeResult res;
  res.records = records.size();
  res.receiver_ppm_used = receiver_ppm;
  std::vector<json> recs;
  std::vector<double> apparent;
  for (const auto& r : records) {
    if (auto a = apparent_of(r); a && pci_of(r) >= 0) {
      recs.push_back(r);
      apparent.push_back(*a);
    } else {
      res.cells.push_back(r);
    }
  }
  const double scale = 1.0 + receiver_ppm * 1e-6;
  for (const auto& g : group_records(recs, apparent)) {
    json c = recs[g.best];
    // System Information comes from the member that decoded the most of it (a tuning that holds the whole
    // cell), whichever record describes the carrier best.
    const json* si = nullptr;
    for (const std::size_t m : g.members) {
      const json& r = recs[m];
      if (!has_lte_sib1(r)) continue;
      const auto n = r.contains("sibs_seen") && r["sibs_seen"].is_array() ? r["sibs_seen"].size() : 0;
      if (!si || n > (*si).value("sibs_seen", json::array()).size()) si = &r;
    }
    if (si && si != &recs[g.best]) copy_lte_system_information(*si, c);
    const double a = g.apparent;
    const double f = std::round(a / scale / kRasterHz) * kRasterHz;
    const double residual_ppm = (a / (f * scale) - 1.0) * 1e6;
    if (g.members.size() == 1 && std::fabs(residual_ppm) > kMaxCellOffsetPpm) {
      ++res.unconfirmed;
      continue;
    }
    res.duplicates += g.members.size() - 1;
    c["observed_freq_hz"] = std::round(a);
    c["freq_hz"] = f;
    c["cfo_residual_ppb"] = std::round(residual_ppm * 1e3);
    c["cfo_hz"] = std::round(a - f);  // from the true carrier (the record's own was from its search offset)
    c.erase("offset_hz");
    c["observations"] = g.members.size();
    // EARFCN: in the band swept when it holds F (bands 1, 4 and 66 overlap), else the lowest band number.
    c["earfcn"] = nullptr;
    c["band"] = nullptr;
    const auto bands = lte_bands_at(f);
    int band = bands.empty() ? 0 : bands.front();
    if (c.contains("sweep_band") && c["sweep_band"].is_string())
      if (auto b = lte_band_from_name(c["sweep_band"].get<std::string>());
          b && std::find(bands.begin(), bands.end(), *b) != bands.end())
        band = *b;
    if (band)
      if (auto e = lte_earfcn(f, band)) {
        c["earfcn"] = *e;
        c["band"] = lte_band_name(band);
      }
    c.erase("apparent_carrier_hz");
    c.erase("carrier_offset_ppm");  // of one search's raster guess; the merged cell has cfo_residual_ppb
    c.erase("sweep_band");
    c.erase("frame_start_s");
    c.erase("frame_start_sample");
    res.cells.push_back(std::move(c));
  }
  std::stable_sort(res.cells.begin(), res.cells.end(), [](const json& a, const json& b) {
    const double fa = num(a, "freq_hz", 0), fb = num(b, "freq_hz", 0);
    if (fa != fb) return fa < fb;
    return pci_of(a) < pci_of(b);
  });
  return res;
}

}  // namespace tw::sweep
