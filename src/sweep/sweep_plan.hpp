// Sweep planner: the tunings that cover a list of bands with a device's usable bandwidth, and the dwell
// per tuning for a scan mode.
//
// Placement. A tuning at centre c uses the channels within c +- (usable_fraction*rate/2 - edge_margin_hz)
// (usable_fraction: the part of the rate the device's anti-alias filter leaves flat; edge_margin_hz: half a
// GSM channel's occupied width, so every channel lies wholly inside). Zero-IF dongles have a DC spike: c is
// put halfway between two 200 kHz raster points, so no carrier lies within dc_guard_hz (100 kHz) of DC.
// Channels are taken in frequency order; each tuning starts at the lowest channel not yet covered and takes
// every channel of the band it reaches; each channel is assigned to exactly one tuning.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "src/sweep/band_plan.hpp"

namespace tw::sweep {

enum class ScanMode { census, sync, full };
ScanMode scan_mode_from_name(const std::string& name);  // throws tw::InputError
const char* scan_mode_name(ScanMode mode);

// Default dwell of a mode in seconds: census 0.05 (power only); sync 0.25 (FCCH and SCH recur every
// 10 frames, 46 ms, 45.002 clause 7 table 3: several chances); full 2.5 (a whole SI cycle of 8 x 51 frames,
// 1.88 s, 45.002 clause 6.3.1.3, plus the time to sync).
double default_dwell_s(ScanMode mode);

// The part of the sample rate a device's anti-alias filtering leaves flat enough to use, by SoapySDR driver
// name:
//   "hackrf" 0.88: HackRF One's only anti-alias filter is the MAX2837 baseband low-pass (1.75..28 MHz),
//     no digital decimation at the ADC rate. With the filter set to the sample rate (SoapySDR
//     setBandwidth(rate), e.g. 20 MHz at 20 Msps) its corner is at +-rate/2; channels out to 0.88 x rate/2
//     (+-8.8 MHz at 20 Msps) lie in its pass band. The HackRF documentation ("Sampling Rate and Baseband
//     Filters", from the MAX2837 datasheet) gives 4 dB at 1.14 x the half-bandwidth, so aliases of carriers
//     more than 1.12 x rate/2 away fold into the outer channels attenuated by only a few dB: they have
//     the BSIC and FN of their source and the ghost merge (cell_merge.hpp) drops them. 0.88 is what
//     puts E-GSM900 (174 carriers, 34.6 MHz) into 2 tunings at 20 Msps. Not measured on hardware here.
//   "rtlsdr" 0.8: the RTL2832U decimates with a digital low-pass flat to about 0.8 x rate/2 at 2.4 Msps;
//     its edges roll off and alias.
//   anything else (and the simulated radio): 0.8.
double usable_fraction_for_driver(const std::string& driver);

struct SweepPlanOptions {
  double sample_rate_hz = 2.4e6;
  double usable_fraction = 0.8;
  double edge_margin_hz = 100e3;
  double dc_guard_hz = 100e3;
  ScanMode mode = ScanMode::full;
  std::optional<double> dwell_s;       // overrides the mode's default
  double settle_s = 0.005;             // samples discarded after each retune
};

struct Tuning {
  double center_hz = 0.0;
  std::string band;                    // name of the band whose channels it covers
  std::vector<GsmChannel> channels;    // the channels assigned to this tuning (frequency order)
};

struct SweepPlan {
  std::vector<Tuning> tunings;
  double dwell_s = 0.0;
  double settle_s = 0.0;
  double usable_half_width_hz = 0.0;   // usable_fraction * rate / 2 - edge_margin_hz
  std::size_t channels() const;
  double stream_seconds() const { return static_cast<double>(tunings.size()) * (dwell_s + settle_s); }
};

// LTE bands get no tunings (the GSM sweep skips them; see run_scan_session).
// Throws tw::InputError when the rate is too small to hold one channel clear of DC and of the band edge,
// for a bad fraction or a non-positive dwell.
SweepPlan plan_sweep(const std::vector<SweepBand>& bands, const SweepPlanOptions& options);

}  // namespace tw::sweep
