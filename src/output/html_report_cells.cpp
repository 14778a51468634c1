// The report's cells: grouped by operator (PLMN) and band, each cell a card of label/value rows in the
// specs' names with their units; the whole record only inside a collapsed <details>.
// Coded values are shown as broadcast, with their meaning where the spec fixes it:
//  GSM: 44.018 10.5.2.11 (T3212 in 6 min units), 10.5.2.4 (CELL-RESELECT-HYSTERESIS in 2 dB steps,
//  RXLEV-ACCESS-MIN as 45.008 8.1.4 levels), 10.5.2.35 / 45.008 9 (CELL_RESELECT_OFFSET 2 dB steps,
//  TEMPORARY_OFFSET 10 dB steps, 7 = infinity; PENALTY_TIME 20 s steps from 20 s, 31: CRO subtracted).
//  LTE: the record holds values already scaled (36.331 field descriptions, see src/lte/lte_rrc_json.cpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "src/output/html_report_parts.hpp"

namespace tw::output::report {

namespace {

// Label/value rows: the ones a reader needs first (h), and the rest (m, under "more parameters").
struct Rows {
  std::string h, m;
  bool more = false;
  void row(const std::string& label, const std::string& value_escaped) {
    if (!value_escaped.empty()) (more ? m : h) += "<dt>" + esc(label) + "</dt><dd>" + value_escaped + "</dd>";
  }
  void sub(const std::string& title) { (more ? m : h) += "<dt class=\"sub\">" + esc(title) + "</dt>"; }
};

// Drops section titles with no row under them.
std::string without_empty_sections(std::string rows) {
  const std::string sub = "<dt class=\"sub\">";
  for (std::size_t p = rows.find(sub); p != std::string::npos;) {
    const std::size_t end = rows.find("</dt>", p) + 5;
    if (end >= rows.size() || rows.compare(end, sub.size(), sub) == 0) {
      rows.erase(p, end - p);
      p = rows.find(sub, p);
    } else {
      p = rows.find(sub, end);
    }
  }
  return rows;
}

const json& at(const json& obj, const char* key) {
  static const json null_value;
  if (obj.is_object() && obj.contains(key)) return obj[key];
  return null_value;
}

std::string yes_no(const json& v) {
  if (!v.is_boolean()) return value_text(v);
  return v.get<bool>() ? "yes" : "no";
}

std::string signal_rows(Rows& r, const json& c) {
  std::string s;
  if (auto p = num_at(c, "power_dbfs")) r.row("power", num(*p) + " dBFS");
  if (auto p = num_at(c, "power_dbm")) r.row("power (calibrated)", num(*p) + " dBm");
  if (auto p = num_at(c, "rsrp_dbfs")) r.row("RSRP", num(*p) + " dBFS");
  if (auto p = num_at(c, "rsrq_db")) r.row("RSRQ", num(*p) + " dB");
  if (auto p = num_at(c, "snr_db")) r.row("SNR", num(*p) + " dB");
  if (auto p = num_at(c, "sinr_db")) r.row("SINR", num(*p) + " dB");
  if (auto p = num_at(c, "cfo_hz")) {
    std::string v = num(*p, 0) + " Hz";
    if (auto ppm = num_at(c, "cfo_ppm")) v += " (" + num(*ppm, 2) + " ppm)";
    r.row("frequency offset", v);
  }
  if (auto p = num_at(c, "carrier_offset_ppm")) r.row("carrier offset", num(*p, 3) + " ppm");
  return s;
}

std::string list_text(const json& v, std::size_t* count = nullptr) {
  if (!v.is_array()) return value_text(v);
  if (count) *count = v.size();
  return v.empty() ? "none" : value_text(v);
}

void gsm_rows(Rows& r, const json& c) {
  r.sub("identity");
  std::string ch = field(c, "arfcn");
  if (auto f = num_at(c, "freq_hz")) ch += " &#183; " + num(*f / 1e6, 1) + " MHz";
  r.row("ARFCN", ch);
  if (auto b = int_at(c, "bsic"))
    r.row("BSIC", std::to_string(*b) + " (NCC " + std::to_string(*b >> 3) + ", BCC " + std::to_string(*b & 7) + ")");
  r.row("LAC", field(c, "lac"));
  r.row("CI", field(c, "ci"));
  r.sub("signal");
  signal_rows(r, c);
  r.sub("access and reselection");
  if (c.contains("cell_barred")) r.row("cell barred", yes_no(c["cell_barred"]));
  if (auto v = int_at(c, "rxlev_access_min")) r.row("RXLEV-ACCESS-MIN", std::to_string(*v) + " (" + std::to_string(*v - 110) + " dBm)");
  if (auto v = int_at(c, "cell_reselect_hysteresis")) r.row("reselect hysteresis", std::to_string(*v) + " (" + std::to_string(2 * *v) + " dB)");
  if (auto v = int_at(c, "cro")) r.row("C2: reselect offset", std::to_string(*v) + " (" + std::to_string(2 * *v) + " dB)");
  if (auto v = int_at(c, "temporary_offset"))
    r.row("C2: temporary offset", std::to_string(*v) + (*v == 7 ? " (infinite)" : " (" + std::to_string(10 * *v) + " dB)"));
  if (auto v = int_at(c, "penalty_time"))
    r.row("C2: penalty time", std::to_string(*v) + (*v == 31 ? " (offset subtracted)" : " (" + std::to_string(20 * (*v + 1)) + " s)"));
  if (auto v = int_at(c, "t3212"))
    r.row("T3212", *v == 0 ? std::string("0 (no periodic update)") : std::to_string(*v) + " (" + std::to_string(*v * 6) + " min)");
  r.sub("neighbours");
  if (c.contains("neighbors")) {
    std::size_t n = 0;
    const std::string l = list_text(c["neighbors"], &n);
    r.row("BA list (SI2)", std::to_string(n) + ": " + l);
  } else {
    r.row("BA list (SI2)", "not received");
  }
  std::set<long long> eutran;
  for (const auto& q : at(c, "si2quater").is_array() ? at(c, "si2quater") : json::array())
    for (const auto& n : at(at(q, "eutran"), "neighbours").is_array() ? at(at(q, "eutran"), "neighbours") : json::array())
      for (const auto& e : at(n, "earfcns").is_array() ? at(n, "earfcns") : json::array())
        if (e.is_number_integer()) eutran.insert(e.get<long long>());
  if (!eutran.empty()) r.row("E-UTRAN (SI2quater)", value_text(json(std::vector<long long>(eutran.begin(), eutran.end()))));
  r.more = true;
  r.sub("identity");
  r.row("band", field(c, "band"));
  r.row("MCC / MNC", field(c, "mcc") + (c.contains("mnc") ? " / " + field(c, "mnc") : ""));
  r.sub("access");
  if (c.contains("access_classes_barred")) r.row("access classes barred", list_text(c["access_classes_barred"]));
  r.row("MS-TXPWR-MAX-CCH", field(c, "ms_txpwr_max_cch"));
  if (c.contains("cbq")) r.row("CBQ", field(c, "cbq"));
  if (c.contains("att")) r.row("IMSI attach/detach", yes_no(c["att"]));
  if (c.contains("max_retrans")) r.row("RACH max retransmissions", field(c, "max_retrans"));
  r.sub("control channel");
  r.row("CCCH-CONF", field(c, "ccch_conf"));
  r.row("BS-AG-BLKS-RES", field(c, "bs_ag_blks_res"));
  r.row("BS-PA-MFRMS", field(c, "bs_pa_mfrms"));
  if (c.contains("gprs")) r.row("GPRS", yes_no(c["gprs"]));
  r.row("RAC", field(c, "rac"));
  r.row("network mode of operation", field(c, "nmo"));
  r.sub("neighbours");
  if (c.contains("ncc_permitted")) r.row("NCC permitted", field(c, "ncc_permitted"));
  if (c.contains("cell_allocation")) r.row("cell allocation (SI1)", list_text(c["cell_allocation"]));
  r.sub("traffic seen");
  if (c.contains("si_seen")) r.row("System Information seen", value_text(c["si_seen"]));
  const json& pg = at(c, "paging");
  if (pg.is_object()) r.row("paging messages", field(pg, "messages") + (pg.contains("distinct") ? " (" + field(pg, "distinct") + " distinct identities)" : ""));
  const json& ia = at(c, "immediate_assignment");
  if (ia.is_object()) r.row("immediate assignments", field(ia, "count") + " (" + field(ia, "reject") + " rejects)");
  if (auto v = int_at(c, "si_changes"); v && *v > 0) r.row("parameter changes", std::to_string(*v));
}

void lte_rows(Rows& r, const json& c) {
  r.sub("identity");
  std::string ch = field(c, "earfcn");
  if (auto f = num_at(c, "freq_hz")) ch += " &#183; " + num(*f / 1e6, 1) + " MHz";
  r.row("EARFCN", ch);
  r.row("PCI", field(c, "pci"));
  r.row("TAC", field(c, "tac"));
  if (auto e = int_at(c, "cell_identity"))
    // 36.300 8.2 / 36.413 9.2.1.38: a macro eNB's 20-bit id and the 8-bit cell of the 28-bit ECI.
    r.row("ECI", std::to_string(*e) + " (eNB " + std::to_string(*e >> 8) + ", cell " + std::to_string(*e & 0xff) + ")");
  if (auto b = int_at(c, "bandwidth_prb")) r.row("bandwidth", std::to_string(*b) + " PRB");
  r.sub("signal");
  signal_rows(r, c);
  r.sub("access and reselection");
  if (c.contains("cell_barred")) r.row("cell barred", yes_no(c["cell_barred"]));
  if (auto v = num_at(c, "q_rx_lev_min_dbm")) r.row("q-RxLevMin", num(*v, 0) + " dBm");
  const json& s3 = at(c, "sib3");
  if (s3.is_object()) {
    r.row("priority", field(s3, "cell_reselection_priority"));
    if (auto v = num_at(s3, "q_hyst_db")) r.row("q-Hyst", num(*v, 0) + " dB");
    if (auto v = num_at(s3, "s_intra_search")) r.row("s-IntraSearch", num(*v, 0) + " dB");
    if (auto v = num_at(s3, "s_non_intra_search")) r.row("s-NonIntraSearch", num(*v, 0) + " dB");
    if (auto v = num_at(s3, "thresh_serving_low")) r.row("threshServingLow", num(*v, 0) + " dB");
    if (auto v = num_at(s3, "t_reselection_eutra_s")) r.row("t-ReselectionEUTRA", num(*v, 0) + " s");
  }
  r.sub("neighbours");
  const json& s4 = at(c, "sib4");
  if (s4.is_object()) {
    std::string n;
    for (const auto& x : at(s4, "neighbours").is_array() ? at(s4, "neighbours") : json::array())
      n += (n.empty() ? "" : ", ") + field(x, "pci");
    r.row("intra-frequency PCIs (SIB4)", n.empty() ? "none" : n);
    if (const json& b = at(s4, "black_list"); b.is_array() && !b.empty()) r.row("black list (SIB4)", value_text(b));
  } else {
    r.row("intra-frequency PCIs (SIB4)", "not received");
  }
  const json& s5 = at(c, "sib5");
  if (s5.is_object()) {
    std::string n;
    for (const auto& x : at(s5, "carriers").is_array() ? at(s5, "carriers") : json::array()) {
      n += (n.empty() ? "" : "; ") + std::string("EARFCN ") + field(x, "earfcn");
      if (x.contains("priority") && !x["priority"].is_null()) n += " (priority " + field(x, "priority") + ")";
    }
    r.row("inter-frequency carriers (SIB5)", n.empty() ? "none" : n);
  } else {
    r.row("inter-frequency carriers (SIB5)", "not received");
  }
  const json& s7 = at(c, "sib7");
  if (s7.is_object()) {
    std::string n;
    for (const auto& x : at(s7, "carrier_sets").is_array() ? at(s7, "carrier_sets") : json::array())
      n += (n.empty() ? "" : "; ") + list_text(at(x, "arfcns")) +
           (x.contains("priority") && !x["priority"].is_null() ? " (priority " + field(x, "priority") + ")" : "");
    r.row("GERAN ARFCNs (SIB7)", n.empty() ? "none" : n);
  }
  r.more = true;
  r.sub("identity");
  r.row("band", field(c, "band"));
  r.row("MCC / MNC", field(c, "mcc") + (c.contains("mnc") ? " / " + field(c, "mnc") : ""));
  if (const json& p = at(c, "plmns"); p.is_array() && p.size() > 1) r.row("PLMNs", value_text(p));
  r.row("duplex / CP", field(c, "duplex") + (c.contains("cp") ? " / " + field(c, "cp") : ""));
  r.row("antenna ports", field(c, "ports"));
  r.sub("access (SIB1)");
  if (c.contains("intra_freq_reselection")) r.row("intra-frequency reselection", yes_no(c["intra_freq_reselection"]));
  if (c.contains("csg_indication")) r.row("CSG", yes_no(c["csg_indication"]));
  if (auto v = num_at(c, "p_max_dbm")) r.row("p-Max", num(*v, 0) + " dBm");
  r.row("SI value tag", field(c, "si_value_tag"));
  const json& s2 = at(c, "sib2");
  if (s2.is_object()) {
    r.sub("timers and radio (SIB2)");
    std::string t;
    for (const char* k : {"t300_ms", "t301_ms", "t310_ms", "t311_ms"})
      if (s2.contains(k)) t += (t.empty() ? "" : ", ") + esc(std::string(k).substr(0, 4)) + " " + field(s2, k) + " ms";
    r.row("RRC timers", t);
    if (s2.contains("n310")) r.row("N310 / N311", field(s2, "n310") + " / " + field(s2, "n311"));
    if (s2.contains("default_paging_cycle_rf")) r.row("paging cycle", field(s2, "default_paging_cycle_rf") + " frames");
    if (auto v = num_at(s2, "reference_signal_power_dbm")) r.row("reference signal power", num(*v, 0) + " dBm");
    r.row("access barring", s2.contains("ac_barring") && !s2["ac_barring"].is_null() ? value_text(s2["ac_barring"]) : "none");
    if (s2.contains("ul_earfcn") && !s2["ul_earfcn"].is_null()) r.row("UL EARFCN", field(s2, "ul_earfcn"));
  }
  const json& s6 = at(c, "sib6");
  if (s6.is_object()) {
    r.sub("neighbours");
    std::string n;
    for (const auto& x : at(s6, "utra_fdd").is_array() ? at(s6, "utra_fdd") : json::array())
      n += (n.empty() ? "" : ", ") + field(x, "uarfcn");
    r.row("UTRA FDD carriers (SIB6)", n.empty() ? "none" : n);
  }
  r.sub("traffic seen");
  if (c.contains("sibs_seen")) r.row("SIBs seen", value_text(c["sibs_seen"]));
  if (c.contains("sib1_error")) r.row("SIB1", field(c, "sib1_error"));
}

std::string band_of(const json& c) {
  auto b = str_at(c, "band");
  return b && !b->empty() ? *b : std::string("band unknown");
}

}  // namespace

void cells_section(std::string& h, const ReportData& d) {
  h += "<h2 id=\"cells\">Cells by operator and band</h2>\n";
  if (d.cells.empty()) {
    h += "<p>No cell decoded.</p>\n";
    return;
  }
  const auto alerted = alerted_cells(d);
  // operator (PLMN; "" sorts first and is named "PLMN unknown") -> "RAT band" -> cell indexes by channel.
  std::map<std::string, std::map<std::string, std::vector<std::size_t>>> groups;
  for (std::size_t i = 0; i < d.cells.size(); ++i) {
    const CellId id = cell_id(d.cells[i]);
    groups[id.plmn][id.rat + " " + band_of(d.cells[i])].push_back(i);
  }
  for (auto& [plmn, bands] : groups) {
    std::size_t n = 0, alerts = 0;
    std::optional<std::string> name;
    for (auto& [band, idx] : bands) {
      std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
        return cell_id(d.cells[a]).channel < cell_id(d.cells[b]).channel;
      });
      n += idx.size();
      for (auto i : idx) {
        alerts += is_alerted(alerted, cell_id(d.cells[i])) ? 1 : 0;
        if (!name) name = operator_name(d, d.cells[i]);
      }
    }
    h += "<h3>" + (plmn.empty() ? std::string("PLMN unknown (no SI3/SIB1 decoded)") : "MCC-MNC " + esc(plmn)) +
         (name ? " &#183; " + esc(*name) : std::string()) + " <span class=\"small\">" +
         std::to_string(n) + (n == 1 ? " cell" : " cells") +
         (alerts ? ", " + std::to_string(alerts) + (alerts == 1 ? " alert" : " alerts") : std::string()) + "</span></h3>\n";
    for (const auto& [band, idx] : bands) {
      h += "<h4>" + esc(band) + " <span class=\"small\">" + std::to_string(idx.size()) +
           (idx.size() == 1 ? " cell" : " cells") + "</span></h4>\n<div class=\"cards\">\n";
      for (auto i : idx) {
        const json& c = d.cells[i];
        const CellId id = cell_id(c);
        const bool bad = is_alerted(alerted, id);
        const bool lte = id.rat == "LTE";
        h += std::string("<article class=\"card cell") + (bad ? " alerted" : "") + "\" id=\"c" + std::to_string(i) + "\">\n<h5>" +
             esc(cell_label(id));
        if (auto v = int_at(c, lte ? "cell_identity" : "ci")) h += std::string(lte ? " &#183; ECI " : " &#183; CI ") + std::to_string(*v);
        if (bad) h += " <span class=\"tag red\">ALERT</span>";
        if (at(c, "cell_barred").is_boolean() && at(c, "cell_barred").get<bool>()) h += " <span class=\"tag\">barred</span>";
        h += "</h5>\n<dl class=\"kv\">";
        Rows r;
        if (lte) lte_rows(r, c);
        else gsm_rows(r, c);
        const std::string more = without_empty_sections(r.m);
        h += without_empty_sections(r.h) + "</dl>\n";
        if (!more.empty()) h += "<details><summary>more parameters</summary><dl class=\"kv\">" + more + "</dl></details>\n";
        h += "<details><summary>raw record (JSON)</summary><pre>" +
             esc(c.dump(1, ' ', false, json::error_handler_t::replace)) + "</pre></details>\n</article>\n";
      }
      h += "</div>\n";
    }
  }
}

}  // namespace tw::output::report
