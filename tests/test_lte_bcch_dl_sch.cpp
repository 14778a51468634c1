// BCCH-DL-SCH decoding (TS 36.331 6.2.1, 6.2.2, 6.3.1; X.691 UNALIGNED PER) against:
//  - the real SIB1 of ../shared/captures/lte/reference.json (srsRAN's decode: MCC, MNC, TAC, cell identity,
//    band), the rest of it worked out by hand from the ASN.1 below and printed identically by Wireshark 4.0's
//    lte-rrc dissector (tshark, the peer decoder);
//  - messages built field by field in this file from the ASN.1 with a test-side PER writer
//    (support/uper_writer.hpp), options present and absent, extension additions present (skipped), every list
//    length at its bounds; several of them cross-checked with tshark (values noted at the test);
//  - hostile input: truncation at every bit, out-of-range enumerations, CHOICE indices and integers,
//    fragmented lengths: always a tw::InputError naming the field, never a crash.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"
#include "src/lte/bcch_dl_sch.hpp"
#include "src/lte/lte_rrc_json.hpp"
#include "support/uper_writer.hpp"

using tw::lte::BcchDlSchMessage;
using tw::lte::decode_bcch_dl_sch;
using tw::test::UperWriter;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes unhex(const std::string& h) {
  Bytes b;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) b.push_back(static_cast<std::uint8_t>(std::stoul(h.substr(i, 2), nullptr, 16)));
  return b;
}

BcchDlSchMessage decode(const UperWriter& w) {
  const Bytes b = w.bytes();
  return decode_bcch_dl_sch(b, w.size());
}

std::string error_of(const UperWriter& w) {
  try {
    decode(w);
  } catch (const tw::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// ---- SystemInformation: c1 (0), systemInformation (0), criticalExtensions systemInformation-r8 (0),
// nonCriticalExtension absent, sib-TypeAndInfo SIZE (1..maxSIB = 32), then CHOICE {sib2 .. sib11, ...}.
UperWriter si_header(std::size_t n_sibs) {
  UperWriter w;
  w.put(0, 1).put(0, 1).put(0, 1).boolean(false).whole(static_cast<std::int64_t>(n_sibs), 1, 32);
  return w;
}
void root_sib(UperWriter& w, unsigned alternative, const UperWriter& body) {  // sib2 = 0 .. sib11 = 9
  w.boolean(false).enumerated(alternative, 10).append(body);
}
void extension_sib(UperWriter& w, unsigned index, const UperWriter& body) {  // sib12-v920 = 0, ...
  w.boolean(true).put(0, 1).put(index, 6).open_type(body);
}
UperWriter si_of(unsigned alternative, const UperWriter& body) {
  UperWriter w = si_header(1);
  root_sib(w, alternative, body);
  return w;
}

// Arbitrary contents of extension additions (open types the decoder must step over without looking inside).
const std::vector<std::vector<std::uint8_t>> kAdditions{{0xde, 0xad}, {}, {0x00}, {0xff, 0xff, 0xff}};

// Extension addition groups the decoder knows (X.691 18.9: a SEQUENCE of the group's components in an open type).
Bytes sib2_ssac_group() {  // [[ssac-BarringForMMTEL-Voice-r9, ssac-BarringForMMTEL-Video-r9]]
  UperWriter g;
  g.boolean(true).boolean(true).enumerated(1, 16).enumerated(2, 8).put(0b11111, 5).enumerated(14, 16).enumerated(0, 8).put(0, 5);
  return g.bytes();
}
Bytes sib2_csfb_group() {  // [[ac-BarringForCSFB-r10]]
  UperWriter g;
  g.boolean(true).enumerated(5, 16).enumerated(3, 8).put(0b01000, 5);
  return g.bytes();
}
Bytes sib3_v920_group() {  // [[s-IntraSearch-v920, s-NonIntraSearch-v920, q-QualMin-r9, threshServingLowQ-r9]]
  UperWriter g;
  g.put(0b1111, 4).whole(31, 0, 31).whole(0, 0, 31).whole(10, 0, 31).whole(20, 0, 31).whole(-34, -34, -3).whole(5, 0, 31);
  return g.bytes();
}
Bytes sib5_v920_group() {  // InterFreqCarrierFreqInfo [[q-QualMin-r9, threshX-Q-r9]]
  UperWriter g;
  g.boolean(true).boolean(true).whole(-3, -34, -3).whole(12, 0, 31).whole(13, 0, 31);
  return g.bytes();
}
Bytes sib6_v920_group() {  // CarrierFreqUTRA-FDD [[threshX-Q-r9]]
  UperWriter g;
  g.boolean(true).whole(7, 0, 31).whole(8, 0, 31);
  return g.bytes();
}

// ================= SIB1 =================
struct Sib1Spec {
  std::vector<std::pair<std::optional<int>, std::string>> plmns{{206, "01"}};
  unsigned tac = 0x1234;
  std::uint32_t cell_identity = 0x2bffd01;
  bool barred = false;
  std::optional<std::uint32_t> csg_identity;
  int q_rx_lev_min = -64;
  std::optional<int> q_rx_lev_min_offset;
  std::optional<int> p_max;
  int band = 20;
  std::vector<std::pair<unsigned, std::vector<unsigned>>> scheduling{{1, {}}};  // (periodicity, SIB-Type codes)
  std::optional<std::pair<unsigned, unsigned>> tdd;
  unsigned si_window_code = 5;  // ms20 (raw: may be out of range)
  int value_tag = 7;
  bool v890 = false;  // nonCriticalExtension chain: v890 (with lateNonCriticalExtension v8h0) .. v1250 -> v1310
};

UperWriter sib1_message(const Sib1Spec& s) {
  UperWriter w;
  w.put(0, 1).put(1, 1);  // c1, systemInformationBlockType1
  w.boolean(s.p_max.has_value()).boolean(s.tdd.has_value()).boolean(s.v890);
  // cellAccessRelatedInfo
  w.boolean(s.csg_identity.has_value());
  w.whole(static_cast<std::int64_t>(s.plmns.size()), 1, 6);
  for (const auto& [mcc, mnc] : s.plmns) {
    w.boolean(mcc.has_value());
    if (mcc) w.whole(*mcc / 100, 0, 9).whole(*mcc / 10 % 10, 0, 9).whole(*mcc % 10, 0, 9);
    w.whole(static_cast<std::int64_t>(mnc.size()), 2, 3);
    for (char c : mnc) w.whole(c - '0', 0, 9);
    w.enumerated(1, 2);  // notReserved
  }
  w.put(s.tac, 16).put(s.cell_identity, 28).enumerated(s.barred ? 0 : 1, 2).enumerated(0, 2).boolean(false);
  if (s.csg_identity) w.put(*s.csg_identity, 27);
  // cellSelectionInfo
  w.boolean(s.q_rx_lev_min_offset.has_value()).whole(s.q_rx_lev_min, -70, -22);
  if (s.q_rx_lev_min_offset) w.whole(*s.q_rx_lev_min_offset, 1, 8);
  if (s.p_max) w.whole(*s.p_max, -30, 33);
  w.whole(s.band, 1, 64);
  w.whole(static_cast<std::int64_t>(s.scheduling.size()), 1, 32);
  for (const auto& [period, types] : s.scheduling) {
    w.enumerated(period, 7).whole(static_cast<std::int64_t>(types.size()), 0, 31);
    for (unsigned t : types) {
      if (t < 16) {
        w.boolean(false).enumerated(t, 16);
      } else {
        w.boolean(true).put(0, 1).put(t - 16, 6);  // extension value (normally small number)
      }
    }
  }
  if (s.tdd) w.enumerated(s.tdd->first, 7).enumerated(s.tdd->second, 9);
  w.raw_whole(s.si_window_code, 0, 6).whole(s.value_tag, 0, 31);
  if (s.v890) {
    // v890: lateNonCriticalExtension (OCTET STRING containing v8h0-IEs), nonCriticalExtension
    UperWriter late;
    late.boolean(true).boolean(true).whole(2, 1, 8).whole(3, 1, 64).whole(64, 1, 64);  // multiBandInfoList {3, 64}
    late.boolean(true).boolean(false).boolean(false).whole(66, 65, 256);                // v9e0: freqBandIndicator-v9e0
    w.boolean(true).boolean(true).open_type(late);
    // v920: ims-EmergencySupport-r9, cellSelectionInfo-v920 {q-QualMin -34, offset 8}, nonCriticalExtension
    w.boolean(true).boolean(true).boolean(true).boolean(true).whole(-34, -34, -3).whole(8, 1, 8);
    // v1130: tdd-Config-v1130 (ssp9), cellSelectionInfo-v1130 (-3), nonCriticalExtension
    w.boolean(true).boolean(true).boolean(true).enumerated(1, 2).whole(-3, -34, -3);
    // v1250: cellSelectionInfo-v1250 absent, freqBandIndicatorPriority present, nonCriticalExtension present;
    // cellAccessRelatedInfo-v1250 {category0Allowed}
    w.boolean(false).boolean(true).boolean(true).boolean(true);
    w.put(0x5a, 8);  // v1310 and beyond: left undecoded at the end of the message
  }
  return w;
}

// ================= SIB2 =================
struct Sib2Spec {
  bool full = true;                   // every OPTIONAL present
  bool ext = false;                   // extension additions at every extensible level
  std::size_t mbsfn = 1;              // 1..8 (when full)
  unsigned preamble_trans_max = 10;   // raw code (0..10 valid)
  bool srs_setup = true;
  bool groups_only = false;           // SIB2's own extension: only the Rel-9/10 groups (for tshark)
};

UperWriter sib2_body(const Sib2Spec& s) {
  UperWriter w;
  w.boolean(s.ext || s.groups_only).boolean(s.full).boolean(s.full && s.mbsfn > 0);
  if (s.full) {  // ac-BarringInfo
    w.boolean(true).boolean(true).boolean(true);
    w.enumerated(8, 16).enumerated(4, 8).put(0b10101, 5);   // MO signalling: p50, s64, AC 11,13,15
    w.enumerated(15, 16).enumerated(7, 8).put(0b00001, 5);  // MO data: p95, s512, AC 15
  }
  // radioResourceConfigCommon
  w.boolean(s.ext);
  // rach-ConfigCommon
  w.boolean(s.ext).boolean(s.full).enumerated(15, 16);  // numberOfRA-Preambles n64
  if (s.full) {
    w.boolean(s.ext).enumerated(13, 15).enumerated(1, 4).enumerated(0, 8);  // n56, b144, minusinfinity
    if (s.ext) w.extension_additions(kAdditions);
  }
  w.enumerated(1, 4).enumerated(15, 16);  // powerRampingStep dB2, preambleInitialReceivedTargetPower dBm-90
  w.raw_whole(s.preamble_trans_max, 0, 10).enumerated(7, 8).enumerated(7, 8);  // n200, sf10, sf64
  w.whole(8, 1, 8);
  if (s.ext) w.extension_additions({{0x01}});
  w.enumerated(1, 4);                     // bcch-Config: modificationPeriodCoeff n4
  w.enumerated(2, 4).enumerated(2, 8);    // pcch-Config: rf128, oneT
  w.whole(837, 0, 837).whole(63, 0, 63).boolean(true).whole(15, 0, 15).whole(94, 0, 94);  // prach
  w.whole(-60, -60, 50).whole(3, 0, 3);   // pdsch
  w.whole(4, 1, 4).enumerated(1, 2).whole(98, 0, 98).boolean(true);   // pusch-ConfigBasic
  w.boolean(true).whole(29, 0, 29).boolean(false).whole(7, 0, 7);      // ul-ReferenceSignalsPUSCH
  w.enumerated(2, 3).whole(98, 0, 98).whole(7, 0, 7).whole(2047, 0, 2047);  // pucch
  if (s.srs_setup) {
    w.put(1, 1).boolean(true).enumerated(7, 8).enumerated(15, 16).boolean(true);
  } else {
    w.put(0, 1);
  }
  w.whole(24, -126, 24).enumerated(7, 8).whole(-127, -127, -96);  // p0-NominalPUSCH, alpha al1, p0-NominalPUCCH
  w.enumerated(2, 3).enumerated(2, 3).enumerated(3, 4).enumerated(2, 3).enumerated(2, 3).whole(6, -1, 6);
  w.enumerated(1, 2);  // ul-CyclicPrefixLength len2
  if (s.ext) w.extension_additions(kAdditions);
  // ue-TimersAndConstants: ms2000, ms100, ms2000, n20, ms30000, n10
  w.boolean(s.ext).enumerated(7, 8).enumerated(0, 8).enumerated(6, 7).enumerated(7, 8).enumerated(6, 7).enumerated(7, 8);
  if (s.ext) w.extension_additions({{0x12, 0x34}});
  // freqInfo
  w.boolean(s.full).boolean(s.full);
  if (s.full) w.whole(65535, 0, 65535).enumerated(5, 6);
  w.whole(32, 1, 32);
  if (s.full && s.mbsfn > 0) {
    w.whole(static_cast<std::int64_t>(s.mbsfn), 1, 8);
    for (std::size_t i = 0; i < s.mbsfn; ++i) {
      w.enumerated(static_cast<unsigned>(i % 6), 6).whole(static_cast<std::int64_t>(i % 8), 0, 7);
      if (i % 2) {
        w.put(1, 1).put(0xabcdef, 24);
      } else {
        w.put(0, 1).put(0b100001, 6);
      }
    }
  }
  w.enumerated(7, 8);  // timeAlignmentTimerCommon infinity
  if (s.ext) w.extension_additions({{0x00, 0x01}, sib2_ssac_group(), sib2_csfb_group(), {}, {}, {}, {}, {}, {}, {0x03}});
  if (s.groups_only) w.extension_additions({{}, sib2_ssac_group(), sib2_csfb_group()});
  return w;
}

// ================= SIB3 =================
UperWriter sib3_body(bool full, bool ext, bool group_only = false) {
  UperWriter w;
  w.boolean(ext || group_only);
  w.boolean(full).enumerated(15, 16);  // q-Hyst dB24
  if (full) w.enumerated(4, 8).enumerated(0, 8).whole(16, 1, 16).whole(1, 1, 16).enumerated(0, 4).enumerated(3, 4);
  w.boolean(full);
  if (full) w.whole(31, 0, 31);      // s-NonIntraSearch
  w.whole(0, 0, 31).whole(7, 0, 7);  // threshServingLow, cellReselectionPriority
  w.boolean(full).boolean(full).boolean(full).boolean(full).whole(-70, -70, -22);
  if (full) w.whole(33, -30, 33).whole(0, 0, 31).enumerated(5, 6);
  w.boolean(true).put(0b10, 2).whole(7, 0, 7);
  if (full) w.enumerated(1, 4).enumerated(2, 4);
  if (ext) w.extension_additions({{0xaa}, sib3_v920_group(), {}, {}, {}, {}, {}, {}, {0x01}});
  if (group_only) w.extension_additions({{}, sib3_v920_group()});
  return w;
}

// ================= SIB4 =================
UperWriter sib4_body(std::size_t n_neigh, std::size_t n_black, bool csg, bool ext) {
  UperWriter w;
  w.boolean(ext).boolean(n_neigh > 0).boolean(n_black > 0).boolean(csg);
  if (n_neigh) {
    w.whole(static_cast<std::int64_t>(n_neigh), 1, 16);
    for (std::size_t i = 0; i < n_neigh; ++i) {
      const bool item_ext = ext && i == 0;
      w.boolean(item_ext).whole(static_cast<std::int64_t>(503 - i), 0, 503).enumerated(static_cast<unsigned>(i * 2 % 31), 31);
      if (item_ext) w.extension_additions({{0x77}});
    }
  }
  if (n_black) {
    w.whole(static_cast<std::int64_t>(n_black), 1, 16);
    for (std::size_t i = 0; i < n_black; ++i) {
      w.boolean(i % 2 == 1).whole(static_cast<std::int64_t>(i * 30), 0, 503);
      if (i % 2 == 1) w.enumerated(static_cast<unsigned>(i % 14), 16);
    }
  }
  if (csg) w.boolean(true).whole(480, 0, 503).enumerated(2, 16);  // start 480, n12
  if (ext) w.extension_additions({{0x01, 0x02}, {0x03}});
  return w;
}

// ================= SIB5 =================
UperWriter sib5_body(std::size_t n_carriers, std::size_t n_neigh, bool full, bool ext) {
  UperWriter w;
  w.boolean(ext).whole(static_cast<std::int64_t>(n_carriers), 1, 8);
  for (std::size_t c = 0; c < n_carriers; ++c) {
    w.boolean(ext);
    for (int k = 0; k < 4; ++k) w.boolean(full);  // p-Max, t-ReselectionEUTRA-SF, priority, q-OffsetFreq
    w.boolean(n_neigh > 0).boolean(full);          // interFreqNeighCellList, interFreqBlackCellList
    w.whole(static_cast<std::int64_t>(65535 - c), 0, 65535).whole(-22, -70, -22);
    if (full) w.whole(-30, -30, 33);
    w.whole(3, 0, 7);
    if (full) w.enumerated(0, 4).enumerated(3, 4);
    w.whole(31, 0, 31).whole(1, 0, 31).enumerated(3, 6).boolean(false);
    if (full) w.whole(5, 0, 7);
    w.put(0b01, 2);
    if (full) w.enumerated(0, 31);  // q-OffsetFreq dB-24
    if (n_neigh) {
      w.whole(static_cast<std::int64_t>(n_neigh), 1, 16);
      for (std::size_t i = 0; i < n_neigh; ++i) w.whole(static_cast<std::int64_t>(i), 0, 503).enumerated(30, 31);
    }
    if (full) w.whole(1, 1, 16).boolean(true).whole(100, 0, 503).enumerated(13, 16);
    if (ext) w.extension_additions({sib5_v920_group(), {0x30}});
  }
  if (ext) w.extension_additions(kAdditions);
  return w;
}

// ================= SIB6 =================
UperWriter sib6_body(std::size_t n_fdd, std::size_t n_tdd, bool full, bool ext) {
  UperWriter w;
  w.boolean(ext).boolean(n_fdd > 0).boolean(n_tdd > 0).boolean(full);
  auto carriers = [&](std::size_t n, bool fdd) {
    w.whole(static_cast<std::int64_t>(n), 1, 16);
    for (std::size_t i = 0; i < n; ++i) {
      w.boolean(ext).boolean(full).whole(static_cast<std::int64_t>(10562 + i), 0, 16383);
      if (full) w.whole(4, 0, 7);
      w.whole(10, 0, 31).whole(2, 0, 31).whole(-60, -60, -13).whole(33, -50, 33);
      if (fdd) w.whole(-24, -24, 0);
      if (ext) w.extension_additions({fdd ? sib6_v920_group() : Bytes{0x42}});
    }
  };
  if (n_fdd) carriers(n_fdd, true);
  if (n_tdd) carriers(n_tdd, false);
  w.whole(2, 0, 7);
  if (full) w.enumerated(3, 4).enumerated(0, 4);
  if (ext) w.extension_additions({{0x01}, {0x02, 0x03}});
  return w;
}

// ================= SIB7 =================
UperWriter sib7_body(unsigned following, std::size_t n, bool full, bool ext) {
  UperWriter w;
  w.boolean(ext).boolean(full).boolean(true).whole(5, 0, 7);
  if (full) w.enumerated(2, 4).enumerated(2, 4);
  w.whole(1, 1, 16);
  w.boolean(ext).whole(1020, 0, 1023).enumerated(0, 2);  // startingARFCN 1020, dcs1800
  w.put(following, 2);
  if (following == 0) {
    w.whole(static_cast<std::int64_t>(n), 0, 31);
    for (std::size_t i = 0; i < n; ++i) w.whole(static_cast<std::int64_t>(512 + i), 0, 1023);
  } else if (following == 1) {
    w.whole(3, 1, 8).whole(static_cast<std::int64_t>(n), 0, 31);
  } else if (following == 2) {
    w.whole(static_cast<std::int64_t>(n), 1, 16);
    for (std::size_t i = 0; i < n; ++i) w.put(i == 0 ? 0xa0 : 0x01, 8);  // first octet: N = 1, 3; others: N = 8k
  }
  w.boolean(full).boolean(full);
  if (full) w.whole(6, 0, 7);
  w.put(0xf0, 8).whole(45, 0, 45);
  if (full) w.whole(39, 0, 39);
  w.whole(20, 0, 31).whole(0, 0, 31);
  if (ext) w.extension_additions({{0x99}});
  if (ext) w.extension_additions({{0x01}});
  return w;
}

// ================= SIB8 =================
void cdma_reselection(UperWriter& w, bool ext) {
  w.boolean(true);                                   // t-ReselectionCDMA2000-SF present
  w.whole(2, 1, 32);                                 // bandClassList
  w.boolean(ext).boolean(true).boolean(false).enumerated(31, 32).whole(3, 0, 7).whole(63, 0, 63).whole(0, 0, 63);
  if (ext) w.extension_additions({{0x05}});
  w.boolean(false).boolean(false).boolean(true).put(0, 1).put(1, 6).whole(0, 0, 63).whole(1, 0, 63);  // bandClass: ext value 1
  w.whole(1, 1, 16).boolean(false).enumerated(1, 32);  // neighCellList: bc1
  w.whole(2, 1, 16);
  w.whole(2047, 0, 2047).whole(1, 1, 16).whole(511, 0, 511);
  w.whole(0, 0, 2047).whole(2, 1, 16).whole(0, 0, 511).whole(7, 0, 511);
  w.whole(4, 0, 7).enumerated(1, 4).enumerated(2, 4);
}

UperWriter sib8_body(bool full, bool ext) {
  UperWriter w;
  w.boolean(ext).boolean(full).boolean(full).boolean(full).boolean(full);
  if (full) {
    w.boolean(true).put(1, 1).put(0x1ffffffffffULL, 49);  // asynchronousSystemTime
    w.whole(15, 0, 15);
    w.boolean(true).boolean(true).boolean(true).boolean(true).whole(200, 0, 255).whole(2, 1, 2).whole(0, 0, 255).whole(255, 0, 255);
    cdma_reselection(w, ext);
    w.boolean(true).boolean(true).boolean(true);
    w.put(0x7fff, 15).put(0x1234, 16);
    for (int k = 0; k < 7; ++k) w.boolean(k % 2 == 0);
    w.put(0x55, 7).put(0xabc, 12).put(5, 3).put(2, 3);
    w.put(0x2aaaaaaaaaaULL, 42);
    cdma_reselection(w, false);
  }
  if (ext) w.extension_additions(kAdditions);
  return w;
}

// ---- the real SIB1 ----

TEST(LteSib1, RealCaptureMatchesReferenceAndHandDecode) {
  std::ifstream f("../shared/captures/lte/reference.json");
  ASSERT_TRUE(f) << "../shared/captures/lte/reference.json";
  const auto ref = nlohmann::json::parse(f);
  nlohmann::json sib1_ref;
  for (const auto& c : ref["captures"]) {
    for (const auto& cell : c["cells"]) {
      if (cell.contains("sib1")) sib1_ref = cell["sib1"];
    }
  }
  ASSERT_FALSE(sib1_ref.is_null());
  const Bytes octets = unhex(sib1_ref["hex"].get<std::string>());
  const BcchDlSchMessage m = decode_bcch_dl_sch(octets);
  ASSERT_EQ(m.kind, BcchDlSchMessage::Kind::system_information_block_type1);
  ASSERT_TRUE(m.sib1);
  tw::lte::LteSystemInfo info;
  tw::lte::merge_system_info(info, m);
  const auto j = tw::lte::lte_si_to_json(info);
  // The reference decode (srsRAN).
  EXPECT_EQ(j["mcc"], sib1_ref["mcc"]);
  EXPECT_EQ(j["mnc"], sib1_ref["mnc"]);
  EXPECT_EQ(j["tac"], sib1_ref["tac"]);
  EXPECT_EQ(j["cell_identity"], sib1_ref["cell_identity"]);
  EXPECT_EQ(j["freq_band_indicator"], sib1_ref["freq_band_indicator"]);
  EXPECT_EQ(j["enb_id"], 180221);  // reference.json notes: eNB 180221, cell 1
  EXPECT_EQ(j["sector"], 1);
  // By hand from the ASN.1 (X.691 unaligned), octet by octet:
  //  48: c1 0, systemInformationBlockType1 1, p-Max absent, tdd-Config absent, nonCriticalExtension present,
  //      csg-Identity absent, plmn-IdentityList length (3 bits, value 0 = 1 PLMN: 0 0 | next 0)
  //  48: .0, mcc present 1, MCC digits 0010 (2) 00|18: 00 (0) 0110 (6), MNC length 0 (2 digits), 0|03: 000 (0)
  //  0001 (1), cellReservedForOperatorUse 1 (notReserved); 24 7c: TAC 9340; 2b ff d0 1|8: cell identity
  //  0x2bffd01 = 46136577; 1000: cellBarred notBarred, intraFreqReselection allowed, csg-Indication false,
  //  q-RxLevMinOffset absent; 10: q-RxLevMin 000100 (4 -> -66, -132 dBm), 00|21: 0010 freqBandIndicator
  //  000010 (band 3); 0001|0: schedulingInfoList 00010 (3 SI messages) ... (rf8: SIB3; rf32: SIB5; rf64:
  //  SIB6, SIB7), si-WindowLength ms20, systemInfoValueTag 4, v890 without late extension -> v920:
  //  ims-EmergencySupport-r9, cellSelectionInfo-v920 q-QualMin-r9 -18 dB, no offset, no further extension.
  // Wireshark 4.0.17 (tshark, DLT 147 lte-rrc.bcch.dl.sch) prints exactly these values for this hex.
  EXPECT_EQ(j["plmns"], nlohmann::json::parse(R"([{"mcc":206,"mnc":"01","reserved":false}])"));
  EXPECT_EQ(j["cell_barred"], false);
  EXPECT_EQ(j["intra_freq_reselection"], true);
  EXPECT_EQ(j["csg_indication"], false);
  EXPECT_EQ(j["q_rx_lev_min_dbm"], -132);
  EXPECT_TRUE(j["q_rx_lev_min_offset"].is_null());
  EXPECT_TRUE(j["p_max_dbm"].is_null());
  EXPECT_TRUE(j["tdd_config"].is_null());
  EXPECT_EQ(j["si_window_ms"], 20);
  EXPECT_EQ(j["si_value_tag"], 4);
  EXPECT_EQ(j["scheduling"], nlohmann::json::parse(R"([
      {"si":1,"periodicity_rf":8,"sibs":["SIB2","SIB3"]},
      {"si":2,"periodicity_rf":32,"sibs":["SIB5"]},
      {"si":3,"periodicity_rf":64,"sibs":["SIB6","SIB7"]}])"));
  EXPECT_EQ(j["ims_emergency_support"], true);
  EXPECT_EQ(j["q_qual_min_db"], -18);
  EXPECT_TRUE(j["q_qual_min_offset_coded"].is_null());
  EXPECT_EQ(j["multi_band_info"], nlohmann::json::array());
  EXPECT_TRUE(j["sib1_extensions_not_decoded"].is_null());
  EXPECT_EQ(j["sibs_seen"], nlohmann::json::parse(R"(["SIB1"])"));
  // Every truncation of the real message is an error naming a field.
  for (std::size_t n = 0; n < 8 * octets.size(); ++n) {
    try {
      decode_bcch_dl_sch(octets, n);
      // The message ends before the padding: cuts inside the padding decode the same.
      EXPECT_GE(n, 150u) << n;
    } catch (const tw::InputError& e) {
      EXPECT_NE(std::string(e.what()).find("BCCH-DL-SCH-Message"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("bits left, needs"), std::string::npos) << e.what();
    }
  }
}

TEST(LteSib1, TruncatedTrackingAreaCodeNamesTheField) {
  const Bytes octets = unhex("48481803247c2bffd01810210081044c432523900000");
  try {
    decode_bcch_dl_sch(octets, 37);  // 32 bits before the TAC (see the hand decode above); 5 of its 16 left
    FAIL() << "no error";
  } catch (const tw::InputError& e) {
    EXPECT_STREQ(e.what(),
                 "BCCH-DL-SCH-Message.SystemInformationBlockType1.cellAccessRelatedInfo.trackingAreaCode: "
                 "5 bits left, needs 16");
  }
}

TEST(LteSib1, AllOptionsAndExtensionChain) {
  Sib1Spec s;
  s.plmns = {{999, "999"}, {std::nullopt, "00"}, {1, "01"}, {310, "260"}, {std::nullopt, "12"}, {0, "00"}};  // 6 = max
  s.csg_identity = 0x7ffffff;
  s.q_rx_lev_min = -22;
  s.q_rx_lev_min_offset = 8;
  s.p_max = -30;
  s.band = 64;
  s.barred = true;
  s.tdd = {{6, 8}};
  s.scheduling = {{6, {0, 1, 15, 16, 21, 22}}};  // SIB3, SIB4, SIB18, SIB19 (extension value 0), SIB26, SIB-ext6
  s.si_window_code = 6;
  s.value_tag = 31;
  s.v890 = true;
  const auto m = decode(sib1_message(s));
  ASSERT_TRUE(m.sib1);
  const auto& b = *m.sib1;
  ASSERT_EQ(b.plmns.size(), 6u);
  EXPECT_EQ(b.plmns[1].mcc, 999);  // absent MCC: the previous PLMN's
  EXPECT_FALSE(b.plmns[1].mcc_present);
  EXPECT_EQ(b.plmns[3].mnc, "260");
  EXPECT_EQ(b.plmns[4].mcc, 310);
  EXPECT_EQ(b.plmns[5].mcc, 0);
  EXPECT_EQ(b.csg_identity, 0x7ffffffu);
  EXPECT_TRUE(b.cell_barred);
  EXPECT_EQ(b.tdd_config->subframe_assignment, 6u);
  EXPECT_EQ(b.tdd_config->special_subframe_patterns, 8u);
  EXPECT_EQ(b.scheduling[0].sibs, (std::vector<std::string>{"SIB3", "SIB4", "SIB18", "SIB19", "SIB26", "SIB-ext6"}));
  EXPECT_EQ(b.multi_band_info, (std::vector<int>{3, 64}));
  EXPECT_EQ(b.freq_band_indicator_v9e0, 66);
  EXPECT_TRUE(b.ims_emergency_support);
  EXPECT_EQ(b.q_qual_min, -34);
  EXPECT_EQ(b.q_qual_min_offset, 8);
  EXPECT_EQ(b.special_subframe_patterns_v1130, 1u);
  EXPECT_EQ(b.q_qual_min_wb, -3);
  EXPECT_TRUE(b.category0_allowed);
  EXPECT_TRUE(b.freq_band_indicator_priority);
  EXPECT_EQ(b.extensions_not_decoded, "v1310");
  tw::lte::LteSystemInfo info;
  tw::lte::merge_system_info(info, m);
  const auto j = tw::lte::lte_si_to_json(info);
  EXPECT_EQ(j["mcc"], 999);
  EXPECT_EQ(j["mnc"], "999");
  EXPECT_EQ(j["cell_identity"], 0x2bffd01);
  EXPECT_EQ(j["q_rx_lev_min_dbm"], -44);
  EXPECT_EQ(j["q_rx_lev_min_offset"], 16);
  EXPECT_EQ(j["q_rx_lev_min_offset_coded"], 8);
  EXPECT_EQ(j["p_max_dbm"], -30);
  EXPECT_EQ(j["si_window_ms"], 40);
  EXPECT_EQ(j["si_value_tag"], 31);
  EXPECT_EQ(j["scheduling"][0]["periodicity_rf"], 512);
  EXPECT_EQ(j["tdd_config"], nlohmann::json::parse(R"({"subframe_assignment":6,"special_subframe_patterns":8})"));
  EXPECT_EQ(j["special_subframe_patterns_v1130"], 9);
  EXPECT_EQ(j["sib1_extensions_not_decoded"], "v1310");
}

TEST(LteSib1, SchedulingListBoundsAndFirstMcc) {
  Sib1Spec s;
  s.scheduling.clear();
  std::vector<unsigned> all(31);
  for (unsigned i = 0; i < 31; ++i) all[i] = i % 16;
  for (int i = 0; i < 32; ++i) s.scheduling.push_back({static_cast<unsigned>(i % 7), i == 0 ? all : std::vector<unsigned>{}});
  const auto m = decode(sib1_message(s));
  ASSERT_EQ(m.sib1->scheduling.size(), 32u);
  EXPECT_EQ(m.sib1->scheduling[0].sibs.size(), 31u);
  EXPECT_EQ(m.sib1->scheduling[31].si_periodicity, 3u);
  // The first PLMN without an MCC has no previous one to take it from.
  Sib1Spec bad;
  bad.plmns = {{std::nullopt, "01"}};
  EXPECT_NE(error_of(sib1_message(bad)).find("plmn-IdentityList[0].plmn-Identity.mcc: absent in the first PLMN"),
            std::string::npos)
      << error_of(sib1_message(bad));
}

TEST(LteSib1, EnumerationOutOfRange) {
  Sib1Spec s;
  s.si_window_code = 7;  // si-WindowLength has 7 values (3 bits): code 7 does not exist
  EXPECT_NE(error_of(sib1_message(s)).find("SystemInformationBlockType1.si-WindowLength: enumeration index 7 outside 0..6"),
            std::string::npos)
      << error_of(sib1_message(s));
}

// ---- SIB2 ----

TEST(LteSib2, AllOptionsPresentWithExtensionAdditions) {
  Sib2Spec s;
  s.ext = true;
  s.mbsfn = 8;
  const auto m = decode(si_of(0, sib2_body(s)));
  ASSERT_EQ(m.kind, BcchDlSchMessage::Kind::system_information);
  ASSERT_TRUE(m.sib2);
  const auto& b = *m.sib2;
  EXPECT_EQ(b.mbsfn.size(), 8u);
  EXPECT_EQ(b.mbsfn[1].subframe_allocation, 0xabcdefu);
  EXPECT_TRUE(b.mbsfn[1].four_frames);
  EXPECT_EQ(b.mbsfn[7].radioframe_allocation_offset, 7);
  EXPECT_EQ(b.root_sequence_index, 837);
  EXPECT_EQ(b.n1_pucch_an, 2047);
  EXPECT_EQ(b.extension_additions, 3u + 1u + 3u + 1u + 4u);  // groupA, rach, rrcc, timers, SIB2
  const auto j = tw::lte::bcch_dl_sch_to_json(m);
  const auto& k = j["sib2"];
  EXPECT_EQ(k["ac_barring"]["emergency"], true);
  EXPECT_EQ(k["ac_barring"]["mo_signalling"], nlohmann::json::parse(R"({"factor_pct":50,"time_s":64,"special_ac":21})"));
  EXPECT_EQ(k["ac_barring"]["mo_data"]["factor_pct"], 95);
  EXPECT_EQ(k["ac_barring"]["mo_data"]["time_s"], 512);
  EXPECT_EQ(k["t300_ms"], 2000);
  EXPECT_EQ(k["t301_ms"], 100);
  EXPECT_EQ(k["t310_ms"], 2000);
  EXPECT_EQ(k["n310"], 20);
  EXPECT_EQ(k["t311_ms"], 30000);
  EXPECT_EQ(k["n311"], 10);
  EXPECT_EQ(k["ul_earfcn"], 65535);
  EXPECT_EQ(k["ul_bandwidth_prb"], 100);
  EXPECT_EQ(k["additional_spectrum_emission"], 32);
  EXPECT_TRUE(k["time_alignment_timer"].is_null());  // infinity
  EXPECT_EQ(k["time_alignment_timer_coded"], 7);
  EXPECT_EQ(k["preamble_count"], 64);
  EXPECT_EQ(k["preambles_group_a"]["size"], 56);
  EXPECT_EQ(k["preambles_group_a"]["message_size_bits"], 144);
  EXPECT_EQ(k["preambles_group_a"]["message_power_offset_group_b_db"], "-infinity");
  EXPECT_EQ(k["power_ramping_step_db"], 2);
  EXPECT_EQ(k["preamble_initial_target_power_dbm"], -90);
  EXPECT_EQ(k["preamble_trans_max"], 200);
  EXPECT_EQ(k["ra_response_window_sf"], 10);
  EXPECT_EQ(k["mac_contention_resolution_timer_sf"], 64);
  EXPECT_EQ(k["max_harq_msg3_tx"], 8);
  EXPECT_EQ(k["modification_period_coeff"], 4);
  EXPECT_EQ(k["default_paging_cycle_rf"], 128);
  EXPECT_EQ(k["nb"], "oneT");
  EXPECT_EQ(k["reference_signal_power_dbm"], -60);
  EXPECT_EQ(k["p_b"], 3);
  EXPECT_EQ(k["n_sb"], 4);
  EXPECT_EQ(k["group_assignment_pusch"], 29);
  EXPECT_EQ(k["delta_pucch_shift"], 3);
  EXPECT_EQ(k["srs"]["bandwidth_config"], 7);
  EXPECT_EQ(k["srs"]["max_up_pts"], true);
  EXPECT_EQ(k["p0_nominal_pusch_dbm"], 24);
  EXPECT_EQ(k["alpha"], 1.0);
  EXPECT_EQ(k["p0_nominal_pucch_dbm"], -127);
  EXPECT_EQ(k["delta_f_pucch_coded"], nlohmann::json::parse("[2,2,3,2,2]"));
  EXPECT_EQ(k["delta_preamble_msg3_db"], 12);
  EXPECT_EQ(k["ul_cyclic_prefix_length"], 2);
  EXPECT_EQ(k["ssac_barring_mmtel_voice"], nlohmann::json::parse(R"({"factor_pct":5,"time_s":16,"special_ac":31})"));
  EXPECT_EQ(k["ssac_barring_mmtel_video"], nlohmann::json::parse(R"({"factor_pct":90,"time_s":4,"special_ac":0})"));
  EXPECT_EQ(k["ac_barring_csfb"], nlohmann::json::parse(R"({"factor_pct":25,"time_s":32,"special_ac":8})"));
  EXPECT_EQ(j["sibs_seen"], nlohmann::json::parse(R"(["SIB2"])"));
}

TEST(LteSib2, OptionsAbsent) {
  Sib2Spec s;
  s.full = false;
  s.srs_setup = false;
  const auto m = decode(si_of(0, sib2_body(s)));
  const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib2"];
  EXPECT_TRUE(k["ac_barring"].is_null());
  EXPECT_TRUE(k["ul_earfcn"].is_null());
  EXPECT_TRUE(k["ul_bandwidth_prb"].is_null());
  EXPECT_TRUE(k["preambles_group_a"].is_null());
  EXPECT_TRUE(k["srs"].is_null());
  EXPECT_EQ(k["mbsfn_subframe_config"], nlohmann::json::array());
  EXPECT_EQ(k["extension_additions"], 0);
  EXPECT_TRUE(k["ac_barring_csfb"].is_null());
  EXPECT_EQ(k["t300_ms"], 2000);  // mandatory fields still there
}

TEST(LteSib2, PreambleTransMaxOutOfRange) {
  for (unsigned code = 11; code < 16; ++code) {
    Sib2Spec s;
    s.preamble_trans_max = code;
    const std::string e = error_of(si_of(0, sib2_body(s)));
    EXPECT_NE(e.find("sib-TypeAndInfo[0].sib2.radioResourceConfigCommon.rach-ConfigCommon.ra-SupervisionInfo."
                     "preambleTransMax: enumeration index " + std::to_string(code) + " outside 0..10"),
              std::string::npos)
        << e;
  }
}

// ---- SIB3 ----

TEST(LteSib3, OptionsPresentAndAbsent) {
  for (bool full : {true, false}) {
    for (bool ext : {true, false}) {
      const auto m = decode(si_of(1, sib3_body(full, ext)));
      ASSERT_TRUE(m.sib3);
      EXPECT_EQ(m.sib3->extension_additions, ext ? 3u : 0u);
      const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib3"];
      EXPECT_EQ(k["q_hyst_db"], 24);
      EXPECT_EQ(k["thresh_serving_low"], 0);
      EXPECT_EQ(k["cell_reselection_priority"], 7);
      EXPECT_EQ(k["q_rx_lev_min_dbm"], -140);
      EXPECT_EQ(k["t_reselection_eutra_s"], 7);
      EXPECT_EQ(k["presence_antenna_port1"], true);
      EXPECT_EQ(k["neigh_cell_config_coded"], 2);
      if (full) {
        EXPECT_EQ(k["s_non_intra_search"], 62);
        EXPECT_EQ(k["p_max_dbm"], 33);
        EXPECT_EQ(k["s_intra_search"], 0);
        EXPECT_EQ(k["allowed_meas_bandwidth_prb"], 100);
        EXPECT_EQ(k["speed_state"]["t_evaluation_s"], 240);
        EXPECT_EQ(k["speed_state"]["n_cell_change_medium"], 16);
        EXPECT_EQ(k["speed_state"]["q_hyst_sf_medium_db"], -6);
        EXPECT_EQ(k["speed_state"]["q_hyst_sf_high_db"], 0);
        EXPECT_EQ(k["t_reselection_eutra_sf"], nlohmann::json::parse(R"({"sf_medium":0.5,"sf_high":0.75})"));
      } else {
        EXPECT_TRUE(k["s_non_intra_search"].is_null());
        EXPECT_TRUE(k["p_max_dbm"].is_null());
        EXPECT_TRUE(k["s_intra_search"].is_null());
        EXPECT_TRUE(k["speed_state"].is_null());
      }
      if (ext) {
        EXPECT_EQ(k["s_intra_search_p"], 62);
        EXPECT_EQ(k["s_intra_search_q"], 0);
        EXPECT_EQ(k["s_non_intra_search_p"], 20);
        EXPECT_EQ(k["s_non_intra_search_q"], 20);
        EXPECT_EQ(k["q_qual_min_db"], -34);
        EXPECT_EQ(k["thresh_serving_low_q"], 5);
      } else {
        EXPECT_TRUE(k["s_intra_search_p"].is_null());
        EXPECT_TRUE(k["q_qual_min_db"].is_null());
      }
    }
  }
}

TEST(LteSib3, MalformedKnownExtensionGroupNamesItsField) {
  UperWriter w;
  w.boolean(true);
  w.boolean(false).enumerated(0, 16).boolean(false).whole(0, 0, 31).whole(0, 0, 7);
  w.put(0, 4).whole(-70, -70, -22).boolean(false).put(0, 2).whole(0, 0, 7);
  w.extension_additions({{}, {0xf0}});  // the group says all 4 components present but holds 8 bits
  const std::string e = error_of(si_of(1, w));
  EXPECT_NE(e.find("sib3.extensionAdditions.extensionAddition[1].s-IntraSearch-v920.s-IntraSearchP-r9: 4 bits left, needs 5"),
            std::string::npos)
      << e;
}

// ---- SIB4 ----

TEST(LteSib4, ListsAtTheirBounds) {
  for (std::size_t n : {std::size_t{1}, std::size_t{16}}) {
    const auto m = decode(si_of(2, sib4_body(n, n, true, true)));
    ASSERT_TRUE(m.sib4);
    const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib4"];
    ASSERT_EQ(k["neighbours"].size(), n);
    EXPECT_EQ(k["neighbours"][0], nlohmann::json::parse(R"({"pci":503,"q_offset_cell_db":-24})"));
    EXPECT_EQ(k["neighbours"][n - 1]["pci"], 503 - static_cast<int>(n - 1));
    ASSERT_EQ(k["black_list"].size(), n);
    EXPECT_EQ(k["black_list"][0], nlohmann::json::parse(R"({"start":0,"range":1})"));
    if (n == 16) {
      EXPECT_EQ(k["neighbours"][15]["q_offset_cell_db"], 24);           // index 30: dB24
      EXPECT_EQ(k["black_list"][13], nlohmann::json::parse(R"({"start":390,"range":504})"));  // n504
      EXPECT_EQ(k["black_list"][15], nlohmann::json::parse(R"({"start":450,"range":8})"));    // 15 % 14 = 1: n8
    }
    EXPECT_EQ(k["csg_range"], nlohmann::json::parse(R"({"start":480,"range":12})"));
    EXPECT_EQ(k["extension_additions"], 3);
  }
  const auto empty = tw::lte::bcch_dl_sch_to_json(decode(si_of(2, sib4_body(0, 0, false, false))))["sib4"];
  EXPECT_EQ(empty["neighbours"], nlohmann::json::array());
  EXPECT_TRUE(empty["csg_range"].is_null());
}

// ---- SIB5 ----

TEST(LteSib5, CarriersAtTheirBounds) {
  for (std::size_t n : {std::size_t{1}, std::size_t{8}}) {
    for (bool full : {true, false}) {
      const auto m = decode(si_of(3, sib5_body(n, full ? 16 : 0, full, true)));
      ASSERT_TRUE(m.sib5);
      ASSERT_EQ(m.sib5->carriers.size(), n);
      EXPECT_EQ(m.sib5->extension_additions, 2 * n + 3);
      const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib5"]["carriers"];
      EXPECT_EQ(k[n - 1]["earfcn"], 65535 - static_cast<int>(n - 1));
      EXPECT_EQ(k[0]["q_rx_lev_min_dbm"], -44);
      EXPECT_EQ(k[0]["t_reselection_s"], 3);
      EXPECT_EQ(k[0]["thresh_x_high"], 62);
      EXPECT_EQ(k[0]["thresh_x_low"], 2);
      EXPECT_EQ(k[0]["bandwidth_prb"], 50);
      EXPECT_EQ(k[n - 1]["q_qual_min_db"], -3);  // extension group v920
      EXPECT_EQ(k[n - 1]["thresh_x_high_q"], 12);
      EXPECT_EQ(k[n - 1]["thresh_x_low_q"], 13);
      if (full) {
        EXPECT_EQ(k[0]["p_max_dbm"], -30);
        EXPECT_EQ(k[0]["priority"], 5);
        EXPECT_EQ(k[0]["q_offset_freq_db"], -24);
        ASSERT_EQ(k[0]["neighbours"].size(), 16u);
        EXPECT_EQ(k[0]["neighbours"][15], nlohmann::json::parse(R"({"pci":15,"q_offset_cell_db":24})"));
        EXPECT_EQ(k[0]["black_list"], nlohmann::json::parse(R"([{"start":100,"range":504}])"));
      } else {
        EXPECT_TRUE(k[0]["p_max_dbm"].is_null());
        EXPECT_TRUE(k[0]["priority"].is_null());
        EXPECT_EQ(k[0]["q_offset_freq_db"], 0);  // DEFAULT dB0
        EXPECT_EQ(k[0]["neighbours"], nlohmann::json::array());
      }
    }
  }
}

// ---- SIB6 ----

TEST(LteSib6, UtraFddAndTdd) {
  for (std::size_t n : {std::size_t{1}, std::size_t{16}}) {
    const auto m = decode(si_of(4, sib6_body(n, n, true, true)));
    const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib6"];
    ASSERT_EQ(k["utra_fdd"].size(), n);
    ASSERT_EQ(k["utra_tdd"].size(), n);
    EXPECT_EQ(k["utra_fdd"][0], nlohmann::json::parse(R"({"uarfcn":10562,"priority":4,"thresh_x_high":20,
        "thresh_x_low":4,"q_rx_lev_min_dbm":-119,"p_max_utra_dbm":33,"q_qual_min_db":-24,
        "thresh_x_high_q":7,"thresh_x_low_q":8})"));
    EXPECT_FALSE(k["utra_tdd"][0].contains("q_qual_min_db"));
    EXPECT_EQ(k["t_reselection_utra_s"], 2);
    EXPECT_EQ(k["t_reselection_utra_sf"], nlohmann::json::parse(R"({"sf_medium":1.0,"sf_high":0.25})"));
    EXPECT_EQ(m.sib6->extension_additions, 2 * n + 2);
  }
  const auto k = tw::lte::bcch_dl_sch_to_json(decode(si_of(4, sib6_body(0, 2, false, false))))["sib6"];
  EXPECT_EQ(k["utra_fdd"], nlohmann::json::array());
  EXPECT_TRUE(k["utra_tdd"][1]["priority"].is_null());
  EXPECT_TRUE(k["t_reselection_utra_sf"].is_null());
}

// ---- SIB7 ----

TEST(LteSib7, FollowingArfcnsAllThreeForms) {
  struct Case {
    unsigned following;
    std::size_t n;
    std::vector<int> arfcns;
  };
  std::vector<int> explicit31{1020};
  for (int i = 0; i < 31; ++i) explicit31.push_back(512 + i);
  std::vector<int> bitmap16{1020, 1021, 1023};
  for (int k = 1; k < 16; ++k) bitmap16.push_back((1020 + 8 * (k + 1)) % 1024);
  const std::vector<Case> cases{
      {0, 0, {1020}},
      {0, 31, explicit31},
      {1, 0, {1020}},
      {1, 31, [] { std::vector<int> v{1020}; for (int k = 1; k <= 31; ++k) v.push_back((1020 + 3 * k) % 1024); return v; }()},
      {2, 1, {1020, 1021, 1023}},
      {2, 16, bitmap16},
  };
  for (const auto& c : cases) {
    for (bool full : {true, false}) {
      const auto m = decode(si_of(5, sib7_body(c.following, c.n, full, true)));
      const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib7"];
      ASSERT_EQ(k["carrier_sets"].size(), 1u);
      const auto& set = k["carrier_sets"][0];
      EXPECT_EQ(set["arfcns"].get<std::vector<int>>(), c.arfcns) << c.following << " " << c.n;
      EXPECT_EQ(set["starting_arfcn"], 1020);
      EXPECT_EQ(set["band_indicator"], "dcs1800");
      EXPECT_EQ(set["ncc_permitted"], 0xf0);
      EXPECT_EQ(set["q_rx_lev_min_dbm"], -25);  // 45 x 2 - 115
      EXPECT_EQ(set["thresh_x_high"], 40);
      EXPECT_EQ(set["thresh_x_low"], 0);
      EXPECT_EQ(set["priority"], full ? nlohmann::json(6) : nlohmann::json(nullptr));
      EXPECT_EQ(set["p_max_geran_dbm"], full ? nlohmann::json(39) : nlohmann::json(nullptr));
      EXPECT_EQ(k["t_reselection_geran_s"], 5);
      EXPECT_EQ(m.sib7->extension_additions, 2u);
    }
  }
  // followingARFCNs has 3 alternatives in 2 bits: index 3 does not exist.
  const std::string e = error_of(si_of(5, sib7_body(3, 0, false, false)));
  EXPECT_NE(e.find("sib7.carrierFreqsInfoList[0].carrierFreqs.followingARFCNs: CHOICE index 3 outside 0..2"),
            std::string::npos)
      << e;
}

// ---- SIB8 ----

TEST(LteSib8, Cdma2000ParametersFull) {
  const auto m = decode(si_of(6, sib8_body(true, true)));
  ASSERT_TRUE(m.sib8);
  const auto& b = *m.sib8;
  EXPECT_EQ(b.synchronous_system_time, false);
  EXPECT_EQ(b.cdma_system_time, 0x1ffffffffffULL);
  EXPECT_EQ(b.search_window_size, 15);
  EXPECT_EQ(b.hrpd_pre_registration_zone, 200);
  EXPECT_EQ(b.hrpd_secondary_zones, (std::vector<int>{0, 255}));
  ASSERT_TRUE(b.hrpd_reselection);
  ASSERT_EQ(b.hrpd_reselection->band_classes.size(), 2u);
  EXPECT_EQ(b.hrpd_reselection->band_classes[0].band_class, 31u);
  EXPECT_EQ(b.hrpd_reselection->band_classes[1].band_class, 33u);  // extension value 1
  ASSERT_EQ(b.hrpd_reselection->neighbours.size(), 2u);
  EXPECT_EQ(b.hrpd_reselection->neighbours[0].arfcn, 2047);
  EXPECT_EQ(b.hrpd_reselection->neighbours[1].pn_offsets, (std::vector<int>{0, 7}));
  ASSERT_TRUE(b.csfb_registration);
  EXPECT_EQ(b.csfb_registration->sid, 0x7fff);
  EXPECT_EQ(b.csfb_registration->nid, 0x1234);
  EXPECT_TRUE(b.csfb_registration->multiple_sid);
  EXPECT_FALSE(b.csfb_registration->multiple_nid);
  EXPECT_EQ(b.csfb_registration->registration_zone, 0xabcu);
  EXPECT_EQ(b.long_code_state, 0x2aaaaaaaaaaULL);
  EXPECT_EQ(b.extension_additions, 3u + 1u);
  const auto k = tw::lte::bcch_dl_sch_to_json(m)["sib8"];
  EXPECT_EQ(k["present"], true);
  EXPECT_EQ(k["one_x_rtt"]["reselection"]["t_reselection_s"], 4);
  const auto none = tw::lte::bcch_dl_sch_to_json(decode(si_of(6, sib8_body(false, false))))["sib8"];
  EXPECT_EQ(none["present"], true);
  EXPECT_TRUE(none["hrpd"].is_null());
  EXPECT_TRUE(none["one_x_rtt"].is_null());
}

// ---- SystemInformation: several SIBs, step-overs, extension alternatives ----

TEST(LteSystemInformation, StepsOverSib9To11AndExtensionSibs) {
  UperWriter w = si_header(7);
  {
    UperWriter sib9;
    sib9.boolean(false).boolean(true).whole(48, 1, 48);
    for (int i = 0; i < 48; ++i) sib9.put(static_cast<unsigned>('A' + i % 26), 8);
    root_sib(w, 7, sib9);
  }
  {
    UperWriter sib12;  // any content: an open type
    sib12.put(0xcafe, 16).put(1, 3);
    extension_sib(w, 0, sib12);
  }
  {
    UperWriter sib10;
    sib10.boolean(true).boolean(true).put(0x1100, 16).put(0x3001, 16).put(0x0580, 16);
    for (int i = 0; i < 50; ++i) sib10.put(0, 8);
    sib10.extension_additions({{0x01}});
    root_sib(w, 8, sib10);
  }
  {
    UperWriter sib11;
    sib11.boolean(false).boolean(true).put(0x1112, 16).put(0x0001, 16).enumerated(1, 2).whole(63, 0, 63);
    sib11.length(200);
    for (int i = 0; i < 200; ++i) sib11.put(0x20, 8);  // 200 octets: a two-octet length (X.691 10.9.3.7)
    sib11.put(0x0f, 8);
    root_sib(w, 9, sib11);
  }
  extension_sib(w, 12, UperWriter().put(0, 8));  // sib26-v1530
  extension_sib(w, 40, UperWriter());            // an extension alternative not yet defined
  root_sib(w, 1, sib3_body(false, false));
  if (std::getenv("TW_PRINT_MESSAGES")) std::printf("steps-over: %s\n", w.hex().c_str());
  const auto m = decode(w);
  EXPECT_EQ(m.sibs_seen, (std::vector<std::string>{"SIB9", "SIB12", "SIB10", "SIB11", "SIB26", "SIB-ext40", "SIB3"}));
  ASSERT_TRUE(m.sib9 && m.sib9->hnb_name);
  EXPECT_EQ(m.sib9->hnb_name->size(), 48u);
  EXPECT_EQ(m.sib10->message_identifier, 0x1100);
  EXPECT_EQ(m.sib11->segment_octets, 200u);
  EXPECT_TRUE(m.sib11->last_segment);
  ASSERT_TRUE(m.sib3);
  tw::lte::LteSystemInfo info;
  tw::lte::merge_system_info(info, m);
  tw::lte::merge_system_info(info, decode_bcch_dl_sch(unhex("48481803247c2bffd01810210081044c432523900000")));
  const auto j = tw::lte::lte_si_to_json(info);
  EXPECT_EQ(j["sibs_seen"], nlohmann::json::parse(R"(["SIB1","SIB3","SIB9","SIB10","SIB11","SIB12","SIB26","SIB-ext40"])"));
  EXPECT_EQ(j["sib9"]["hnb_name_hex"].get<std::string>().substr(0, 6), "414243");
  EXPECT_EQ(j["tac"], 9340);
  EXPECT_NO_THROW(j.dump());
}

TEST(LteSystemInformation, RootChoiceIndexOutOfRange) {
  for (unsigned alt = 10; alt < 16; ++alt) {
    UperWriter w = si_header(1);
    w.boolean(false).put(alt, 4);
    const std::string e = error_of(w);
    EXPECT_NE(e.find("SystemInformation.systemInformation-r8.sib-TypeAndInfo[0]: CHOICE index " + std::to_string(alt) +
                     " outside 0..9"),
              std::string::npos)
        << e;
  }
}

TEST(LteSystemInformation, MessageClassExtensionAndCriticalExtensionsFuture) {
  const Bytes ext{0x80};
  EXPECT_EQ(decode_bcch_dl_sch(ext).kind, BcchDlSchMessage::Kind::message_class_extension);
  const Bytes future{0x20};  // c1, systemInformation, criticalExtensionsFuture
  EXPECT_EQ(decode_bcch_dl_sch(future).kind, BcchDlSchMessage::Kind::critical_extensions_future);
  EXPECT_EQ(tw::lte::bcch_dl_sch_to_json(decode_bcch_dl_sch(ext))["message"], "messageClassExtension");
  EXPECT_THROW(decode_bcch_dl_sch(Bytes{}), tw::InputError);
}

TEST(LteSystemInformation, FragmentedOpenTypeLengthRejected) {
  UperWriter w = si_header(1);
  w.boolean(true).put(0, 1).put(0, 6).put(0xc1, 8);  // extension alternative, length 11 000001: 16K fragment
  const std::string e = error_of(w);
  EXPECT_NE(e.find("SIB12: fragmented length"), std::string::npos) << e;
}

// Messages of this file (printed with TW_PRINT_MESSAGES=1) decoded by the peer: Wireshark 4.0.17's lte-rrc
// dissector (`text2pcap -l 147`, `tshark -o 'uat:user_dlts:"User 0 (DLT=147)","lte-rrc.bcch.dl.sch","0","","0",""' -V`).
// The expected values are what tshark printed (no malformed-packet report for any of them).
TEST(LteBcchDlSch, PeerDecoderCrossCheck) {
  auto j_of = [](const char* hex) { return tw::lte::bcch_dl_sch_to_json(decode_bcch_dl_sch(unhex(hex))); };
  {  // tshark: sib2 ... p0-NominalPUSCH 24 dBm, alpha al1, deltaPreambleMsg3 12dB, t311 ms30000, ul-CarrierFreq
     // 65535, ul-Bandwidth n100, mbsfn 2 items (n1/0/oneFrame 100001; n2/1/fourFrames abcdef), TAT infinity
    const auto k = j_of("0001f895fe13ed43f5ff65a2fffbc03f8bebd8bfffffe5b82baf71befffffdf901093abcdefe")["sib2"];
    EXPECT_EQ(k["p0_nominal_pusch_dbm"], 24);
    EXPECT_EQ(k["alpha"], 1.0);
    EXPECT_EQ(k["delta_preamble_msg3_db"], 12);
    EXPECT_EQ(k["t311_ms"], 30000);
    EXPECT_EQ(k["ul_earfcn"], 65535);
    EXPECT_EQ(k["ul_bandwidth_prb"], 100);
    ASSERT_EQ(k["mbsfn_subframe_config"].size(), 2u);
    EXPECT_EQ(k["mbsfn_subframe_config"][0]["subframe_allocation"], 33);
    EXPECT_EQ(k["mbsfn_subframe_config"][1]["period_rf"], 2);
    EXPECT_EQ(k["mbsfn_subframe_config"][1]["subframe_allocation"], 11259375);
    EXPECT_TRUE(k["time_alignment_timer"].is_null());
  }
  {  // tshark: sib2 ssac-BarringForMMTEL-Voice-r9 p05 s16 31, -Video-r9 p90 s4 0, ac-BarringForCSFB-r10 p25 s32 8
    const auto k = j_of("00020f7ebfecb45fff7807f17d7b17fffffcb70575ee37dcff04c1315fe00000aad000")["sib2"];
    EXPECT_EQ(k["ssac_barring_mmtel_voice"], nlohmann::json::parse(R"({"factor_pct":5,"time_s":16,"special_ac":31})"));
    EXPECT_EQ(k["ssac_barring_mmtel_video"], nlohmann::json::parse(R"({"factor_pct":90,"time_s":4,"special_ac":0})"));
    EXPECT_EQ(k["ac_barring_csfb"], nlohmann::json::parse(R"({"factor_pct":25,"time_s":32,"special_ac":8})"));
  }
  {  // tshark: sib3 s-IntraSearchP-r9 62dB, s-IntraSearchQ-r9 0 dB, s-NonIntraSearchP-r9 20dB, -Q-r9 20 dB,
     // q-QualMin-r9 -34 dB, threshServingLowQ-r9 5 dB
    const auto k = j_of("0006f03801b81417fe05500500")["sib3"];
    EXPECT_EQ(k["s_intra_search_p"], 62);
    EXPECT_EQ(k["s_intra_search_q"], 0);
    EXPECT_EQ(k["s_non_intra_search_p"], 20);
    EXPECT_EQ(k["s_non_intra_search_q"], 20);
    EXPECT_EQ(k["q_qual_min_db"], -34);
    EXPECT_EQ(k["thresh_serving_low_q"], 5);
  }
  {  // tshark: sib3 q-Hyst dB24, s-NonIntraSearch 62dB, q-RxLevMin -140dBm, p-Max 33, t-ReselectionEUTRA 7s
    const auto k = j_of("0005f83c0ff07f03f05dd8")["sib3"];
    EXPECT_EQ(k["q_hyst_db"], 24);
    EXPECT_EQ(k["s_non_intra_search"], 62);
    EXPECT_EQ(k["q_rx_lev_min_dbm"], -140);
    EXPECT_EQ(k["p_max_dbm"], 33);
    EXPECT_EQ(k["t_reselection_eutra_s"], 7);
  }
  {  // tshark: sib4 neighbours 503 dB-24, 502 dB-20; excluded 0, 30 n8; csg 480 n12
    EXPECT_EQ(j_of("0009c5f703ec210021e1f808")["sib4"], nlohmann::json::parse(R"({
        "neighbours":[{"pci":503,"q_offset_cell_db":-24},{"pci":502,"q_offset_cell_db":-20}],
        "black_list":[{"start":0,"range":1},{"start":30,"range":8}],
        "csg_range":{"start":480,"range":12},"extension_additions":0})"));
  }
  {  // tshark: sib5 dl-CarrierFreq 65535, 65534; q-RxLevMin -44dBm; threshX-High 62dB; q-OffsetFreq dB-24
    const auto k = j_of("000c5fffffe0033f85aa01007803e09935fffff60033f85aa01007803e099340")["sib5"]["carriers"];
    ASSERT_EQ(k.size(), 2u);
    EXPECT_EQ(k[1]["earfcn"], 65534);
    EXPECT_EQ(k[0]["q_rx_lev_min_dbm"], -44);
    EXPECT_EQ(k[0]["thresh_x_high"], 62);
    EXPECT_EQ(k[0]["q_offset_freq_db"], -24);
    EXPECT_EQ(k[1]["black_list"][0]["range"], 504);
  }
  {  // tshark: sib6 FDD 10562 q-RxLevMin -119dBm p-MaxUTRA 33 q-QualMin -24; TDD 10562; t-ReselectionUTRA 2s
    const auto k = j_of("0011c1a50a2840530034a145080a6b00")["sib6"];
    EXPECT_EQ(k["utra_fdd"][0]["q_rx_lev_min_dbm"], -119);
    EXPECT_EQ(k["utra_fdd"][0]["q_qual_min_db"], -24);
    EXPECT_EQ(k["utra_tdd"][0]["uarfcn"], 10562);
    EXPECT_EQ(k["t_reselection_utra_s"], 2);
  }
  {  // tshark: sib7 startingARFCN 1020 dcs1800, equallySpaced spacing 3 x 4, ncc-Permitted f0, q-RxLevMin -25dBm
    const auto k = j_of("0015da07f8513de16cf400")["sib7"]["carrier_sets"][0];
    EXPECT_EQ(k["arfcns"], nlohmann::json::parse("[1020,1023,2,5,8]"));
    EXPECT_EQ(k["ncc_permitted"], 240);
    EXPECT_EQ(k["q_rx_lev_min_dbm"], -25);
  }
  {  // tshark: sib8 asynchronousSystemTime 2199023255551, searchWindowSize 15, zone 200, bandClass spare1 (31)
     // and Unknown (33), sid 32767, nid 4660, longCodeState 2932031007402
    const auto m = decode_bcch_dl_sch(unhex("0019f807ffffffffffff2201ff0afbfc0204004011ffe1ff00020003c6ffffc48d2ad5ab"
                                            "caaaaaaaaaaaa857dfe0102002008fff0ff80010001e30"));
    ASSERT_TRUE(m.sib8);
    EXPECT_EQ(m.sib8->cdma_system_time, 2199023255551ULL);
    EXPECT_EQ(m.sib8->search_window_size, 15);
    EXPECT_EQ(m.sib8->hrpd_pre_registration_zone, 200);
    EXPECT_EQ(m.sib8->hrpd_reselection->band_classes[1].band_class, 33u);
    EXPECT_EQ(m.sib8->csfb_registration->sid, 32767);
    EXPECT_EQ(m.sib8->long_code_state, 2932031007402ULL);
  }
}

// Every message built above, cut at every bit: always an InputError naming a field of BCCH-DL-SCH-Message.
TEST(LteBcchDlSch, TruncationAtEveryBitIsAnErrorNamingAField) {
  std::vector<UperWriter> messages;
  Sib1Spec s1;
  s1.v890 = true;
  s1.p_max = 10;
  s1.tdd = {{1, 7}};
  s1.csg_identity = 5;
  s1.q_rx_lev_min_offset = 2;
  UperWriter sib1 = sib1_message(s1);
  // (the last 8 bits of this SIB1 are the undecoded v1310 extension: not part of what is decoded)
  messages.push_back(sib1);
  Sib2Spec s2;
  s2.ext = true;
  s2.mbsfn = 3;
  messages.push_back(si_of(0, sib2_body(s2)));
  messages.push_back(si_of(1, sib3_body(true, true)));
  messages.push_back(si_of(2, sib4_body(3, 3, true, true)));
  messages.push_back(si_of(3, sib5_body(2, 3, true, true)));
  messages.push_back(si_of(4, sib6_body(2, 2, true, true)));
  messages.push_back(si_of(5, sib7_body(2, 2, true, true)));
  messages.push_back(si_of(6, sib8_body(true, true)));
  // Without extension additions (whose contents here are arbitrary octets): what a peer decoder can check.
  Sib2Spec plain;
  plain.mbsfn = 2;
  messages.push_back(si_of(0, sib2_body(plain)));
  messages.push_back(si_of(1, sib3_body(true, false)));
  messages.push_back(si_of(2, sib4_body(2, 2, true, false)));
  messages.push_back(si_of(3, sib5_body(2, 2, true, false)));
  messages.push_back(si_of(4, sib6_body(1, 1, true, false)));
  messages.push_back(si_of(5, sib7_body(1, 4, true, false)));
  messages.push_back(si_of(6, sib8_body(true, false)));
  Sib2Spec groups;
  groups.full = false;
  groups.groups_only = true;
  messages.push_back(si_of(0, sib2_body(groups)));
  messages.push_back(si_of(1, sib3_body(false, false, true)));
  std::size_t cuts = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& w = messages[i];
    const Bytes b = w.bytes();
    ASSERT_NO_THROW(decode_bcch_dl_sch(b, w.size())) << i;
    // TW_PRINT_MESSAGES=1: the hex of each message, for a peer decoder (tshark: see the tests above).
    if (std::getenv("TW_PRINT_MESSAGES")) std::printf("message %zu: %s\n", i, w.hex().c_str());
    const std::size_t decoded_bits = i == 0 ? w.size() - 8 : w.size();
    for (std::size_t n = 0; n < decoded_bits; ++n, ++cuts) {
      try {
        decode_bcch_dl_sch(b, n);
        ADD_FAILURE() << "message " << i << " cut at " << n << " of " << w.size() << " bits decoded";
      } catch (const tw::InputError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("BCCH-DL-SCH-Message", 0), 0u) << what;
        EXPECT_NE(what.find("bits left, needs"), std::string::npos) << what;
      }
    }
  }
  EXPECT_GT(cuts, 2000u);  // 2720 cuts over the 8 messages
}

}  // namespace

// The first SI message of the live band-3 cell (../shared/captures/lte/f1815.3_s19.2_bw20_0.08s_hackrf.bin,
// PCI 300), as towerwatch's receiver decoded it from the air (window of SI-1, rf8, 20 ms, after SFN 951). Truth:
// Wireshark 4.0.17's lte-rrc dissector (tools/check_lte_rrc_with_tshark.sh), which reads SIB2 and SIB3 with the
// values below and no malformed field.
TEST(LteSystemInformation, RealSiMessageOfTheBand3Cell) {
  const Bytes octets = unhex("00805b29186fe0226035899062d0010601207bb16aa04406006be2340c2a106ff4a30884f0");
  const BcchDlSchMessage m = decode_bcch_dl_sch(octets);
  tw::lte::LteSystemInfo info;
  merge_system_info(info, m);
  const nlohmann::json j = tw::lte::lte_si_to_json(info);
  const nlohmann::json one = tw::lte::bcch_dl_sch_to_json(m);
  EXPECT_EQ(one["sibs_seen"], nlohmann::json({"SIB2", "SIB3"}));
  const auto& sib2 = j["sib2"];
  EXPECT_EQ(sib2["t300_ms"], 200);
  EXPECT_EQ(sib2["t301_ms"], 1000);
  EXPECT_EQ(sib2["t310_ms"], 200);
  EXPECT_EQ(sib2["n310"], 20);
  EXPECT_EQ(sib2["t311_ms"], 1000);
  EXPECT_EQ(sib2["n311"], 5);
  EXPECT_EQ(sib2["ul_bandwidth_prb"], 100);
  EXPECT_TRUE(sib2["ac_barring"].is_null());
  const auto& sib3 = j["sib3"];
  EXPECT_EQ(sib3["q_hyst_db"], 4);
  EXPECT_EQ(sib3["s_non_intra_search"], 18);
  EXPECT_EQ(sib3["thresh_serving_low"], 16);
  EXPECT_EQ(sib3["cell_reselection_priority"], 6);
  EXPECT_EQ(sib3["q_rx_lev_min_dbm"], -132);
  EXPECT_EQ(sib3["t_reselection_eutra_s"], 1);
}
