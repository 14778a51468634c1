#include "src/pipeline/lte_system_info.hpp"

#include <cmath>
#include <cstdio>

#include "dsp/lte/si_receiver.hpp"
#include "src/cells/operator_json.hpp"
#include "src/core/error.hpp"
#include "src/core/hex.hpp"
#include "src/core/log.hpp"
#include "src/lte/bcch_dl_sch.hpp"
#include "src/lte/lte_rrc_json.hpp"

namespace tw {

using json = nlohmann::json;

namespace {

// 36.331 6.2.2: si-Periodicity ENUMERATED {rf8, rf16, ..., rf512}, si-WindowLength {ms1, ms2, ms5, ms10, ms15,
// ms20, ms40}.
dsp::lte::SiSchedule schedule_of(const lte::Sib1& sib1, bool tdd) {
  static constexpr int kWindowMs[] = {1, 2, 5, 10, 15, 20, 40};
  dsp::lte::SiSchedule s;
  for (const auto& si : sib1.scheduling) {
    if (si.si_periodicity > 6) throw InputError("SIB1 si-Periodicity: code " + std::to_string(si.si_periodicity));
    s.periodicity_rf.push_back(8 << si.si_periodicity);
  }
  if (sib1.si_window_length > 6) throw InputError("SIB1 si-WindowLength: code " + std::to_string(sib1.si_window_length));
  s.window_ms = kWindowMs[sib1.si_window_length];
  s.tdd = tdd;
  if (tdd) {
    if (!sib1.tdd_config) throw InputError("SIB1 of a TDD cell has no tdd-Config");
    s.tdd_config = static_cast<int>(sib1.tdd_config->subframe_assignment);
  }
  return s;
}

}  // namespace

lte::BcchDlSchMessage fold_bcch_dl_sch(lte::LteSystemInfo& info, std::span<const std::uint8_t> octets) {
  auto parsed = lte::decode_bcch_dl_sch(octets);
  lte::merge_system_info(info, parsed);
  return parsed;
}

void put_lte_system_info(const lte::LteSystemInfo& info, json& cell) {
  const json si = lte::lte_si_to_json(info);   // named: items() of a temporary would dangle in the loop
  for (const auto& [k, v] : si.items()) cell[k] = v;
  cells::add_operator_name(cell);   // "operator" of SIB1's first PLMN (mobile-broadband-provider-info)
}

bool has_lte_sib1(const json& cell) { return cell.contains("sib1") && cell["sib1"].is_string(); }

void copy_lte_system_information(const json& from, json& to) {
  for (const auto& [k, v] : from.items())
    if (!to.contains(k) || k == "sib1" || k == "sib1_transmissions" || k == "si_messages" || k == "sibs_seen" ||
        k == "sib1_error" || k == "si_errors")
      to[k] = v;
  if (!from.contains("sib1_error")) to.erase("sib1_error");
  if (!from.contains("si_errors")) to.erase("si_errors");
}

bool lte_bandwidth_captured(double rate, double offset, int n_prb) {
  return std::abs(offset) + n_prb * 90e3 <= 0.48 * rate;
}

void add_lte_system_information(std::span<const cf32> iq, double rate, json& cell, std::vector<LteRrcMessage>* messages) {
  const bool have_mib = cell.contains("mib") && cell["mib"].is_string();
  const int pci = cell.value("pci", -1);
  const std::optional<int> earfcn = cell.contains("earfcn") && cell["earfcn"].is_number_integer()
                                        ? std::optional<int>(cell["earfcn"].get<int>())
                                        : std::nullopt;
  auto message = [&](const char* channel, const char* name, int sfn, int subframe, std::vector<std::uint8_t> octets) {
    LteRrcMessage m;
    m.channel = channel;
    m.message = name;
    m.pci = pci;
    m.earfcn = earfcn;
    m.sfn = sfn;
    m.subframe = subframe;
    m.rsrp_dbfs = cell.value("rsrp_dbfs", 0.0);
    m.sinr_db = cell.value("sinr_db", 0.0);
    m.octets = std::move(octets);
    return m;
  };
  cell["sib1"] = nullptr;
  if (!have_mib) {
    cell["sib1_error"] = "MIB not decoded";
    return;
  }
  if (messages) {
    auto m = message("BCCH-BCH", "MasterInformationBlock", cell.value("sfn", 0), 0, octets_from_hex(cell["mib"].get<std::string>()));
    m.fields = {{"bandwidth_prb", cell["bandwidth_prb"]}, {"phich", cell["phich"]}, {"sfn", cell["sfn"]}};
    messages->push_back(std::move(m));
  }
  dsp::lte::CellParams p;
  p.pci = pci;
  p.n_prb = cell.value("bandwidth_prb", 6);
  p.normal_cp = cell.value("cp", "normal") == "normal";
  p.ports = cell.value("ports", 1);
  p.tdd = cell.value("duplex", "FDD") == "TDD";
  if (cell.contains("phich") && cell["phich"].is_object()) {
    p.phich_extended = cell["phich"].value("duration", "normal") == "extended";
    p.phich_resource = cell["phich"].value("resource", "1");
  }
  dsp::lte::DlTiming t;
  t.sample_rate_hz = rate;
  t.carrier_offset_hz = cell.value("offset_hz", 0.0) + cell.value("cfo_hz", 0.0);
  t.frame_start_sample = cell.value("frame_start_s", 0.0) * rate;
  t.sfn0 = cell.value("sfn", 0);
  if (cell.contains("apparent_carrier_hz") && cell["apparent_carrier_hz"].is_number()) {
    const double seen = cell["apparent_carrier_hz"].get<double>();
    if (seen > 0) t.clock_scale = 1.0 + cell.value("cfo_hz", 0.0) / seen;
  }
  if (!lte_bandwidth_captured(rate, t.carrier_offset_hz, p.n_prb)) {
    char why[200];
    std::snprintf(why, sizeof why,
                  "bandwidth not captured: the cell's %d PRB (%.2f MHz) at %+.0f Hz from the centre need more than the "
                  "%.3f Msps captured",
                  p.n_prb, p.n_prb * 0.18, t.carrier_offset_hz, rate / 1e6);
    cell["sib1_error"] = why;
    return;
  }
  try {
    dsp::lte::SiReceiver rx(p, t);
    std::string why;
    const auto sib1 = rx.decode_sib1(iq, why);
    if (!sib1) {
      cell["sib1_error"] = why;
      return;
    }
    cell["sib1"] = hex_string(sib1->octets);
    cell["sib1_transmissions"] = sib1->transmissions;
    lte::LteSystemInfo info;
    lte::BcchDlSchMessage parsed;
    try {
      parsed = fold_bcch_dl_sch(info, sib1->octets);
    } catch (const InputError& e) {
      cell["sib1_error"] = std::string("SIB1 does not parse: ") + e.what();
      if (messages) {
        auto m = message("BCCH-DL-SCH", "BCCH-DL-SCH-Message", sib1->sfn, 5, sib1->octets);
        m.parse_error = e.what();
        messages->push_back(std::move(m));
      }
      return;
    }
    if (messages) {
      auto m = message("BCCH-DL-SCH", "SystemInformationBlockType1", sib1->sfn, 5, sib1->octets);
      m.fields = lte::bcch_dl_sch_to_json(parsed);
      messages->push_back(std::move(m));
    }
    if (!info.sib1) {
      cell["sib1_error"] = "the SIB1 subframe carried another BCCH-DL-SCH message";
    } else {
      // SIB1's schedule -> the SI messages in their windows.
      json si_messages = json::array(), si_errors = json::array();
      try {
        const auto schedule = schedule_of(*info.sib1, p.tdd);
        std::vector<std::string> why_not;
        for (const auto& b : rx.decode_si(iq, schedule, &why_not)) {
          json entry{{"si", b.si_index}, {"hex", hex_string(b.octets)}, {"transmissions", b.transmissions}};
          try {
            const auto msg = fold_bcch_dl_sch(info, b.octets);
            entry["sibs"] = msg.sibs_seen;
            if (messages) {
              auto m = message("BCCH-DL-SCH", "SystemInformation", b.sfn, b.subframe, b.octets);
              m.fields = lte::bcch_dl_sch_to_json(msg);
              messages->push_back(std::move(m));
            }
          } catch (const InputError& e) {
            entry["parse_error"] = e.what();
          }
          si_messages.push_back(std::move(entry));
        }
        for (std::size_t n = 0; n < why_not.size(); ++n)
          if (!why_not[n].empty()) si_errors.push_back({{"si", n + 1}, {"why", why_not[n]}});
      } catch (const InputError& e) {
        si_errors.push_back({{"si", nullptr}, {"why", std::string("schedule: ") + e.what()}});
      }
      cell["si_messages"] = std::move(si_messages);
      if (!si_errors.empty()) cell["si_errors"] = std::move(si_errors);
    }
    put_lte_system_info(info, cell);
  } catch (const InputError& e) {
    // A cell the receiver cannot serve (parameters from a hostile MIB, a timing outside the capture).
    cell["sib1_error"] = std::string("receiver: ") + e.what();
  }
}

}  // namespace tw
