// towerwatch synth: render a GSM / LTE scene to an IQ file, its SigMF metadata and its ground truth.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "hw/iq_file_writer.hpp"
#include "hw/sample_format.hpp"
#include "hw/sigmf.hpp"
#include "src/cli/command.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/core/units.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/truth.hpp"

namespace tw::cli {

namespace {

// "OUT.cf32" -> "OUT"; "OUT.sigmf-data" -> "OUT".
std::string base_of(const std::string& path) {
  const std::filesystem::path p(path);
  if (!p.has_extension()) return path;
  return (p.parent_path() / p.stem()).string();
}

std::string extension_of(const std::string& path) {
  std::string e = std::filesystem::path(path).extension().string();
  if (!e.empty() && e[0] == '.') e.erase(0, 1);
  return e;
}

void write_text_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".part";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw InputError(path + ": cannot create the file");
    f << text;
    f.flush();
    if (!f) throw RuntimeFailure(path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw RuntimeFailure(path + ": cannot rename into place: " + ec.message());
}

}  // namespace

int run_synth(const std::vector<std::string>& argv_in) {
  const HelpText help{
      "SCENE.json|NAME -o OUT [--freq HZ] [--rate HZ] [--duration S] [--format F] [--seed N]",
      "Render a radio scene of GSM and LTE base stations into complex baseband at any centre frequency and\n"
      "sample rate, and write OUT (IQ), OUT's .sigmf-meta and OUT's .truth.json (the scene, every cell and\n"
      "every block and SCH sent; for LTE cells the SFN at the start and every frame's start time and MIB).\n"
      "SCENE is a JSON file or a built-in scene: single, city, city-with-rogue, multiband, lte, lte-weak, nr,\n"
      "multiband. Cells farther than rate/2 - 100 kHz from the centre are not rendered.",
      {{"output", true, "PATH", "output IQ file (also -o); the format follows its extension (.cf32 .cu8 .cs8 .cs16 .cfile)"},
       {"freq", true, "HZ", "centre frequency (default: the middle of the scene's cells, or of the most cells that fit), e.g. 947.4M"},
       {"rate", true, "HZ", "sample rate (default 1.083333M = 4 samples/symbol; 1.92M for a scene of LTE cells only), e.g. 2.4M"},
       {"duration", true, "S", "seconds to render (default 2)"},
       {"format", true, "F", "cu8 | cs8 | cs16 | cf32 (default: from the extension)"},
       {"seed", true, "N", "override the scene's seed"},
       {"start", true, "S", "scene time of the first sample (default 0)"}},
      "towerwatch synth city-with-rogue --freq 947.4M --rate 1.083333M --duration 2 --format cf32 -o out.cf32"};
  std::vector<std::string> argv;
  for (const auto& a : argv_in) argv.push_back(a == "-o" ? "--output" : a);
  auto parsed = parse_or_help("synth", help, argv);
  if (!parsed) return 0;
  const Args& args = *parsed;

  if (args.positionals().size() != 1)
    throw InputError("synth needs exactly one scene (a JSON file or one of: single, city, city-with-rogue, multiband, lte, lte-weak, nr)");
  const auto out = args.get("output");
  if (!out || out->empty()) throw InputError("synth needs an output file: -o OUT.cf32");

  synth::SceneWithLte full = synth::load_scene_with_lte(args.positionals()[0]);
  synth::Scene& scene = full.scene;
  if (auto s = args.get("seed")) {
    const double v = parse_si_number(*s, "--seed");
    if (v < 0 || v > 9.007199254740992e15 || std::floor(v) != v) throw InputError("--seed must be a whole number >= 0");
    scene.seed = static_cast<std::uint64_t>(v);
  }

  SampleFormat format;
  if (auto f = args.get("format")) {
    auto sf = format_from_name(*f);
    if (!sf) throw InputError("--format: '" + *f + "' is not one of cu8, cs8, cs16, cf32");
    format = *sf;
  } else {
    auto sf = format_from_name(extension_of(*out));
    if (!sf)
      throw InputError("cannot tell the sample format from '" + *out + "': give --format cu8|cs8|cs16|cf32");
    format = *sf;
  }

  const bool lte_only = scene.cells.empty() && !full.lte_cells.empty();
  const bool nr_only = scene.cells.empty() && full.lte_cells.empty() && !full.nr_cells.empty();
  // NR alone: 7.68 Msps holds a 30 kHz SSB (240 subcarriers, 7.2 MHz) and a 15 kHz one with room for offsets.
  const double rate = args.number_or("rate", nr_only ? 7.68e6 : lte_only ? 1.92e6 : 1625000.0 / 6.0 * 4.0);
  if (!(rate >= 1e3 && rate <= 100e6)) throw InputError("--rate must be between 1k and 100M samples/s");
  const double duration = args.number_or("duration", 2.0);
  if (!(duration > 0.0 && duration <= 3600.0)) throw InputError("--duration must be between 0 and 3600 s");
  const double start = args.number_or("start", 0.0);
  if (!(start >= 0.0 && start <= 1e7)) throw InputError("--start must be between 0 and 1e7 s");

  double freq = 0.0;
  if (auto f = args.number("freq")) {
    freq = *f;
    if (!(freq > 0.0 && freq < 10e9)) throw InputError("--freq must be a frequency in Hz between 0 and 10G");
  } else {
    if (scene.cells.empty() && full.lte_cells.empty() && full.nr_cells.empty())
      throw InputError("the scene has no cells: give --freq");
    freq = synth::scene_center_freq_hz(full, rate);
  }

  synth::SceneRenderer renderer(full, freq, rate, start);
  synth::TruthRecorder truth;
  renderer.set_truth_sink(&truth);
  int visible = 0;
  for (std::size_t i = 0; i < scene.cells.size(); ++i) {
    if (renderer.cell_visible(static_cast<int>(i))) {
      ++visible;
    } else {
      const auto& c = scene.cells[i];
      log::warn("cell " + std::to_string(i) + (c.name.empty() ? "" : " (" + c.name + ")") + " on ARFCN " +
                std::to_string(c.arfcn) + " is outside the rendered band and is left out");
    }
  }
  int lte_visible = 0;
  for (std::size_t i = 0; i < full.lte_cells.size(); ++i) {
    if (renderer.lte_cell_visible(static_cast<int>(i))) {
      ++lte_visible;
    } else {
      const auto& c = full.lte_cells[i];
      log::warn("LTE cell " + std::to_string(i) + (c.name.empty() ? "" : " (" + c.name + ")") + " at " +
                std::to_string(synth::lte::carrier_hz(c) / 1e6) + " MHz is outside the rendered band and is left out");
    }
  }

  int nr_visible = 0;
  for (std::size_t i = 0; i < renderer.nr_cells().size(); ++i) {
    if (renderer.nr_cell_visible(static_cast<int>(i))) {
      ++nr_visible;
    } else {
      const auto& c = renderer.nr_cells()[i];
      log::warn("NR cell " + std::to_string(i) + (c.name.empty() ? "" : " (" + c.name + ")") + " at GSCN " +
                std::to_string(c.gscn) + " is outside the rendered band and is left out");
    }
  }

  const auto total = static_cast<std::uint64_t>(std::llround(duration * rate));
  const std::string base = base_of(*out);
  const std::string meta_path = base + ".sigmf-meta";
  const std::string truth_path = base + ".truth.json";
  IqFileWriter writer(*out, format);
  std::vector<cf32> buf(65536);
  for (std::uint64_t done = 0; done < total;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), total - done));
    renderer.render(std::span<cf32>(buf.data(), n));
    writer.write(std::span<const cf32>(buf.data(), n));
    done += n;
  }
  writer.close();
  const std::string description = "towerwatch synth: scene '" + renderer.scene().name + "' seed " +
                                  std::to_string(renderer.scene().seed) + ", truth in " +
                                  std::filesystem::path(truth_path).filename().string();
  // The samples sit in OUT itself (not OUT.sigmf-data) unless OUT was named so: name it as core:dataset.
  const std::string data_name = std::filesystem::path(*out).filename().string();
  const bool conforming = data_name.size() > 11 && data_name.ends_with(".sigmf-data");
  write_sigmf_meta(meta_path, format, rate, freq, description, conforming ? std::string() : data_name);
  write_text_file(truth_path, truth.to_json(renderer, duration).dump(1) + "\n");

  if (args.has("json")) {
    nlohmann::json j = {{"type", "synth"},          {"output", *out},
                        {"meta", meta_path},         {"truth", truth_path},
                        {"format", format_name(format)}, {"sample_rate_hz", rate},
                        {"center_freq_hz", freq},    {"samples", total},
                        {"cells", scene.cells.size()}, {"cells_rendered", visible},
                        {"blocks", truth.blocks().size()}};
    if (!full.lte_cells.empty()) {
      j["lte_cells"] = full.lte_cells.size();
      j["lte_cells_rendered"] = lte_visible;
    }
    if (!full.nr_cells.empty()) {
      j["nr_cells"] = full.nr_cells.size();
      j["nr_cells_rendered"] = nr_visible;
    }
    std::printf("%s\n", j.dump().c_str());
  } else {
    log::info("wrote " + *out + ", " + meta_path + ", " + truth_path);
    std::printf("%s: %llu samples %s at %.6f Msps, centre %.6f MHz, %d of %zu cells rendered, %zu blocks in %s\n",
                out->c_str(), static_cast<unsigned long long>(total), format_name(format), rate / 1e6, freq / 1e6,
                visible, scene.cells.size(), truth.blocks().size(), truth_path.c_str());
    if (!full.lte_cells.empty())
      std::printf("%s: %d of %zu LTE cells rendered\n", out->c_str(), lte_visible, full.lte_cells.size());
    if (!full.nr_cells.empty())
      std::printf("%s: %d of %zu NR cells rendered\n", out->c_str(), nr_visible, full.nr_cells.size());
  }
  return 0;
}

}  // namespace tw::cli
