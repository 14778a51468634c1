#include "src/pipeline/lte_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "dsp/channel_select.hpp"
#include "dsp/lte/cell_search.hpp"
#include "dsp/lte/pss_search.hpp"
#include "src/cells/operator_json.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "src/core/lte_bands.hpp"

namespace tw {

using json = nlohmann::json;

namespace {

constexpr double kLteSearchRate = 1.92e6;   // 128-point FFT, 15 kHz subcarriers (TS 36.211 6.12)
constexpr double kRasterHz = 100e3;         // channel raster (TS 36.101 5.7.2)
constexpr double kPi = 3.14159265358979323846;
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

  // Read the signal once (bounded: at most 60 s, the 80 ms default is a few MB at 20 Msps).
  LteAnalysisResult result;
  const double read_s = options.system_information ? std::max(options.seconds, options.si_seconds) : options.seconds;
  const auto wanted = static_cast<std::size_t>(std::ceil(read_s * rate));
  std::vector<cf32> iq = read_contiguous(source, wanted, &result.gaps);
  const std::size_t have = iq.size();
  result.samples = have;
  result.seconds = static_cast<double>(have) / rate;
  if (have == 0) return result;

  result.cells = search_lte_block(iq, rate, info.center_freq_known ? info.center_freq_hz : 0.0, options, &result.messages,
                                  &result.search_notes);
  for (const auto& n : result.search_notes) log::warn(info.description + ": " + n.value("note", std::string()));
  return result;
}

std::vector<json> search_lte_block(std::span<const cf32> all, double rate, double carrier,
                                   const LteAnalysisOptions& options, std::vector<LteRrcMessage>* messages,
                                   std::vector<json>* notes) {
  if (!(rate > 0.0)) throw InputError("LTE search: sample rate must be positive");
  auto note = [&](json n) {
    if (notes) notes->push_back(std::move(n));
  };
  std::vector<json> cells;
  if (all.empty()) return cells;
  // The search needs options.seconds; System Information takes the whole block.
  const auto search_n = static_cast<std::size_t>(std::ceil(options.seconds * rate));
  const std::span<const cf32> iq = all.first(std::min(all.size(), std::max<std::size_t>(search_n, 1)));
  dsp::lte::CellSearchConfig cfg;
  if (!(carrier >= 0.0)) carrier = 0.0;
  cfg.carrier_hz = carrier;
  const double wanted = options.max_cfo_hz.value_or(carrier > 0 ? std::max(30e3, 100e-6 * carrier) : 270e3);
  if (!(wanted > 0.0) || !std::isfinite(wanted))
    throw InputError("LTE search window: max_cfo_hz " + std::to_string(wanted) + " Hz must be positive");
  // The window the 1.92 Msps search holds (the central 6 PRB inside the channel filter's pass band): a wider
  // one (100 ppm above 3.24 GHz, or asked for) is narrowed to it and said so; the search goes on.
  cfg.max_cfo_hz = std::min(wanted, kLteMaxSearchCfoHz);
  if (wanted > kLteMaxSearchCfoHz + 1.0) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "LTE search window narrowed from +-%.0f Hz (%s) to +-%.0f Hz, the widest the 1.92 Msps search holds: "
                  "cells offset further are not searched",
                  wanted, options.max_cfo_hz ? "asked for" : "100 ppm of the carrier", cfg.max_cfo_hz);
    note({{"type", "lte_search_note"}, {"note", text}, {"max_cfo_hz_wanted", wanted}, {"max_cfo_hz", cfg.max_cfo_hz}});
  }
  // The duplex mode, when every band at the block's offsets has the same (36.101 table 5.5-1; SDL bands use
  // FDD's frame structure): the SSS then tries that mode only.
  if (carrier > 0.0) {
    bool fdd = false, tdd = false, unknown = options.offsets_hz.empty();
    for (const double off : options.offsets_hz) {
      const auto bands = lte_bands_at(carrier + off, 150e3);
      if (bands.empty()) unknown = true;
      for (const int b : bands) {
        const auto* lb = lte_band(b);
        if (!lb) unknown = true;
        else (lb->duplex == LteDuplex::tdd ? tdd : fdd) = true;
      }
    }
    if (!unknown && fdd != tdd) cfg.duplex = fdd ? 1 : 2;
  }
  dsp::lte::CellSearch search(cfg);
  // The pass band holds the central 6 PRB wherever the window puts them (0.75 MHz for windows up to 210 kHz).
  const double pass_half = std::clamp(540e3 + cfg.max_cfo_hz, kPassHalfWidthHz, 0.45 * kLteSearchRate);

  // The offsets searched: those whose central 6 PRB lie inside the block's band (the others are said).
  std::vector<double> offsets;
  for (const double off : options.offsets_hz) {
    if (!(std::abs(off) + 540e3 <= rate / 2)) {
      char text[256];
      std::snprintf(text, sizeof text,
                    "LTE offset %.0f Hz skipped: its central 6 PRB (+-540 kHz) lie outside the captured band (%.0f Sps)", off,
                    rate);
      note({{"type", "lte_search_note"}, {"note", text}, {"offset_hz", off}, {"skipped", true}});
      continue;
    }
    offsets.push_back(off);
  }

  // One channel at 1.92 Msps centred `off` from the block's centre (none when the block is that already).
  struct Channel {
    std::vector<cf32> iq;
    std::span<const cf32> view;
    double delay_s = 0.0;        // input time of output sample 0
    double out_period_s = 1.0 / kLteSearchRate;
  };
  auto select = [&](double off, double half_bw, Channel& ch) {
    if (rate == kLteSearchRate && off == 0.0) {
      ch.view = iq;
      ch.delay_s = 0.0;
      ch.out_period_s = 1.0 / kLteSearchRate;
      return;
    }
    dsp::ChannelSelectConfig sel_cfg;
    sel_cfg.input_rate_hz = rate;
    sel_cfg.channel_offset_hz = off;
    sel_cfg.half_bandwidth_hz = half_bw;
    sel_cfg.output_rate_hz = kLteSearchRate;
    dsp::ChannelSelector sel(sel_cfg);
    ch.iq.clear();
    sel.execute(iq, ch.iq);
    ch.view = ch.iq;
    ch.delay_s = sel.input_time_of_output(0) / rate;
    ch.out_period_s = static_cast<double>(sel.decim()) / static_cast<double>(sel.interp()) / rate;
  };
  // The records of the cells found at offset `off` in channel `ch`.
  auto add_cells = [&](const std::vector<dsp::lte::LteCell>& found, double off, const Channel& ch) {
    for (const auto& cell : found) {
      json rec = dsp::lte::to_json(cell);
      rec["offset_hz"] = off;
      rec["frame_start_s"] = ch.delay_s + static_cast<double>(cell.frame_start_sample) * ch.out_period_s;
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
  };

  if (!options.shared_search || offsets.size() < 2) {
    // Each offset alone: its own channel and its own whole search.
    Channel ch;
    for (const double off : offsets) {
      select(off, pass_half, ch);
      add_cells(search.execute(ch.view), off, ch);
    }
    return cells;
  }

  // Several offsets (a sweep's tuning): one PSS search per group of neighbouring offsets whose windows fit
  // one 1.92 Msps channel (the PSS's +-465 kHz at every hypothesis inside the 0.45 x 1.92 MHz pass band), the
  // correlations shared by every offset of the group (dsp/lte/pss_search.hpp); then SSS, PBCH, measurements
  // and System Information only for the offsets where PSS peaks are, on their own channel as before.
  // A group's offsets lie within +-(324 kHz - window) of its channel's centre: every offset's central 6 PRB
  // (+-540 kHz) with its window stay inside the channel's pass band (0.45 x 1.92 MHz), so the second stage
  // takes the offset's channel from the group's by a frequency shift alone (the 128-point OFDM demodulation
  // keeps the central 72 subcarriers apart from the rest of the band; what the shift wraps round stays at
  // the band's edge).
  const double group_half = std::max(0.0, kLteMaxSearchCfoHz - cfg.max_cfo_hz);
  std::sort(offsets.begin(), offsets.end());
  dsp::lte::PssSearchConfig pcfg;
  pcfg.carrier_hz = cfg.carrier_hz;
  pcfg.cfo_step_hz = cfg.cfo_step_hz;
  pcfg.max_half_frames = cfg.max_half_frames;
  pcfg.pss_false_alarms = cfg.pss_false_alarms;
  pcfg.pss_candidates = cfg.pss_candidates;
  pcfg.max_cells = cfg.max_cells;
  dsp::lte::PssSearch pss(pcfg);
  // The cells decoded so far, every group's: offset, the channel's start time, cell (its PSS timing in that
  // channel's samples).
  struct Decoded {
    double offset, delay_s;
    dsp::lte::LteCell cell;
  };
  std::vector<Decoded> decoded;
  // Stage 1 per group: its channel and the PSS search of its offsets.
  struct Group {
    std::size_t i = 0, j = 0;  // offsets[i .. j)
    double centre = 0.0;
    Channel wide;
    std::vector<std::vector<dsp::lte::PssPeak>> peaks;
    std::vector<std::vector<dsp::lte::LteCell>> found;
    std::vector<std::size_t> used;  // peaks of each offset looked at by pass 1
  };
  std::vector<Group> groups;
  groups.reserve(offsets.size());  // no reallocation: a channel's view may point into its own samples
  for (std::size_t i = 0; i < offsets.size();) {
    std::size_t j = i + 1;
    while (j < offsets.size() && offsets[j] - offsets[i] <= 2.0 * std::max(group_half, 0.0) + 1.0) ++j;
    Group& g = groups.emplace_back();
    g.i = i;
    g.j = j;
    g.centre = 0.5 * (offsets[i] + offsets[j - 1]);
    select(g.centre, 0.45 * kLteSearchRate, g.wide);
    std::vector<dsp::lte::PssSlot> slots;
    for (std::size_t k = i; k < j; ++k) slots.push_back({offsets[k] - g.centre, cfg.max_cfo_hz});
    g.peaks = pss.execute(g.wide.view, slots);
    g.found.resize(j - i);
    g.used.assign(j - i, 0);
    i = j;
  }
  // Offsets (of every group) in the order of their strongest peak: a strong cell is decoded before the
  // offsets where only its Zadoff-Chu ghosts are (a frequency error of a few subcarriers moves the
  // correlation peak in time, 36.211 6.11.1.1), which then pass them over as the cell's own search does
  // (within 200 samples, 7.5 kHz or more away, same root; only cells within 600 kHz count, the PSS's reach).
  // Two passes: first each offset's strongest peak that the cells decoded so far do not explain (the strong
  // cells, each where its PSS is strongest), then every other peak with the PSS/SSS/CRS of every cell decoded
  // so far cancelled in the offset's channel (dsp/lte/sync_canceller.hpp): their sidelobes in every offset
  // (other roots, lags, offsets) stop passing for cells, which was most of the CPU. Records in offset order.
  struct Ref {
    std::size_t g, k;
  };
  std::vector<Ref> order;
  for (std::size_t gi = 0; gi < groups.size(); ++gi)
    for (std::size_t k = groups[gi].i; k < groups[gi].j; ++k) order.push_back({gi, k});
  auto top = [&](const Ref& r) {
    const auto& p = groups[r.g].peaks[r.k - groups[r.g].i];
    return p.empty() ? 0.0 : p.front().metric;
  };
  std::stable_sort(order.begin(), order.end(), [&](const Ref& a, const Ref& b) { return top(a) > top(b); });
  Channel own;
  auto own_channel = [&](const Ref& r) -> const Channel& {
    // The offset's channel: the group's shifted by (centre - offset), same samples, same timing.
    const Channel& wide = groups[r.g].wide;
    own.iq.resize(wide.view.size());
    const double w = -2.0 * kPi * (offsets[r.k] - groups[r.g].centre) / kLteSearchRate;
    for (std::size_t n0 = 0; n0 < wide.view.size(); n0 += 1024) {
      const std::size_t n1 = std::min(wide.view.size(), n0 + 1024);
      const double ph0 = std::fmod(w * static_cast<double>(n0), 2.0 * kPi);
      cf32 rot(static_cast<float>(std::cos(ph0)), static_cast<float>(std::sin(ph0)));
      const cf32 step(static_cast<float>(std::cos(w)), static_cast<float>(std::sin(w)));
      for (std::size_t n = n0; n < n1; ++n) {
        const cf32 v = wide.view[n];
        own.iq[n] = cf32(v.real() * rot.real() - v.imag() * rot.imag(), v.real() * rot.imag() + v.imag() * rot.real());
        rot = cf32(rot.real() * step.real() - rot.imag() * step.imag(), rot.real() * step.imag() + rot.imag() * step.real());
      }
    }
    own.view = own.iq;
    own.delay_s = wide.delay_s;
    own.out_period_s = wide.out_period_s;
    return own;
  };
  auto nearby_of = [&](const Ref& r) {
    std::vector<dsp::lte::LteCell> nearby;
    const Channel& wide = groups[r.g].wide;
    for (const auto& d : decoded) {
      const double rel = d.offset + d.cell.cfo_hz - offsets[r.k];
      // Cells whose PSS reaches into this channel (the search's 1.92 Msps plus the PSS's 465 kHz): all are
      // cancelled, those within 600 kHz also have their Zadoff-Chu ghosts passed over (CellSearch).
      if (std::abs(rel) > 0.5 * kLteSearchRate + 465e3) continue;
      auto n = d.cell;
      n.cfo_hz = rel;
      // A cell of another group: its timing in this group's channel (the same rate, another start).
      const double shift = (d.delay_s - wide.delay_s) * kLteSearchRate;
      if (std::abs(shift) > 1e-3) {
        if (std::abs(shift - std::round(shift)) > 0.05) continue;
        const long half = std::lround(0.005 * kLteSearchRate);  // samples per half-frame
        n.pss_sample = static_cast<int>(((n.pss_sample + std::lround(shift)) % half + half) % half);
        n.sync.pss_sample = static_cast<int>(((n.sync.pss_sample + std::lround(shift)) % half + half) % half);
      }
      nearby.push_back(n);
    }
    return nearby;
  };
  for (const Ref& r : order) {  // pass 1: the strongest peak of each offset not explained by a decoded cell
    Group& g = groups[r.g];
    const auto& pk = g.peaks[r.k - g.i];
    if (pk.empty()) continue;
    for (auto& c : search.execute(own_channel(r).view, pk, nearby_of(r), 1, &g.used[r.k - g.i]))
      if (c.mib_decoded) {
        decoded.push_back({offsets[r.k], g.wide.delay_s, c});
        g.found[r.k - g.i].push_back(std::move(c));
      }
  }
  for (const Ref& r : order) {  // pass 2: every other peak, the decoded cells cancelled
    Group& g = groups[r.g];
    const auto& pk = g.peaks[r.k - g.i];
    const std::size_t used = g.used[r.k - g.i];
    if (pk.size() <= used) continue;
    const auto more = search.execute(own_channel(r).view, std::span<const dsp::lte::PssPeak>(pk).subspan(used), nearby_of(r));
    auto& f = g.found[r.k - g.i];
    const std::size_t first = f.size();
    for (const auto& c : more) {
      if (std::any_of(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(first), [&](const auto& d) { return d.pci == c.pci; })) continue;
      if (c.mib_decoded) decoded.push_back({offsets[r.k], g.wide.delay_s, c});
      f.push_back(c);
    }
    // As one search orders its cells: decoded first, then by RSRP.
    std::stable_sort(f.begin(), f.end(), [](const dsp::lte::LteCell& a, const dsp::lte::LteCell& b) {
      if (a.mib_decoded != b.mib_decoded) return a.mib_decoded;
      return a.rsrp_dbfs > b.rsrp_dbfs;
    });
    if (f.size() > static_cast<std::size_t>(cfg.max_cells)) f.resize(static_cast<std::size_t>(cfg.max_cells));
  }
  for (const auto& g : groups)
    for (std::size_t k = g.i; k < g.j; ++k)
      if (!g.found[k - g.i].empty()) add_cells(g.found[k - g.i], offsets[k], g.wide);
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
