// towerwatch analyze FILE...: offline analysis of recorded captures. Every GSM carrier in the captured
// bandwidth is searched (FCCH, SCH), its TS0 blocks decoded (CRC-valid only), parsed, and folded into
// one cell record per carrier.
#include <cmath>
#include <cstdio>
#include <memory>

#include "hw/iq_source.hpp"
#include "src/cells/gsm_cell_tracker.hpp"
#include "src/cli/command.hpp"
#include "src/cli/source_options.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"
#include "src/core/log.hpp"
#include "src/gsm/l3_message.hpp"
#include "src/gsm/message_json.hpp"
#include "src/output/gsmtap.hpp"
#include "src/pipeline/gsm_pipeline.hpp"

namespace tw::cli {

namespace {

std::string hex_octets(const std::array<std::uint8_t, 23>& o) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (i) s += ' ';
    s += digits[o[i] >> 4];
    s += digits[o[i] & 15];
  }
  return s;
}

void print_cell_table(const std::vector<nlohmann::json>& cells) {
  std::printf("%-6s %-12s %-5s %-4s %-4s %-6s %-6s %9s %7s %9s  %s\n", "ARFCN", "MHz", "BSIC", "MCC", "MNC", "LAC",
              "CI", "dBFS", "SNR dB", "CFO Hz", "SI seen");
  for (const auto& c : cells) {
    auto str = [&](const char* k) -> std::string {
      if (!c.contains(k) || c[k].is_null()) return "-";
      return c[k].is_string() ? c[k].get<std::string>() : c[k].dump();
    };
    std::string freq = c["freq_hz"].is_null() ? "-" : std::to_string(c["freq_hz"].get<double>() / 1e6).substr(0, 10);
    std::string seen;
    for (const auto& s : c.value("si_seen", nlohmann::json::array())) {
      if (!seen.empty()) seen.push_back(',');
      seen.append(s.get<std::string>());
    }
    std::printf("%-6s %-12s %-5s %-4s %-4s %-6s %-6s %9.1f %7.1f %9.0f  %s\n", str("arfcn").c_str(), freq.c_str(),
                str("bsic").c_str(), str("mcc").c_str(), str("mnc").c_str(), str("lac").c_str(), str("ci").c_str(),
                c["power_dbfs"].get<double>(), c["snr_db"].get<double>(), c["cfo_hz"].get<double>(),
                seen.empty() ? "-" : seen.c_str());
  }
}

}  // namespace

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
  auto args = parse_or_help("analyze", help, argv);
  if (!args) return 0;
  if (args->positionals().empty()) throw InputError("no capture given (usage: towerwatch analyze FILE...)");
  const bool json = args->has("json");
  gsm::ParseOptions parse_opts;
  parse_opts.keep_identities = args->has("keep-identities");
  std::unique_ptr<GsmtapSender> gsmtap;
  if (args->has("gsmtap")) gsmtap = std::make_unique<GsmtapSender>(args->get_or("gsmtap", ""));

  // Open every file first so a bad name fails before any work is done.
  std::vector<std::unique_ptr<IqSource>> sources;
  for (const auto& path : args->positionals()) sources.push_back(open_file_from_args(path, *args));

  for (auto& source : sources) {
    const StreamInfo& info = source->info();
    std::vector<nlohmann::json> cells;
    GsmCellTracker tracker([&](const nlohmann::json& cell) {
      nlohmann::json c = cell;
      c["file"] = info.description;
      if (json) emit_json_line(c);
      cells.push_back(std::move(c));
    });

    GsmPipelineConfig pc;
    pc.sample_rate_hz = info.sample_rate_hz;
    pc.center_freq_hz = info.center_freq_hz;
    pc.center_freq_known = info.center_freq_known;
    pc.all_channels = args->has("all-channels");
    GsmPipeline pipeline(pc);
    auto key_of = [&](const GsmChannelInfo* ch) {
      return GsmCarrierKey{ch->offset_hz, ch->arfcn, ch->freq_hz, ch->band};
    };
    auto measurements = [&](const GsmChannelInfo* ch) {
      const auto* st = pipeline.stats(static_cast<std::size_t>(ch - pipeline.channels().data()));
      GsmMeasurements m;
      if (st) {
        m.power_dbfs = st->power_dbfs;
        m.snr_db = st->snr_db;
        m.cfo_hz = st->cfo_hz;
        m.blocks_tried = st->blocks_tried;
        m.blocks_decoded = st->blocks_decoded;
        m.sch_ok = st->sch_ok;
        m.sch_failed = st->sch_failed;
      }
      return m;
    };
    std::uint64_t blocks = 0;
    pipeline.on_sync([&](const GsmChannelSync& s) {
      tracker.on_measurements(key_of(s.channel), measurements(s.channel));
      tracker.on_sync(key_of(s.channel), s.sync.bsic, s.sync.fn);
    });
    pipeline.on_block([&](const GsmChannelBlock& b) {
      ++blocks;
      const auto msg = gsm::parse_l3_block(b.block.octets, parse_opts);
      const auto key = key_of(b.channel);
      tracker.on_measurements(key, measurements(b.channel));
      if (json || args->has("blocks")) {
        nlohmann::json j{{"type", "gsm_block"},
                         {"arfcn", b.channel->arfcn ? nlohmann::json(*b.channel->arfcn) : nlohmann::json(nullptr)},
                         {"fn", b.block.fn},
                         {"tn", b.block.tn},
                         {"channel", b.block.channel},
                         {"hex", hex_octets(b.block.octets)},
                         {"message", msg.name}};
        if (!msg.ok) j["parse_error"] = msg.error;
        else j["fields"] = gsm::to_json(msg);
        if (json) emit_json_line(j);
        else std::printf("fn %-8u %-6s %-28s %s\n", b.block.fn, b.block.channel.c_str(), msg.name.c_str(),
                         j["hex"].get<std::string>().c_str());
      }
      if (gsmtap) {
        GsmtapBlock g;
        g.arfcn = b.channel->arfcn;
        g.pcs1900 = b.channel->band == "PCS1900";
        g.fn = b.block.fn;
        g.tn = b.block.tn;
        g.channel = b.block.channel;
        g.power_dbm = b.block.power_dbfs;
        g.snr_db = b.block.snr_db;
        g.octets = b.block.octets;
        gsmtap->send(g);
      }
      tracker.on_message(key, msg, b.block.fn);
    });

    std::vector<cf32> buf(1 << 16);
    std::uint64_t samples = 0;
    for (;;) {
      const ReadResult r = source->read(buf);
      if (r.count) pipeline.execute(std::span<const cf32>(buf.data(), r.count));
      samples += r.count;
      if (r.end_of_stream) break;
    }
    pipeline.finish();
    for (std::size_t i = 0; i < pipeline.channels().size(); ++i) {
      const auto* ch = &pipeline.channels()[i];
      if (pipeline.stats(i)) tracker.on_measurements(key_of(ch), measurements(ch));
    }
    tracker.finish();

    std::size_t receivers = 0;
    for (const auto& c : pipeline.channels()) receivers += c.receiver ? 1 : 0;
    const double seconds = static_cast<double>(samples) / info.sample_rate_hz;
    if (json) {
      emit_json_line({{"type", "summary"},
                      {"file", info.description},
                      {"samples", samples},
                      {"seconds", seconds},
                      {"sample_rate_hz", info.sample_rate_hz},
                      {"center_freq_hz", info.center_freq_known ? nlohmann::json(info.center_freq_hz) : nlohmann::json(nullptr)},
                      {"channels", pipeline.channels().size()},
                      {"channels_searched", receivers},
                      {"cells", cells.size()},
                      {"blocks", blocks}});
    } else {
      std::printf("%s: %.3f s at %.0f Sps, %zu channels (%zu searched), %zu cells, %llu blocks\n",
                  info.description.c_str(), seconds, info.sample_rate_hz, pipeline.channels().size(), receivers,
                  cells.size(), static_cast<unsigned long long>(blocks));
      if (!cells.empty()) print_cell_table(cells);
    }
  }
  return 0;
}

}  // namespace tw::cli
