// SYSTEM INFORMATION TYPE 2quater, 3GPP TS 44.018 clause 9.1.34a; SI 2quater Rest Octets 10.5.2.33b.
// The UTRAN FDD neighbours and the Rel-8 Priority and E-UTRAN Parameters Description, in one instance
// or spread over several (SI2quater_INDEX / SI2quater_COUNT).
#include <set>
#include <string>
#include <stdexcept>
#include <tuple>

#include "tools/synth/l3/ie_common.hpp"

namespace tw::synth::l3 {
namespace {

// < UTRAN FDD Description > ::= { 0 | 1 <Bandwidth_FDD : bit(3)> } { 1 <Repeated UTRAN FDD Neighbour Cells> } ** 0
// < Repeated UTRAN FDD Neighbour Cells > ::= 0 <FDD-ARFCN : bit(14)> <FDD_Indic0 : bit>
//     <NR_OF_FDD_CELLS : bit(5)> <FDD_CELL_INFORMATION Field : bit(p(NR_OF_FDD_CELLS))>
// The FDD_CELL_INFORMATION values (scrambling code in bits 9..1, diversity bit 10 = 0 here) are coded
// with the range 1024 algorithm of Annex J: value 0 goes in FDD_Indic0, the others as W(1..n) with the
// range 1024 field widths (10, 9, 9, 8 ...), so p(n) is the sum of those widths (9.1.54 table).
void put_utran_fdd(detail::BitWriter& w, const std::vector<UtranFddNeighbour>& cells) {
  w.put(0, 1);  // no Bandwidth_FDD
  for (const auto& n : cells) {
    detail::check_range("SI2quater", "uarfcn", n.uarfcn, 0, 16383);
    std::set<int> codes;
    for (int sc : n.scrambling_codes) {
      detail::check_range("SI2quater", "scrambling code", sc, 0, 511);
      codes.insert(sc);
    }
    const bool indic0 = codes.count(0) != 0;
    std::vector<int> set;
    for (int sc : codes) {
      if (sc != 0) set.push_back(sc - 1);
    }
    const auto wv = detail::annex_j_encode(set, 1023);
    const int nr = static_cast<int>(wv.size()) - 1;
    if (nr > 16) throw std::invalid_argument("SI2quater: more than 16 scrambling codes on one UARFCN");
    w.put(1, 1);
    w.put(0, 1);
    w.put(static_cast<std::uint32_t>(n.uarfcn), 14);
    w.bit(indic0);
    w.put(static_cast<std::uint32_t>(nr), 5);
    for (int k = 1; k <= nr; ++k) w.put(static_cast<std::uint32_t>(wv[static_cast<std::size_t>(k)]), detail::w_width(10, k));
  }
  w.put(0, 1);
}

// < Repeated E-UTRAN Neighbour Cells > ::= { 1 <EARFCN : bit(16)> { 0 | 1 <Measurement Bandwidth : bit(3)> } } ** 0
//   { 0 | 1 <E-UTRAN_PRIORITY : bit(3)> } <THRESH_E-UTRAN_high : bit(5)>
//   { 0 | 1 <THRESH_E-UTRAN_low : bit(5)> } { 0 | 1 <E-UTRAN_QRXLEVMIN : bit(5)> }
// EARFCNs with the same parameters share one group. THRESH_E-UTRAN_low is left out when it equals
// THRESH_E-UTRAN_high, E-UTRAN_QRXLEVMIN when 0: the defaults the receiver uses when absent.
void put_eutran_neighbours(detail::BitWriter& w, const std::vector<EutranNeighbour>& cells) {
  using Key = std::tuple<int, int, int, int>;
  std::vector<std::pair<Key, std::vector<int>>> groups;
  for (const auto& e : cells) {
    detail::check_range("SI2quater", "earfcn", e.earfcn, 0, 65535);
    detail::check_range("SI2quater", "E-UTRAN priority", e.priority, 0, 7);
    detail::check_range("SI2quater", "thresh_high", e.thresh_high, 0, 31);
    detail::check_range("SI2quater", "thresh_low", e.thresh_low, 0, 31);
    detail::check_range("SI2quater", "qrxlevmin", e.qrxlevmin, 0, 31);
    const Key k{e.priority, e.thresh_high, e.thresh_low, e.qrxlevmin};
    bool found = false;
    for (auto& g : groups) {
      if (g.first == k) {
        g.second.push_back(e.earfcn);
        found = true;
      }
    }
    if (!found) groups.push_back({k, {e.earfcn}});
  }
  for (const auto& [k, earfcns] : groups) {
    const auto [prio, high, low, qrx] = k;
    w.put(1, 1);
    for (int earfcn : earfcns) {
      w.put(1, 1);
      w.put(static_cast<std::uint32_t>(earfcn), 16);
      w.put(0, 1);  // no Measurement Bandwidth
    }
    w.put(0, 1);
    w.put(1, 1);
    w.put(static_cast<std::uint32_t>(prio), 3);
    w.put(static_cast<std::uint32_t>(high), 5);
    if (low != high) {
      w.put(1, 1);
      w.put(static_cast<std::uint32_t>(low), 5);
    } else {
      w.put(0, 1);
    }
    if (qrx != 0) {
      w.put(1, 1);
      w.put(static_cast<std::uint32_t>(qrx), 5);
    } else {
      w.put(0, 1);
    }
  }
  w.put(0, 1);
}

// What one SI2quater instance carries.
struct Instance {
  std::vector<UtranFddNeighbour> utran;
  int index_start_3g = 0;           // index of its first UTRAN cell in the whole 3G neighbour list
  std::vector<EutranNeighbour> eutran;
  bool eutran_start = true, eutran_stop = true;
  bool serving_priority = true;     // Serving Cell Priority Parameters (in instance 0 only)
};

int utran_cell_count(const UtranFddNeighbour& n) {
  return static_cast<int>(std::set<int>(n.scrambling_codes.begin(), n.scrambling_codes.end()).size());
}

L2Block encode_instance(const CellConfig& cell, int index, int count, const Instance& in) {
  const auto& q = cell.si2quater;
  // L2 pseudo length 1, as for the other messages that a phase 1 mobile ignores (SI9, SI16..SI20)
  L2Block b = detail::start_block(1, 0x07);
  detail::BitWriter w(b.data() + 3, 20, "SI2quater rest octets");
  w.bit(cell.ba_ind);  // BA_IND
  w.put(0, 1);         // 3G_BA_IND
  w.put(0, 1);         // MP_CHANGE_MARK
  w.put(static_cast<std::uint32_t>(index), 4);  // SI2quater_INDEX
  w.put(static_cast<std::uint32_t>(count), 4);  // SI2quater_COUNT
  w.put(0, 1);         // no Measurement_Parameters Description
  w.put(0, 1);         // no GPRS_Real Time Difference Description
  w.put(0, 1);         // no GPRS_BSIC Description
  w.put(0, 1);         // no GPRS_REPORT PRIORITY Description
  w.put(0, 1);         // no GPRS_MEASUREMENT_Parameters Description
  w.put(0, 1);         // no NC Measurement Parameters
  w.put(0, 1);         // no SI2q Extension Information
  if (!in.utran.empty()) {  // 3G Neighbour Cell Description
    w.put(1, 1);
    if (in.index_start_3g > 0) {  // Index_Start_3G (absent: 0)
      w.put(1, 1);
      w.put(static_cast<std::uint32_t>(in.index_start_3g), 7);
    } else {
      w.put(0, 1);
    }
    w.put(0, 1);       // no Absolute_Index_Start_EMR
    w.put(1, 1);       // UTRAN FDD Description
    put_utran_fdd(w, in.utran);
    w.put(0, 1);       // no UTRAN TDD Description
  } else {
    w.put(0, 1);
  }
  w.put(0, 1);         // no 3G Measurement Parameters Description
  w.put(0, 1);         // no GPRS_3G_MEASUREMENT Parameters Description
  w.H();               // Additions in Rel-5:
  w.put(0, 1);         //   no 3G Additional Measurement Parameters Description
  w.put(0, 1);         //   no 3G ADDITIONAL MEASUREMENT Parameters Description 2
  w.H();               // Additions in Rel-6:
  w.put(0, 1);         //   3G_CCN_ACTIVE
  w.H();               // Additions in Rel-7:
  w.put(0, 1);         //   no 700_REPORTING
  w.put(0, 1);         //   no 810_REPORTING
  w.H();               // Additions in Rel-8:
  if (in.serving_priority || !in.eutran.empty()) {
    w.put(1, 1);       //   Priority and E-UTRAN Parameters Description
    if (in.serving_priority) {
      w.put(1, 1);     //     Serving Cell Priority Parameters Description
      w.put(static_cast<std::uint32_t>(q.geran_priority), 3);
      w.put(static_cast<std::uint32_t>(q.thresh_prio_search), 4);
      w.put(static_cast<std::uint32_t>(q.thresh_gsm_low), 4);
      w.put(static_cast<std::uint32_t>(q.h_prio), 2);
      w.put(static_cast<std::uint32_t>(q.t_reselection), 2);
    } else {
      w.put(0, 1);
    }
    w.put(0, 1);       //     no 3G Priority Parameters Description
    if (!in.eutran.empty()) {
      w.put(1, 1);     //     E-UTRAN Parameters Description
      w.put(0, 1);     //       E-UTRAN_CCN_ACTIVE
      w.bit(in.eutran_start);  // E-UTRAN_Start: first instance carrying E-UTRAN parameters
      w.bit(in.eutran_stop);   // E-UTRAN_Stop: last instance carrying them
      w.put(0, 1);     //       no E-UTRAN Measurement Parameters Description
      w.put(0, 1);     //       no GPRS E-UTRAN Measurement Parameters Description
      put_eutran_neighbours(w, in.eutran);
      w.put(0, 1);     //       no Repeated E-UTRAN Not Allowed Cells
      w.put(0, 1);     //       no Repeated E-UTRAN PCID to TA mapping
    } else {
      w.put(0, 1);
    }
  } else {
    w.put(0, 1);
  }
  w.put(0, 1);         //   no 3G CSG Description
  w.put(0, 1);         //   no E-UTRAN CSG Description
  // Additions in Rel-9 and later: L (spare padding)
  return b;
}

void check_priorities(const Si2quaterConfig& q) {
  detail::check_range("SI2quater", "geran_priority", q.geran_priority, 0, 7);
  detail::check_range("SI2quater", "thresh_prio_search", q.thresh_prio_search, 0, 15);
  detail::check_range("SI2quater", "thresh_gsm_low", q.thresh_gsm_low, 0, 15);
  detail::check_range("SI2quater", "h_prio", q.h_prio, 0, 3);
  detail::check_range("SI2quater", "t_reselection", q.t_reselection, 0, 3);
}

}  // namespace

L2Block encode_si2quater(const CellConfig& cell) {
  check_priorities(cell.si2quater);
  Instance in;
  in.utran = cell.si2quater.utran_fdd;
  in.eutran = cell.si2quater.eutran;
  return encode_instance(cell, 0, 0, in);
}

// 44.018 3.2.2.1 / 10.5.2.33b: the neighbours are spread over SI2quater_COUNT + 1 instances, filled in
// order; Index_Start_3G continues the 3G neighbour list, E-UTRAN_Start/Stop mark the first and last
// instance with E-UTRAN neighbours, the serving cell priorities go in instance 0.
std::vector<L2Block> encode_si2quater_instances(const CellConfig& cell) {
  check_priorities(cell.si2quater);
  std::vector<Instance> done;
  Instance cur;
  int cells_before = 0;  // UTRAN cells in closed instances
  auto fits = [&](const Instance& in) {
    try {
      encode_instance(cell, 0, 0, in);
      return true;
    } catch (const std::invalid_argument& e) {
      if (std::string(e.what()).find("does not fit") == std::string::npos) throw;  // a bad value
      return false;
    }
  };
  auto close = [&]() {
    for (const auto& u : cur.utran) cells_before += utran_cell_count(u);
    done.push_back(cur);
    cur = Instance{};
    cur.serving_priority = false;
    cur.index_start_3g = cells_before;
  };
  auto add = [&](auto member, const auto& item) {
    Instance trial = cur;
    (trial.*member).push_back(item);
    if (!fits(trial)) {
      const bool was_empty = cur.utran.empty() && cur.eutran.empty();
      if (was_empty) throw std::invalid_argument("SI2quater: one neighbour entry does not fit in an instance");
      close();
      trial = cur;
      (trial.*member).push_back(item);
      if (!fits(trial)) throw std::invalid_argument("SI2quater: one neighbour entry does not fit in an instance");
    }
    cur = trial;
  };
  for (const auto& u : cell.si2quater.utran_fdd) add(&Instance::utran, u);
  for (const auto& e : cell.si2quater.eutran) add(&Instance::eutran, e);
  done.push_back(cur);
  if (done.size() > 16) throw std::invalid_argument("SI2quater: more than 16 instances needed");
  int first_e = -1, last_e = -1;
  for (int i = 0; i < static_cast<int>(done.size()); ++i) {
    if (!done[static_cast<std::size_t>(i)].eutran.empty()) {
      if (first_e < 0) first_e = i;
      last_e = i;
    }
  }
  std::vector<L2Block> out;
  const int count = static_cast<int>(done.size()) - 1;
  for (int i = 0; i <= count; ++i) {
    auto& in = done[static_cast<std::size_t>(i)];
    in.eutran_start = i == first_e;
    in.eutran_stop = i == last_e;
    out.push_back(encode_instance(cell, i, count, in));
  }
  return out;
}

}  // namespace tw::synth::l3
