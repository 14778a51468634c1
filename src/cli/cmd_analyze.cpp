// towerwatch analyze FILE...: offline analysis of recorded captures. Every GSM carrier in the captured
// bandwidth is searched (FCCH, SCH), its TS0 blocks decoded (CRC-valid only), parsed, and folded into
// one cell record per carrier.
#include <cstdio>
#include <memory>

#include "hw/iq_source.hpp"
#include "src/cli/command.hpp"
#include "src/cli/source_options.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/cli/scoring_common.hpp"
#include "src/pipeline/gsm_analysis.hpp"
#include "src/scorer/score_records.hpp"

namespace tw::cli {

int run_analyze(const std::vector<std::string>& argv) {
  HelpText help{
      "FILE... [options]",
      "Decode recorded IQ captures offline, faster than real time: every GSM carrier in the captured bandwidth\n"
      "is searched (FCCH, SCH), its broadcast (BCCH) and common control (CCCH) blocks decoded, and one cell\n"
      "record printed per carrier. Only CRC-valid blocks are reported. Paging identities are counted, never\n"
      "printed, unless --keep-identities is given.",
      file_source_options(),
      "towerwatch analyze capture_947.4M_1.083333M.cf32 --json"};
  help.options.push_back({"gsmtap", true, "HOST:PORT", "send every decoded block as GSMTAP (default 127.0.0.1:4729)", true});
  help.options.push_back({"keep-identities", false, "", "keep and print paging identities (IMSI/TMSI of bystanders)"});
  help.options.push_back({"all-channels", false, "", "run a receiver on every channel, not only those above the noise floor"});
  help.options.push_back({"blocks", false, "", "print every decoded block (always included with --json)"});
  help.options.push_back(db_option());
  auto args = parse_or_help("analyze", help, argv);
  if (!args) return 0;
  if (args->positionals().empty()) throw InputError("no capture given (usage: towerwatch analyze FILE...)");
  const bool json = args->has("json");
  GsmAnalysisOptions opts;
  opts.keep_identities = args->has("keep-identities");
  opts.all_channels = args->has("all-channels");
  opts.block_events = json || args->has("blocks");
  if (args->has("gsmtap")) opts.gsmtap = args->get_or("gsmtap", "");

  // Open every file first so a bad name fails before any work is done.
  std::vector<std::unique_ptr<IqSource>> sources;
  for (const auto& path : args->positionals()) sources.push_back(open_file_from_args(path, *args));

  for (auto& source : sources) {
    const StreamInfo& info = source->info();
    auto result = run_gsm_analysis(*source, opts, [&](const nlohmann::json& event) {
      if (json) {
        nlohmann::json e = event;
        e["source"] = info.description;
        emit_json_line(e);
      } else if (event["type"] == "gsm_block") {
        std::printf("fn %-8u %-6s %-28s %s\n", event["fn"].get<unsigned>(), event["channel"].get<std::string>().c_str(),
                    event["message"].get<std::string>().c_str(), event["hex"].get<std::string>().c_str());
      }
    });
    // A capture is one sweep: its cells are scored together (and stored with --db).
    const ScoredRun scored = score_run(result.cells, info.description, "analyze " + info.description, args->get("db"));
    if (json) {
      for (const auto& a : scored.alerts) emit_json_line(to_json(a));
      auto summary = result.summary_json(info);
      summary["alerts"] = scored.alerts.size();
      emit_json_line(summary);
    } else {
      std::printf("%s: %.3f s at %.0f Sps, %zu channels (%zu searched), %zu cells, %llu blocks\n",
                  info.description.c_str(), result.seconds, info.sample_rate_hz, result.channels,
                  result.channels_searched, result.cells.size(), static_cast<unsigned long long>(result.blocks));
      if (!result.cells.empty()) {
        print_cell_table(result.cells);
        print_alerts(scored.alerts);
      }
    }
  }
  return 0;
}

}  // namespace tw::cli
