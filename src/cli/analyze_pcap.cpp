#include "src/cli/analyze_pcap.hpp"

#include <cmath>
#include <cstdio>

#include "src/cli/scoring_common.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/pipeline/lte_analysis.hpp"
#include "src/pipeline/pcap_analysis.hpp"
#include "src/scorer/score_records.hpp"

namespace tw::cli {

using json = nlohmann::json;

std::vector<OptionSpec> pcap_options() {
  return {{"gsmtap-port", true, "N", "pcap input: the UDP port GSMTAP is read on (default 4729)"},
          {"sweep-seconds", true, "S", "pcap input: cut the capture into sweeps of S seconds of packet time, each scored"}};
}

void analyze_pcap(PcapSource& source, const Args& args) {
  const bool json_out = args.has("json");
  PcapAnalysisOptions o;
  o.keep_identities = args.has("keep-identities");
  o.block_events = json_out || args.has("blocks");
  if (args.has("gsmtap")) o.gsmtap = args.get_or("gsmtap", "");
  if (args.has("gsmtap-port")) {
    const double p = *args.number("gsmtap-port");
    if (!(p >= 1 && p <= 65535) || p != std::floor(p)) throw InputError("--gsmtap-port: expected 1..65535");
    o.gsmtap_port = static_cast<std::uint16_t>(p);
  }
  if (args.has("sweep-seconds")) {
    o.sweep_seconds = *args.number("sweep-seconds");
    if (!(*o.sweep_seconds > 0.0)) throw InputError("--sweep-seconds: must be positive");
  }
  const std::string& path = source.path();
  std::vector<json> all_cells;
  std::vector<Alert> all_alerts;
  auto on_event = [&](const json& e) {
    if (json_out) {
      json x = e;
      x["source"] = path;
      emit_json_line(x);
    } else if (args.has("blocks") && e["type"] == "gsm_block") {
      std::printf("arfcn %-5s fn %-8u %-8s %-28s %s\n", e["arfcn"].dump().c_str(), e["fn"].get<unsigned>(),
                  e["channel"].get<std::string>().c_str(), e["message"].get<std::string>().c_str(),
                  e["hex"].get<std::string>().c_str());
    } else if (args.has("blocks") && e["type"] == "lte_block") {
      std::printf("lte %-11s %-28s %s\n", e["channel"].get<std::string>().c_str(), e["message"].get<std::string>().c_str(),
                  e.value("hex", std::string("(identities not kept)")).c_str());
    }
  };
  auto on_sweep = [&](const PcapSweep& s) {
    std::vector<json> cells = s.cells;
    for (auto& c : cells) {
      c["source"] = path;
      c["sweep"] = s.index;
    }
    const ScoredRun scored = score_run(cells, path, "analyze " + path + " sweep " + std::to_string(s.index), args.get("db"),
                                       scorer_options_from_args(args), 3600.0,
                                       static_cast<std::int64_t>(std::llround(s.end_s * 1e3)));
    if (json_out) {
      // The sweep's final records (GSM ones also went out as events when first known and on every change;
      // these carry the final counts and levels).
      for (const auto& c : cells) emit_json_line(c);
      for (const auto& a : scored.alerts) emit_json_line(to_json(a));
      emit_json_line({{"type", "sweep_summary"}, {"source", path}, {"sweep", s.index}, {"start_time", s.start_s},
                      {"end_time", s.end_s}, {"cells", cells.size()}, {"alerts", scored.alerts.size()},
                      {"lte", s.lte_counters}});
    } else {
      std::printf("%s: sweep %d (%.3f s of packets), %zu cells\n", path.c_str(), s.index, s.end_s - s.start_s, cells.size());
      std::vector<json> gsm, lte;
      for (const auto& c : cells) (c["rat"] == "LTE" ? lte : gsm).push_back(c);
      if (!gsm.empty()) print_cell_table(gsm);
      if (!lte.empty()) print_lte_cell_table(lte);
      if (!cells.empty()) print_alerts(scored.alerts);
    }
    all_cells.insert(all_cells.end(), cells.begin(), cells.end());
    all_alerts.insert(all_alerts.end(), scored.alerts.begin(), scored.alerts.end());
  };
  const PcapAnalysisResult r = run_pcap_analysis(source, o, on_event, on_sweep);
  // Every frame that was not read, by reason: always said (stderr), and in the JSON summary.
  std::fprintf(stderr, "%s: %s\n", path.c_str(), r.counters.summary().c_str());
  write_report_if_asked(args, "analyze", path, path, {}, all_cells, all_alerts);
  if (json_out) emit_json_line(r.summary_json(path));
}

}  // namespace tw::cli
