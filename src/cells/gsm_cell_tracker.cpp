#include "src/cells/gsm_cell_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "src/cells/operator_json.hpp"
#include "src/core/log.hpp"
#include "src/gsm/message_json.hpp"

namespace tw {

using nlohmann::json;
using gsm::MessageKind;

namespace {
constexpr int kMaxSi2quaterInstances = 16;  // SI2quater_INDEX is 4 bits (44.018 10.5.2.33b)

double round_to(double v, double step) { return std::round(v / step) * step; }

std::string describe(const GsmCarrierKey& k) {
  if (k.arfcn) return "ARFCN " + std::to_string(*k.arfcn);
  return "at offset " + std::to_string(static_cast<long long>(std::llround(k.offset_hz))) + " Hz";
}
}  // namespace

GsmCellTracker::Cell& GsmCellTracker::cell(const GsmCarrierKey& key) {
  auto it = cells_.find(key);
  if (it == cells_.end()) {
    it = cells_.emplace(key, Cell{}).first;
    it->second.key = key;
  }
  return it->second;
}

void GsmCellTracker::on_sync(const GsmCarrierKey& key, int bsic, std::uint32_t fn, std::uint64_t sample) {
  Cell& c = cell(key);
  // Frame number continuity (45.002 clause 4.3.3: FN counts TDMA frames modulo 26*51*2048): a base station's
  // FN advances one per 4.615 ms frame; after a loss of sync the FN read again must equal the count.
  if (c.sync_fn && sample > c.sync_sample) {
    constexpr std::uint64_t kHyperframe = 26ULL * 51ULL * 2048ULL;
    constexpr double kSamplesPerFrame = 5000.0;  // 1250 symbols at 4 samples per symbol
    const auto frames = static_cast<std::uint64_t>(std::llround(double(sample - c.sync_sample) / kSamplesPerFrame));
    if ((*c.sync_fn + frames) % kHyperframe != fn) ++c.fn_jumps;
  }
  ++c.acquisitions;
  c.sync_fn = fn;
  c.sync_sample = sample;
  if (c.bsic != bsic) {
    c.bsic = bsic;
    if (c.emitted) maybe_emit(c, false);
  }
}

void GsmCellTracker::on_message(const GsmCarrierKey& key, const gsm::ParsedMessage& m, std::uint32_t) {
  if (!m.ok) return;
  Cell& c = cell(key);
  switch (m.kind) {
    case MessageKind::si1:
    case MessageKind::si2:
    case MessageKind::si2bis:
    case MessageKind::si2ter:
    case MessageKind::si3:
    case MessageKind::si4:
    case MessageKind::si13:
      c.latest[m.kind] = m;
      break;
    case MessageKind::si2quater:
      if (const auto* q = m.get<gsm::Si2quater>(); q && q->index < kMaxSi2quaterInstances) c.si2quater[q->index] = m;
      break;
    case MessageKind::paging_request_1:
    case MessageKind::paging_request_2:
    case MessageKind::paging_request_3:
      if (const auto* p = m.get<gsm::PagingSummary>()) {
        ++c.paging_messages;
        c.paging_imsi += static_cast<std::uint64_t>(p->imsi);
        c.paging_tmsi += static_cast<std::uint64_t>(p->tmsi);
        c.paging_imei += static_cast<std::uint64_t>(p->imei);
        for (const auto& id : p->identities) {
          if (id.value.empty()) continue;
          std::string k = std::string(gsm::identity_type_name(id.type)) + ":" + id.value;
          if (c.identities.count(k)) continue;
          if (c.identities.size() < kMaxDistinctIdentities) {
            c.identities.insert(std::move(k));
          } else {
            if (c.dropped_identities++ == 0)
              log::warn("GSM cell " + describe(c.key) + ": more than " + std::to_string(kMaxDistinctIdentities) +
                        " distinct paging identities; further ones are counted as dropped, not remembered");
          }
        }
      }
      return;  // counters are not parameters: no re-emit
    case MessageKind::immediate_assignment:
    case MessageKind::immediate_assignment_extended:
      if (const auto* a = m.get<gsm::ImmediateAssignmentInfo>()) {
        for (const auto& x : a->assignments) {
          ++c.imm_ass;
          if (x.channel.hopping) ++c.imm_ass_hopping;
        }
        if (a->tbf) ++c.imm_ass_tbf;
      }
      return;
    case MessageKind::immediate_assignment_reject:
      ++c.imm_ass_reject;
      return;
    default:
      return;
  }
  // A cell is reported once its identity is known (SI3 or SI4), then again on every parameter change.
  if (c.latest.count(MessageKind::si3) || c.latest.count(MessageKind::si4)) maybe_emit(c, false);
}

void GsmCellTracker::on_measurements(const GsmCarrierKey& key, const GsmMeasurements& m) { cell(key).meas = m; }

void GsmCellTracker::finish() {
  for (auto& [k, c] : cells_) {
    if (!c.emitted && (c.bsic >= 0 || !c.latest.empty())) maybe_emit(c, true);
    // The last state of a cell whose changes were capped still comes out, with the count of dropped ones.
    else if (c.pending_change) maybe_emit(c, true);
  }
}

json GsmCellTracker::params(const Cell& c) {
  json p = json::object();
  if (c.bsic >= 0) p["bsic"] = c.bsic;
  auto get = [&](MessageKind k) -> const gsm::ParsedMessage* {
    auto it = c.latest.find(k);
    return it == c.latest.end() ? nullptr : &it->second;
  };
  // Identity and control channel: SI3 (44.018 9.1.35), else SI4 (9.1.36) for the LAI.
  if (const auto* m = get(MessageKind::si3)) {
    const auto& s = *m->get<gsm::Si3>();
    p["mcc"] = s.lai.mcc;
    p["mnc"] = s.lai.mnc_string();
    p["lac"] = s.lai.lac;
    p["ci"] = s.ci;
    p["t3212"] = s.ccd.t3212;
    p["att"] = s.ccd.att;
    p["bs_ag_blks_res"] = s.ccd.bs_ag_blks_res;
    p["bs_pa_mfrms"] = s.ccd.bs_pa_mfrms;
    p["ccch_conf"] = s.ccd.ccch_conf;
    p["cell_reselect_hysteresis"] = s.cell_selection.cell_reselect_hysteresis;
    p["ms_txpwr_max_cch"] = s.cell_selection.ms_txpwr_max_cch;
    p["rxlev_access_min"] = s.cell_selection.rxlev_access_min;
    p["cell_barred"] = s.rach.cell_bar_access;
    p["max_retrans"] = s.rach.max_retransmissions();
    p["access_classes_barred"] = s.rach.access_classes_barred;
    if (s.rest.selection) {
      p["cbq"] = s.rest.selection->cbq;
      p["cro"] = s.rest.selection->cell_reselect_offset;
      p["temporary_offset"] = s.rest.selection->temporary_offset;
      p["penalty_time"] = s.rest.selection->penalty_time;
    } else {
      p["cro"] = 0;  // 45.008 clause 9: CELL_RESELECT_OFFSET defaults to 0 when absent
    }
    p["gprs"] = s.rest.gprs.has_value();
    p["si2ter_indicator"] = s.rest.si2ter_indicator;
    p["si2quater_indicator"] = s.rest.si2quater_position.has_value();
  } else if (const auto* m4 = get(MessageKind::si4)) {
    const auto& s = *m4->get<gsm::Si4>();
    p["mcc"] = s.lai.mcc;
    p["mnc"] = s.lai.mnc_string();
    p["lac"] = s.lai.lac;
    p["cell_reselect_hysteresis"] = s.cell_selection.cell_reselect_hysteresis;
    p["rxlev_access_min"] = s.cell_selection.rxlev_access_min;
    p["cell_barred"] = s.rach.cell_bar_access;
    if (s.selection) p["cro"] = s.selection->cell_reselect_offset;
  }
  cells::add_operator_name(p);   // "operator" beside mcc/mnc (mobile-broadband-provider-info)
  // BA list: SI2 + SI2bis + SI2ter together (44.018 3.2.2.1).
  std::set<std::uint16_t> neighbours;
  bool have_ba = false;
  for (auto k : {MessageKind::si2, MessageKind::si2bis}) {
    if (const auto* m = get(k)) {
      have_ba = true;
      for (auto a : m->get<gsm::Si2>()->neighbours.arfcns) neighbours.insert(a);
    }
  }
  if (const auto* m = get(MessageKind::si2ter)) {
    have_ba = true;
    for (auto a : m->get<gsm::Si2ter>()->neighbours.arfcns) neighbours.insert(a);
  }
  if (have_ba) p["neighbors"] = std::vector<std::uint16_t>(neighbours.begin(), neighbours.end());
  if (const auto* m = get(MessageKind::si2))
    if (auto ncc = m->get<gsm::Si2>()->ncc_permitted) p["ncc_permitted"] = *ncc;
  if (const auto* m = get(MessageKind::si1)) p["cell_allocation"] = m->get<gsm::Si1>()->cell_arfcns;
  if (!c.si2quater.empty()) {
    json q = json::array();
    for (const auto& [idx, m] : c.si2quater) {
      json j = gsm::to_json(m);
      j.erase("type");
      q.push_back(std::move(j));
    }
    p["si2quater"] = std::move(q);
  }
  if (const auto* m = get(MessageKind::si13)) {
    const auto& s = *m->get<gsm::Si13>();
    if (s.rest_present && !s.pbcch_present) {
      p["rac"] = s.rac;
      p["nmo"] = s.nmo + 1;
    }
  }
  json seen = json::array();
  for (const auto& [k, m] : c.latest) seen.push_back(m.name);
  if (!c.si2quater.empty()) seen.push_back(gsm::message_kind_name(MessageKind::si2quater));
  p["si_seen"] = std::move(seen);
  return p;
}

json GsmCellTracker::build(const Cell& c) const {
  json j{{"type", "cell"}, {"rat", "GSM"}};
  j["arfcn"] = c.key.arfcn ? json(*c.key.arfcn) : json(nullptr);
  if (!c.key.band.empty()) j["band"] = c.key.band;
  j["freq_hz"] = c.key.freq_hz ? json(*c.key.freq_hz) : json(nullptr);
  j["offset_hz"] = c.key.offset_hz;
  j.update(params(c));
  // Not a parameter (it changes every multiframe): lets a sweep check BSIC/FN consistency across channels.
  j["sync_fn"] = c.sync_fn ? json(*c.sync_fn) : json(nullptr);
  j["sync"] = {{"acquisitions", c.acquisitions}, {"fn_jumps", c.fn_jumps}, {"sch_ok", c.meas.sch_ok},
               {"sch_failed", c.meas.sch_failed}};
  j["power_dbfs"] = round_to(c.meas.power_dbfs, 0.1);
  j["snr_db"] = round_to(c.meas.snr_db, 0.1);
  j["cfo_hz"] = round_to(c.meas.cfo_hz, 1.0);
  if (c.key.freq_hz && *c.key.freq_hz > 0) j["cfo_ppm"] = round_to(c.meas.cfo_hz / *c.key.freq_hz * 1e6, 0.01);
  j["blocks_tried"] = c.meas.blocks_tried;
  j["blocks_decoded"] = c.meas.blocks_decoded;
  j["paging"] = {{"messages", c.paging_messages}, {"imsi", c.paging_imsi}, {"tmsi", c.paging_tmsi},
                 {"imei", c.paging_imei}};
  j["immediate_assignment"] = {{"count", c.imm_ass}, {"hopping", c.imm_ass_hopping}, {"tbf", c.imm_ass_tbf},
                               {"reject", c.imm_ass_reject}};
  if (!c.identities.empty() || c.dropped_identities) j["paging"]["distinct"] = c.identities.size();
  j["si_changes"] = c.change_records + c.dropped_si_variants;
  j["dropped"] = {{"si_variants", c.dropped_si_variants}, {"identities", c.dropped_identities}};
  return j;
}

json GsmCellTracker::cell_json(const GsmCarrierKey& key) const {
  auto it = cells_.find(key);
  return it == cells_.end() ? json() : build(it->second);
}

void GsmCellTracker::maybe_emit(Cell& c, bool force) {
  std::string now = params(c).dump();
  if (!force && c.emitted && now == c.emitted_params) return;
  if (!force && c.emitted) {
    // A change. A hostile cell can change its System Information every block: bounded output.
    if (c.change_records >= kMaxChangeRecords) {
      if (c.dropped_si_variants++ == 0)
        log::warn("GSM cell " + describe(c.key) + ": broadcast parameters changed more than " +
                  std::to_string(kMaxChangeRecords) + " times; further changes are counted, not reported");
      c.emitted_params = std::move(now);
      c.pending_change = true;
      return;
    }
    ++c.change_records;
  }
  c.emitted_params = std::move(now);
  c.emitted = true;
  c.pending_change = false;
  if (emit_) emit_(build(c));
}

}  // namespace tw
