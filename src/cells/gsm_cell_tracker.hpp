// Folds the decoded blocks of each GSM carrier into one cell record: identity (MCC, MNC, LAC, CI, BSIC),
// every broadcast parameter (SI1..SI13), CCCH counts, and measurements. Emits the record once the cell
// is known and again whenever a broadcast parameter changes. Memory and output per cell are bounded against a
// hostile cell: one parsed message per SI type (SI2quater: per index, at most 16), counters for the rest; at most
// kMaxChangeRecords change records per cell (later changes are counted in "dropped":{"si_variants":N}, one
// warning, and the final state still comes out at finish()); at most kMaxDistinctIdentities distinct paging
// identities remembered for "paging":{"distinct":N} (only when identities are kept; the rest are counted in
// "dropped":{"identities":N}).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "src/gsm/l3_message.hpp"

namespace tw {

struct GsmCarrierKey {
  double offset_hz = 0.0;           // channel centre minus capture centre
  std::optional<int> arfcn;
  std::optional<double> freq_hz;
  std::string band;
  bool operator<(const GsmCarrierKey& o) const { return offset_hz < o.offset_hz; }
};

struct GsmMeasurements {
  double power_dbfs = -200.0;
  double snr_db = 0.0;
  double cfo_hz = 0.0;
  std::uint64_t blocks_tried = 0;
  std::uint64_t blocks_decoded = 0;
  std::uint64_t sch_ok = 0;
  std::uint64_t sch_failed = 0;
};

class GsmCellTracker {
 public:
  static constexpr std::uint64_t kMaxChangeRecords = 64;
  static constexpr std::size_t kMaxDistinctIdentities = 4096;

  using Emit = std::function<void(const nlohmann::json& cell)>;
  explicit GsmCellTracker(Emit emit) : emit_(std::move(emit)) {}

  // A (re)acquired SCH: `sample` is the receiver's working-rate sample index of that burst (4 samples per
  // symbol, 5000 per TDMA frame), so a later acquisition can be checked against the frame count elapsed.
  void on_sync(const GsmCarrierKey& key, int bsic, std::uint32_t fn, std::uint64_t sample);
  void on_message(const GsmCarrierKey& key, const gsm::ParsedMessage& message, std::uint32_t fn);
  void on_measurements(const GsmCarrierKey& key, const GsmMeasurements& m);
  // End of the stream: carriers that were synchronised but never emitted are emitted now.
  void finish();

  // The cell record of a carrier as JSON ({"type":"cell","rat":"GSM",...}); empty if unknown carrier.
  nlohmann::json cell_json(const GsmCarrierKey& key) const;
  std::size_t cells() const { return cells_.size(); }

 private:
  struct Cell {
    GsmCarrierKey key;
    int bsic = -1;
    std::optional<std::uint32_t> sync_fn;                   // FN of the last SCH that gave sync
    std::uint64_t sync_sample = 0;
    std::uint64_t acquisitions = 0;                         // times sync was (re)acquired
    std::uint64_t fn_jumps = 0;                             // re-acquisitions whose FN broke the count
    std::map<gsm::MessageKind, gsm::ParsedMessage> latest;  // last valid message per SI type
    std::map<int, gsm::ParsedMessage> si2quater;            // per SI2quater_INDEX
    std::uint64_t paging_messages = 0, paging_imsi = 0, paging_tmsi = 0, paging_imei = 0;
    std::uint64_t imm_ass = 0, imm_ass_hopping = 0, imm_ass_reject = 0, imm_ass_tbf = 0;
    std::unordered_set<std::string> identities;             // distinct paging identities (kept ones only)
    std::uint64_t change_records = 0;                       // records emitted after the first
    std::uint64_t dropped_si_variants = 0;                  // parameter changes not emitted (cap)
    std::uint64_t dropped_identities = 0;                   // distinct identities not remembered (cap)
    bool pending_change = false;                            // a dropped change not yet reported
    GsmMeasurements meas;
    std::string emitted_params;  // the parameters at the last emit (dump), to see changes
    bool emitted = false;
  };
  Cell& cell(const GsmCarrierKey& key);
  nlohmann::json build(const Cell& c) const;
  static nlohmann::json params(const Cell& c);
  void maybe_emit(Cell& c, bool force);

  Emit emit_;
  std::map<GsmCarrierKey, Cell> cells_;
};

}  // namespace tw
