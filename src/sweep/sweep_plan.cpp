#include "src/sweep/sweep_plan.hpp"

#include <cmath>

#include "src/core/error.hpp"
#include "src/pipeline/lte_analysis.hpp"

namespace tw::sweep {

namespace {
constexpr double kRaster = 200e3;  // 45.005 clause 2: carrier spacing
constexpr double kLteRaster = 100e3;     // 36.101 5.7.2: channel raster
constexpr double kLteWindowMarginHz = 5e3;
constexpr double kLteCentralHalf = 540e3;  // 36.211 6.6: PBCH on the central 72 subcarriers
}

ScanMode scan_mode_from_name(const std::string& name) {
  if (name == "census") return ScanMode::census;
  if (name == "sync") return ScanMode::sync;
  if (name == "full") return ScanMode::full;
  throw InputError("--mode: unknown mode '" + name + "' (census, sync, full)");
}

const char* scan_mode_name(ScanMode mode) {
  switch (mode) {
    case ScanMode::census: return "census";
    case ScanMode::sync: return "sync";
    case ScanMode::full: return "full";
  }
  return "?";
}

double default_dwell_s(ScanMode mode) {
  switch (mode) {
    case ScanMode::census: return 0.05;
    case ScanMode::sync: return 0.25;
    case ScanMode::full: return 2.5;
  }
  return 2.5;
}

double usable_fraction_for_driver(const std::string& driver) {
  if (driver == "hackrf") return 0.88;
  return 0.8;
}

std::size_t SweepPlan::channels() const {
  std::size_t n = 0;
  for (const auto& t : tunings) n += t.channels.size() + t.lte_channels.size();
  return n;
}

std::size_t SweepPlan::lte_tunings() const {
  std::size_t n = 0;
  for (const auto& t : tunings) n += t.is_lte() ? 1 : 0;
  return n;
}

double SweepPlan::stream_seconds() const {
  double s = 0.0;
  for (const auto& t : tunings) s += (t.is_lte() ? lte_dwell_s : dwell_s) + settle_s;
  return s;
}

std::vector<Tuning> plan_lte_band(const SweepBand& band, const SweepPlanOptions& o) {
  std::vector<Tuning> out;
  const auto& ch = band.lte_channels;
  if (ch.empty()) return out;
  if (!(o.lte_receiver_ppm >= 0 && o.lte_receiver_ppm <= 1000))
    throw InputError("sweep: LTE receiver error bound must be within 0..1000 ppm");
  const double eps = o.lte_receiver_ppm * 1e-6 * band.high_hz();
  const double usable = o.usable_fraction * o.sample_rate_hz / 2.0;
  // Offsets on the raster points (spacing 100 kHz): every carrier is its own offset's, seen within the
  // receiver's error; the window adds a margin for the search's CFO grid (half a 5.6 kHz step) and the
  // eNodeB's 0.05 ppm (TS 36.104 6.5.1). Neighbouring windows overlap once the error exceeds half the raster.
  const double window = eps + kLteWindowMarginHz;
  const double room = usable - kLteCentralHalf - window;
  if (window > kLteMaxSearchCfoHz || room < 0)
    throw InputError("sweep: " + band.name + ": a receiver error of " + std::to_string(std::lround(o.lte_receiver_ppm)) +
                     " ppm (" + std::to_string(std::lround(eps / 1e3)) + " kHz) with the central 6 PRB (+-540 kHz) does not fit " +
                     (window > kLteMaxSearchCfoHz ? std::string("the cell search window (324 kHz)")
                                                  : "the usable band of " + std::to_string(std::lround(o.sample_rate_hz)) + " Sps") +
                     ": calibrate the receiver (towerwatch calibrate) or use a higher rate");
  const double half = kLteRaster * std::floor(room / kLteRaster + 1e-9);
  const int n = 2 * static_cast<int>(std::lround(half / kLteRaster)) + 1;
  std::size_t i = 0;
  while (i < ch.size()) {
    Tuning t;
    t.rat = "LTE";
    t.band = band.name;
    t.center_hz = ch[i].downlink_hz + half;
    for (int j = 0; j < n; ++j) t.lte_offsets_hz.push_back(-half + j * kLteRaster);
    t.lte_max_cfo_hz = window;
    while (i < ch.size() && ch[i].downlink_hz <= t.center_hz + half + 1.0) t.lte_channels.push_back(ch[i++]);
    out.push_back(std::move(t));
  }
  return out;
}

SweepPlan plan_sweep(const std::vector<SweepBand>& bands, const SweepPlanOptions& o) {
  if (!(o.sample_rate_hz > 0)) throw InputError("sweep: sample rate must be positive");
  if (!(o.usable_fraction > 0 && o.usable_fraction <= 1)) throw InputError("sweep: usable fraction must be in (0, 1]");
  if (!(o.edge_margin_hz >= 0) || !(o.dc_guard_hz >= 0) || o.dc_guard_hz > kRaster / 2)
    throw InputError("sweep: edge margin must be >= 0 and the DC guard within 0..100 kHz");
  SweepPlan plan;
  plan.dwell_s = o.dwell_s ? *o.dwell_s : default_dwell_s(o.mode);
  if (!(plan.dwell_s > 0 && plan.dwell_s <= 3600)) throw InputError("--dwell must be between 0 and 3600 s");
  plan.settle_s = o.settle_s;
  plan.lte_dwell_s = o.lte_dwell_s;
  if (!(plan.lte_dwell_s >= 0.02 && plan.lte_dwell_s <= 2.0)) throw InputError("sweep: LTE dwell must be within 0.02..2 s");
  const double reach = o.usable_fraction * o.sample_rate_hz / 2.0 - o.edge_margin_hz;
  plan.usable_half_width_hz = reach;
  // The centre sits half a raster step off the carriers: the nearest carriers are 100 kHz from DC, then
  // 300, 500... The farthest usable carrier below the centre is at 100 kHz + k * 200 kHz <= reach.
  if (reach < kRaster / 2)
    throw InputError("sweep: a sample rate of " + std::to_string(o.sample_rate_hz) +
                     " Hz leaves no channel 100 kHz inside the usable band and clear of DC (need at least " +
                     std::to_string((kRaster / 2 + o.edge_margin_hz) * 2 / o.usable_fraction) + " Hz)");
  const double first_to_centre = kRaster / 2 + kRaster * std::floor((reach - kRaster / 2) / kRaster + 1e-9);
  for (const auto& band : bands) {
    if (band.is_lte()) {
      for (auto& t : plan_lte_band(band, o)) plan.tunings.push_back(std::move(t));
      continue;
    }
    std::size_t i = 0;
    const auto& ch = band.channels;
    while (i < ch.size()) {
      Tuning t;
      t.band = band.name;
      t.center_hz = ch[i].downlink_hz + first_to_centre;
      // The band's raster may have holes (E-GSM: ARFCN 0 and 975..1023 join P-GSM seamlessly; other bands
      // are contiguous), so take channels by frequency, not by count.
      while (i < ch.size() && ch[i].downlink_hz <= t.center_hz + reach + 1.0) {
        const double d = std::fabs(ch[i].downlink_hz - t.center_hz);
        if (d + 1.0 < o.dc_guard_hz) break;  // off-raster band (cannot happen on the GSM raster)
        t.channels.push_back(ch[i]);
        ++i;
      }
      if (t.channels.empty()) throw InputError("sweep: band " + band.name + " is off the 200 kHz raster");
      plan.tunings.push_back(std::move(t));
    }
  }
  return plan;
}

}  // namespace tw::sweep
