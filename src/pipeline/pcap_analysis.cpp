#include "src/pipeline/pcap_analysis.hpp"

#include <cmath>
#include <map>
#include <memory>
#include <optional>

#include "hw/pcap_packet.hpp"
#include "src/cells/gsm_cell_tracker.hpp"
#include "src/core/error.hpp"
#include "src/core/gsm_bands.hpp"
#include "src/core/log.hpp"
#include "src/pipeline/gsm_block_fold.hpp"
#include "src/pipeline/lte_message_fold.hpp"

namespace tw {

using json = nlohmann::json;

namespace {

// The carrier of a GSMTAP ARFCN: PCS1900 when the PCS flag is set, else the first band holding the ARFCN
// (45.005 clause 2; P-GSM before E-GSM and R-GSM for the shared numbers, as gsm_channel_at orders them).
GsmCarrierKey carrier_key(const capture::CapturedGsmBlock& b) {
  GsmCarrierKey k;
  k.arfcn = b.arfcn;
  const int arfcn = b.arfcn.value_or(-1);
  // The tracker keys carriers by this number: one per (PCS flag, ARFCN).
  k.offset_hz = (b.pcs1900 ? 100000.0 : 0.0) + arfcn;
  static const GsmBandId kOrder[] = {GsmBandId::pgsm900, GsmBandId::egsm900, GsmBandId::rgsm900, GsmBandId::dcs1800,
                                     GsmBandId::gsm850,  GsmBandId::gsm450,  GsmBandId::gsm480};
  if (b.pcs1900) {
    if (const auto f = gsm_downlink_hz(arfcn, GsmBandId::pcs1900)) {
      k.freq_hz = *f;
      k.band = gsm_band_name(GsmBandId::pcs1900);
    }
    return k;
  }
  for (const auto band : kOrder) {
    if (const auto f = gsm_downlink_hz(arfcn, band)) {
      k.freq_hz = *f;
      k.band = gsm_band_name(band);
      break;
    }
  }
  return k;
}

struct CarrierLevel {
  double level_sum = 0.0, snr_sum = 0.0;
  std::uint64_t blocks = 0;
  double first_s = 0.0, last_s = 0.0;
};

// One sweep's state: the GSM tracker and fold, the LTE fold.
class SweepState {
 public:
  SweepState(const PcapAnalysisOptions& o, const std::function<void(const json&)>& on_event, const double& now)
      : now_(now),
        on_event_(on_event),
        tracker_([this](const json& cell) {
          if (on_event_) on_event_(finish_gsm(cell));
        }),
        gsm_(tracker_, o.keep_identities, o.block_events, o.gsmtap,
             [this](const json& e) {
               if (!on_event_) return;
               json x = e;
               x["time"] = now_;
               on_event_(x);
             }),
        lte_(o.keep_identities, o.block_events, o.gsmtap, on_event) {}

  void gsm(const capture::CapturedGsmBlock& b) {
    GsmBlockIn in;
    in.key = carrier_key(b);
    if (!b.arfcn) in.key.offset_hz = serving_cell_segment(b);
    in.fn = b.fn;
    in.tn = b.tn;
    in.channel = b.channel;
    in.power = b.signal_dbm;
    in.snr_db = b.snr_db;
    in.octets = b.octets;
    CarrierLevel& l = levels_[in.key.offset_hz];
    if (l.blocks == 0) l.first_s = now_;
    l.last_s = now_;
    l.level_sum += b.signal_dbm;
    l.snr_sum += b.snr_db;
    ++l.blocks;
    keys_.emplace(in.key.offset_hz, in.key);
    tracker_.on_measurements(in.key, measurements(l));
    gsm_.on_block(in);
  }
  void lte(const capture::CapturedLteRrc& m) { lte_.on_message(m, now_); }

  std::vector<json> finish(json& lte_counters) {
    tracker_.finish();
    std::vector<json> cells;
    for (const auto& [off, key] : keys_) {
      json c = tracker_.cell_json(key);
      if (c.is_null() || !c.contains("mcc")) continue;   // no SI3/SI4: no identity, not a whole record
      cells.push_back(finish_gsm(c));
    }
    for (auto& c : lte_.cells()) cells.push_back(std::move(c));
    lte_counters = lte_.counters_json();
    return cells;
  }

 private:
  static GsmMeasurements measurements(const CarrierLevel& l) {
    GsmMeasurements m;
    m.power_dbfs = l.level_sum / static_cast<double>(l.blocks);
    m.snr_db = l.snr_sum / static_cast<double>(l.blocks);
    m.blocks_tried = m.blocks_decoded = l.blocks;
    return m;
  }
  // What GSMTAP cannot say is left out rather than made up: BSIC, frequency error, SCH statistics.
  json finish_gsm(json c) const {
    const double off = c.value("offset_hz", 0.0);
    c.erase("offset_hz");
    c.erase("cfo_hz");
    c.erase("cfo_ppm");
    c.erase("sync");
    c.erase("sync_fn");
    if (!c.contains("bsic")) c["bsic"] = nullptr;
    const auto it = levels_.find(off);
    if (it != levels_.end()) {
      c["first_seen"] = it->second.first_s;
      c["last_seen"] = it->second.last_s;
    }
    c["framing"] = "gsmtap";
    return c;
  }

  // A phone's capture (QCSuper) gives no ARFCN: its blocks are those of the cell it camps on, which changes
  // as it reselects. Without a carrier to key them by, a new cell is recognised by its broadcast identity:
  // an SI3 (44.018 9.1.35: Cell Identity, then the LAI) or SI4 (9.1.36: the LAI) other than the current
  // cell's starts or returns to that cell's own key, so two cells' System Information never fold into one
  // record (which would read as one cell changing its identity). Other blocks go to the current cell's key.
  double serving_cell_segment(const capture::CapturedGsmBlock& b) {
    const auto& o = b.octets;
    const bool rr = o.size() >= 10 && o[1] == 0x06;
    std::optional<std::string> lai, ci;
    if (rr && o[2] == 0x1b) {
      ci = std::string(o.begin() + 3, o.begin() + 5);
      lai = std::string(o.begin() + 5, o.begin() + 10);
    } else if (rr && o[2] == 0x1c) {
      lai = std::string(o.begin() + 3, o.begin() + 8);
    }
    if (lai && (!serving_lai_ || *lai != *serving_lai_ || (ci && serving_ci_ && *ci != *serving_ci_))) {
      // Another cell: its segment if it was heard before (SI3 knows the cell; SI4 only the area), else a new one.
      const std::string id = *lai + (ci ? *ci : std::string());
      auto it = segment_of_.find(id);
      if (it == segment_of_.end() && !ci) {
        for (auto j = segment_of_.begin(); j != segment_of_.end(); ++j)
          if (j->first.compare(0, lai->size(), *lai) == 0) it = j;
      }
      serving_segment_ = it != segment_of_.end() ? it->second : static_cast<int>(segment_of_.size());
      if (it == segment_of_.end()) segment_of_.emplace(id, serving_segment_);
      serving_lai_ = lai;
      serving_ci_ = ci;
    } else if (lai && ci && !serving_ci_) {
      // The SI3 of the cell whose SI4 came first: the same segment, now known by its cell identity too.
      serving_ci_ = ci;
      segment_of_.emplace(*lai + *ci, serving_segment_);
    }
    // -1, -2, ...: below every ARFCN-keyed carrier (the PCS flag adds 100 kHz as for them).
    return (b.pcs1900 ? 100000.0 : 0.0) - 1.0 - serving_segment_;
  }

  const double& now_;
  std::function<void(const json&)> on_event_;
  std::optional<std::string> serving_lai_, serving_ci_;
  int serving_segment_ = 0;
  std::map<std::string, int> segment_of_;
  GsmCellTracker tracker_;
  GsmBlockFold gsm_;
  LteMessageFold lte_;
  std::map<double, CarrierLevel> levels_;
  std::map<double, GsmCarrierKey> keys_;
};

}  // namespace

json PcapAnalysisResult::summary_json(const std::string& path) const {
  json j = counters.to_json();
  j["type"] = "summary";
  j["source"] = path;
  j["format"] = "pcap";
  j["link_type"] = link_type;
  j["sweeps"] = sweeps;
  j["first_packet_time"] = first_s;
  j["last_packet_time"] = last_s;
  return j;
}

PcapAnalysisResult run_pcap_analysis(PcapSource& source, const PcapAnalysisOptions& options,
                                     const std::function<void(const json&)>& on_event,
                                     const std::function<void(const PcapSweep&)>& on_sweep) {
  PcapAnalysisResult result;
  result.link_type = source.link_type();
  if (!pcap::link_type_supported(result.link_type))
    log::warn(source.path() + ": link type " + std::to_string(result.link_type) +
              " is not read (Ethernet, Linux cooked SLL/SLL2, raw IP, BSD loopback, MAC-LTE 147): every frame is skipped");
  if (options.sweep_seconds && !(*options.sweep_seconds > 0.0))
    throw InputError("--sweep-seconds: must be positive");

  double now = 0.0;
  std::unique_ptr<SweepState> sweep;
  PcapSweep current;
  auto close_sweep = [&]() {
    if (!sweep) return;
    current.cells = sweep->finish(current.lte_counters);
    if (on_sweep) on_sweep(current);
    ++result.sweeps;
    sweep.reset();
  };
  PcapFrame frame;
  bool first = true;
  while (source.next(frame)) {
    now = frame.time_s;
    if (first) result.first_s = now;
    first = false;
    result.last_s = std::max(result.last_s, now);
    const auto r = capture::decode_packet(result.link_type, frame.data, frame.original_length, options.gsmtap_port);
    result.counters.count(r);
    if (std::holds_alternative<std::string>(r)) continue;
    if (sweep && options.sweep_seconds && now >= current.start_s + *options.sweep_seconds) close_sweep();
    if (!sweep) {
      sweep = std::make_unique<SweepState>(options, on_event, now);
      current = PcapSweep{};
      current.index = static_cast<int>(result.sweeps);
      // Sweeps are cut on a fixed grid from the first packet, so their times do not drift with gaps.
      current.start_s = options.sweep_seconds
                            ? result.first_s + std::floor((now - result.first_s) / *options.sweep_seconds) * *options.sweep_seconds
                            : now;
    }
    current.end_s = std::max(current.end_s, now);
    if (const auto* g = std::get_if<capture::CapturedGsmBlock>(&r)) sweep->gsm(*g);
    else sweep->lte(std::get<capture::CapturedLteRrc>(r));
  }
  close_sweep();
  return result;
}

}  // namespace tw
