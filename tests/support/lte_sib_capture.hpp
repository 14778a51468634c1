// Test helper (header only): the 20 MHz band-3 HackRF recording of ../shared/captures/lte with the cell's
// timing as the project finds it (channel selection to 1.92 Msps, cell search, then refine_dl_timing on the
// CRS at 19.2 Msps). Nothing here is taken from the reference decode except the file's name and format.
#pragma once
#include <cmath>
#include <filesystem>
#include <optional>
#include <vector>

#include "dsp/channel_select.hpp"
#include "dsp/lte/cell_search.hpp"
#include "dsp/lte/ofdm_demod.hpp"
#include "hw/iq_file_source.hpp"

namespace tw::test {

struct LteSibCapture {
  std::vector<dsp::lte::cf32> iq;     // 19.2 Msps
  dsp::lte::CellParams cell;
  dsp::lte::DlTiming coarse, timing;  // search's, refined
};

// The cell's timing in samples at any rate fs (centre fc) as the project finds it: 1.92 Msps channel selection,
// cell search, CRS refinement at fs.
inline std::optional<LteSibCapture> find_lte_sib_cell(std::vector<dsp::lte::cf32> iq, double fs, double fc) {
  LteSibCapture c;
  c.iq = std::move(iq);
  // As src/pipeline/lte_analysis.cpp: 1.92 Msps, cell search, frame start in seconds with the filter delay.
  dsp::ChannelSelectConfig sel_cfg;
  sel_cfg.input_rate_hz = fs;
  sel_cfg.channel_offset_hz = 0.0;
  sel_cfg.half_bandwidth_hz = 0.75e6;
  sel_cfg.output_rate_hz = 1.92e6;
  dsp::ChannelSelector sel(sel_cfg);
  std::vector<dsp::lte::cf32> base;
  sel.execute(c.iq, base);
  const double delay_s = sel.input_time_of_output(0) / fs;
  const double period_s = static_cast<double>(sel.decim()) / static_cast<double>(sel.interp()) / fs;
  dsp::lte::CellSearchConfig cfg;
  cfg.carrier_hz = fc;
  dsp::lte::CellSearch search(cfg);
  const auto cells = search.execute(base);
  if (cells.empty() || !cells.front().mib_decoded) return std::nullopt;
  const auto& s = cells.front();
  c.cell.pci = s.pci;
  c.cell.n_prb = s.mib.bandwidth_prb;
  c.cell.normal_cp = s.cp == "normal";
  c.cell.ports = s.ports;
  c.cell.tdd = s.duplex == "TDD";
  c.cell.phich_extended = s.mib.phich_extended;
  c.cell.phich_resource = s.mib.phich_resource;
  c.coarse.sample_rate_hz = fs;
  c.coarse.carrier_offset_hz = s.cfo_hz;
  c.coarse.frame_start_sample = (delay_s + static_cast<double>(s.frame_start_sample) * period_s) * fs;
  c.coarse.sfn0 = s.mib.sfn;
  c.coarse.clock_scale = 1.0 + s.cfo_hz / (fc + s.cfo_hz);
  c.timing = dsp::lte::refine_dl_timing(c.cell, c.coarse, c.iq);
  return c;
}

inline std::optional<LteSibCapture> load_lte_sib_capture(const std::filesystem::path& shared) {
  IqFileOptions opt;
  opt.path = (shared / "captures/lte/f1815.3_s19.2_bw20_0.08s_hackrf.bin").string();
  opt.format = SampleFormat::cs8;
  IqFileSource src(opt);
  const double fs = src.info().sample_rate_hz;
  const double fc = src.info().center_freq_hz;
  std::vector<dsp::lte::cf32> iq(static_cast<std::size_t>(0.08 * fs) + 1000);
  std::size_t have = 0;
  while (have < iq.size()) {
    const auto r = src.read(std::span(iq).subspan(have));
    have += r.count;
    if (r.end_of_stream || r.count == 0) break;
  }
  iq.resize(have);
  return find_lte_sib_cell(std::move(iq), fs, fc);
}

}  // namespace tw::test
