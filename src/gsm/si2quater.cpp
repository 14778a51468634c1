// TS 44.018 9.1.34a System Information Type 2quater (L2 pseudo length 1): SI2quater rest octets
// (10.5.2.33b, CSN.1): BA_IND, 3G_BA_IND, MP_CHANGE_MARK, index/count, 3G neighbour cell description
// (UTRAN FDD/TDD ARFCNs), and the Rel-8 Priority and E-UTRAN Parameters Description. The structures in
// between are walked (to find the position of what follows) but not kept. Parsing stops after the Rel-8
// priority block (3G CSG and later additions are not decoded).
#include "src/gsm/ie_common.hpp"

namespace tw::gsm::detail {
namespace {

// 9.1.54.1 table: number of bits of FDD_CELL_INFORMATION p(n) and TDD_CELL_INFORMATION q(n).
constexpr unsigned kFddCellInfoBits[17] = {0, 10, 19, 28, 36, 44, 52, 60, 67, 74, 81, 88, 95, 102, 109, 116, 122};
constexpr unsigned kTddCellInfoBits[21] = {0, 9, 17, 25, 32, 39, 46, 53, 59, 65, 71,
                                           77, 83, 89, 95, 101, 106, 111, 116, 121, 126};

void skip_if(BitReader& r, unsigned n, const char* field) {
  if (r.bit(field)) r.skip(n, field);
}

// < GPRS Real Time Difference Description struct >: two optional lists (RTD6, RTD12).
void skip_rtd(BitReader& r) {
  for (unsigned width : {6u, 12u}) {
    if (!r.bit("RTD list present")) continue;
    skip_if(r, 5, "BA_Index_Start_RTD");
    // <RTD struct> { 0 <RTD struct> } ** 1, each <RTD struct> ::= { 0 <RTD : bit(width)> } ** 1
    do {
      while (!r.bit("RTD terminator")) r.skip(width, "RTD");
    } while (!r.bit("RTD frequency terminator"));
  }
}

// < GPRS BSIC Description struct >
void skip_bsic(BitReader& r) {
  skip_if(r, 5, "BA_Index_Start_BSIC");
  r.skip(6, "BSIC");
  const unsigned n = r.bits(7, "Number_Remaining_BSIC");
  for (unsigned i = 0; i < n; ++i) r.skip(1 + 6, "Frequency_Scrolling/BSIC");
}

// < GPRS MEASUREMENT PARAMETERS Description struct >
void skip_gprs_measurement(BitReader& r) {
  r.skip(3, "REPORT_TYPE/REPORTING_RATE/INVALID_BSIC_REPORTING");
  skip_if(r, 2, "MULTIBAND_REPORTING");
  skip_if(r, 2, "SERVING_BAND_REPORTING");
  r.skip(2, "SCALE_ORD");
  for (int band = 0; band < 5; ++band) skip_if(r, 6, "REPORTING_OFFSET/THRESHOLD");
}

void read_utran_list(BitReader& r, std::vector<UtranNeighbour>& list, bool fdd) {
  // { 1 < Repeated UTRAN FDD/TDD Neighbour Cells > } ** 0
  while (r.bit("repeated UTRAN neighbour cells")) {
    if (r.bit("FDD/TDD-ARFCN form")) {
      throw tw::InputError("3G neighbour cell description: ARFCN index form '1' is not allowed");
    }
    UtranNeighbour n;
    n.uarfcn = static_cast<std::uint16_t>(r.bits(14, "UARFCN"));
    n.indic0 = r.bit("Indic0");
    n.nr_of_cells = static_cast<std::uint8_t>(r.bits(5, "NR_OF_CELLS"));
    const unsigned bits = fdd ? (n.nr_of_cells < 17 ? kFddCellInfoBits[n.nr_of_cells] : 0)
                              : (n.nr_of_cells < 21 ? kTddCellInfoBits[n.nr_of_cells] : 0);
    r.skip(bits, "CELL_INFORMATION field");
    list.push_back(n);
  }
}

// < 3G Neighbour Cell Description struct >
void read_3g_neighbours(BitReader& r, Si2quater& si) {
  skip_if(r, 7, "Index_Start_3G");
  skip_if(r, 7, "Absolute_Index_Start_EMR");
  if (r.bit("UTRAN FDD Description")) {
    if (r.bit("Bandwidth_FDD present")) si.bandwidth_fdd = static_cast<std::uint8_t>(r.bits(3, "Bandwidth_FDD"));
    read_utran_list(r, si.utran_fdd, true);
  }
  if (r.bit("UTRAN TDD Description")) {
    skip_if(r, 3, "Bandwidth_TDD");
    read_utran_list(r, si.utran_tdd, false);
  }
}

std::optional<std::uint8_t> opt_bits(BitReader& r, unsigned n, const char* field) {
  if (!r.bit(field)) return std::nullopt;
  return static_cast<std::uint8_t>(r.bits(n, field));
}

// < PCID Group IE > (44.060 12.57)
void skip_pcid_group(BitReader& r) {
  while (r.bit("PCID")) r.skip(9, "PCID");
  skip_if(r, 6, "PCID_BITMAP_GROUP");
  while (r.bit("PCID pattern")) {
    const unsigned len = r.bits(3, "PCID_Pattern_length");
    r.skip(len + 1 + 1, "PCID_Pattern/sense");
  }
}

// < E-UTRAN Measurement Parameters Description struct >
void skip_eutran_measurement(BitReader& r) {
  r.skip(4 + 1 + 2, "Qsearch_C_E-UTRAN_Initial/REP_QUANT/MULTIRAT_REPORTING");
  if (!r.bit("6/3 bit reporting")) {
    for (int i = 0; i < 2; ++i) {  // FDD, TDD
      if (r.bit("REPORTING_THRESHOLD present")) {
        r.skip(3, "REPORTING_THRESHOLD");
        skip_if(r, 6, "REPORTING_THRESHOLD_2");
        skip_if(r, 3, "REPORTING_OFFSET");
      }
    }
  } else {
    for (int i = 0; i < 2; ++i) {
      if (r.bit("MEASUREMENT_REPORT_OFFSET present")) {
        r.skip(6, "MEASUREMENT_REPORT_OFFSET");
        skip_if(r, 6, "REPORTING_THRESHOLD_2");
        skip_if(r, 3, "REPORTING_OFFSET");
      }
    }
    r.skip(1, "REPORTING_GRANULARITY");
  }
}

// < GPRS E-UTRAN Measurement Parameters Description struct >
void skip_gprs_eutran_measurement(BitReader& r) {
  r.skip(4 + 1 + 2, "Qsearch_P_E-UTRAN/REP_QUANT/MULTIRAT_REPORTING");
  for (int i = 0; i < 2; ++i) {
    if (r.bit("REPORTING_THRESHOLD present")) {
      r.skip(3, "REPORTING_THRESHOLD");
      skip_if(r, 6, "REPORTING_THRESHOLD_2");
      skip_if(r, 3, "REPORTING_OFFSET");
    }
  }
}

// < Priority and E-UTRAN Parameters Description struct >
void read_priority_eutran(BitReader& r, Si2quater& si) {
  if (r.bit("Serving Cell Priority Parameters")) {
    ServingCellPriority p;
    p.geran_priority = static_cast<std::uint8_t>(r.bits(3, "GERAN_PRIORITY"));
    p.thresh_priority_search = static_cast<std::uint8_t>(r.bits(4, "THRESH_Priority_Search"));
    p.thresh_gsm_low = static_cast<std::uint8_t>(r.bits(4, "THRESH_GSM_low"));
    p.h_prio = static_cast<std::uint8_t>(r.bits(2, "H_PRIO"));
    p.t_reselection = static_cast<std::uint8_t>(r.bits(2, "T_Reselection"));
    si.serving_priority = p;
  }
  if (r.bit("3G Priority Parameters")) {
    si.priority_3g_present = true;
    r.skip(2, "UTRAN_Start/UTRAN_Stop");
    if (r.bit("default UTRAN priority parameters")) {
      si.default_utran_priority = static_cast<std::uint8_t>(r.bits(3, "DEFAULT_UTRAN_PRIORITY"));
      si.default_thresh_utran = static_cast<std::uint8_t>(r.bits(5, "DEFAULT_THRESH_UTRAN"));
      si.default_utran_qrxlevmin = static_cast<std::uint8_t>(r.bits(5, "DEFAULT_UTRAN_QRXLEVMIN"));
    }
    while (r.bit("Repeated UTRAN Priority Parameters")) {
      UtranPriority p;
      while (r.bit("UTRAN_FREQUENCY_INDEX present")) {
        p.frequency_indices.push_back(static_cast<std::uint8_t>(r.bits(5, "UTRAN_FREQUENCY_INDEX")));
      }
      p.priority = opt_bits(r, 3, "UTRAN_PRIORITY");
      p.thresh_high = static_cast<std::uint8_t>(r.bits(5, "THRESH_UTRAN_high"));
      p.thresh_low = opt_bits(r, 5, "THRESH_UTRAN_low");
      p.qrxlevmin = opt_bits(r, 5, "UTRAN_QRXLEVMIN");
      si.utran_priorities.push_back(std::move(p));
    }
  }
  if (r.bit("E-UTRAN Parameters")) {
    si.eutran_present = true;
    si.eutran_ccn_active = r.bit("E-UTRAN_CCN_ACTIVE");
    r.skip(2, "E-UTRAN_Start/E-UTRAN_Stop");
    if (r.bit("E-UTRAN Measurement Parameters")) skip_eutran_measurement(r);
    if (r.bit("GPRS E-UTRAN Measurement Parameters")) skip_gprs_eutran_measurement(r);
    while (r.bit("Repeated E-UTRAN Neighbour Cells")) {
      EutranNeighbour n;
      while (r.bit("EARFCN present")) {
        n.earfcns.push_back(static_cast<std::uint16_t>(r.bits(16, "EARFCN")));
        n.measurement_bandwidth.push_back(opt_bits(r, 3, "Measurement Bandwidth"));
      }
      n.priority = opt_bits(r, 3, "E-UTRAN_PRIORITY");
      n.thresh_high = static_cast<std::uint8_t>(r.bits(5, "THRESH_E-UTRAN_high"));
      n.thresh_low = opt_bits(r, 5, "THRESH_E-UTRAN_low");
      n.qrxlevmin = opt_bits(r, 5, "E-UTRAN_QRXLEVMIN");
      si.eutran_neighbours.push_back(std::move(n));
    }
    // Not allowed cells and PCID to TA mapping follow; walked so a truncated list is detected.
    while (r.bit("Repeated E-UTRAN Not Allowed Cells")) {
      skip_pcid_group(r);
      while (r.bit("E-UTRAN_FREQUENCY_INDEX present")) r.skip(3, "E-UTRAN_FREQUENCY_INDEX");
    }
    while (r.bit("Repeated E-UTRAN PCID to TA mapping")) {
      while (r.bit("PCID to TA mapping")) skip_pcid_group(r);
      while (r.bit("E-UTRAN_FREQUENCY_INDEX present")) r.skip(3, "E-UTRAN_FREQUENCY_INDEX");
    }
  }
}

}  // namespace

void parse_si2quater(const L3Context& ctx, ParsedMessage& out) {
  Si2quater si;
  BitReader r(ctx.rest_from(3));
  si.ba_ind = r.bit("BA_IND");
  si.ba_ind_3g = r.bit("3G_BA_IND");
  si.mp_change_mark = r.bit("MP_CHANGE_MARK");
  si.index = static_cast<std::uint8_t>(r.bits(4, "SI2quater_INDEX"));
  si.count = static_cast<std::uint8_t>(r.bits(4, "SI2quater_COUNT"));
  if (si.index > si.count) out.warnings.push_back("SI2quater: SI2quater_INDEX > SI2quater_COUNT");
  if (r.bit("Measurement_Parameters Description")) r.skip(3, "REPORT_TYPE/SERVING_BAND_REPORTING");
  if (r.bit("GPRS_Real Time Difference Description")) skip_rtd(r);
  if (r.bit("GPRS_BSIC Description")) skip_bsic(r);
  if (r.bit("GPRS_REPORT PRIORITY Description")) {
    const unsigned n = r.bits(7, "Number_Cells");
    r.skip(n, "REP_PRIORITY");
  }
  if (r.bit("GPRS_MEASUREMENT_Parameters Description")) skip_gprs_measurement(r);
  if (r.bit("NC Measurement Parameters")) {
    r.skip(2, "NETWORK_CONTROL_ORDER");
    skip_if(r, 9, "NC periods");
  }
  if (r.bit("SI2q Extension Information")) {
    const unsigned len = r.bits(8, "extension length");
    r.skip(len + 1, "SI2q extension information");
  }
  if (r.bit("3G Neighbour Cell Description")) read_3g_neighbours(r, si);
  if (r.bit("3G Measurement Parameters Description")) {
    r.skip(4 + 1, "Qsearch_I/Qsearch_C_Initial");
    skip_if(r, 4 + 1 + 2 + 3, "FDD information");
    skip_if(r, 4 + 2, "TDD information");
  }
  if (r.bit("GPRS_3G_MEASUREMENT Parameters Description")) {
    r.skip(4 + 1, "Qsearch_P/ignored bit");
    skip_if(r, 1 + 2, "FDD_REP_QUANT/FDD_MULTIRAT_REPORTING");
    skip_if(r, 3 + 3, "FDD_REPORTING_OFFSET/THRESHOLD");
    skip_if(r, 2, "TDD_MULTIRAT_REPORTING");
    skip_if(r, 3 + 3, "TDD_REPORTING_OFFSET/THRESHOLD");
  }
  if (r.high()) {  // Rel-5 additions
    skip_if(r, 3 + 4, "3G Additional Measurement Parameters");
    if (r.bit("3G Additional Measurement Parameters 2")) skip_if(r, 6, "FDD_REPORTING_THRESHOLD_2");
    if (r.high()) {  // Rel-6
      r.skip(1, "3G_CCN_ACTIVE");
      if (r.high()) {  // Rel-7
        skip_if(r, 6, "700_REPORTING");
        skip_if(r, 6, "810_REPORTING");
        if (r.high()) {  // Rel-8
          if (r.bit("Priority and E-UTRAN Parameters Description")) read_priority_eutran(r, si);
        }
      }
    }
  }
  out.content = std::move(si);
}

}  // namespace tw::gsm::detail
