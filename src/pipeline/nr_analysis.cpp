#include "src/pipeline/nr_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "dsp/nr/ssb_receiver.hpp"
#include "src/core/error.hpp"
#include "src/nr/mib.hpp"

namespace tw {

using json = nlohmann::json;

NrAnalysisResult search_nr_block(std::span<const cf32> iq, double rate, double center_hz, const NrAnalysisOptions& options) {
  NrAnalysisResult result;
  result.samples = iq.size();
  result.seconds = static_cast<double>(iq.size()) / rate;
  std::vector<dsp::nr::NrRasterPoint> points;
  if (center_hz > 0) {
    points = dsp::nr::raster_points_in_capture(center_hz, rate, options.bands);
  } else {
    // Centre unknown: the centre itself, both FR1 SSB spacings (no GSCN, no ppm).
    if (64 * 15e3 <= 0.5 * rate) points.push_back({-1, -1, 0, 0.0, 0.0, 15, dsp::nr::SsbCase::A, 4});
    if (64 * 30e3 <= 0.5 * rate) points.push_back({-1, -1, 0, 0.0, 0.0, 30, dsp::nr::SsbCase::C, 8});
  }
  result.raster_points = static_cast<int>(points.size());
  if (points.empty() || iq.empty()) return result;
  const bool all_fit = std::all_of(points.begin(), points.end(), [&](const auto& p) {
    return dsp::nr::ssb_fits(rate, p.offset_hz, p.scs_khz);
  });
  const bool any_fit = std::any_of(points.begin(), points.end(), [&](const auto& p) {
    return dsp::nr::ssb_fits(rate, p.offset_hz, p.scs_khz);
  });
  result.pbch = all_fit ? "decodable" : any_fit ? "decodable at some points" : "PCI only";
  dsp::nr::NrReceiverConfig cfg;
  if (options.max_cfo_hz) cfg.search.max_cfo_hz = *options.max_cfo_hz;
  cfg.search.combine_period_ms = options.combine_period_ms;
  dsp::nr::NrReceiver rx(cfg);
  for (const auto& cell : rx.execute(iq, rate, points)) {
    json rec = dsp::nr::to_json(cell);
    rec["mib"] = nullptr;
    rec["k_ssb"] = nullptr;
    if (cell.mib_decoded) {
      std::string err;
      if (const auto mib = nr::parse_mib(cell.mib_bits, &err)) {
        json m = nr::to_json(*mib);
        // The MIB carries the SFN's 6 MSBs; the PBCH payload the 4 LSBs (38.212 7.1.1): the whole SFN.
        m["sfn"] = cell.sfn;
        rec["mib"] = m;
        // 38.213 4.1: k_SSB = the payload's MSB x 16 + ssb-SubcarrierOffset (FR1).
        rec["k_ssb"] = cell.k_ssb_msb * 16 + mib->ssb_subcarrier_offset;
      } else {
        rec["mib_error"] = err;
      }
    }
    result.cells.push_back(std::move(rec));
  }
  return result;
}

NrAnalysisResult run_nr_analysis(IqSource& source, const NrAnalysisOptions& options) {
  const StreamInfo& info = source.info();
  if (!(options.seconds > 0.0) || options.seconds > 10.0)
    throw InputError("NR search seconds: must be in (0, 10], got " + std::to_string(options.seconds));
  const double rate = info.sample_rate_hz;
  const auto wanted = static_cast<std::size_t>(std::ceil(options.seconds * rate));
  const std::vector<cf32> iq = read_contiguous(source, wanted);
  return search_nr_block(iq, rate, info.center_freq_known ? info.center_freq_hz : 0.0, options);
}

void print_nr_cell_table(const std::vector<json>& cells) {
  std::printf("%-6s %-8s %-10s %-4s %-5s %-4s %-5s %-3s %-4s %-9s %-7s %9s %7s %9s\n", "GSCN", "NR-ARFCN", "MHz", "SCS",
              "PCI", "SSB", "SFN", "HF", "kSSB", "CORESET0", "barred", "RSRP dBFS", "SINR dB", "CFO ppm");
  for (const auto& c : cells) {
    auto str = [](const json& v) -> std::string {
      if (v.is_null()) return "-";
      return v.is_string() ? v.get<std::string>() : v.dump();
    };
    char mhz[32] = "-";
    if (c.value("freq_hz", json()).is_number()) std::snprintf(mhz, sizeof mhz, "%.2f", c["freq_hz"].get<double>() / 1e6);
    const json mib = c.value("mib", json());
    const std::string coreset = mib.is_object() ? str(mib["pdcch_config_sib1"]["control_resource_set_zero"]) : "-";
    const std::string barred = mib.is_object() ? (mib.value("cell_barred", false) ? "yes" : "no") : "-";
    std::printf("%-6s %-8s %-10s %-4s %-5s %-4s %-5s %-3s %-4s %-9s %-7s %9.1f %7.1f %9s\n", str(c["gscn"]).c_str(),
                str(c["nr_arfcn"]).c_str(), mhz, str(c["scs_khz"]).c_str(), str(c["pci"]).c_str(),
                str(c["ssb_index"]).c_str(), str(c["sfn"]).c_str(), str(c["half_frame"]).c_str(),
                str(c.value("k_ssb", json())).c_str(), coreset.c_str(), barred.c_str(), c.value("rsrp_dbfs", 0.0),
                c.value("sinr_db", 0.0), str(c["cfo_ppm"]).c_str());
  }
}

}  // namespace tw
