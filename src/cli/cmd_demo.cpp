// towerwatch demo: the main job on the built-in default, with no hardware. The simulated radio
// (SoapySDR driver towerwatch-sim) plays a built-in scene of legitimate cells and one rogue cell; towerwatch
// sweeps the band through the real SoapySDR path, like `scan` with an RTL-SDR, and decodes every cell.
#include <cstdio>

#include "src/cli/command.hpp"
#include "src/cli/scan_common.hpp"
#include "src/cli/scoring_common.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/scorer/score_records.hpp"
#include "src/sweep/scan_session.hpp"
#include "tools/synth/scene.hpp"

namespace tw::cli {

int run_demo(const std::vector<std::string>& argv) {
  HelpText help{
      "[--scene NAME] [--band LIST] [--rate HZ] [--json]",
      "The main job on the built-in default, no SDR needed: the simulated radio (SoapySDR driver\n"
      "towerwatch-sim) plays a built-in scene of legitimate GSM cells and one rogue cell; towerwatch sweeps the\n"
      "band through the real SoapySDR code path, as `scan` does with an RTL-SDR at 2.4 Msps, and reports every\n"
      "cell's identity and broadcast parameters, then scores every cell (anomaly rules) and prints the alerts.\n"
      "Built-in scenes: single, city, city-with-rogue (default), multiband (use --band all).",
      {{"scene", true, "NAME", "built-in scene or scene JSON file (default city-with-rogue)"},
       {"band", true, "LIST", "bands to sweep (default GSM900; all = GSM850,GSM900,DCS1800,PCS1900)"},
       {"rate", true, "HZ", "sample rate of the simulated receiver (default 2.4M)"},
       db_option(), report_option()},
      "towerwatch demo --json"};
  auto args = parse_or_help("demo", help, argv);
  if (!args) return 0;
  const std::string scene_name = args->get_or("scene", "city-with-rogue");
  if (scene_name.empty() || scene_name.find_first_of(",=") != std::string::npos)
    throw InputError("--scene: '" + scene_name + "' must be a name or path without ',' or '=' (it goes into SoapySDR device args)");
  const synth::Scene scene = synth::load_scene(scene_name);  // a bad scene fails here, naming the field

  sweep::ScanRequest rq;
  rq.device_args = "driver=towerwatch-sim,scene=" + scene_name;
  rq.bands = bands_from_args(*args, "GSM900");
  rq.sample_rate_hz = args->number_or("rate", 2.4e6);
  if (!(rq.sample_rate_hz >= 250e3 && rq.sample_rate_hz <= 20e6)) throw InputError("--rate must be between 250k and 20M");
  rq.use_stored_calibration = false;  // the simulated radio's error is the scene's, not a stored one
  const bool json = args->has("json");
  if (!json)
    std::printf("towerwatch demo: sweeping scene '%s' (%zu cells) through the simulated radio at %.2f Msps\n",
                scene_name.c_str(), scene.cells.size(), rq.sample_rate_hz / 1e6);
  auto out = sweep::run_scan_session(rq, json ? std::function<void(const sweep::SweepProgress&)>() : print_progress);
  // Score the sweep: every rule of the table on every cell, compared with the other cells of the sweep
  // (and with the baseline of --db when given).
  const auto alerts = score_run(out.merge.cells, out.serial, "demo " + scene_name, args->get("db")).alerts;
  std::vector<std::string> band_names;
  for (const auto& b : rq.bands) band_names.push_back(b.name);
  write_report_if_asked(*args, "demo", "scene " + scene_name, out.serial, band_names, out.merge.cells, alerts,
                        out.sweep.census);
  if (json) {
    for (const auto& c : out.merge.cells) emit_json_line(c);
    for (const auto& a : alerts) emit_json_line(to_json(a));
    emit_json_line({{"type", "sweep_summary"},
                    {"scene", scene_name},
                    {"tunings", out.plan.tunings.size()},
                    {"cells", out.merge.cells.size()},
                    {"alerts", alerts.size()}});
  } else {
    std::fprintf(stderr, "\n");
    std::printf("%zu cells in %zu tunings\n", out.merge.cells.size(), out.plan.tunings.size());
    if (!out.merge.cells.empty()) print_cell_table(out.merge.cells);
    std::printf("\n");
    print_alerts(alerts);
  }
  return 0;
}

}  // namespace tw::cli
