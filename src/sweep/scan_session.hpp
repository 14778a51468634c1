// One scan of a SoapySDR device, shared by `towerwatch scan` and `towerwatch calibrate`: open the device
// (applying the stored frequency calibration of its serial unless a ppm is given), plan the sweep, run it,
// merge the cells, and add "power_dbm" from the device's gain table (calibration/gain_table.hpp) if any.
// GSM and LTE bands alike (sweep_plan.hpp). The LTE search windows cover a receiver error of 100 ppm, or
// kCalibratedLteReceiverPpm once a frequency correction is applied (--ppm or the stored calibration: what
// is left is the crystal's drift since, a few ppm with temperature).
#pragma once
#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calibration/gain_table.hpp"
#include "hw/position_source.hpp"
#include "hw/soapy_source.hpp"
#include "src/sweep/cell_merge.hpp"
#include "src/sweep/sweep_plan.hpp"
#include "src/sweep/sweep_runner.hpp"

namespace tw::sweep {

inline constexpr double kCalibratedLteReceiverPpm = 20.0;

struct ScanRequest {
  std::string device_args;            // empty: the first device SoapySDR finds
  std::vector<SweepBand> bands;
  double sample_rate_hz = 2.4e6;
  ScanMode mode = ScanMode::full;
  std::optional<double> dwell_s;
  double lte_dwell_s = 0.08;          // SweepPlanOptions::lte_dwell_s
  std::optional<double> gain_db;
  std::string antenna;
  std::optional<double> ppm;          // explicit correction (--ppm): the stored calibration is not used
  bool use_stored_calibration = true;
  bool keep_partial_on_device_loss = false;  // SweepRunOptions::keep_partial_on_device_loss
  bool analyse_every_tuning = false;
  bool lte_shared_search = true;      // SweepRunOptions::lte_shared_search
  const std::atomic<bool>* stop = nullptr;
  std::optional<double> usable_fraction;  // default: usable_fraction_for_driver(the device's driver)
  bool adaptive_dwell = true;             // SweepRunOptions::adaptive_dwell
  unsigned threads = 0;                   // channel receivers' threads (0: one per core)
  const PositionSource* position = nullptr;  // SweepRunOptions::position (--gps / --position); not owned
};

struct ScanOutcome {
  SweepPlan plan;
  SweepResult sweep;
  MergeResult merge;
  std::string serial, driver, description;
  double ppm_applied = 0.0;
  std::string ppm_source = "none";    // "option", "calibration" or "none"
  std::string calibration_file;       // consulted (empty when not)
  std::optional<double> gain_db;      // read back from the device (nullopt: automatic gain)
  bool level_calibrated = false;      // a gain table entry gave "power_dbm" to the cells
  double usable_fraction = 0.8;       // the plan's
  std::vector<std::string> skipped_bands;  // bands asked for and not swept (none today)
};

// The device of a scan or of a monitor, opened as both need it: the stored frequency calibration of its serial
// applied unless the request gives a ppm (or says not to), a HackRF's analog filter opened to the sample rate
// (what usable_fraction_for_driver assumes), and its gain table (level calibration) loaded when there is one.
struct ScanDevice {
  std::unique_ptr<SoapySource> source;
  std::string serial, driver, description;
  std::string ppm_source = "none";    // "option", "calibration" or "none"
  std::string calibration_file;       // consulted (empty when not)
  std::optional<cal::GainTable> gain_table;
  // Adds "power_dbm" (rounded to 0.1 dB) to the cells whose band the gain table covers at the device's gain;
  // true when it added any.
  bool add_power_dbm(std::vector<nlohmann::json>& cells) const;
};
// Opens at first_center_hz. With empty device args and no device found, the tw::InputError says how to name
// one (the simulated radio among them).
ScanDevice open_scan_device(const ScanRequest& request, double first_center_hz);

ScanOutcome run_scan_session(const ScanRequest& request, const std::function<void(const SweepProgress&)>& progress);
// One sweep of the request on a device already open (drive mode sweeps again and again on one device):
// plans for the device's driver, runs, merges, adds power_dbm. run_scan_session is open + this.
// The sweep plan options a request asks for (sample rate, mode, dwells, usable fraction when given).
SweepPlanOptions plan_options_of(const ScanRequest& request);
ScanOutcome scan_with_device(ScanDevice& device, const ScanRequest& request,
                             const std::function<void(const SweepProgress&)>& progress);

}  // namespace tw::sweep
