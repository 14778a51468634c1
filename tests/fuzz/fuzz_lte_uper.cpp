// BCCH-DL-SCH messages (TS 36.331 6.2.1: SIB1, SystemInformation with SIB2..SIB11 and extension SIBs) to
// decode_bcch_dl_sch (src/lte/), the UNALIGNED PER reader of src/lte/uper_reader. Up to 277 octets (the largest
// SI transport block, 2216 bits, 36.213 7.1.7.2.1). Invariants: only tw::InputError comes out, and its message
// names the field under "BCCH-DL-SCH-Message"; a decoded message respects the constraints of the ASN.1 (list
// sizes, ranges, digits); its JSON (message and merged cell record) serialises; decoding is deterministic.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "src/core/error.hpp"
#include "src/lte/bcch_dl_sch.hpp"
#include "src/lte/lte_rrc_json.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {

using namespace tw::lte;

void check_pci_ranges(const std::vector<PhysCellIdRange>& list) {
  TW_FUZZ_CHECK(list.size() <= 16, "black list of " + std::to_string(list.size()));
  for (const auto& r : list) TW_FUZZ_CHECK(r.start >= 0 && r.start <= 503, "PCI range start " + std::to_string(r.start));
}

void check(const BcchDlSchMessage& m) {
  if (m.sib1) {
    const auto& s = *m.sib1;
    TW_FUZZ_CHECK(!s.plmns.empty() && s.plmns.size() <= 6, "PLMN count " + std::to_string(s.plmns.size()));
    for (const auto& p : s.plmns) {
      TW_FUZZ_CHECK(p.mcc >= 0 && p.mcc <= 999, "MCC " + std::to_string(p.mcc));
      TW_FUZZ_CHECK((p.mnc.size() == 2 || p.mnc.size() == 3) &&
                        p.mnc.find_first_not_of("0123456789") == std::string::npos,
                    "MNC '" + p.mnc + "'");
    }
    TW_FUZZ_CHECK(s.cell_identity < (1u << 28), "cell identity over 28 bits");
    TW_FUZZ_CHECK(s.q_rx_lev_min >= -70 && s.q_rx_lev_min <= -22, "q-RxLevMin");
    TW_FUZZ_CHECK(s.freq_band_indicator >= 1 && s.freq_band_indicator <= 64, "band");
    TW_FUZZ_CHECK(!s.scheduling.empty() && s.scheduling.size() <= 32, "schedulingInfoList size");
    for (const auto& si : s.scheduling) TW_FUZZ_CHECK(si.si_periodicity < 7 && si.sibs.size() <= 31, "SchedulingInfo");
    TW_FUZZ_CHECK(s.si_window_length < 7 && s.system_info_value_tag >= 0 && s.system_info_value_tag <= 31, "SIB1 tail");
    TW_FUZZ_CHECK(s.multi_band_info.size() <= 8, "multiBandInfoList");
  }
  if (m.sib2) {
    TW_FUZZ_CHECK(m.sib2->mbsfn.size() <= 8, "MBSFN list");
    TW_FUZZ_CHECK(m.sib2->preamble_trans_max < 11 && m.sib2->root_sequence_index <= 837, "SIB2 RACH/PRACH");
  }
  if (m.sib4) {
    TW_FUZZ_CHECK(m.sib4->neighbours.size() <= 16, "SIB4 neighbours");
    for (const auto& c : m.sib4->neighbours) TW_FUZZ_CHECK(c.pci >= 0 && c.pci <= 503 && c.q_offset_cell < 31, "SIB4 cell");
    check_pci_ranges(m.sib4->black_list);
  }
  if (m.sib5) {
    TW_FUZZ_CHECK(!m.sib5->carriers.empty() && m.sib5->carriers.size() <= 8, "SIB5 carriers");
    for (const auto& c : m.sib5->carriers) {
      TW_FUZZ_CHECK(c.neighbours.size() <= 16 && c.q_offset_freq < 31, "SIB5 carrier");
      check_pci_ranges(c.black_list);
    }
  }
  if (m.sib6) TW_FUZZ_CHECK(m.sib6->utra_fdd.size() <= 16 && m.sib6->utra_tdd.size() <= 16, "SIB6 lists");
  if (m.sib7) {
    TW_FUZZ_CHECK(m.sib7->carrier_sets.size() <= 16, "SIB7 carrier sets");
    for (const auto& c : m.sib7->carrier_sets) {
      TW_FUZZ_CHECK(c.arfcns.size() <= 1 + 16 * 8 && !c.arfcns.empty(), "SIB7 ARFCN count");
      for (int a : c.arfcns) TW_FUZZ_CHECK(a >= 0 && a <= 1023, "GERAN ARFCN " + std::to_string(a));
    }
  }
  if (m.kind == BcchDlSchMessage::Kind::system_information) {
    TW_FUZZ_CHECK(!m.sibs_seen.empty() && m.sibs_seen.size() <= 32, "sib-TypeAndInfo of 1..32");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 277) return -1;
  const std::span<const std::uint8_t> octets(data, size);
  BcchDlSchMessage m;
  try {
    m = decode_bcch_dl_sch(octets);
  } catch (const tw::InputError& e) {
    const std::string what = e.what();
    TW_FUZZ_CHECK(what.rfind("BCCH-DL-SCH-Message", 0) == 0 && what.find(": ") != std::string::npos,
                  "error without a field path: " + what);
    std::string again;
    try {
      decode_bcch_dl_sch(octets);
    } catch (const tw::InputError& e2) {
      again = e2.what();
    }
    TW_FUZZ_CHECK(again == what, "decoding is not deterministic: '" + what + "' then '" + again + "'");
    return 0;
  }
  check(m);
  const std::string dump = bcch_dl_sch_to_json(m).dump();  // throws on invalid UTF-8 (a finding)
  LteSystemInfo info;
  merge_system_info(info, m);
  const std::string cell = lte_si_to_json(info).dump();
  TW_FUZZ_CHECK(bcch_dl_sch_to_json(decode_bcch_dl_sch(octets)).dump() == dump, "decoding is not deterministic");
  merge_system_info(info, m);  // merging the same message twice changes nothing
  TW_FUZZ_CHECK(lte_si_to_json(info).dump() == cell, "merging is not idempotent");
  return 0;
}
