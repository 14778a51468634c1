#include "src/sweep/lte_census.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include <fftw3.h>

#include "dsp/pfb_channelizer.hpp"   // fftw_planner_mutex

namespace tw::sweep {

double lte_noise_floor_dbfs_per_mhz(std::span<const std::complex<float>> x, double rate) {
  constexpr int n = 1024;
  if (!(rate > 0.0) || x.size() < static_cast<std::size_t>(n)) return -200.0;
  std::vector<float> w(n);
  double wss = 0.0;
  for (int i = 0; i < n; ++i) {
    w[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2 * M_PI * i / n));
    wss += static_cast<double>(w[static_cast<std::size_t>(i)]) * w[static_cast<std::size_t>(i)];
  }
  std::vector<double> psd(n, 0.0);
  auto* in = fftwf_alloc_complex(n);
  auto* out = fftwf_alloc_complex(n);
  fftwf_plan plan;
  {
    std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
    plan = fftwf_plan_dft_1d(n, in, out, FFTW_FORWARD, FFTW_ESTIMATE);
  }
  std::size_t frames = 0;
  for (std::size_t start = 0; start + n <= x.size(); start += n / 2, ++frames) {
    for (int i = 0; i < n; ++i) {
      const auto v = x[start + static_cast<std::size_t>(i)];
      const float wi = w[static_cast<std::size_t>(i)];
      // A non-finite sample (a broken device) counts as silence rather than poisoning the estimate.
      in[i][0] = std::isfinite(v.real()) ? v.real() * wi : 0.0f;
      in[i][1] = std::isfinite(v.imag()) ? v.imag() * wi : 0.0f;
    }
    fftwf_execute(plan);
    for (int k = 0; k < n; ++k)
      psd[static_cast<std::size_t>(k)] += static_cast<double>(out[k][0]) * out[k][0] + static_cast<double>(out[k][1]) * out[k][1];
  }
  {
    std::lock_guard<std::mutex> lock(tw::dsp::fftw_planner_mutex());
    fftwf_destroy_plan(plan);
  }
  fftwf_free(in);
  fftwf_free(out);
  // Bin power (Parseval: the bins sum to the mean power), over the usable band without the DC bins.
  std::vector<double> bins;
  const int edge = static_cast<int>(std::floor(0.45 * n));
  for (int k = -edge; k <= edge; ++k) {
    if (std::abs(k) <= 2) continue;   // a zero-IF receiver's DC offset and its window leakage
    bins.push_back(psd[static_cast<std::size_t>((k + n) % n)] / (static_cast<double>(frames) * n * wss));
  }
  std::sort(bins.begin(), bins.end());
  const double p = bins[static_cast<std::size_t>(std::floor(kFloorQuantile * static_cast<double>(bins.size() - 1)))];
  const double per_mhz = p * n / rate * 1e6;   // density: bin power over the bin's width, per MHz
  return 10.0 * std::log10(std::max(per_mhz, 1e-30));
}

std::vector<BandFloor> band_floors_of(const std::vector<LteTuningFloor>& tunings) {
  std::map<std::string, std::vector<double>> by_band;
  for (const auto& t : tunings)
    if (!t.band.empty() && t.noise_floor_dbfs_per_mhz > -199.0 && std::isfinite(t.noise_floor_dbfs_per_mhz))
      by_band[t.band].push_back(t.noise_floor_dbfs_per_mhz);
  std::vector<BandFloor> out;
  for (auto& [band, v] : by_band) {
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    const double med = v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    BandFloor f;
    f.rat = "LTE";
    f.band = band;
    f.noise_floor_dbfs_per_mhz = std::round(med * 10.0) / 10.0;
    f.tunings = static_cast<int>(v.size());
    out.push_back(f);
  }
  return out;
}

}  // namespace tw::sweep
