// towerwatch calibrate: measure the receiver's frequency error from the GSM (else LTE) cells it sees and keep the
// correction for the device's serial (calibration/*), applied by scan from then on.
#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "calibration/calibration_store.hpp"
#include "src/cli/command.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/cli/scan_common.hpp"
#include "src/sweep/scan_session.hpp"

namespace tw::cli {

int run_calibrate(const std::vector<std::string>& argv) {
  const HelpText help{
      "--device ARGS [--band LIST] [--rate HZ] [--dwell S] [--json] [--no-store]",
      "Measures the receiver's frequency error from the GSM cells it receives, else from the LTE cells of the\n"
      "LTE bands listed (base stations hold 0.05 ppm;\n"
      "a dongle's crystal is off by tens of ppm) and stores the correction for the device's serial in\n"
      "$XDG_CONFIG_HOME/towerwatch/calibration.json (else ~/.config/towerwatch/; TW_CONFIG_DIR overrides);\n"
      "scan applies it from then on. The device is opened without correction. Sweeps GSM900 by default: at\n"
      "900 MHz an error up to +-100 ppm stays within the receivers' +-100 kHz FCCH search and inside half a\n"
      "channel, so it is never ambiguous; at 1800 MHz it is only unambiguous to about +-50 ppm. Estimate: the\n"
      "error every cell agrees on, outliers (cells on their own poor oscillator) rejected, trimmed mean; the\n"
      "spread is the standard deviation over the cells used. Error e: carriers appear at F*(1+e/1e6); the\n"
      "stored correction is 1/(1+e/1e6)-1 (about -e).",
      {{"device", true, "ARGS", "SoapySDR device args (default: the first device found)"},
       {"band", true, "LIST", "bands to measure in (default GSM900)"},
       {"region", true, "eu|us", "the bands of a region instead of --band"},
       rat_option(),
       {"rate", true, "HZ", "sample rate (default 2.4M)"},
       {"dwell", true, "S", "seconds per tuning (default 1)"},
       {"min-snr", true, "DB", "cells used need this SNR (default 10)"},
       {"gain", true, "DB|auto", "receiver gain in dB, or auto (default)"},
       {"antenna", true, "NAME", "antenna port (default: the device's)"},
       {"no-store", false, "", "measure and print, do not store"},
       {"json", false, "", "one \"calibration\" JSON line"}},
      "towerwatch calibrate --device driver=rtlsdr --band GSM900"};
  auto args = parse_or_help("calibrate", help, argv);
  if (!args) return 0;
  const bool json = args->has("json");
  sweep::ScanRequest rq = scan_request_from_args(*args);
  // Measure the raw error: no correction, no stored calibration (so the LTE windows cover +-100 ppm too).
  rq.ppm.reset();
  rq.use_stored_calibration = false;
  if (!rq.dwell_s) rq.dwell_s = 1.0;
  rq.bands = bands_from_args(*args, "GSM900");
  rq.mode = sweep::ScanMode::sync;
  const double min_snr = args->number_or("min-snr", 10.0);
  auto out = sweep::run_scan_session(rq, json ? std::function<void(const sweep::SweepProgress&)>() : print_progress);
  if (!json) std::fprintf(stderr, "\n");
  auto est = sweep::estimate_from_cells(out.merge.cells, min_snr);
  std::string source = "gsm";
  if (!est && out.merge.lte_receiver_error) {
    // No GSM cell: the LTE cells' consensus (eNodeBs hold 0.05 ppm, TS 36.104 6.5.1). Unambiguous within half
    // the 100 kHz raster: +-62 ppm at 800 MHz, +-27 ppm at 1.8 GHz; cells in bands far apart resolve more.
    const auto& le = *out.merge.lte_receiver_error;
    cal::PpmEstimate e;
    e.receiver_ppm = le.receiver_ppm;
    e.spread_ppm = le.spread_ppm;
    e.used = le.cells;
    e.rejected = le.candidates - le.cells;
    est = e;
    source = "lte";
  }
  if (!est) {
    std::fprintf(stderr, "towerwatch calibrate: no GSM cell with SNR >= %.0f dB and no LTE cell with a MIB found in %zu "
                         "tunings: nothing to measure (try another band, a longer --dwell, or more gain)\n",
                 min_snr, out.sweep.tunings_done);
    return 1;
  }
  cal::DeviceCalibration c;
  c.serial = out.serial;
  c.driver = out.driver;
  c.receiver_error_ppm = est->receiver_ppm;
  c.correction_ppm = est->correction_ppm();
  c.spread_ppm = est->spread_ppm;
  c.cells = est->used;
  for (const auto& b : rq.bands) {
    if (!c.band.empty()) c.band += ',';
    c.band += b.name;
  }
  char when[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  c.measured_utc = when;
  std::string stored;
  if (!args->has("no-store")) {
    const auto file = cal::calibration_file_path();
    cal::store_calibration(file, c);
    stored = file.string();
  }
  if (json) {
    emit_json_line({{"type", "calibration"},
                    {"device", out.description},
                    {"serial", c.serial},
                    {"receiver_error_ppm", c.receiver_error_ppm},
                    {"correction_ppm", c.correction_ppm},
                    {"spread_ppm", c.spread_ppm},
                    {"cells_used", est->used},
                    {"cells_rejected", est->rejected},
                    {"source", source},
                    {"cells", out.merge.cells.size()},
                    {"band", c.band},
                    {"stored", stored.empty() ? nlohmann::json(nullptr) : nlohmann::json(stored)},
                    {"elapsed_s", out.sweep.elapsed_s}});
  } else {
    std::printf("receiver error %+.3f ppm (spread %.3f ppm over %zu %s cells, %zu rejected) -> correction %+.3f ppm\n",
                c.receiver_error_ppm, c.spread_ppm, est->used, source == "lte" ? "LTE" : "GSM", est->rejected, c.correction_ppm);
    if (!stored.empty()) std::printf("stored for %s in %s\n", c.serial.c_str(), stored.c_str());
  }
  return 0;
}

}  // namespace tw::cli
