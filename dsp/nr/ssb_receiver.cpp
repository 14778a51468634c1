#include "dsp/nr/ssb_receiver.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "dsp/nr/pbch_coding.hpp"
#include "dsp/nr/pbch_dmrs.hpp"

namespace tw::dsp::nr {

std::vector<NrRasterPoint> raster_points_in_capture(double center_hz, double fs, const std::vector<int>& bands) {
  std::vector<NrRasterPoint> out;
  if (!(center_hz > 0.0) || !(fs > 0.0)) return out;
  for (const auto& c : nr_raster_between(center_hz - fs / 2, center_hz + fs / 2)) {
    if (!bands.empty() && std::find(bands.begin(), bands.end(), c.band) == bands.end()) continue;
    const double off = c.ss_ref_hz - center_hz;
    if (std::fabs(off) + 64.0 * c.scs_khz * 1e3 > 0.5 * fs) continue;
    // One search per (GSCN, SCS): bands sharing a raster point (n77/n78) are searched once, named after the
    // narrower band (n78 inside n77).
    auto span = [](int band) { const NrBand* b = nr_band(band); return b ? b->dl_high_hz - b->dl_low_hz : 0.0; };
    bool dup = false;
    for (auto& o : out)
      if (o.gscn == c.gscn && o.scs_khz == c.scs_khz) {
        dup = true;
        if (span(c.band) < span(o.band)) o.band = c.band;
      }
    if (dup) continue;
    out.push_back({c.gscn, c.nr_arfcn, c.band, c.ss_ref_hz, off, c.scs_khz, c.ssb_case, c.l_max});
  }
  return out;
}

NrReceiver::NrReceiver(const NrReceiverConfig& cfg) : cfg_(cfg) {}

std::vector<NrCell> NrReceiver::execute(std::span<const cf32> iq, double fs, const std::vector<NrRasterPoint>& points) {
  std::vector<NrCell> cells;
  if (iq.empty() || points.empty()) return cells;
  const CaptureSpectrum spectrum(iq, fs);
  SsbSearch search(spectrum, cfg_.search);
  std::vector<std::vector<SsbDetection>> found(points.size());
  for (std::size_t i = 0; i < points.size(); ++i)
    found[i] = search.execute({points[i].offset_hz, points[i].ss_ref_hz, points[i].scs_khz});
  // A detection inside a much stronger SSB occurrence (overlapping its 240 subcarriers, 38.211 7.4.3.1, at
  // another centre, in the same symbols) is that SSB folded into a neighbouring raster point's hypotheses
  // (its PSS cross-correlation, its SSS/PBCH REs), not a cell: two transmitters cannot share those REs at one
  // time. The same test as within one point (ssb_search: > 2 x the SSS score within a symbol), across points.
  auto folded = [&](std::size_t i, const SsbDetection& d) {
    const double scs_hz = points[i].scs_khz * 1e3;
    const double sym_s = (256.0 + cp_length(256)) / (256.0 * scs_hz);
    const double f = points[i].offset_hz + d.cfo_hz;
    for (std::size_t j = 0; j < points.size(); ++j) {
      if (points[j].scs_khz != points[i].scs_khz) continue;
      for (const auto& e : found[j]) {
        const double df = std::fabs(points[j].offset_hz + e.cfo_hz - f);
        if (e.pci != d.pci && df > 0.5 * scs_hz && df < kSsbSubcarriers * scs_hz &&
            std::fabs(e.pss_time_s - d.pss_time_s) < sym_s && e.sss_score > 2.0 * d.sss_score)
          return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& pt = points[i];
    const SsbTarget target{pt.offset_hz, pt.ss_ref_hz, pt.scs_khz};
    std::vector<SsbDetection> dets;
    for (const auto& d : found[i])
      if (!folded(i, d)) dets.push_back(d);
    std::map<int, std::vector<const SsbDetection*>> by_pci;
    std::vector<int> order;
    for (const auto& d : dets) {
      if (!by_pci.count(d.pci)) order.push_back(d.pci);
      by_pci[d.pci].push_back(&d);
    }
    for (int pci : order) {
      auto& occ = by_pci[pci];
      std::sort(occ.begin(), occ.end(), [](const SsbDetection* a, const SsbDetection* b) { return a->sinr_db > b->sinr_db; });
      NrCell cell;
      cell.at = pt;
      cell.ssb = *occ.front();
      cell.occurrences = static_cast<int>(occ.size());
      cell.pbch = "not in band";
      PbchDmrs dmrs(pci);
      int tries = 0;
      for (const SsbDetection* d : occ) {
        if (tries >= cfg_.max_pbch_attempts) break;
        SsbGrid grid;
        if (!search.extract_grid(target, *d, grid)) continue;
        ++tries;
        const PbchDmrsResult r = dmrs.execute(grid);
        if (cell.i_ssb_bar < 0) {
          cell.pbch = "crc failed";
          cell.i_ssb_bar = r.i_ssb_bar;
          cell.dmrs_metric = r.metric;
        }
        // QPSK LLRs: 2 sqrt2 Re/Im(y conj h) / sigma^2 (per-RE noise after equalisation).
        const auto& res = pbch_data_res(pci);
        std::vector<float> llr(864);
        const double nv = std::max(r.noise_var, 1e-30);
        for (int i = 0; i < kPbchRe; ++i) {
          const cf32 z = grid[res[i].l][res[i].k] * std::conj(r.h[i]);
          const double s = 2.0 * std::sqrt(2.0) / nv;
          llr[2 * i] = static_cast<float>(std::clamp(s * z.real(), -1e4, 1e4));
          llr[2 * i + 1] = static_cast<float>(std::clamp(s * z.imag(), -1e4, 1e4));
        }
        const std::uint8_t lsbs = static_cast<std::uint8_t>(pt.l_max == 4 ? (r.i_ssb_bar & 3) : (r.i_ssb_bar & 7));
        const auto dec = tw::nr::pbch_decode(llr, static_cast<std::uint16_t>(pci), lsbs, pt.l_max);
        if (!dec) continue;
        cell.ssb = *d;
        cell.pbch = "decoded";
        cell.i_ssb_bar = r.i_ssb_bar;
        cell.dmrs_metric = r.metric;
        cell.pbch_metric = dec->metric;
        cell.mib_decoded = true;
        cell.mib_bits = dec->payload.mib_bits;
        cell.sfn = dec->payload.sfn;
        cell.half_frame = dec->payload.half_frame ? 1 : 0;
        cell.ssb_index = dec->payload.ssb_index;
        cell.k_ssb_msb = dec->payload.k_ssb_msb;
        break;
      }
      if (!cell.mib_decoded && cell.i_ssb_bar >= 0) {
        cell.ssb_index = pt.l_max == 4 ? (cell.i_ssb_bar & 3) : cell.i_ssb_bar;
        if (pt.l_max == 4) cell.half_frame = cell.i_ssb_bar / 4;
      }
      cells.push_back(cell);
    }
  }
  // One SSB seen from several raster points (points 100 kHz apart, offsets searched up to 100 ppm): the
  // same PCI at the same time and absolute frequency is kept at the point with the smallest offset.
  std::vector<NrCell> out;
  for (const auto& c : cells) {
    bool replaced = false, dup = false;
    for (auto& o : out) {
      if (o.ssb.pci != c.ssb.pci || o.at.scs_khz != c.at.scs_khz) continue;
      const double fo = o.at.offset_hz + o.ssb.cfo_hz, fc = c.at.offset_hz + c.ssb.cfo_hz;
      const double dt = std::fabs(o.ssb.pss_time_s - c.ssb.pss_time_s);
      if (std::fabs(fo - fc) > 0.5 * c.at.scs_khz * 1e3 || dt > 1e-4) continue;
      dup = true;
      const bool better = (c.mib_decoded && !o.mib_decoded) ||
                          (c.mib_decoded == o.mib_decoded && std::fabs(c.ssb.cfo_hz) < std::fabs(o.ssb.cfo_hz));
      if (better) {
        o = c;
        replaced = true;
      }
      break;
    }
    if (!dup && !replaced) out.push_back(c);
  }
  return out;
}

nlohmann::json to_json(const NrCell& c) {
  using nlohmann::json;
  auto opt = [](bool ok, auto v) { return ok ? json(v) : json(nullptr); };
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06x", c.mib_bits & 0xffffffu);
  json j = {{"type", "cell"},
            {"rat", "NR"},
            {"gscn", opt(c.at.gscn >= 0, c.at.gscn)},
            {"nr_arfcn", opt(c.at.nr_arfcn >= 0, c.at.nr_arfcn)},
            {"band", opt(c.at.band > 0, nr_band_name(c.at.band))},
            {"freq_hz", opt(c.at.ss_ref_hz > 0, c.at.ss_ref_hz)},
            {"ss_ref_hz", opt(c.at.ss_ref_hz > 0, c.at.ss_ref_hz)},
            {"scs_khz", c.at.scs_khz},
            {"ssb_case", ssb_case_name(c.at.ssb_case)},
            {"l_max", c.at.l_max},
            {"pci", c.ssb.pci},
            {"n_id_1", c.ssb.n_id_1},
            {"n_id_2", c.ssb.n_id_2},
            {"ssb_index", opt(c.ssb_index >= 0, c.ssb_index)},
            {"half_frame", opt(c.half_frame >= 0, c.half_frame)},
            {"sfn", opt(c.mib_decoded, c.sfn)},
            {"k_ssb_msb", opt(c.mib_decoded, c.k_ssb_msb)},
            {"pbch", c.pbch},
            {"mib_hex", opt(c.mib_decoded, std::string(hex))},
            {"rsrp_dbfs", std::round(c.ssb.rsrp_dbfs * 10) / 10},
            {"sinr_db", std::round(c.ssb.sinr_db * 10) / 10},
            {"cfo_hz", std::round(c.ssb.cfo_hz)},
            {"cfo_ppm", opt(c.at.ss_ref_hz > 0, std::round(c.ssb.cfo_ppm * 1000) / 1000)},
            {"ssb_start_sample", std::round(c.ssb.ssb_start_sample * 10) / 10},
            {"ssb_occurrences", c.occurrences}};
  return j;
}

}  // namespace tw::dsp::nr
