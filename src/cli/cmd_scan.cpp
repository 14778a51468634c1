// towerwatch scan: sweep GSM and LTE bands with a SoapySDR device (or the simulated radio) and report every
// cell once, on its true ARFCN / EARFCN (src/sweep/*).
#include <atomic>
#include <set>
#include <charconv>
#include <csignal>
#include <cmath>
#include <cstdio>

#include "src/cli/command.hpp"
#include "src/cli/mqtt_options.hpp"
#include "src/cli/position_options.hpp"
#include "src/cli/scan_common.hpp"
#include "src/cli/scoring_common.hpp"
#include "src/scorer/score_records.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/pipeline/lte_analysis.hpp"
#include "src/pipeline/nr_analysis.hpp"
#include "src/sweep/nr_sweep.hpp"
#include "src/sweep/position_stamp.hpp"
#include "src/sweep/scan_session.hpp"

namespace tw::cli {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) { g_stop.store(true); }

// SIGINT ends the sweep cleanly (results so far are written); a second one kills as usual.
class SigintGuard {
 public:
  SigintGuard() {
    g_stop.store(false);
    prev_ = std::signal(SIGINT, on_sigint);
  }
  ~SigintGuard() { std::signal(SIGINT, prev_); }

 private:
  void (*prev_)(int) = SIG_DFL;
};

}  // namespace

namespace {
int parse_arfcn_int(const std::string& s, const std::string& what) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 0)
    throw InputError(what + ": '" + s + "' is not a non-negative integer");
  return v;
}

// "58-66,70" as a set of channel numbers; `what` names the option in errors.
std::set<int> channel_set(const std::string& list, const std::string& what) {
  std::set<int> keep;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t end = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, end - start);
    const std::size_t dash = item.find('-');
    const int lo = parse_arfcn_int(item.substr(0, dash), what);
    const int hi = dash == std::string::npos ? lo : parse_arfcn_int(item.substr(dash + 1), what);
    if (hi < lo || hi - lo > 4096 || hi > 65535) throw InputError(what + ": '" + item + "' is not a range LOW-HIGH");
    for (int a = lo; a <= hi; ++a) keep.insert(a);
    start = end + 1;
  }
  return keep;
}

// "--arfcn 58-66,70": keeps only these channels of the bands.
void restrict_channels(std::vector<sweep::SweepBand>& bands, const std::string& list) {
  const std::set<int> keep = channel_set(list, "--arfcn");
  // GSM channels only: an LTE band (its EARFCNs) is kept whole.
  for (auto& b : bands) std::erase_if(b.channels, [&](const GsmChannel& c) { return !keep.count(c.arfcn); });
  std::erase_if(bands, [](const sweep::SweepBand& b) { return !b.is_lte() && b.channels.empty(); });
  if (bands.empty()) throw InputError("--arfcn: '" + list + "' leaves no channel of the bands to sweep");
}

}  // namespace

void restrict_to_arfcns(std::vector<sweep::SweepBand>& bands, const std::string& list) { restrict_channels(bands, list); }

void restrict_to_earfcns(std::vector<sweep::SweepBand>& bands, const std::string& list) {
  const std::set<int> keep = channel_set(list, "--earfcn");
  for (auto& b : bands) std::erase_if(b.lte_channels, [&](const LteChannel& c) { return !keep.count(c.earfcn); });
  std::erase_if(bands, [](const sweep::SweepBand& b) { return b.is_lte() && b.lte_channels.empty(); });
  if (bands.empty()) throw InputError("--earfcn: '" + list + "' leaves no channel of the bands to sweep");
}

OptionSpec earfcn_option() {
  return {"earfcn", true, "LIST", "only these EARFCNs of the LTE bands, e.g. 6300,1575 (GSM bands whole)"};
}

OptionSpec rat_option() {
  return {"rat", true, "gsm|lte", "only the bands of this technology, e.g. --region eu --rat gsm: GSM900 and DCS1800"};
}

std::vector<sweep::SweepBand> apply_rat_option(const Args& args, std::vector<sweep::SweepBand> bands) {
  if (auto r = args.get("rat")) return sweep::filter_rats(std::move(bands), *r);
  return bands;
}

// Shared by scan and calibrate.
std::vector<sweep::SweepBand> bands_from_args(const Args& args, const std::string& fallback) {
  if (args.has("band") && args.has("region")) throw InputError("give --band or --region, not both");
  if (auto r = args.get("region")) return apply_rat_option(args, sweep::region_bands(*r));
  return apply_rat_option(args, sweep::parse_band_list(args.get_or("band", fallback)));
}

void print_progress(const sweep::SweepProgress& p) {
  const std::string fix = p.fix ? ", " + sweep::fix_text(*p.fix) : std::string();
  if (p.estimated_total_s > 0)
    std::fprintf(stderr, "\rscan: %-9s tuning %zu/%zu (%.1f MHz), %zu cell records, %.0f s / ~%.0f s%s   ", p.band.c_str(),
                 p.tuning, p.tunings, p.center_hz / 1e6, p.records, p.elapsed_s, p.estimated_total_s, fix.c_str());
  else
    std::fprintf(stderr, "\rscan: %-9s tuning %zu/%zu (%.1f MHz), %zu cell records, %.0f s%s   ", p.band.c_str(), p.tuning,
                 p.tunings, p.center_hz / 1e6, p.records, p.elapsed_s, fix.c_str());
  std::fflush(stderr);
}

sweep::ScanRequest scan_request_from_args(const Args& args) {
  sweep::ScanRequest rq;
  rq.device_args = args.get_or("device", "");
  rq.sample_rate_hz = args.number_or("rate", 2.4e6);
  if (!(rq.sample_rate_hz >= 250e3 && rq.sample_rate_hz <= 61.44e6)) throw InputError("--rate must be between 250k and 61.44M");
  rq.dwell_s = args.number("dwell");
  if (auto g = args.get("gain"); g && *g != "auto") rq.gain_db = args.number("gain");
  rq.antenna = args.get_or("antenna", "");
  rq.ppm = args.number("ppm");
  if (rq.ppm && std::fabs(*rq.ppm) > 1000) throw InputError("--ppm must be within -1000..1000");
  if (auto t = args.number("threads")) {
    if (!(*t >= 0 && *t <= 256 && *t == std::floor(*t))) throw InputError("--threads must be a whole number 0..256");
    rq.threads = static_cast<unsigned>(*t);
  }
  rq.usable_fraction = args.number("usable-fraction");
  if (rq.usable_fraction && !(*rq.usable_fraction > 0.1 && *rq.usable_fraction <= 1.0))
    throw InputError("--usable-fraction must be in (0.1, 1]");
  rq.adaptive_dwell = !args.has("fixed-dwell");
  return rq;
}

int run_scan(const std::vector<std::string>& argv) {
  HelpText help{
      "--device ARGS [--band LIST | --region eu|us] [--mode census|sync|full] [--rate HZ] [--dwell S] [--json]",
      "Sweeps GSM and LTE bands and reports every cell once, on its true ARFCN / EARFCN. The sweep tunes the device across each\n"
      "band (the flat part of the sample rate: 88% on a HackRF, 80% otherwise; every channel >= 100 kHz inside\n"
      "it and >= 100 kHz from DC), measures the power of each channel, and on tunings where a channel stands\n"
      "out listens for the dwell: census (power only, 0.05 s), sync (FCCH+SCH: BSIC, 0.25 s), full (the whole\n"
      "System Information cycle: identity and parameters, at most 2.5 s, default; a tuning ends as soon as\n"
      "every carrier in it has a whole SI cycle or was given up, unless --fixed-dwell). At rates that are a\n"
      "multiple of 200 kHz a polyphase filterbank splits each tuning into all its channels at once and the\n"
      "channel receivers run on --threads threads. Cells seen in several tunings, on adjacent channels, as\n"
      "mirror or alias images are merged (same BSIC and a consistent frame number: one transmitter; same\n"
      "BSIC with another frame number clock: two). The receiver's frequency error is taken from the device's stored\n"
      "calibration (towerwatch calibrate) unless --ppm is given; each cell's offset left after it is\n"
      "cfo_residual_ppb (a cell far off the consensus runs on its own poor oscillator: worth a look).\n"
      "With a gain table for the device (gain_table.json beside calibration.json) cells get power_dbm.\n"
      "Without --device the first device SoapySDR finds is used (never the simulated radio: name it,\n"
      "--device driver=towerwatch-sim,scene=multiband). Ctrl-C stops and reports what was found so far.\n"
      "Bands: GSM450, GSM480, GSM850, P-GSM900, GSM900 (= E-GSM900), R-GSM900, DCS1800, PCS1900, all\n"
      "(GSM850, E-GSM900, DCS1800, PCS1900; default); regions: eu (GSM900, DCS1800, LTE-B3, -B7, -B20), us\n"
      "(GSM850, PCS1900, LTE-B2, -B5, -B12, -B13, -B66); --rat gsm|lte keeps one technology's bands.\n"
      "LTE bands (LTE-B1, -B3, -B7, -B20, ... as 36.101 numbers them): every EARFCN of the 100 kHz raster is\n"
      "searched (PSS/SSS, then the MIB on the PBCH) on tunings 80 ms long (--lte-dwell); the search windows\n"
      "cover a receiver error of 100 ppm (20 ppm once a correction is applied). An LTE cell is reported once\n"
      "per PCI and carrier, on its true EARFCN (the receiver error taken from the GSM cells of the same scan,\n"
      "else from the LTE cells' consensus).",
      {{"device", true, "ARGS", "SoapySDR device args (default: the first device found)"},
       {"lte-dwell", true, "S", "seconds per LTE tuning (default 0.08: 8 radio frames)"},
       {"band", true, "LIST", "bands to sweep, comma-separated, or all (default all); NR bands by name (NR-n78): their GSCN raster"},
       {"arfcn", true, "LIST", "only these GSM channels of the bands, e.g. 58-66,70"},
       earfcn_option(),
       {"region", true, "eu|us", "the bands of a region instead of --band"},
       rat_option(),
       {"mode", true, "MODE", "census, sync or full (default full)"},
       {"rate", true, "HZ", "sample rate (default 2.4M)"},
       {"dwell", true, "S", "seconds per tuning (default per mode)"},
       {"all-tunings", false, "", "listen on every tuning, not only where the census sees a carrier"},
       {"fixed-dwell", false, "", "full mode: listen for the whole dwell on every tuning"},
       {"threads", true, "N", "threads for the channel receivers (default 0: one per core)"},
       {"usable-fraction", true, "F", "part of the sample rate to use (default by device: hackrf 0.88, else 0.8)"},
       {"gain", true, "DB|auto", "receiver gain in dB, or auto (default)"},
       {"ppm", true, "PPM", "frequency correction in ppm (default: the stored calibration of the device)"},
       {"antenna", true, "NAME", "antenna port (default: the device's)"},
       {"json", false, "", "JSON lines: one \"cell\" per cell, then \"sweep_summary\""}},
      "towerwatch scan --device driver=towerwatch-sim,scene=multiband --region eu --json"};
  help.options.push_back(db_option());
  help.options.push_back(report_option());   // --region (the band preset) also tells rule M1 the region
  for (auto& o : map_export_options()) help.options.push_back(o);
  add_mqtt_options(help.options);
  for (auto& o : position_options()) help.options.push_back(o);
  auto args = parse_or_help("scan", help, argv);
  if (!args) return 0;
  const bool json = args->has("json");
  sweep::ScanRequest rq = scan_request_from_args(*args);
  // NR bands ("NR-n78") are swept after the GSM/LTE ones, on their GSCN raster (src/sweep/nr_sweep.hpp).
  std::vector<int> nr_bands;
  if (args->has("band") && !args->has("region")) {
    std::string list = args->get_or("band", "all");
    nr_bands = sweep::take_nr_bands(list);
    if (!list.empty()) rq.bands = apply_rat_option(*args, sweep::parse_band_list(list));
  } else {
    rq.bands = bands_from_args(*args, "all");
  }
  if (auto a = args->get("arfcn")) restrict_to_arfcns(rq.bands, *a);
  if (auto a = args->get("earfcn")) restrict_to_earfcns(rq.bands, *a);
  rq.mode = sweep::scan_mode_from_name(args->get_or("mode", "full"));
  rq.analyse_every_tuning = args->has("all-tunings");
  if (auto d = args->number("lte-dwell")) {
    if (!(*d >= 0.02 && *d <= 2.0)) throw InputError("--lte-dwell must be between 0.02 and 2 s");
    rq.lte_dwell_s = *d;
  }
  rq.keep_partial_on_device_loss = true;   // a device lost mid-sweep: report what was heard, then fail
  auto publisher = publisher_from_args(*args, rq.device_args.empty() ? "scan" : rq.device_args);
  const std::int64_t started_ms = now_unix_ms();  // the track: every report from the source's start
  const auto position = position_source_from_args(*args);
  rq.position = position.get();
  SigintGuard guard;
  rq.stop = &g_stop;
  sweep::ScanOutcome out;
  if (!rq.bands.empty())
    out = sweep::run_scan_session(rq, json ? std::function<void(const sweep::SweepProgress&)>() : print_progress);
  if (!json && !rq.bands.empty()) std::fprintf(stderr, "\n");
  sweep::NrSweepResult nr_out;
  if (!nr_bands.empty() && !g_stop.load()) {
    const auto plan_opts = sweep::plan_options_of(rq);
    const auto first = sweep::nr_tuning_centers(nr_bands, rq.sample_rate_hz, plan_opts.usable_fraction);
    if (first.empty()) throw InputError("scan: no NR raster point to sweep");
    sweep::ScanDevice dev = sweep::open_scan_device(rq, first.front());
    const double usable = rq.usable_fraction.value_or(sweep::usable_fraction_for_driver(dev.driver));
    if (!json) std::fprintf(stderr, "scan: NR %zu bands ...\n", nr_bands.size());
    nr_out = sweep::run_nr_sweep(dev, nr_bands, usable, 0.045, &g_stop);
    if (out.description.empty()) {
      out.description = dev.description;
      out.serial = dev.serial;
    }
    out.merge.cells.insert(out.merge.cells.end(), nr_out.cells.begin(), nr_out.cells.end());
  }
  const auto band_floors = sweep::band_floors_of(out.sweep.lte_floors);
  const ScoredRun scored = score_run(out.merge.cells, out.serial, "scan " + out.description, args->get("db"),
                                     scorer_options_from_args(*args), 3600.0, std::nullopt, publisher.get(),
                                     position ? position->track(started_ms, now_unix_ms()) : std::vector<Fix>{}, band_floors);
  nlohmann::json floors_json = nlohmann::json::object();   // LTE band noise floors (rule J1), dBFS/MHz
  for (const auto& f : band_floors) floors_json[f.band] = f.noise_floor_dbfs_per_mhz;

  std::vector<std::string> band_names;
  for (const auto& b : rq.bands) band_names.push_back(b.name);
  for (const int b : nr_bands) band_names.push_back("NR-n" + std::to_string(b));
  write_report_if_asked(*args, "scan", out.description, out.serial, band_names, scored.cells, scored.alerts,
                        out.sweep.census);
  write_map_exports_if_asked(*args, scored);
  nlohmann::json summary{{"type", "sweep_summary"},
                         {"device", out.description},
                         {"serial", out.serial},
                         {"bands", band_names},
                         {"mode", sweep::scan_mode_name(rq.mode)},
                         {"sample_rate_hz", rq.sample_rate_hz},
                         {"dwell_s", out.plan.dwell_s},
                         {"tunings", out.plan.tunings.size()},
                         {"tunings_done", out.sweep.tunings_done},
                         {"tunings_analysed", out.sweep.tunings_analysed},
                         {"tunings_ended_early", out.sweep.tunings_ended_early},
                         {"usable_fraction", out.usable_fraction},
                         {"skipped_bands", out.skipped_bands},
                         {"channels", out.plan.channels()},
                         {"cells", out.merge.cells.size()},
                         {"records", out.merge.records},
                         {"duplicates", out.merge.duplicates},
                         {"adjacent_ghosts", out.merge.adjacent_ghosts},
                         {"mirror_ghosts", out.merge.mirror_ghosts},
                         {"fn_ghosts", out.merge.fn_ghosts},
                         {"lte_tunings", out.plan.lte_tunings()},
                         {"lte_dwell_s", out.plan.lte_dwell_s},
                         {"lte_cells", out.merge.lte_cells},
                         {"lte_records", out.merge.lte_records},
                         {"lte_duplicates", out.merge.lte_duplicates},
                         {"lte_unconfirmed", out.merge.lte_unconfirmed},
                         {"lte_receiver_error_ppm", out.merge.lte_receiver_error_source == "none"
                                                        ? nlohmann::json(nullptr)
                                                        : nlohmann::json(out.merge.lte_receiver_ppm_used)},
                         {"lte_receiver_error_source", out.merge.lte_receiver_error_source},
                         {"lte_noise_floor_dbfs_per_mhz", floors_json},
                         {"nr_tunings", nr_out.tunings},
                         {"nr_raster_points", nr_out.raster_points},
                         {"nr_cells", nr_out.cells.size()},
                         {"ppm_correction", out.ppm_applied},
                         {"ppm_source", out.ppm_source},
                         {"gain_db", out.gain_db ? nlohmann::json(*out.gain_db) : nlohmann::json(nullptr)},
                         {"level_calibrated", out.level_calibrated},
                         {"receiver_error_ppm", out.merge.receiver_error ? nlohmann::json(out.merge.receiver_error->receiver_ppm)
                                                                         : nlohmann::json(nullptr)},
                         {"elapsed_s", out.sweep.elapsed_s},
                         {"stream_s", out.sweep.stream_s},
                         {"gaps", out.sweep.gaps},
                         {"interrupted", out.sweep.interrupted},
                         {"device_error", out.sweep.device_error.empty() ? nlohmann::json(nullptr)
                                                                         : nlohmann::json(out.sweep.device_error)},
                         {"alerts", scored.alerts.size()},
                         {"position_source", position ? position->description() : "none"},
                         {"position_jumps_ignored", position ? position->rejected_jumps() : 0},
                         {"sweep_id", scored.sweep_id ? nlohmann::json(*scored.sweep_id) : nlohmann::json(nullptr)}};
  if (json) {
    if (rq.mode == sweep::ScanMode::census)
      for (const auto& c : out.sweep.census)
        emit_json_line({{"type", "channel"}, {"arfcn", c.arfcn}, {"band", c.band}, {"freq_hz", c.freq_hz},
                        {"power_dbfs", std::round(c.power_dbfs * 10) / 10},
                        {"noise_floor_dbfs", std::round(c.noise_floor_dbfs * 10) / 10}});
    for (const auto& c : scored.cells) emit_json_line(c);   // the records, with position_estimate where made
    for (const auto& a : scored.alerts) emit_json_line(to_json(a));
    emit_json_line(summary);
  } else {
    std::printf("%s%zu tunings of %zu (%zu listened to) in %.1f s; %zu cells (%zu duplicate, %zu adjacent-channel, "
                "%zu mirror, %zu same-clock records merged)\n",
                out.sweep.interrupted ? "interrupted: " : "", out.sweep.tunings_done, out.plan.tunings.size(),
                out.sweep.tunings_analysed, out.sweep.elapsed_s, out.merge.cells.size(), out.merge.duplicates,
                out.merge.adjacent_ghosts, out.merge.mirror_ghosts, out.merge.fn_ghosts);
    std::printf("frequency correction %.3f ppm (%s)", out.ppm_applied, out.ppm_source.c_str());
    if (out.merge.receiver_error) std::printf("; error left over the cells %+.3f ppm", out.merge.receiver_error->receiver_ppm);
    std::printf("\n");
    if (rq.mode == sweep::ScanMode::census) {
      std::printf("%-6s %-9s %-10s %8s\n", "ARFCN", "band", "MHz", "dBFS");
      for (const auto& c : out.sweep.census)
        if (c.power_dbfs >= c.noise_floor_dbfs + 6.0)
          std::printf("%-6d %-9s %-10.1f %8.1f\n", c.arfcn, c.band.c_str(), c.freq_hz / 1e6, c.power_dbfs);
    }
    std::vector<nlohmann::json> gsm_cells, lte_cells, nr_cells;
    for (const auto& c : scored.cells) {
      const std::string r = c.value("rat", "GSM");
      (r == "LTE" ? lte_cells : r == "NR" ? nr_cells : gsm_cells).push_back(c);
    }
    if (!nr_bands.empty()) {
      std::printf("NR: %d tunings, %d raster points, %zu cells\n", nr_out.tunings, nr_out.raster_points, nr_cells.size());
      if (!nr_cells.empty()) print_nr_cell_table(nr_cells);
    }
    if (!gsm_cells.empty()) print_cell_table(gsm_cells);
    if (!lte_cells.empty()) {
      if (!gsm_cells.empty()) std::printf("\n");
      std::printf("LTE: %zu cells (%zu duplicate records merged, %zu unconfirmed dropped), receiver error %+.2f ppm (%s)\n",
                  lte_cells.size(), out.merge.lte_duplicates, out.merge.lte_unconfirmed, out.merge.lte_receiver_ppm_used,
                  out.merge.lte_receiver_error_source.c_str());
      print_lte_cell_table(lte_cells);
    }
    std::printf("\n");
    print_alerts(scored.alerts);
  }
  // After the report of what the tunings before it heard: the failure itself, as any runtime failure.
  if (!out.sweep.device_error.empty())
    throw RuntimeFailure(out.sweep.device_error + " (after " + std::to_string(out.sweep.tunings_done) + " of " +
                         std::to_string(out.plan.tunings.size()) + " tunings; their cells are reported)");
  return out.sweep.interrupted ? 130 : 0;
}

}  // namespace tw::cli
