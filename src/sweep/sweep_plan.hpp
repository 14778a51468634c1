// Sweep planner: the tunings that cover a list of bands with a device's usable bandwidth, and the dwell
// per tuning for a scan mode.
//
// Placement. A tuning at centre c uses the channels within c +- (usable_fraction*rate/2 - edge_margin_hz)
// (usable_fraction: the part of the rate the device's anti-alias filter leaves flat; edge_margin_hz: half a
// GSM channel's occupied width, so every channel lies wholly inside). Zero-IF dongles have a DC spike: c is
// put halfway between two 200 kHz raster points, so no carrier lies within dc_guard_hz (100 kHz) of DC.
// Channels are taken in frequency order; each tuning starts at the lowest channel not yet covered and takes
// every channel of the band it reaches; each channel is assigned to exactly one tuning.
//
// LTE bands (plan_lte_band). Every EARFCN of the band's 100 kHz raster (TS 36.101 5.7.2, 5.7.3) is a
// possible carrier. The cell search (src/pipeline/lte_analysis.hpp) looks at the central 6 PRB (+-540 kHz,
// TS 36.211 6.6, 6.11) at 1.92 Msps around a searched offset, for carriers up to a window W either side of
// it. The search takes the carrier offset it finds for the receiver's clock error (it stretches the 5 ms
// PSS period by cfo / carrier to fold 8 half-frames), which holds only when the offset searched is the
// cell's own raster point: so the offsets are the raster points themselves, 100 kHz apart. The receiver
// error eps (lte_receiver_ppm x the band's top frequency) is common to all offsets; an offset responsible
// for the raster points within 50 kHz of it searches W = eps + 50 kHz (at most kLteMaxSearchCfoHz, 324 kHz:
// 100 ppm up to 2.74 GHz). A tuning covers the raster points within `half` of its centre, half = the
// largest multiple of 100 kHz with half + W + 540 kHz <= the usable half width (usable_fraction x rate / 2),
// so every window and the 6 PRB in it stay in the usable band; at 2.4 Msps: 5 EARFCNs a tuning in B20, 3 in
// B3 and B7. Tunings start at the lowest raster point not yet covered; each EARFCN is assigned to one tuning.
// DC: the tuning centre is a raster point. A zero-IF receiver's DC spike then lands, once the receiver error
// is small, in the DC subcarrier of a cell on that raster point, which LTE leaves empty (TS 36.211 6.12),
// and PSS/SSS never use it (6.11); avoiding DC is impossible anyway (a carrier anywhere within 540 kHz of
// the centre has DC inside its central 6 PRB), and the spike is one tone among the 62 PSS/SSS subcarriers.
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
  double lte_dwell_s = 0.08;           // LTE search per tuning: 8 radio frames (PSS every 5 ms, PBCH 40 ms,
                                       // TS 36.211 6.6: any 80 ms hold one whole PBCH TTI)
  double lte_receiver_ppm = 100.0;     // receiver error the LTE search windows cover
};

struct Tuning {
  double center_hz = 0.0;
  std::string band;                    // name of the band whose channels it covers
  std::vector<GsmChannel> channels;    // the channels assigned to this tuning (frequency order)
  // LTE tunings (rat "LTE"): the EARFCNs assigned, the offsets from the centre searched, and the search
  // window either side of each offset (receiver error + half the offset spacing).
  std::string rat = "GSM";
  std::vector<LteChannel> lte_channels;
  std::vector<double> lte_offsets_hz;
  double lte_max_cfo_hz = 0.0;
  bool is_lte() const { return rat == "LTE"; }
};

struct SweepPlan {
  std::vector<Tuning> tunings;
  double dwell_s = 0.0;
  double settle_s = 0.0;
  double usable_half_width_hz = 0.0;   // usable_fraction * rate / 2 - edge_margin_hz
  double lte_dwell_s = 0.0;
  std::size_t channels() const;        // GSM channels and LTE EARFCNs
  std::size_t lte_tunings() const;
  double stream_seconds() const;
};

// Tunings of GSM and LTE bands in band order. Throws tw::InputError when the rate is too small to hold one
// channel clear of DC and of the band edge (GSM) or the central 6 PRB with the receiver error (LTE), for a
// bad fraction, a non-positive dwell, an LTE dwell outside 0.02..2 s or a receiver error bound outside
// 0..1000 ppm.
SweepPlan plan_sweep(const std::vector<SweepBand>& bands, const SweepPlanOptions& options);

// The LTE tunings of one LTE band (see the top).
std::vector<Tuning> plan_lte_band(const SweepBand& band, const SweepPlanOptions& options);

}  // namespace tw::sweep
