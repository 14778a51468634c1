#include "src/pipeline/gsm_analysis.hpp"

#include <cmath>
#include <cstdio>
#include <map>

#include "dsp/gsm/gsm_constants.hpp"
#include "src/cells/gsm_cell_tracker.hpp"
#include "src/cells/operator_json.hpp"
#include "src/pipeline/gsm_block_fold.hpp"
#include "src/pipeline/gsm_pipeline.hpp"

namespace tw {

using nlohmann::json;

json GsmAnalysisResult::summary_json(const StreamInfo& info) const {
  return {{"type", "summary"},
          {"source", info.description},
          {"samples", samples},
          {"seconds", seconds},
          {"sample_rate_hz", info.sample_rate_hz},
          {"center_freq_hz", info.center_freq_known ? json(info.center_freq_hz) : json(nullptr)},
          {"channels", channels},
          {"channels_searched", channels_searched},
          {"cells", cells.size()},
          {"blocks", blocks},
          {"gaps", gaps},
          {"lost_samples", lost_samples}};
}

GsmAnalysisResult run_gsm_analysis(IqSource& source, const GsmAnalysisOptions& options,
                                   const std::function<void(const json&)>& on_event) {
  const StreamInfo& info = source.info();
  GsmAnalysisResult result;

  // Cells in order of first report; each entry is replaced by the newer record of the same carrier.
  std::map<double, std::size_t> cell_index;
  GsmCellTracker tracker([&](const json& cell) {
    auto [it, fresh] = cell_index.emplace(cell["offset_hz"].get<double>(), result.cells.size());
    if (fresh) result.cells.push_back(cell);
    else result.cells[it->second] = cell;
    if (on_event) on_event(cell);
  });

  GsmPipelineConfig pc;
  pc.sample_rate_hz = info.sample_rate_hz;
  pc.center_freq_hz = info.center_freq_hz;
  pc.center_freq_known = info.center_freq_known;
  pc.all_channels = options.all_channels;
  pc.threads = options.threads;
  GsmPipeline pipeline(pc);
  auto key_of = [](const GsmChannelInfo* ch) { return GsmCarrierKey{ch->offset_hz, ch->arfcn, ch->freq_hz, ch->band}; };
  // The receiver statistics as they were at the event (with several threads the pipeline is ahead).
  auto measurements = [&](const GsmChannelInfo* ch, const gsm::CarrierStats* at_event = nullptr) {
    GsmMeasurements m;
    const auto* st = at_event ? at_event : pipeline.stats(static_cast<std::size_t>(ch - pipeline.channels().data()));
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
  // Working-rate sample of the SCH behind each carrier's sync_fn (the tracker keeps the last one).
  std::map<double, std::uint64_t> sync_sample;
  std::vector<GsmCarrierProgress> progress(pipeline.channels().size());
  for (std::size_t i = 0; i < progress.size(); ++i) {
    progress[i].offset_hz = pipeline.channels()[i].offset_hz;
    progress[i].arfcn = pipeline.channels()[i].arfcn;
  }
  auto progress_of = [&](const GsmChannelInfo* ch) -> GsmCarrierProgress& {
    return progress[static_cast<std::size_t>(ch - pipeline.channels().data())];
  };
  pipeline.on_sync([&](const GsmChannelSync& s) {
    sync_sample[s.channel->offset_hz] = s.sync.sample;
    auto& pr = progress_of(s.channel);
    if (!pr.synced) pr.first_sync_s = static_cast<double>(s.sync.sample) / gsm::kWorkingRate;
    pr.synced = true;
    tracker.on_measurements(key_of(s.channel), measurements(s.channel, s.stats));
    tracker.on_sync(key_of(s.channel), s.sync.bsic, s.sync.fn, s.sync.sample);
  });
  GsmBlockFold fold(tracker, options.keep_identities, options.block_events, options.gsmtap, on_event);
  pipeline.on_block([&](const GsmChannelBlock& b) {
    ++result.blocks;
    if (b.block.tn == 0 && b.block.fn % 51 == 2) progress_of(b.channel).bcch_tc_seen |= static_cast<std::uint8_t>(1u << ((b.block.fn / 51) % 8));
    GsmBlockIn in;
    in.key = key_of(b.channel);
    in.fn = b.block.fn;
    in.tn = b.block.tn;
    in.channel = b.block.channel;
    in.power = b.block.power_dbfs;
    in.snr_db = b.block.snr_db;
    in.octets = b.block.octets;
    tracker.on_measurements(in.key, measurements(b.channel, b.stats));
    fold.on_block(in);
  });

  const std::uint64_t limit = options.max_seconds
                                  ? static_cast<std::uint64_t>(std::llround(*options.max_seconds * info.sample_rate_hz))
                                  : UINT64_MAX;
  std::vector<cf32> buf(1 << 16);
  std::vector<SampleRange> wanted;
  while (result.samples < limit) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), limit - result.samples));
    // Once the receivers need only some samples of the block (synchronised, the TS0 windows), only those are
    // read (a file skips the rest on disk); the blocks decoded are the same.
    wanted.clear();
    const std::span<cf32> block(buf.data(), want);
    const ReadResult r = pipeline.needed_ranges(want, wanted) ? source.read_sparse(block, wanted) : source.read(block);
    if (r.gap) {
      // Samples were lost: the receivers lose timing; they search again (the counter says how many).
      ++result.gaps;
      result.lost_samples += r.gap_samples;
    }
    if (r.count) pipeline.execute(std::span<const cf32>(buf.data(), r.count));
    result.samples += r.count;
    if (r.end_of_stream) break;
    if (options.done) {
      GsmAnalysisProgress p;
      for (std::size_t i = 0; i < progress.size(); ++i) {
        progress[i].receiver = pipeline.channels()[i].receiver && pipeline.stats(i);
        p.started = p.started || progress[i].receiver;
      }
      p.seconds = static_cast<double>(result.samples) / info.sample_rate_hz;
      p.carriers = &progress;
      p.cells = &result.cells;
      if (options.done(p)) {
        result.ended_early = true;
        break;
      }
    }
  }
  pipeline.finish();
  for (std::size_t i = 0; i < pipeline.channels().size(); ++i)
    if (pipeline.stats(i)) tracker.on_measurements(key_of(&pipeline.channels()[i]), measurements(&pipeline.channels()[i]));
  tracker.finish();
  // The final records carry the final measurements.
  for (auto& c : result.cells) {
    const GsmCarrierKey key{c["offset_hz"].get<double>(), std::nullopt, std::nullopt, ""};
    json latest = tracker.cell_json(key);
    if (!latest.is_null()) c = latest;
    const auto it = sync_sample.find(key.offset_hz);
    if (it != sync_sample.end() && c.contains("sync_fn") && !c["sync_fn"].is_null())
      c["sync_time_s"] = static_cast<double>(it->second) / gsm::kWorkingRate;
  }
  result.seconds = static_cast<double>(result.samples) / info.sample_rate_hz;
  result.channels = pipeline.channels().size();
  for (const auto& c : pipeline.channels()) result.channels_searched += c.receiver ? 1 : 0;
  return result;
}

void print_cell_table(const std::vector<json>& cells) {
  std::printf("%-6s %-10s %-5s %-4s %-4s %-6s %-6s %7s %7s %8s  %-24s %s\n", "ARFCN", "MHz", "BSIC", "MCC", "MNC",
              "LAC", "CI", "dBFS", "SNR dB", "CFO Hz", "SI seen", "operator");
  for (const auto& c : cells) {
    auto str = [&](const char* k) -> std::string {
      if (!c.contains(k) || c[k].is_null()) return "-";
      return c[k].is_string() ? c[k].get<std::string>() : c[k].dump();
    };
    auto num = [&](const char* k) { return c.contains(k) && c[k].is_number() ? c[k].get<double>() : 0.0; };
    char freq[32] = "-";
    if (c.contains("freq_hz") && c["freq_hz"].is_number()) std::snprintf(freq, sizeof freq, "%.1f", c["freq_hz"].get<double>() / 1e6);
    std::string seen;
    for (const auto& s : c.value("si_seen", json::array())) {
      if (!seen.empty()) seen.push_back(',');
      seen.append(s.get<std::string>());
    }
    char cfo[32] = "-";   // a record from a pcap has no frequency error
    if (c.contains("cfo_hz") && c["cfo_hz"].is_number()) std::snprintf(cfo, sizeof cfo, "%.0f", num("cfo_hz"));
    std::printf("%-6s %-10s %-5s %-4s %-4s %-6s %-6s %7.1f %7.1f %8s  %-24s %s\n", str("arfcn").c_str(), freq,
                str("bsic").c_str(), str("mcc").c_str(), str("mnc").c_str(), str("lac").c_str(), str("ci").c_str(),
                num("power_dbfs"), num("snr_db"), cfo, seen.empty() ? "-" : seen.c_str(), cells::operator_label_of(c).c_str());
  }
}

}  // namespace tw
