#include "src/pipeline/lte_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "dsp/channel_select.hpp"
#include "dsp/lte/cell_search.hpp"
#include "src/cells/operator_json.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/core/lte_bands.hpp"

namespace tw {

using json = nlohmann::json;

namespace {

constexpr double kLteSearchRate = 1.92e6;   // 128-point FFT, 15 kHz subcarriers (TS 36.211 6.12)
constexpr double kRasterHz = 100e3;         // channel raster (TS 36.101 5.7.2)
// The central 72 subcarriers span +-540 kHz; the pass band also keeps a carrier offset of a few hundred kHz.
constexpr double kPassHalfWidthHz = 0.75e6;

// The LTE band and EARFCN of a downlink frequency, if it lies in a band of 36.101 table 5.7.3-1.
// A frequency may lie in several bands (1, 4 and 66 overlap): the lowest band number is reported.
void add_band_fields(json& cell, double freq_hz) {
  cell["earfcn"] = nullptr;
  cell["band"] = nullptr;
  const auto bands = lte_bands_at(freq_hz);
  if (bands.empty()) return;
  if (const auto earfcn = lte_earfcn(freq_hz, bands.front())) {
    cell["earfcn"] = *earfcn;
    cell["band"] = lte_band_name(bands.front());
  }
}

}  // namespace

json LteAnalysisResult::summary_json(const StreamInfo& info) const {
  return {{"type", "summary"},
          {"rat", "LTE"},
          {"source", info.description},
          {"samples", samples},
          {"seconds", seconds},
          {"sample_rate_hz", info.sample_rate_hz},
          {"center_freq_hz", info.center_freq_known ? json(info.center_freq_hz) : json(nullptr)},
          {"cells", cells.size()},
          {"gaps", gaps}};
}

LteAnalysisResult run_lte_analysis(IqSource& source, const LteAnalysisOptions& options) {
  const StreamInfo& info = source.info();
  const double rate = info.sample_rate_hz;
  if (!(options.seconds > 0.0) || options.seconds > 60.0)
    throw InputError("LTE search seconds: must be in (0, 60], got " + std::to_string(options.seconds));
  if (!(options.si_seconds >= 0.0) || options.si_seconds > 60.0)
    throw InputError("LTE System Information seconds: must be in [0, 60], got " + std::to_string(options.si_seconds));
  for (const double off : options.offsets_hz)
    if (!(std::abs(off) + 540e3 <= rate / 2))
      throw InputError(info.description + ": LTE offset " + std::to_string(off) +
                       " Hz puts the central 6 PRB outside the captured band (" + std::to_string(rate) + " Sps)");

  // Read the signal once (bounded: at most 60 s, the 80 ms default is a few MB at 20 Msps).
  LteAnalysisResult result;
  const double read_s = options.system_information ? std::max(options.seconds, options.si_seconds) : options.seconds;
  const auto wanted = static_cast<std::size_t>(std::ceil(read_s * rate));
  std::vector<cf32> iq(wanted);
  std::size_t have = 0;
  while (have < wanted) {
    const auto r = source.read(std::span(iq).subspan(have));
    if (r.gap) {
      // A gap breaks the frame timing the search relies on: keep only what follows it.
      ++result.gaps;
      if (have > 0) std::copy(iq.begin() + static_cast<std::ptrdiff_t>(have),
                              iq.begin() + static_cast<std::ptrdiff_t>(have + r.count), iq.begin());
      have = 0;
    }
    have += r.count;
    if (r.end_of_stream) break;
  }
  iq.resize(have);
  result.samples = have;
  result.seconds = static_cast<double>(have) / rate;
  if (have == 0) return result;

  result.cells = search_lte_block(iq, rate, info.center_freq_known ? info.center_freq_hz : 0.0, options, &result.messages);
  return result;
}

std::vector<json> search_lte_block(std::span<const cf32> all, double rate, double carrier,
                                   const LteAnalysisOptions& options, std::vector<LteRrcMessage>* messages) {
  if (!(rate > 0.0)) throw InputError("LTE search: sample rate must be positive");
  for (const double off : options.offsets_hz)
    if (!(std::abs(off) + 540e3 <= rate / 2))
      throw InputError("LTE offset " + std::to_string(off) + " Hz puts the central 6 PRB outside the captured band (" +
                       std::to_string(rate) + " Sps)");
  std::vector<json> cells;
  if (all.empty()) return cells;
  // The search needs options.seconds; System Information takes the whole block.
  const auto search_n = static_cast<std::size_t>(std::ceil(options.seconds * rate));
  const std::span<const cf32> iq = all.first(std::min(all.size(), std::max<std::size_t>(search_n, 1)));
  dsp::lte::CellSearchConfig cfg;
  if (!(carrier >= 0.0)) carrier = 0.0;
  cfg.carrier_hz = carrier;
  cfg.max_cfo_hz = options.max_cfo_hz.value_or(carrier > 0 ? std::max(30e3, 100e-6 * carrier) : 270e3);
  if (!(cfg.max_cfo_hz > 0.0) || cfg.max_cfo_hz > kLteMaxSearchCfoHz + 1.0)
    throw InputError("LTE search window: max_cfo_hz " + std::to_string(cfg.max_cfo_hz) + " Hz outside (0, " +
                     std::to_string(kLteMaxSearchCfoHz) + "]");
  dsp::lte::CellSearch search(cfg);
  // The pass band holds the central 6 PRB wherever the window puts them (0.75 MHz for windows up to 210 kHz).
  const double pass_half = std::clamp(540e3 + cfg.max_cfo_hz, kPassHalfWidthHz, 0.45 * kLteSearchRate);

  std::vector<cf32> base;
  for (const double off : options.offsets_hz) {
    std::span<const cf32> at_search_rate;
    double delay_s = 0.0;        // input time of output sample 0
    double out_period_s = 1.0 / kLteSearchRate;
    if (rate == kLteSearchRate && off == 0.0) {
      at_search_rate = iq;
    } else {
      dsp::ChannelSelectConfig sel_cfg;
      sel_cfg.input_rate_hz = rate;
      sel_cfg.channel_offset_hz = off;
      sel_cfg.half_bandwidth_hz = pass_half;
      sel_cfg.output_rate_hz = kLteSearchRate;
      dsp::ChannelSelector sel(sel_cfg);
      base.clear();
      sel.execute(iq, base);
      at_search_rate = base;
      delay_s = sel.input_time_of_output(0) / rate;
      out_period_s = static_cast<double>(sel.decim()) / static_cast<double>(sel.interp()) / rate;
    }
    for (const auto& cell : search.execute(at_search_rate)) {
      json rec = dsp::lte::to_json(cell);
      rec["offset_hz"] = off;
      rec["frame_start_s"] = delay_s + static_cast<double>(cell.frame_start_sample) * out_period_s;
      if (carrier > 0) {
        // The carrier sits on the 100 kHz raster; what is left over is the receiver's (and the cell's) error.
        const double seen = carrier + off + cell.cfo_hz;
        const double on_raster = std::round(seen / kRasterHz) * kRasterHz;
        rec["apparent_carrier_hz"] = seen;
        rec["freq_hz"] = on_raster;
        // The apparent carrier's offset from its raster frequency: the receiver's clock error plus the cell's.
        rec["carrier_offset_ppm"] = std::round((seen - on_raster) / on_raster * 1e9) / 1e3;
        add_band_fields(rec, on_raster);
      } else {
        rec["apparent_carrier_hz"] = nullptr;
        rec["carrier_offset_ppm"] = nullptr;
        rec["freq_hz"] = nullptr;
        rec["earfcn"] = nullptr;
        rec["band"] = nullptr;
      }
      if (options.system_information) {
        // The searches of overlapping offsets find a cell several times: its System Information is decoded
        // once, from the first record whose SIB1 decoded (same PCI, carrier within half the 100 kHz raster).
        const double at = off + cell.cfo_hz;
        const auto same = std::find_if(cells.begin(), cells.end(), [&](const json& c) {
          return has_lte_sib1(c) && c.value("pci", -1) == cell.pci &&
                 std::abs(c.value("offset_hz", 0.0) + c.value("cfo_hz", 0.0) - at) < kRasterHz / 2;
        });
        if (same != cells.end()) copy_lte_system_information(*same, rec);
        else add_lte_system_information(all, rate, rec, messages);
      }
      cells.push_back(std::move(rec));
    }
  }
  return cells;
}

void print_lte_cell_table(const std::vector<json>& cells) {
  std::printf("%-6s %-10s %-4s %-4s %-8s %-5s %-4s %-10s %-5s %8s %7s %9s  %-7s %-6s %-10s %-24s %s\n", "EARFCN", "MHz", "PCI",
              "dup", "CP", "ports", "PRB", "PHICH", "SFN", "RSRP dBFS", "SINR dB", "CFO Hz", "PLMN", "TAC", "ECI",
              "SIBs", "operator");
  for (const auto& c : cells) {
    auto str = [&](const char* k) -> std::string {
      if (!c.contains(k) || c[k].is_null()) return "-";
      return c[k].is_string() ? c[k].get<std::string>() : c[k].dump();
    };
    char freq[32] = "-";
    if (c.contains("freq_hz") && c["freq_hz"].is_number()) std::snprintf(freq, sizeof freq, "%.1f", c["freq_hz"].get<double>() / 1e6);
    std::string phich = "-";
    if (c.contains("phich") && c["phich"].is_object())
      phich = c["phich"].value("duration", "?") + "/" + c["phich"].value("resource", "?");
    // System Information: PLMN, TAC, E-UTRAN cell identity and the SIBs seen, or why SIB1 is missing.
    const std::string plmn = c.contains("mcc") && c["mcc"].is_number() ? str("mcc") + "-" + str("mnc") : "-";
    std::string sibs;
    for (const auto& x : c.value("sibs_seen", nlohmann::json::array())) sibs += (sibs.empty() ? "" : ",") + x.get<std::string>();
    if (sibs.empty() && c.contains("sib1_error") && c["sib1_error"].is_string()) sibs = "(" + c["sib1_error"].get<std::string>() + ")";
    std::printf("%-6s %-10s %-4s %-4s %-8s %-5s %-4s %-10s %-5s %8.1f %7.1f %9.0f  %-7s %-6s %-10s %-24s %s\n",
                str("earfcn").c_str(), freq, str("pci").c_str(), str("duplex").c_str(), str("cp").c_str(),
                str("ports").c_str(), str("bandwidth_prb").c_str(), phich.c_str(), str("sfn").c_str(),
                c.value("rsrp_dbfs", 0.0), c.value("sinr_db", 0.0), c.value("cfo_hz", 0.0), plmn.c_str(),
                str("tac").c_str(), str("cell_identity").c_str(), sibs.empty() ? "-" : sibs.c_str(),
                cells::operator_label_of(c).c_str());
  }
}

}  // namespace tw
