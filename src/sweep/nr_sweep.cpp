#include "src/sweep/nr_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "dsp/nr/nr_bands.hpp"
#include "src/core/error.hpp"
#include "src/pipeline/nr_analysis.hpp"

namespace tw::sweep {

std::vector<int> take_nr_bands(std::string& list) {
  std::vector<int> nr;
  std::string rest;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, end - start);
    std::string lower;
    for (char c : item) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("nr", 0) == 0) {
      const auto b = dsp::nr::nr_band_from_name(item);
      if (!b) throw InputError("--band: unknown NR band '" + item + "' (supported: n1 n3 n5 n7 n8 n20 n28 n38 n40 n41 n77 n78 n79)");
      if (std::find(nr.begin(), nr.end(), *b) == nr.end()) nr.push_back(*b);
    } else if (!item.empty()) {
      rest += (rest.empty() ? "" : ",") + item;
    }
    start = end + 1;
  }
  list = rest;
  return nr;
}

std::vector<double> nr_tuning_centers(const std::vector<int>& bands, double rate, double usable_fraction) {
  std::vector<double> centers;
  for (int band : bands) {
    const auto raster = dsp::nr::nr_band_raster(band);
    if (raster.empty()) continue;
    const int scs = raster.front().scs_khz;
    double half = usable_fraction * rate / 2 - 120.0 * scs * 1e3;     // whole SSB
    if (half < 10e3) half = usable_fraction * rate / 2 - 64.0 * scs * 1e3;   // PSS/SSS only
    if (half < 10e3)
      throw InputError("NR band n" + std::to_string(band) + ": " + std::to_string(rate) +
                       " Sps cannot hold a " + std::to_string(scs) + " kHz PSS (1.92 / 3.84 MHz)");
    std::vector<double> f;
    for (const auto& c : raster) f.push_back(c.ss_ref_hz);
    std::sort(f.begin(), f.end());
    for (std::size_t i = 0; i < f.size();) {
      const double c = f[i] + half;
      centers.push_back(c);
      while (i < f.size() && f[i] <= c + half) ++i;
    }
  }
  return centers;
}

NrSweepResult run_nr_sweep(ScanDevice& device, const std::vector<int>& bands, double usable_fraction, double dwell_s,
                           const std::atomic<bool>* stop) {
  NrSweepResult r;
  auto& src = *device.source;
  const double rate = src.info().sample_rate_hz;
  std::map<std::pair<int, int>, nlohmann::json> best;   // (GSCN, PCI) -> record
  for (const double c : nr_tuning_centers(bands, rate, usable_fraction)) {
    if (stop && stop->load()) break;
    src.retune(c);
    // Settle (5 ms), then the dwell.
    std::vector<cf32> settle(static_cast<std::size_t>(0.005 * rate));
    src.read(settle);
    NrAnalysisOptions o;
    o.seconds = dwell_s;
    o.bands = bands;
    const NrAnalysisResult a = run_nr_analysis(src, o);
    ++r.tunings;
    r.raster_points += a.raster_points;
    for (const auto& cell : a.cells) {
      if (!cell["gscn"].is_number()) continue;
      const auto key = std::make_pair(cell["gscn"].get<int>(), cell["pci"].get<int>());
      auto it = best.find(key);
      if (it == best.end() || cell.value("sinr_db", -1e9) > it->second.value("sinr_db", -1e9)) {
        nlohmann::json rec = cell;
        rec["tuning_hz"] = c;
        best[key] = rec;
      }
    }
  }
  for (auto& [k, v] : best) r.cells.push_back(std::move(v));
  return r;
}

}  // namespace tw::sweep
