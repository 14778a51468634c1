#include "src/pipeline/lte_message_fold.hpp"

#include <cmath>

#include "dsp/lte/mib.hpp"
#include "src/core/error.hpp"
#include "src/core/hex.hpp"
#include "src/core/log.hpp"
#include "src/core/lte_bands.hpp"
#include "src/lte/bcch_dl_sch.hpp"
#include "src/lte/lte_rrc_json.hpp"
#include "src/lte/pcch.hpp"
#include "src/pipeline/lte_rrc_output.hpp"
#include "src/pipeline/lte_system_info.hpp"

namespace tw {

using json = nlohmann::json;
using capture::CapturedLteRrc;

namespace {

json opt_json(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }

std::string stream_key(const CapturedLteRrc& m) {
  auto part = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("-"); };
  return part(m.earfcn) + "/" + part(m.pci) + "/" + part(m.carrier_id);
}

// The identity a SIB1 gives its cell: first PLMN, TAC, cell identity (TS 36.331 6.2.2 CellAccessRelatedInfo).
std::string identity_key(const lte::Sib1& s) {
  std::string k = std::to_string(s.tac) + "/" + std::to_string(s.cell_identity);
  if (!s.plmns.empty()) k = std::to_string(s.plmns.front().mcc) + "-" + s.plmns.front().mnc + "/" + k;
  return k;
}

}  // namespace

LteMessageFold::LteMessageFold(bool keep_identities, bool block_events, const std::optional<std::string>& gsmtap,
                               std::function<void(const json&)> on_event)
    : keep_identities_(keep_identities), block_events_(block_events), on_event_(std::move(on_event)) {
  if (gsmtap) gsmtap_ = std::make_unique<GsmtapSender>(*gsmtap);
}

void LteMessageFold::output(const CapturedLteRrc& m, double time_s, const std::string& message, const json& fields,
                            const std::string& error) {
  LteRrcMessage r;
  r.channel = capture::channel_name(m.channel);
  r.message = message;
  r.pci = m.pci.value_or(-1);
  r.earfcn = m.earfcn;
  r.sfn = m.sfn.value_or(0);
  r.subframe = m.subframe.value_or(0);
  r.rsrp_dbfs = m.signal_dbm.value_or(0.0);
  r.sinr_db = m.snr_db.value_or(0.0);
  r.octets = m.octets;
  r.fields = fields;
  r.parse_error = error;
  const bool identities = m.channel == CapturedLteRrc::Channel::pcch;
  if (gsmtap_ && !identities) send_lte_gsmtap(*gsmtap_, r);
  if (block_events_ && on_event_) {
    json e = lte_block_json(r, !identities || keep_identities_);
    e["time"] = time_s;
    e["framing"] = m.framing;
    on_event_(e);
  }
}

void LteMessageFold::on_message(const CapturedLteRrc& m, double time_s) {
  ++messages_;
  Stream& st = streams_[stream_key(m)];
  if (m.channel == CapturedLteRrc::Channel::pcch) {
    std::optional<lte::PagingCounts> counts;
    std::string error;
    try {
      counts = lte::decode_pcch(m.octets);
    } catch (const InputError& e) {
      error = e.what();
    }
    json fields = nullptr;
    if (counts)
      fields = {{"records", counts->records}, {"s_tmsi", counts->s_tmsi}, {"imsi", counts->imsi}, {"other", counts->other},
                {"system_info_modification", counts->system_info_modification}, {"etws_indication", counts->etws_indication}};
    output(m, time_s, "Paging", fields, error);
    if (st.cell) {
      Cell& c = cells_[*st.cell];
      ++c.paging;
      ++c.messages;
      c.last_s = time_s;
      if (counts) {
        c.paging_imsi += static_cast<std::uint64_t>(counts->imsi);
        c.paging_tmsi += static_cast<std::uint64_t>(counts->s_tmsi);
        c.paging_other += static_cast<std::uint64_t>(counts->other);
      } else {
        ++c.paging_malformed;
      }
    }
    return;
  }
  if (m.channel == CapturedLteRrc::Channel::bcch_bch) {
    json fields = nullptr;
    std::string error;
    if (m.octets.size() == 3) {
      try {
        // The MIB's SFN field holds the 8 MSBs; the frame within the 40 ms block comes from the framing's SFN.
        const auto mib = dsp::lte::unpack_mib(std::span<const std::uint8_t, 3>(m.octets.data(), 3), m.sfn.value_or(0) & 3);
        fields = {{"bandwidth_prb", mib.bandwidth_prb},
                  {"phich", {{"duration", mib.phich_extended ? "extended" : "normal"}, {"resource", mib.phich_resource}}},
                  {"sfn", mib.sfn}};
      } catch (const InputError& e) {
        error = e.what();
      }
    } else {
      error = "MasterInformationBlock: " + std::to_string(m.octets.size()) + " octets, expected 3";
    }
    if (!error.empty()) ++mib_errors_;
    output(m, time_s, "MasterInformationBlock", fields, error);
    if (!error.empty()) return;
    if (st.cell) {
      Cell& c = cells_[*st.cell];
      c.mib_hex = hex_string(m.octets);
      c.mib_fields = fields;
      apply(c, m, time_s, nullptr);
    } else if (st.waiting.size() < kMaxWaiting) {
      st.waiting.push_back({m, time_s, fields, std::nullopt});
    } else {
      ++dropped_waiting_;
    }
    return;
  }
  // BCCH-DL-SCH: SIB1 or SystemInformation, parsed once for the outputs and (when well formed) the cell.
  lte::LteSystemInfo probe;
  lte::BcchDlSchMessage parsed;
  std::string error;
  try {
    parsed = fold_bcch_dl_sch(probe, m.octets);
  } catch (const InputError& e) {
    error = e.what();
  }
  const bool is_sib1 = error.empty() && parsed.kind == lte::BcchDlSchMessage::Kind::system_information_block_type1 && parsed.sib1;
  output(m, time_s,
         !error.empty() ? "BCCH-DL-SCH-Message" : is_sib1 ? "SystemInformationBlockType1" : "SystemInformation",
         error.empty() ? lte::bcch_dl_sch_to_json(parsed) : json(nullptr), error);
  if (!error.empty()) {
    if (st.cell) ++cells_[*st.cell].si_errors;
    else ++sib1_errors_;
    return;
  }
  if (is_sib1) {
    const std::string key = stream_key(m) + "|" + identity_key(*parsed.sib1);
    auto it = cell_index_.find(key);
    if (it == cell_index_.end()) {
      if (cells_.size() >= kMaxCells) {
        if (dropped_cells_++ == 0) log::warn("pcap: more than " + std::to_string(kMaxCells) + " LTE cells; further ones are counted, not kept");
        return;
      }
      Cell c;
      c.base = {{"type", "cell"}, {"rat", "LTE"}, {"earfcn", opt_json(m.earfcn)}, {"band", nullptr},
                {"freq_hz", nullptr}, {"pci", opt_json(m.pci)}, {"framing", m.framing}};
      if (m.earfcn) {
        // TS 36.101 5.7.3: the downlink frequency and band of the EARFCN.
        if (const auto b = lte_band_of_earfcn(*m.earfcn)) {
          c.base["band"] = lte_band_name(*b);
          if (const auto f = lte_downlink_hz(*m.earfcn)) c.base["freq_hz"] = *f;
        }
      }
      if (m.framing == "mac-lte" || m.framing == "mac-lte-udp") c.base["duplex"] = m.tdd ? "TDD" : "FDD";
      c.first_s = time_s;
      it = cell_index_.emplace(key, cells_.size()).first;
      cells_.push_back(std::move(c));
    }
    st.cell = it->second;
    Cell& c = cells_[it->second];
    c.sib1_hex = hex_string(m.octets);
    apply(c, m, time_s, &parsed);
    // Messages that came before the stream's first SIB1 are this cell's.
    for (const auto& w : st.waiting) {
      if (w.parsed) {
        apply(c, w.m, w.time_s, &*w.parsed);
      } else {
        c.mib_hex = hex_string(w.m.octets);
        c.mib_fields = w.mib_fields;
        apply(c, w.m, w.time_s, nullptr);
      }
    }
    st.waiting.clear();
    return;
  }
  if (st.cell) {
    apply(cells_[*st.cell], m, time_s, &parsed);
  } else if (st.waiting.size() < kMaxWaiting) {
    st.waiting.push_back({m, time_s, nullptr, parsed});
  } else {
    ++dropped_waiting_;
  }
}

void LteMessageFold::apply(Cell& c, const CapturedLteRrc& m, double time_s, const lte::BcchDlSchMessage* parsed) {
  ++c.messages;
  c.last_s = std::max(c.last_s, time_s);
  c.first_s = std::min(c.first_s, time_s);
  if (m.signal_dbm) {
    c.level_sum += *m.signal_dbm;
    c.snr_sum += m.snr_db.value_or(0.0);
    ++c.level_n;
  }
  if (!parsed) return;
  lte::merge_system_info(c.info, *parsed);
  if (parsed->kind == lte::BcchDlSchMessage::Kind::system_information && c.si_messages.size() < 64)
    c.si_messages.push_back({{"hex", hex_string(m.octets)}, {"sibs", parsed->sibs_seen}});
}

json LteMessageFold::record(const Cell& c) const {
  json r = c.base;
  put_lte_system_info(c.info, r);
  r["sib1"] = c.sib1_hex;
  r["si_messages"] = c.si_messages;
  if (!c.mib_hex.empty()) {
    r["mib"] = c.mib_hex;
    for (const auto& [k, v] : c.mib_fields.items()) r[k] = v;
  }
  // GSMTAP's signal field as the level (towerwatch writes RSRP in dBFS there); MAC-LTE carries none.
  if (c.level_n) {
    r["rsrp_dbfs"] = std::round(c.level_sum / static_cast<double>(c.level_n) * 10.0) / 10.0;
    r["sinr_db"] = std::round(c.snr_sum / static_cast<double>(c.level_n) * 10.0) / 10.0;
  }
  r["messages"] = c.messages;
  r["paging"] = {{"messages", c.paging}, {"imsi", c.paging_imsi}, {"tmsi", c.paging_tmsi}, {"other", c.paging_other},
                 {"malformed", c.paging_malformed}};
  if (c.si_errors) r["si_errors"] = c.si_errors;
  r["first_seen"] = c.first_s;
  r["last_seen"] = c.last_s;
  return r;
}

std::vector<json> LteMessageFold::cells() const {
  std::vector<json> out;
  for (const auto& c : cells_) out.push_back(record(c));
  return out;
}

json LteMessageFold::counters_json() const {
  std::uint64_t waiting = 0;
  for (const auto& [k, s] : streams_) waiting += s.waiting.size();
  return {{"messages", messages_}, {"cells", cells_.size()}, {"malformed", sib1_errors_},
          {"mib_errors", mib_errors_}, {"without_sib1", waiting + dropped_waiting_}, {"dropped_cells", dropped_cells_}};
}

}  // namespace tw
