#include "src/sweep/scan_session.hpp"

#include "calibration/calibration_store.hpp"
#include "calibration/gain_table.hpp"
#include <cmath>

#include "hw/soapy_source.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw::sweep {

ScanDevice open_scan_device(const ScanRequest& rq, double first_center_hz) {
  ScanDevice d;
  SoapyOptions so;
  so.args = rq.device_args;
  so.sample_rate_hz = rq.sample_rate_hz;
  so.center_freq_hz = first_center_hz;
  so.gain_db = rq.gain_db;
  so.antenna = rq.antenna;
  so.ppm = rq.ppm.value_or(0.0);
  if (rq.ppm) d.ppm_source = "option";
  try {
    d.source = open_soapy(so);
  } catch (const InputError& e) {
    if (!rq.device_args.empty()) throw;
    throw InputError(std::string("no SDR found to scan with (connect one, or name one with --device, e.g. "
                                 "--device driver=towerwatch-sim,scene=multiband): ") + e.what());
  }
  if (!rq.ppm && rq.use_stored_calibration && !d.source->info().device_serial.empty()) {
    const auto file = cal::calibration_file_path();
    d.calibration_file = file.string();
    std::optional<cal::DeviceCalibration> c;
    try {
      c = cal::load_calibration(file, d.source->info().device_serial);
    } catch (const InputError& e) {
      log::warn(std::string("calibration not applied: ") + e.what());
    }
    if (c) {
      so.ppm = c->correction_ppm;
      d.ppm_source = "calibration";
      d.source.reset();  // one stream per device: close before opening with the correction
      d.source = open_soapy(so);
      log::info("applying the stored calibration of " + c->serial + ": " + std::to_string(c->correction_ppm) + " ppm");
    }
  }
  d.serial = d.source->info().device_serial;
  d.driver = d.source->info().device_driver;
  d.description = d.source->info().description;
  // The HackRF's usable fraction assumes its baseband filter (MAX2837) opened to the sample rate; its driver
  // picks a narrower one by default.
  if (d.driver == "hackrf") d.source->set_bandwidth(rq.sample_rate_hz);
  if (!d.serial.empty()) {
    try {
      d.gain_table = cal::GainTable::load(cal::GainTable::default_path(), d.serial);
    } catch (const InputError& e) {
      log::warn(std::string("level calibration not applied: ") + e.what());
    }
  }
  return d;
}

bool ScanDevice::add_power_dbm(std::vector<nlohmann::json>& cells) const {
  if (!gain_table) return false;
  std::optional<double> gain;
  if (!source->automatic_gain()) gain = source->gain_db();
  bool added = false;
  for (auto& c : cells) {
    if (!c.contains("band") || !c["band"].is_string() || !c.contains("power_dbfs") || !c["power_dbfs"].is_number()) continue;
    if (auto off = gain_table->offset_db(c["band"].get<std::string>(), gain)) {
      c["power_dbm"] = std::round((c["power_dbfs"].get<double>() + *off) * 10.0) / 10.0;
      added = true;
    }
  }
  return added;
}

// The plan options a request asks for (the usable fraction: the request's, else the plan's default until
// the driver is known).
SweepPlanOptions plan_options_of(const ScanRequest& rq) {
  SweepPlanOptions po;
  po.sample_rate_hz = rq.sample_rate_hz;
  po.mode = rq.mode;
  po.dwell_s = rq.dwell_s;
  po.lte_dwell_s = rq.lte_dwell_s;
  if (rq.usable_fraction) po.usable_fraction = *rq.usable_fraction;
  return po;
}

ScanOutcome run_scan_session(const ScanRequest& rq, const std::function<void(const SweepProgress&)>& progress) {
  if (rq.bands.empty()) throw InputError("scan: no band to sweep");
  const SweepPlan provisional = plan_sweep(rq.bands, plan_options_of(rq));  // until the device's driver is known
  if (provisional.tunings.empty()) throw InputError("scan: no band to sweep");
  ScanDevice dev = open_scan_device(rq, provisional.tunings.front().center_hz);
  return scan_with_device(dev, rq, progress);
}

ScanOutcome scan_with_device(ScanDevice& dev, const ScanRequest& rq,
                             const std::function<void(const SweepProgress&)>& progress) {
  ScanOutcome out;
  if (rq.bands.empty()) throw InputError("scan: no band to sweep");
  SweepPlanOptions po = plan_options_of(rq);
  SoapySource* source = dev.source.get();
  out.ppm_source = dev.ppm_source;
  out.calibration_file = dev.calibration_file;
  out.ppm_applied = source->info().ppm_correction;
  out.serial = source->info().device_serial;
  out.driver = source->info().device_driver;
  out.description = source->info().description;
  if (!rq.usable_fraction) po.usable_fraction = usable_fraction_for_driver(out.driver);
  // A corrected receiver is left with its drift: the LTE search windows need not cover 100 ppm.
  if (out.ppm_source != "none") po.lte_receiver_ppm = kCalibratedLteReceiverPpm;
  out.plan = plan_sweep(rq.bands, po);
  if (out.plan.tunings.empty()) throw InputError("scan: no band to sweep");
  out.usable_fraction = po.usable_fraction;

  SweepRunOptions ro;
  ro.mode = rq.mode;
  ro.analyse_every_tuning = rq.analyse_every_tuning;
  ro.lte_shared_search = rq.lte_shared_search;
  ro.stop = rq.stop;
  ro.adaptive_dwell = rq.adaptive_dwell;
  ro.threads = rq.threads;
  ro.keep_partial_on_device_loss = rq.keep_partial_on_device_loss;
  ro.position = rq.position;
  out.sweep = run_sweep(*source, out.plan, ro, progress);
  out.merge = merge_sweep_cells(out.sweep.records);
  if (!source->automatic_gain()) out.gain_db = source->gain_db();
  out.level_calibrated = dev.add_power_dbm(out.merge.cells);
  return out;
}

}  // namespace tw::sweep
