// towerwatch analyze FILE...: offline analysis of recorded captures. Every GSM carrier in the captured
// bandwidth is searched (FCCH, SCH), its TS0 blocks decoded (CRC-valid only), parsed, and folded into
// one cell record per carrier; the LTE cell search (PSS/SSS, MIB) runs on the capture's centre.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "hw/iq_source.hpp"
#include "hw/pcap_source.hpp"
#include "src/cli/analyze_pcap.hpp"
#include "src/cli/command.hpp"
#include "src/cli/mqtt_options.hpp"
#include "src/cli/source_options.hpp"
#include "src/core/error.hpp"
#include "src/core/hex.hpp"
#include "src/core/json_lines.hpp"
#include "src/core/log.hpp"
#include "src/output/gsmtap.hpp"
#include "src/cli/scoring_common.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/pipeline/lte_analysis.hpp"
#include "src/pipeline/lte_rrc_output.hpp"
#include "src/pipeline/nr_analysis.hpp"
#include "src/scorer/score_records.hpp"

namespace tw::cli {

int run_analyze(const std::vector<std::string>& argv) {
  HelpText help{
      "FILE... [options]",
      "Decode recorded IQ captures offline, faster than real time: every GSM carrier in the captured bandwidth\n"
      "is searched (FCCH, SCH), its broadcast (BCCH) and common control (CCCH) blocks decoded, and one cell\n"
      "record printed per carrier. Only CRC-valid blocks are reported. Bystanders' identities (IMSI, IMEI, TMSI,\n"
      "TLLI) are counted and overwritten in every block before any output (JSON, --blocks, GSMTAP, store, report),\n"
      "unless --keep-identities is given. LTE: every eNodeB whose central 6 PRB lie at the capture's\n"
      "centre (1.92 Msps or more) with PCI, duplex, CP, ports, bandwidth, PHICH, SFN, RSRP/SINR and CFO, and, where\n"
      "the capture holds the cell's whole bandwidth, its System Information (SIB1: PLMN, TAC, cell identity, ...;\n"
      "SIB2..SIB8 from the SI messages).\n"
      "5G NR: every SS/PBCH block on the synchronization raster (GSCN) the capture holds, with PCI, SSB index and\n"
      "SS-RSRP/SS-SINR/CFO, and, where the capture holds the whole SSB (3.84 Msps at 15 kHz, 7.68 at 30 kHz), the\n"
      "PBCH: MIB, SFN, half-frame, k_SSB (narrower captures give the PCI only).\n"
      "A pcap or pcapng file (GSMTAP: GSM Um and LTE RRC; MAC-LTE framed SI-RNTI/P-RNTI PDUs, link type 147 or\n"
      "in UDP) gives the same cell records, alerts and outputs from its decoded messages, timed by its packets.",
      file_source_options(),
      "towerwatch analyze capture_947.4M_1.083333M.cf32 --json"};
  help.options.push_back({"gsmtap", true, "HOST:PORT", "send every decoded block as GSMTAP (default 127.0.0.1:4729)", true});
  help.options.push_back({"keep-identities", false, "", "keep bystanders' identities (IMSI/IMEI/TMSI) in blocks, GSMTAP and paging fields"});
  help.options.push_back({"all-channels", false, "", "run a receiver on every channel, not only those above the noise floor"});
  help.options.push_back({"blocks", false, "", "print every decoded block (always included with --json)"});
  help.options.push_back({"rat", true, "gsm|lte|nr|all", "which radio access technologies to search (default all)"});
  help.options.push_back({"nr-seconds", true, "S", "signal searched for NR SSBs from the start (default 0.045: 3 SSB occasions of the 20 ms period, combined)"});
  help.options.push_back({"lte-seconds", true, "S", "signal searched for LTE cells from the start (default 0.08)"});
  help.options.push_back({"lte-si-seconds", true, "S",
                          "signal decoded for LTE System Information, SIB1 and SI messages (default 0.32; 0: none)"});
  for (auto& o : pcap_options()) help.options.push_back(o);
  help.options.push_back(db_option());
  help.options.push_back(region_option());
  help.options.push_back(report_option());
  for (auto& o : map_export_options()) help.options.push_back(o);
  add_mqtt_options(help.options);
  auto args = parse_or_help("analyze", help, argv);
  if (!args) return 0;
  if (args->positionals().empty()) throw InputError("no capture given (usage: towerwatch analyze FILE...)");
  const bool json = args->has("json");
  GsmAnalysisOptions opts;
  opts.keep_identities = args->has("keep-identities");
  opts.all_channels = args->has("all-channels");
  opts.block_events = json || args->has("blocks");
  if (args->has("gsmtap")) opts.gsmtap = args->get_or("gsmtap", "");
  const std::string rat = args->get_or("rat", "all");
  if (rat != "gsm" && rat != "lte" && rat != "nr" && rat != "all")
    throw InputError("--rat: expected gsm, lte, nr or all, got '" + rat + "'");
  NrAnalysisOptions nr_opts;
  if (args->has("nr-seconds")) nr_opts.seconds = *args->number("nr-seconds");
  LteAnalysisOptions lte_opts;
  if (args->has("lte-seconds")) lte_opts.seconds = *args->number("lte-seconds");
  if (args->has("lte-si-seconds")) {
    lte_opts.si_seconds = *args->number("lte-si-seconds");
    lte_opts.system_information = lte_opts.si_seconds > 0.0;
  }
  auto publisher = publisher_from_args(*args, "analyze", opts.keep_identities);
  std::unique_ptr<GsmtapSender> lte_gsmtap;
  if (opts.gsmtap) lte_gsmtap = std::make_unique<GsmtapSender>(*opts.gsmtap);

  // Open every file first so a bad name fails before any work is done.
  // A pcap/pcapng file (by its magic number, whatever its name) is read as decoded packets, not IQ.
  std::vector<std::unique_ptr<IqSource>> sources;
  std::vector<std::unique_ptr<PcapSource>> pcaps;
  for (const auto& path : args->positionals()) {
    const bool pcap_name = path.size() > 5 && (path.ends_with(".pcap") || path.ends_with(".pcapng"));
    if (pcap_name && !is_pcap_file(path) && std::filesystem::is_regular_file(path))
      throw InputError(path + ": not a pcap/pcapng file (no pcap or pcapng magic number at its start)");
    if (is_pcap_file(path)) {
      pcaps.push_back(std::make_unique<PcapSource>(path));
      sources.push_back(nullptr);
    } else {
      pcaps.push_back(nullptr);
      sources.push_back(open_file_from_args(path, *args));
    }
  }

  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (pcaps[i]) {
      analyze_pcap(*pcaps[i], *args);
      continue;
    }
    auto& source = sources[i];
    const StreamInfo& info = source->info();
    // LTE first, on a source of its own (it reads the start of the file only); the 6 PRB need 1.92 Msps.
    // NR on a source of its own too (the first nr_opts.seconds): the SSBs at every GSCN the capture holds.
    NrAnalysisResult nr;
    if (rat == "nr" || rat == "all") {
      auto nr_source = open_file_from_args(args->positionals()[i], *args);
      nr = run_nr_analysis(*nr_source, nr_opts);
      for (auto& c : nr.cells) c["source"] = info.description;
      if (rat == "nr" && nr.raster_points == 0)
        log::warn(info.description + ": no NR synchronization raster point (GSCN) of a supported band lies in the capture");
    }
    LteAnalysisResult lte;
    if (rat != "gsm" && rat != "nr" && info.sample_rate_hz >= 1.92e6 * (1 - 1e-6)) {
      auto lte_source = open_file_from_args(args->positionals()[i], *args);
      lte = run_lte_analysis(*lte_source, lte_opts);
      for (auto& c : lte.cells) c["source"] = info.description;
      // The RRC messages as received: GSMTAP (Wireshark dissects the MIB and every SIB) and --blocks / --json.
      for (const auto& m : lte.messages) {
        if (lte_gsmtap) send_lte_gsmtap(*lte_gsmtap, m);
        if (json) {
          auto e = lte_block_json(m);
          e["source"] = info.description;
          emit_json_line(e);
        } else if (args->has("blocks")) {
          std::printf("lte PCI %-3d sfn %4d/%d %-11s %-28s %s\n", m.pci, m.sfn, m.subframe, m.channel.c_str(),
                      m.message.c_str(), hex_octets(m.octets).c_str());
        }
      }
    } else if (rat == "lte") {
      throw InputError(info.description + ": LTE search needs at least 1.92 Msps, the capture has " +
                       std::to_string(info.sample_rate_hz) + " Sps");
    }
    GsmAnalysisResult result;
    if (rat != "lte" && rat != "nr") result = run_gsm_analysis(*source, opts, [&](const nlohmann::json& event) {
      if (json) {
        nlohmann::json e = event;
        e["source"] = info.description;
        emit_json_line(e);
      } else if (event["type"] == "gsm_block") {
        std::printf("fn %-8u %-6s %-28s %s\n", event["fn"].get<unsigned>(), event["channel"].get<std::string>().c_str(),
                    event["message"].get<std::string>().c_str(), event["hex"].get<std::string>().c_str());
      }
    });
    // A capture is one sweep: its cells (GSM and LTE) are scored together (and stored with --db).
    std::vector<nlohmann::json> all_cells = result.cells;
    all_cells.insert(all_cells.end(), lte.cells.begin(), lte.cells.end());
    all_cells.insert(all_cells.end(), nr.cells.begin(), nr.cells.end());
    const ScoredRun scored = score_run(all_cells, info.description, "analyze " + info.description, args->get("db"),
                                       scorer_options_from_args(*args), 3600.0, std::nullopt, publisher.get());
    // One page per run: with several captures the report holds the last one (say so rather than merge).
    if (sources.size() > 1 && i + 1 < sources.size() && args->has("report"))
      log::warn("--report: " + info.description + " is not in the report (it shows the last capture)");
    write_report_if_asked(*args, "analyze", info.description, info.description, {}, scored.cells, scored.alerts);
    write_map_exports_if_asked(*args, scored);   // several captures: the last one's (with --db, the drive's)
    if (json) {
      for (const auto& c : lte.cells) emit_json_line(c);
      for (const auto& c : nr.cells) emit_json_line(c);
      for (const auto& a : scored.alerts) emit_json_line(to_json(a));
      auto summary = result.summary_json(info);
      summary["alerts"] = scored.alerts.size();
      summary["lte_cells"] = lte.cells.size();
      summary["lte_seconds"] = lte.seconds;
      summary["nr_cells"] = nr.cells.size();
      summary["nr_raster_points"] = nr.raster_points;
      summary["nr_pbch"] = nr.pbch.empty() ? nlohmann::json(nullptr) : nlohmann::json(nr.pbch);
      if (!lte.search_notes.empty()) summary["lte_search_notes"] = lte.search_notes;
      emit_json_line(summary);
    } else {
      if (rat != "lte" && rat != "nr")
        std::printf("%s: %.3f s at %.0f Sps, %zu channels (%zu searched), %zu cells, %llu blocks\n",
                    info.description.c_str(), result.seconds, info.sample_rate_hz, result.channels,
                    result.channels_searched, result.cells.size(), static_cast<unsigned long long>(result.blocks));
      if (!result.cells.empty()) print_cell_table(result.cells);
      if (rat != "gsm" && lte.samples > 0) {
        std::printf("%s: LTE, %.3f s searched, %zu cells\n", info.description.c_str(), lte.seconds, lte.cells.size());
        if (!lte.cells.empty()) print_lte_cell_table(lte.cells);
      }
      if (nr.raster_points > 0) {
        std::printf("%s: NR, %.3f s searched at %d raster points (PBCH %s), %zu cells\n", info.description.c_str(),
                    nr.seconds, nr.raster_points, nr.pbch.c_str(), nr.cells.size());
        if (!nr.cells.empty()) print_nr_cell_table(nr.cells);
      }
      if (!all_cells.empty()) print_alerts(scored.alerts);
    }
  }
  return 0;
}

}  // namespace tw::cli
