#include "src/gsm/message_json.hpp"

namespace tw::gsm {
namespace {

using nlohmann::json;

template <class T>
void put_opt(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

json lai_json(const Lai& lai, json& j) {
  j["mcc"] = lai.mcc;
  j["mnc"] = lai.mnc_string();
  j["lac"] = lai.lac;
  return j;
}

json rach_json(const RachControl& r) {
  return {{"max_retrans", r.max_retransmissions()}, {"tx_integer", r.tx_integer_slots()},
          {"cell_bar_access", r.cell_bar_access}, {"re", r.re}, {"ec", r.ec},
          {"access_classes_barred", r.access_classes_barred}};
}

json cell_selection_json(const CellSelectionParameters& c) {
  return {{"cell_reselect_hysteresis", c.cell_reselect_hysteresis}, {"ms_txpwr_max_cch", c.ms_txpwr_max_cch},
          {"acs", c.acs}, {"neci", c.neci}, {"rxlev_access_min", c.rxlev_access_min}};
}

void selection_json(json& j, const std::optional<SelectionParameters>& s) {
  if (!s) return;
  j["cbq"] = s->cbq;
  j["cro"] = s->cell_reselect_offset;
  j["temporary_offset"] = s->temporary_offset;
  j["penalty_time"] = s->penalty_time;
}

void gprs_json(json& j, const std::optional<GprsIndicator>& g) {
  if (!g) return;
  j["gprs"] = {{"ra_colour", g->ra_colour}, {"si13_position", g->si13_position}};
}

json channel_json(const ChannelDescription& c) {
  json j{{"channel_type", c.channel_type}, {"subchannel", c.subchannel}, {"tn", c.tn}, {"tsc", c.tsc},
         {"hopping", c.hopping}};
  if (c.hopping) {
    j["maio"] = c.maio;
    if (!c.indirect_hopping) j["hsn"] = c.hsn;
  } else {
    j["arfcn"] = c.arfcn;
  }
  return j;
}

json request_json(const RequestReference& r) {
  return {{"ra", r.ra}, {"t1_prime", r.t1_prime}, {"t3", r.t3}, {"t2", r.t2}, {"rfn", r.rfn()}};
}

json neighbours_json(const NeighbourCells& n, bool ncd2) {
  json j{{"ba_ind", n.ba_ind}, {"format", frequency_list_format_name(n.format)}, {"arfcns", n.arfcns}};
  if (ncd2) {
    j["multiband_reporting"] = n.multiband_reporting;
  } else {
    j["ext_ind"] = n.ext_ind;
  }
  return j;
}

struct ContentVisitor {
  json& j;
  MessageKind kind;

  void operator()(const std::monostate&) const {}
  void operator()(const Si1& s) const {
    j["format"] = frequency_list_format_name(s.format);
    j["cell_arfcns"] = s.cell_arfcns;
    j["rach"] = rach_json(s.rach);
    put_opt(j, "nch_position", s.nch_position);
    j["band_indicator"] = s.band_indicator_1900 ? "1900" : "1800";
  }
  void operator()(const Si2& s) const {
    j["neighbors"] = s.neighbours.arfcns;
    j["neighbour_cell_description"] = neighbours_json(s.neighbours, false);
    put_opt(j, "ncc_permitted", s.ncc_permitted);
    j["rach"] = rach_json(s.rach);
  }
  void operator()(const Si2ter& s) const {
    j["neighbors"] = s.neighbours.arfcns;
    j["neighbour_cell_description"] = neighbours_json(s.neighbours, true);
    if (s.rest_present) {
      j["mp_change_mark"] = s.mp_change_mark;
      j["3g_change_mark"] = s.change_mark_3g;
      j["si2ter_index"] = s.index;
      j["si2ter_count"] = s.count;
      put_opt(j, "utran_fdd_arfcn", s.utran_fdd_arfcn);
      put_opt(j, "utran_tdd_arfcn", s.utran_tdd_arfcn);
    }
  }
  void operator()(const Si2quater& s) const {
    j["ba_ind"] = s.ba_ind;
    j["3g_ba_ind"] = s.ba_ind_3g;
    j["mp_change_mark"] = s.mp_change_mark;
    j["si2quater_index"] = s.index;
    j["si2quater_count"] = s.count;
    auto utran = [](const std::vector<UtranNeighbour>& v) {
      json a = json::array();
      for (const auto& n : v) a.push_back({{"uarfcn", n.uarfcn}, {"nr_of_cells", n.nr_of_cells}, {"indic0", n.indic0}});
      return a;
    };
    if (!s.utran_fdd.empty()) j["utran_fdd"] = utran(s.utran_fdd);
    if (!s.utran_tdd.empty()) j["utran_tdd"] = utran(s.utran_tdd);
    if (s.serving_priority) {
      const auto& p = *s.serving_priority;
      j["serving_priority"] = {{"geran_priority", p.geran_priority},
                               {"thresh_priority_search", p.thresh_priority_search},
                               {"thresh_gsm_low", p.thresh_gsm_low}, {"h_prio", p.h_prio},
                               {"t_reselection", p.t_reselection}};
    }
    if (s.priority_3g_present) {
      json p;
      put_opt(p, "default_utran_priority", s.default_utran_priority);
      put_opt(p, "default_thresh_utran", s.default_thresh_utran);
      put_opt(p, "default_utran_qrxlevmin", s.default_utran_qrxlevmin);
      json rep = json::array();
      for (const auto& u : s.utran_priorities) {
        json e{{"utran_frequency_index", u.frequency_indices}, {"thresh_utran_high", u.thresh_high}};
        put_opt(e, "utran_priority", u.priority);
        put_opt(e, "thresh_utran_low", u.thresh_low);
        put_opt(e, "utran_qrxlevmin", u.qrxlevmin);
        rep.push_back(std::move(e));
      }
      p["utran"] = std::move(rep);
      j["3g_priority"] = std::move(p);
    }
    if (s.eutran_present) {
      json e = json::array();
      for (const auto& n : s.eutran_neighbours) {
        json x{{"earfcns", n.earfcns}, {"thresh_eutran_high", n.thresh_high}};
        put_opt(x, "eutran_priority", n.priority);
        put_opt(x, "thresh_eutran_low", n.thresh_low);
        put_opt(x, "eutran_qrxlevmin", n.qrxlevmin);
        e.push_back(std::move(x));
      }
      j["eutran"] = {{"ccn_active", s.eutran_ccn_active}, {"neighbours", std::move(e)}};
    }
  }
  void operator()(const Si3& s) const {
    j["ci"] = s.ci;
    lai_json(s.lai, j);
    j["mscr"] = s.ccd.mscr;
    j["att"] = s.ccd.att;
    j["bs_ag_blks_res"] = s.ccd.bs_ag_blks_res;
    j["ccch_conf"] = s.ccd.ccch_conf;
    j["bs_pa_mfrms"] = s.ccd.bs_pa_mfrms;
    j["t3212"] = s.ccd.t3212;
    j["cbq3"] = s.ccd.cbq3;
    j["dtx"] = s.cell_options.dtx;
    j["pwrc"] = s.cell_options.pwrc;
    j["radio_link_timeout"] = (s.cell_options.radio_link_timeout + 1) * 4;
    j["cell_selection"] = cell_selection_json(s.cell_selection);
    j["rach"] = rach_json(s.rach);
    const auto& ro = s.rest;
    selection_json(j, ro.selection);
    put_opt(j, "power_offset", ro.power_offset);
    j["si2ter_indicator"] = ro.si2ter_indicator;
    j["early_classmark_sending"] = ro.early_classmark_sending;
    put_opt(j, "where", ro.where);
    gprs_json(j, ro.gprs);
    j["3g_early_classmark_sending_restriction"] = ro.early_classmark_3g_restriction;
    put_opt(j, "si2quater_position", ro.si2quater_position);
    put_opt(j, "si13alt_position", ro.si13alt_position);
    put_opt(j, "si21_position", ro.si21_position);
  }
  void operator()(const Si4& s) const {
    lai_json(s.lai, j);
    j["cell_selection"] = cell_selection_json(s.cell_selection);
    j["rach"] = rach_json(s.rach);
    if (s.cbch) j["cbch"] = channel_json(*s.cbch);
    if (s.cbch_mobile_allocation) j["cbch_mobile_allocation_length"] = s.cbch_mobile_allocation->size();
    selection_json(j, s.selection);
    put_opt(j, "power_offset", s.power_offset);
    gprs_json(j, s.gprs);
  }
  void operator()(const Si13& s) const {
    j["rest_present"] = s.rest_present;
    if (!s.rest_present) return;
    j["bcch_change_mark"] = s.bcch_change_mark;
    j["si_change_field"] = s.si_change_field;
    put_opt(j, "si13_change_mark", s.si13_change_mark);
    j["pbcch_present"] = s.pbcch_present;
    if (!s.pbcch_present) {
      j["rac"] = s.rac;
      j["spgc_ccch_sup"] = s.spgc_ccch_sup;
      j["priority_access_thr"] = s.priority_access_thr;
      j["network_control_order"] = s.network_control_order;
      j["nmo"] = s.nmo;
      j["t3168"] = s.t3168;
      j["t3192"] = s.t3192;
      j["drx_timer_max"] = s.drx_timer_max;
      j["access_burst_type"] = s.access_burst_type;
      j["control_ack_type"] = s.control_ack_type;
      j["bs_cv_max"] = s.bs_cv_max;
      j["alpha"] = s.alpha;
    }
    put_opt(j, "sgsnr", s.sgsnr);
  }
  void operator()(const PagingSummary& p) const {
    j["page_mode"] = p.page_mode;
    j["channel_needed"] = p.channel_needed;
    json counts{{"imsi", p.imsi}, {"tmsi", p.tmsi}, {"imei", p.imei}, {"none", p.none}, {"other", p.other}};
    j["paging"] = std::move(counts);
    if (!p.identities.empty()) {
      json ids = json::array();
      for (const auto& id : p.identities) ids.push_back({{"type", identity_type_name(id.type)}, {"value", id.value}});
      j["identities"] = std::move(ids);
    }
  }
  void operator()(const ImmediateAssignmentInfo& ia) const {
    j["page_mode"] = ia.page_mode;
    if (kind == MessageKind::immediate_assignment) {
      j["assignment"] = ia.tbf ? "tbf" : "dedicated";
      if (ia.tbf) j["downlink"] = ia.downlink;
    }
    json a = json::array();
    for (const auto& x : ia.assignments) {
      a.push_back({{"channel", channel_json(x.channel)}, {"request_reference", request_json(x.request)},
                   {"timing_advance", x.timing_advance}});
    }
    j["assignments"] = std::move(a);
    j["mobile_allocation_length"] = ia.mobile_allocation_length;
    if (ia.starting_time) j["starting_time_rfn"] = ia.starting_time->rfn();
  }
  void operator()(const ImmediateAssignmentReject& r) const {
    j["page_mode"] = r.page_mode;
    json a = json::array();
    for (const auto& e : r.entries) {
      a.push_back({{"request_reference", request_json(e.request)}, {"wait_indication", e.wait_indication}});
    }
    j["rejects"] = std::move(a);
  }
};

}  // namespace

nlohmann::json to_json(const ParsedMessage& m) {
  json j;
  j["message"] = m.name;
  j["ok"] = m.ok;
  if (!m.ok) j["error"] = m.error;
  if (!m.warnings.empty()) j["warnings"] = m.warnings;
  if (m.kind != MessageKind::l2_fill) j["message_type"] = m.message_type;
  std::visit(ContentVisitor{j, m.kind}, m.content);
  return j;
}

}  // namespace tw::gsm
