// The synthesizer's System Information encoder (tools/synth/lte/sib_encoder.hpp, uper_writer.hpp) and its
// scene keys, against truths it did not produce:
//  - the SIB1 a live band-3 eNodeB sent (../shared/captures/lte/reference.json, decoded there by srsRAN),
//    re-expressed as a configuration whose every field was worked out by hand from the ASN.1 of 36.331;
//  - for each SIB, the bit string worked out by hand here from the ASN.1 and X.691 (UNALIGNED PER): one
//    presence bit per OPTIONAL, an extension bit per extensible SEQUENCE/ENUMERATED/CHOICE, constrained
//    whole numbers in ceil(log2(range)) bits;
//  - messages dissected by a peer tool (Wireshark 4.0.17 tshark, lte-rrc.bcch.dl.sch): the values it
//    printed are written beside them.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "src/core/hex.hpp"
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/error.hpp"
#include "tools/synth/lte/sib_encoder.hpp"
#include "tools/synth/lte/uper_writer.hpp"
#include "tools/synth/scene.hpp"

using namespace tw::synth::lte;

namespace {

std::string bits(const std::vector<std::uint8_t>& v) {
  std::string s;
  for (auto o : v)
    for (int i = 7; i >= 0; --i) s += ((o >> i) & 1) ? '1' : '0';
  return s;
}

// v (>= 0) as n binary digits, MSB first.
std::string b(long long v, int n) {
  std::string s;
  for (int i = n - 1; i >= 0; --i) s += ((v >> i) & 1) ? '1' : '0';
  return s;
}

std::string padded(std::string s) {
  while (s.size() % 8) s += '0';
  return s;
}

// The header of an SI message with one SIB of CHOICE index `sib - 2`: c1 = systemInformation (0 of 2 after
// message c1 0 of 2), criticalExtensions systemInformation-r8 (0), no nonCriticalExtension (0),
// sib-TypeAndInfo SIZE (1..32) count 1 (5 bits 0), CHOICE extension bit 0 + index in 4 bits (10 roots).
std::string si_header_one_sib(int sib) { return std::string("0") + "0" + "0" + "0" + b(0, 5) + "0" + b(sib - 2, 4); }

// The SIB1 of the live capture, every field as the hand decode below found it.
LteSystemInfoConfig reference_sib1_config() {
  LteSystemInfoConfig c;
  c.plmn_identity_list = {PlmnIdentity{206, "01", false}};
  c.tracking_area_code = 9340;
  c.cell_identity = 46136577;  // 0x2BFFD01: eNB 180221, cell 1
  c.q_rx_lev_min = -66;        // -132 dBm
  c.freq_band_indicator = 3;
  c.scheduling = {{8, {3}}, {32, {5}}, {64, {6, 7}}};
  c.sib5 = Sib5Config{{InterFreqCarrier{}}};
  c.sib6 = Sib6Config{};
  c.sib6->carrier_freq_list_utra_fdd.push_back(UtraFddCarrier{});
  c.sib7 = Sib7Config{};
  c.si_window_ms = 20;
  c.system_info_value_tag = 4;
  c.ims_emergency_support = true;
  c.q_qual_min_r9 = -18;
  return c;
}

std::string reference_sib1_hex() {
  std::ifstream f("../shared/captures/lte/reference.json");
  if (!f) return {};
  const auto j = nlohmann::json::parse(f);
  for (const auto& cap : j.at("captures"))
    for (const auto& cell : cap.at("cells"))
      if (cell.contains("sib1")) return cell.at("sib1").at("hex").get<std::string>();
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// UPER writer (X.691)

TEST(UperWriter, ConstrainedWholeNumbersUseTheFewestBitsOfTheRange) {
  UperWriter w;
  w.put_constrained(-66, -70, -22, "q");   // range 49: 6 bits, value 4
  w.put_constrained(5, 5, 5, "one");       // range 1: no bits (X.691 13.2.1)
  w.put_constrained(837, 0, 837, "root");  // range 838: 10 bits
  w.put_constrained(65535, 0, 65535, "e"); // range 65536: 16 bits
  EXPECT_EQ(w.bit_count(), 6u + 0u + 10u + 16u);
  EXPECT_EQ(bits(w.octets()), padded("000100" + b(837, 10) + b(65535, 16)));
  EXPECT_EQ(uper_bits_for_range(1), 0);
  EXPECT_EQ(uper_bits_for_range(2), 1);
  EXPECT_EQ(uper_bits_for_range(49), 6);
  EXPECT_EQ(uper_bits_for_range(64), 6);
  EXPECT_EQ(uper_bits_for_range(65), 7);
}

TEST(UperWriter, EnumeratedChoiceLengthStringsAndPadding) {
  UperWriter w;
  w.put_enumerated(2, 16, "sib-type", true);        // extension bit 0 + 4 bits
  w.put_choice(1, 3, "following");                  // 2 bits
  w.put_sequence_preamble(true, {true, false});     // ext 0, present, absent
  w.put_length(3, 0, 31, "list");                   // 5 bits
  w.put_bit_string(0x2BFFD01, 28, "cell_identity"); // fixed size: no length
  const std::uint8_t o[] = {0xAB};
  w.put_octet_string(o, 1, 16, "octets");            // length 1 in 4 bits (0), then the octet
  const std::string want = "0" + b(2, 4) + b(1, 2) + "010" + b(3, 5) + b(0x2BFFD01, 28) + b(0, 4) + b(0xAB, 8);
  EXPECT_EQ(w.bit_count(), want.size());
  EXPECT_EQ(bits(w.octets()), padded(want));
  EXPECT_EQ(UperWriter().octets(), std::vector<std::uint8_t>{0});  // X.691 10.1.3: empty encoding -> one octet
}

TEST(UperWriter, OutOfConstraintIsAnInputErrorNamingTheField) {
  UperWriter w;
  try {
    w.put_constrained(-21, -70, -22, "q_rx_lev_min");
    FAIL() << "no error";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("q_rx_lev_min"), std::string::npos) << e.what();
  }
  EXPECT_THROW(w.put_length(7, 1, 6, "plmn_identity_list"), tw::InputError);
  EXPECT_THROW(w.put_bit_string(1u << 16, 16, "tac"), tw::InputError);
  EXPECT_THROW(w.put_enumerated(7, 7, "si_window"), tw::InputError);
  EXPECT_EQ(w.bit_count(), 0u);  // nothing half-written
}

// ---------------------------------------------------------------------------------------------------------
// SIB1

// The live SIB1 decoded by hand from 36.331 6.2.2 (every field below; srsRAN's decode in reference.json gives
// MCC, MNC, TAC, cell identity and band, tshark printed the same and all the others):
TEST(SibEncoder, ReferenceSib1FromTheLiveCaptureBitByBit) {
  const std::string hand =
      std::string("0") + "1"          // BCCH-DL-SCH-MessageType c1; c1: systemInformationBlockType1
      + "0" + "0" + "1"               // p-Max absent, tdd-Config absent (FDD), nonCriticalExtension present
      + "0"                           // cellAccessRelatedInfo: csg-Identity absent
      + b(0, 3)                       // plmn-IdentityList SIZE (1..6): 1 entry
      + "1" + b(2, 4) + b(0, 4) + b(6, 4)  // mcc present: 2 0 6
      + "0" + b(0, 4) + b(1, 4)       // mnc SIZE (2..3): 2 digits, 0 1
      + "1"                           // cellReservedForOperatorUse notReserved
      + b(9340, 16)                   // trackingAreaCode 0x247c
      + b(46136577, 28)               // cellIdentity 0x2bffd01
      + "1" + "0" + "0"               // cellBarred notBarred, intraFreqReselection allowed, csg-Indication FALSE
      + "0" + b(-66 + 70, 6)          // cellSelectionInfo: q-RxLevMinOffset absent, q-RxLevMin -66 (range 49: 6 bits)
      + b(3 - 1, 6)                   // freqBandIndicator 3 (1..64)
      + b(3 - 1, 5)                   // schedulingInfoList SIZE (1..32): 3 SI messages
      + b(0, 3) + b(1, 5) + "0" + b(0, 4)             // rf8: [sibType3] (SIB-Type: ext bit + 4 bits)
      + b(2, 3) + b(1, 5) + "0" + b(2, 4)             // rf32: [sibType5]
      + b(3, 3) + b(2, 5) + "0" + b(3, 4) + "0" + b(4, 4)  // rf64: [sibType6, sibType7]
      + b(5, 3)                       // si-WindowLength ms20
      + b(4, 5)                       // systemInfoValueTag 4
      + "0" + "1"                     // v890: lateNonCriticalExtension absent, nonCriticalExtension (v920) present
      + "1" + "1" + "0"               // v920: ims-EmergencySupport-r9 present (ENUMERATED {true}: 0 bits),
                                      //       cellSelectionInfo-v920 present, v1130 absent
      + "0" + b(-18 + 34, 5);         // q-QualMinOffset-r9 absent, q-QualMin-r9 -18 (-34..-3)
  EXPECT_EQ(hand.size(), 160u);  // exactly 20 octets: no padding bit
  const std::string ref = reference_sib1_hex();
  ASSERT_EQ(ref, "48481803247c2bffd01810210081044c432523900000") << "../shared/captures/lte/reference.json";
  // The recording's transport block (TBS 176) is the 20-octet message plus 0x00 padding.
  std::vector<std::uint8_t> ref_octets;
  for (std::size_t i = 0; i < ref.size(); i += 2) ref_octets.push_back(static_cast<std::uint8_t>(std::stoi(ref.substr(i, 2), nullptr, 16)));
  EXPECT_EQ(padded(hand) + std::string(16, '0'), bits(ref_octets));

  const auto out = encode_sib1(reference_sib1_config());
  EXPECT_EQ(bits(out), padded(hand));
  ASSERT_EQ(out.size(), 20u);
  EXPECT_EQ(tw::hex_string(out), ref.substr(0, 40));
}

TEST(SibEncoder, Sib1OptionalFieldsTddAndSeveralPlmns) {
  LteSystemInfoConfig c;
  c.plmn_identity_list = {PlmnIdentity{310, "410", true}, PlmnIdentity{1, "01", false}};
  c.tracking_area_code = 0xBEEF;
  c.cell_identity = 0xFFFFFFF;
  c.cell_barred = true;
  c.intra_freq_reselection_allowed = false;
  c.csg_indication = true;
  c.csg_identity = 0x5555555;
  c.q_rx_lev_min = -70;
  c.q_rx_lev_min_offset = 8;
  c.p_max = 23;
  c.freq_band_indicator = 40;
  c.tdd_config = TddConfigSib{2, 9};
  c.si_window_ms = 40;
  c.system_info_value_tag = 31;
  c.q_qual_min_r9 = -34;
  c.q_qual_min_offset_r9 = 3;
  c.sib3.reset();
  const std::string hand = std::string("01") + "111" + "1" + b(1, 3)
      + "1" + b(3, 4) + b(1, 4) + b(0, 4) + "1" + b(4, 4) + b(1, 4) + b(0, 4) + "0"  // 310 410 reserved
      + "1" + b(0, 4) + b(0, 4) + b(1, 4) + "0" + b(0, 4) + b(1, 4) + "1"            // 001 01 notReserved
      + b(0xBEEF, 16) + b(0xFFFFFFF, 28) + "0" + "1" + "1" + b(0x5555555, 27)
      + "1" + b(0, 6) + b(7, 3)       // q-RxLevMin -70, q-RxLevMinOffset 8 (1..8: 3 bits)
      + b(23 + 30, 6)                 // p-Max 23 (-30..33)
      + b(39, 6)                      // band 40
      + b(0, 5) + b(1, 3) + b(0, 5)   // one SI message (SIB2 only), rf16, empty mapping
      + b(2, 3) + b(5, 4)             // tdd-Config sa2; ssp9 is sent as ssp5 here ...
      + b(6, 3) + b(31, 5)            // ms40, value tag 31
      + "01" + "011"                  // v890 -> v920: no IMS, cellSelectionInfo-v920, v1130 present
      + "1" + b(0, 5) + b(2, 3)       // q-QualMin-r9 -34, offset 3
      + "100" + "1";                  // ... and in v1130: tdd-Config-v1130 specialSubframePatterns-v1130 ssp9
  EXPECT_EQ(bits(encode_sib1(c)), padded(hand));
}

// ---------------------------------------------------------------------------------------------------------
// SI messages: one SIB per message, bit by bit from the ASN.1 of 36.331 6.3.1 / 6.3.2.

namespace {
// SIB2 with the defaults of sib_config.hpp (values of a typical eNodeB); the parts a test changes are
// parameters: ac-BarringInfo (empty: absent), soundingRS-UL-ConfigCommon, freqInfo, timeAlignmentTimerCommon.
std::string sib2_bits(const std::string& ac_barring = "", const std::string& srs = "0",
                      const std::string& freq_info = "00" + b(0, 5), const std::string& tat = b(7, 3)) {
  return std::string("0") + (ac_barring.empty() ? "0" : "1") + "0"  // extension bit, ac-BarringInfo, no mbsfn-SubframeConfigList
         + ac_barring
         + "0"                         // RadioResourceConfigCommonSIB extension bit
         + "0" + "0" + b(12, 4)        // RACH-ConfigCommon ext; preamblesGroupAConfig absent; n52
         + b(1, 2) + b(8, 4)           // dB2, dBm-104
         + b(6, 4) + b(7, 3) + b(7, 3) // preambleTransMax n10 (11 values), sf10, sf64
         + b(3, 3)                     // maxHARQ-Msg3Tx 4 (1..8)
         + b(1, 2)                     // modificationPeriodCoeff n4
         + b(2, 2) + b(2, 3)           // defaultPagingCycle rf128, nB oneT
         + b(22, 10) + b(3, 6) + "0" + b(5, 4) + b(2, 7)  // root 22, config 3, no high speed, zczc 5, offset 2
         + b(18 + 60, 7) + b(1, 2)     // referenceSignalPower 18 (-60..50), p-b 1
         + b(0, 2) + "0" + b(4, 7) + "0"   // n-SB 1, interSubFrame, hopping offset 4, no 64QAM
         + "0" + b(0, 5) + "0" + b(0, 3)   // UL reference signals: no group hopping, 0, no seq hopping, 0
         + b(1, 2) + b(2, 7) + b(0, 3) + b(36, 11)  // ds2, nRB-CQI 2, nCS-AN 0, n1PUCCH-AN 36
         + srs                         // soundingRS-UL-ConfigCommon (default release: "0")
         + b(-85 + 126, 8) + b(5, 3) + b(-117 + 127, 5)  // p0 PUSCH -85, al08, p0 PUCCH -117
         + b(1, 2) + b(1, 2) + b(2, 2) + b(2, 2) + b(2, 2)  // deltaF0, deltaF3, deltaF1, deltaF2, deltaF2
         + b(4 + 1, 3)                 // deltaPreambleMsg3 4 (-1..6)
         + "0"                         // ul-CyclicPrefixLength len1
         + "0" + b(5, 3) + b(5, 3) + b(5, 3) + b(0, 3) + b(3, 3) + b(0, 3)  // timers: ext; 1000 1000 1000 n1 10000 n1
         + freq_info                   // default: no UL carrier, no UL bandwidth, additionalSpectrumEmission 1
         + tat;                        // default: timeAlignmentTimerCommon infinity (7)
}
std::string sib2_default_bits() { return sib2_bits(); }
}  // namespace

TEST(SibEncoder, Sib2DefaultsBitByBit) {
  LteSystemInfoConfig c;
  c.sib3.reset();  // the first SI message then carries SIB2 alone
  const auto si = encode_si_messages(c);
  ASSERT_EQ(si.size(), 1u);
  EXPECT_EQ(bits(si[0]), padded(si_header_one_sib(2) + sib2_default_bits()));
}

TEST(SibEncoder, Sib2AccessBarringUplinkCarrierAndSounding) {
  LteSystemInfoConfig c;
  c.sib3.reset();
  auto& s = c.sib2;
  s.ac_barring_present = true;
  s.ac_barring_for_emergency = true;
  s.ac_barring_for_mo_signalling = AcBarringConfig{30, 16, 0b10101};
  s.srs_setup = true;
  s.srs_bandwidth_config = 7;
  s.srs_subframe_config = 15;
  s.ack_nack_srs_simultaneous_transmission = true;
  s.ul_carrier_freq = 19850;
  s.ul_bandwidth_prb = 100;
  s.time_alignment_timer_common_sf = 500;
  const std::string want = sib2_bits(
      // MO-Signalling present, MO-Data absent, emergency TRUE, p30 (index 6), s16 (2), special AC 10101
      std::string("10") + "1" + b(6, 4) + b(2, 3) + "10101",
      // setup (1), srs-MaxUpPts absent, bw7, sc15, ackNackSRS-SimultaneousTransmission TRUE
      std::string("1") + "0" + b(7, 3) + b(15, 4) + "1",
      // both present: EARFCN 19850 (0..65535), n100 (5 of 6), additionalSpectrumEmission 1
      std::string("11") + b(19850, 16) + b(5, 3) + b(0, 5),
      b(0, 3));  // sf500
  EXPECT_EQ(bits(encode_si_messages(c).at(0)), padded(si_header_one_sib(2) + want));
}

TEST(SibEncoder, Sib3BitByBit) {
  LteSystemInfoConfig c;  // default SIB3, moved to a message of its own
  c.scheduling = {{16, {}}, {32, {3}}};
  const std::string want = std::string("0")                    // extension bit
                           + "0" + b(4, 4)                      // speedStateReselectionPars absent, q-Hyst dB4
                           + "1" + b(8, 5) + b(6, 5) + b(5, 3)  // s-NonIntraSearch 8, threshServingLow 6, priority 5
                           + "0100"                             // p-Max -, s-IntraSearch +, allowedMeasBandwidth -, SF -
                           + b(-64 + 70, 6) + b(31, 5)          // q-RxLevMin -64, s-IntraSearch 31
                           + "0" + "01" + b(1, 3);              // no port 1, neighCellConfig 01, t-ReselectionEUTRA 1
  EXPECT_EQ(bits(encode_si_messages(c).at(1)), padded(si_header_one_sib(3) + want));
}

TEST(SibEncoder, Sib4BitByBit) {
  LteSystemInfoConfig c;
  c.sib4 = Sib4Config{};
  c.sib4->intra_freq_neigh_cell_list = {{17, -2}, {300, 4}};
  c.sib4->intra_freq_black_cell_list = {{100, 8}, {7, std::nullopt}};
  c.scheduling = {{16, {3}}, {32, {4}}};
  // Q-OffsetRange: dB-24..dB-8 are 0..8, dB-6..dB6 9..21, dB8..dB24 22..30: dB-2 = 13, dB4 = 19.
  const std::string want = std::string("0") + "110"                 // ext; neighbours, black list, no CSG range
                           + b(1, 4)                                // 2 neighbours (1..16)
                           + "0" + b(17, 9) + b(13, 5)              // IntraFreqNeighCellInfo has an extension bit
                           + "0" + b(300, 9) + b(19, 5)
                           + b(1, 4)                                // 2 ranges
                           + "1" + b(100, 9) + b(1, 4)              // start 100, range n8
                           + "0" + b(7, 9);                         // start 7 alone
  EXPECT_EQ(bits(encode_si_messages(c).at(1)), padded(si_header_one_sib(4) + want));
}

TEST(SibEncoder, Sib5BitByBit) {
  LteSystemInfoConfig c;
  InterFreqCarrier f;
  f.dl_carrier_freq = 1850;
  f.q_rx_lev_min = -62;
  f.p_max = 23;
  f.t_reselection_eutra = 2;
  f.thresh_x_high = 12;
  f.thresh_x_low = 4;
  f.allowed_meas_bandwidth_prb = 25;
  f.presence_antenna_port1 = true;
  f.cell_reselection_priority = 6;
  f.q_offset_freq_db = -3;
  f.inter_freq_neigh_cell_list = {{5, 2}};
  f.inter_freq_black_cell_list = {{480, 16}};
  InterFreqCarrier g;  // defaults: q-OffsetFreq dB0 is the DEFAULT, so not sent
  g.dl_carrier_freq = 6300;
  c.sib5 = Sib5Config{{f, g}};
  c.scheduling = {{16, {3}}, {32, {5}}};
  const std::string want =
      std::string("0") + b(1, 3)                     // ext; 2 carriers (1..8)
      + "0" + "101111"                               // ext; p-Max +, SF -, priority +, q-OffsetFreq +, neighbours +, black +
      + b(1850, 16) + b(8, 6) + b(53, 6) + b(2, 3)   // EARFCN, q-RxLevMin -62, p-Max 23, t-Reselection 2
      + b(12, 5) + b(4, 5) + b(2, 3) + "1"           // thresholds, mbw25, port 1
      + b(6, 3) + "01" + b(12, 5)                    // priority 6, neighCellConfig, q-OffsetFreq dB-3
      + b(0, 4) + b(5, 9) + b(17, 5)                 // 1 neighbour: PCI 5, dB2 (no extension bit)
      + b(0, 4) + "1" + b(480, 9) + b(3, 4)          // 1 black range: 480, n16
      + "0" + "001000"                               // second carrier: only the priority (4) present
      + b(6300, 16) + b(6, 6) + b(1, 3) + b(10, 5) + b(10, 5) + b(3, 3) + "0" + b(4, 3) + "01";
  EXPECT_EQ(bits(encode_si_messages(c).at(1)), padded(si_header_one_sib(5) + "0" + want.substr(1)));
}

TEST(SibEncoder, Sib6BitByBit) {
  LteSystemInfoConfig c;
  c.sib6 = Sib6Config{};
  c.sib6->carrier_freq_list_utra_fdd = {UtraFddCarrier{}};  // 10700, priority 3, 10, 10, -58, 24 dBm, -18 dB
  UtraTddCarrier t;
  t.carrier_freq = 10080;
  t.cell_reselection_priority.reset();
  c.sib6->carrier_freq_list_utra_tdd = {t};
  c.scheduling = {{16, {3}}, {64, {6}}};
  const std::string want = std::string("0") + "110"      // ext; FDD list, TDD list, no SF
                           + b(0, 4) + "0" + "1" + b(10700, 14) + b(3, 3) + b(10, 5) + b(10, 5)
                           + b(-58 + 60, 6) + b(24 + 50, 7) + b(-18 + 24, 5)  // (-60..-13), (-50..33), (-24..0)
                           + b(0, 4) + "0" + "0" + b(10080, 14) + b(10, 5) + b(10, 5) + b(2, 6) + b(74, 7)
                           + b(2, 3);                    // t-ReselectionUTRA 2
  EXPECT_EQ(bits(encode_si_messages(c).at(1)), padded(si_header_one_sib(6) + want));
}

TEST(SibEncoder, Sib7BitByBit) {
  LteSystemInfoConfig c;
  c.sib7 = Sib7Config{};
  GeranCarrierSet g;
  g.starting_arfcn = 512;
  g.band_indicator_pcs1900 = true;
  g.explicit_list_of_arfcns = {513, 600, 810};
  g.ncc_permitted = 0x81;
  g.q_rx_lev_min = 45;
  g.p_max_geran = 39;
  c.sib7->carrier_freqs_info_list = {g};
  c.scheduling = {{16, {3}}, {64, {7}}};
  const std::string want = std::string("0") + "01" + b(2, 3)  // ext; no SF, list present; t-ReselectionGERAN 2
                           + b(0, 4) + "0"                    // 1 carrier set; its extension bit
                           + b(512, 10) + "1" + b(0, 2)       // starting ARFCN, pcs1900, explicitListOfARFCNs
                           + b(3, 5) + b(513, 10) + b(600, 10) + b(810, 10)
                           + "11" + b(2, 3) + b(0x81, 8) + b(45, 6) + b(39, 6) + b(10, 5) + b(10, 5);
  EXPECT_EQ(bits(encode_si_messages(c).at(1)), padded(si_header_one_sib(7) + want));
}

TEST(SibEncoder, Sib8BitByBit) {
  LteSystemInfoConfig c;
  c.sib8 = Sib8Config{};
  c.sib8->synchronous_system_time = 0x123456789;
  c.scheduling = {{16, {3}}, {64, {8}}};
  const std::string want = std::string("0") + "1100"                        // ext; systemTimeInfo, searchWindowSize
                           + "1" + "0" + b(0x123456789, 39) + b(8, 4);      // synchronised, synchronousSystemTime
  EXPECT_EQ(bits(encode_si_messages(c).at(1)), padded(si_header_one_sib(8) + want));
}

TEST(SibEncoder, DefaultSchedulingCarriesSib2AndSib3FirstThenTheOthers) {
  LteSystemInfoConfig c;  // only the defaults: SIB1 + SIB2 + SIB3
  auto s = effective_scheduling(c);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].periodicity_rf, 16);
  EXPECT_EQ(s[0].sibs, std::vector<int>{3});
  const auto si = encode_si_messages(c);
  ASSERT_EQ(si.size(), 1u);
  // sib-TypeAndInfo: 2 entries, sib2 (index 0) then, after SIB2's bits, sib3 (index 1)
  EXPECT_EQ(bits(si[0]).substr(0, 4 + 5 + 5), "0000" + b(1, 5) + "0" + b(0, 4));
  EXPECT_EQ(bits(si[0]).substr(14 + sib2_default_bits().size(), 5), "0" + b(1, 4));
  c.sib4 = Sib4Config{};
  c.sib8 = Sib8Config{};
  c.sib5 = Sib5Config{{InterFreqCarrier{}}};
  s = effective_scheduling(c);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[1].periodicity_rf, 32);
  EXPECT_EQ(s[1].sibs, (std::vector<int>{4, 5}));
  EXPECT_EQ(s[2].periodicity_rf, 64);
  EXPECT_EQ(s[2].sibs, std::vector<int>{8});
  EXPECT_EQ(encode_si_messages(c).size(), 3u);
}

TEST(SibEncoder, InconsistentOrOversizedConfigurationIsAnInputError) {
  auto error_of = [](const LteSystemInfoConfig& c) -> std::string {
    try {
      (void)encode_sib1(c);
      (void)encode_si_messages(c);
    } catch (const tw::InputError& e) {
      return e.what();
    }
    return "";
  };
  LteSystemInfoConfig c;
  c.scheduling = {{16, {5}}};  // SIB5 scheduled without content, SIB3 given but unscheduled
  EXPECT_NE(error_of(c).find("scheduling[0].sibs[0]"), std::string::npos) << error_of(c);
  c.scheduling = {{16, {}}};
  EXPECT_NE(error_of(c).find("sib3"), std::string::npos) << error_of(c);
  c = {};
  c.scheduling = {{16, {3, 3}}};
  EXPECT_NE(error_of(c).find("twice"), std::string::npos);
  c = {};
  c.si_window_ms = 30;
  EXPECT_NE(error_of(c).find("si_window_ms"), std::string::npos);
  c = {};
  c.plmn_identity_list[0].mnc = "1";
  EXPECT_NE(error_of(c).find("mnc"), std::string::npos);
  c = {};
  c.plmn_identity_list.assign(7, PlmnIdentity{});
  EXPECT_NE(error_of(c).find("plmn_identity_list"), std::string::npos);
  c = {};
  c.cell_identity = 1u << 28;
  EXPECT_NE(error_of(c).find("cell_identity"), std::string::npos);
  c = {};
  c.freq_band_indicator = 65;
  EXPECT_NE(error_of(c).find("freq_band_indicator"), std::string::npos);
  c = {};
  c.sib4 = Sib4Config{};
  c.sib4->intra_freq_neigh_cell_list = {{1, 7}};  // Q-OffsetRange has no dB7
  EXPECT_NE(error_of(c).find("sibs.sib4.neighbours[0].q_offset_cell_db"), std::string::npos) << error_of(c);
  c = {};
  c.sib2.nb = "threeT";
  EXPECT_NE(error_of(c).find("sibs.sib2.nb"), std::string::npos);
  // 16 carrier sets of 31 ARFCNs each: far more than one transport block (277 octets) carries.
  c = {};
  c.sib7 = Sib7Config{};
  GeranCarrierSet g;
  g.explicit_list_of_arfcns.assign(31, 100);
  c.sib7->carrier_freqs_info_list.assign(16, g);
  EXPECT_NE(error_of(c).find("277"), std::string::npos) << error_of(c);
}

// ---------------------------------------------------------------------------------------------------------
// Peer truth: the messages of this configuration were dissected by tshark 4.0.17 (text2pcap -l 147, user DLT
// lte-rrc.bcch.dl.sch) with no malformed or expert item; what it printed is noted beside each.
TEST(SibEncoder, MessagesTsharkDissectedAsConfigured) {
  LteSystemInfoConfig c = reference_sib1_config();
  c.sib4 = Sib4Config{};
  c.sib4->intra_freq_neigh_cell_list = {{17, -2}, {300, 4}};
  c.sib4->intra_freq_black_cell_list = {{100, 8}, {7, std::nullopt}};
  c.sib8 = Sib8Config{};
  c.scheduling = {{8, {3, 4}}, {32, {5}}, {64, {6, 7, 8}}};
  const auto si = encode_si_messages(c);
  ASSERT_EQ(si.size(), 3u);
  // sib2: numberOfRA-Preambles n52, preambleInitialReceivedTargetPower dBm-104, preambleTransMax n10,
  //   ra-ResponseWindowSize sf10, mac-ContentionResolutionTimer sf64, maxHARQ-Msg3Tx 4, modificationPeriodCoeff
  //   n4, defaultPagingCycle rf128, nB oneT, rootSequenceIndex 22, prach-ConfigIndex 3, zeroCorrelationZoneConfig
  //   5, prach-FreqOffset 2, referenceSignalPower 18 dBm, p-b 1, pusch-HoppingOffset 4, deltaPUCCH-Shift ds2,
  //   nRB-CQI 2, n1PUCCH-AN 36, soundingRS release, p0-NominalPUSCH -85 dBm, alpha al08, p0-NominalPUCCH -117,
  //   deltaPreambleMsg3 8dB (4), t300/t301/t310 ms1000, n310 n1, t311 ms10000, n311 n1, additionalSpectrumEmission
  //   1, timeAlignmentTimerCommon infinity;
  // sib3: q-Hyst dB4, s-NonIntraSearch 16dB (8), threshServingLow 12dB (6), cellReselectionPriority 5,
  //   q-RxLevMin -128dBm (-64), s-IntraSearch 62dB (31), neighCellConfig 1, t-ReselectionEUTRA 1s;
  // sib4: physCellId 17 q-OffsetCell dB-2, physCellId 300 dB4; excluded ranges start 100 n8, start 7.
  EXPECT_EQ(tw::hex_string(si[0]), "01000c61bf6c8160ca0a720200041004829aa5aa96d0c00e11283541be48984116a59319904070");
  // sib5: dl-CarrierFreq 0, q-RxLevMin -64, t-ReselectionEUTRA 1s, threshX-High/Low 20dB (10), mbw50,
  //   cellReselectionPriority 4, neighCellConfig 1.
  EXPECT_EQ(tw::hex_string(si[1]), "000c0400000c54a688");
  // sib6: carrierFreq 10700, cellReselectionPriority 3, threshX 10/10, q-RxLevMin -115dBm (-58), p-MaxUTRA 24 dBm,
  //   q-QualMin -18 dB, t-ReselectionUTRA 2s; sib7: t-ReselectionGERAN 2s; sib8: cdma-EUTRA-Synchronisation
  //   True, synchronousSystemTime 0, searchWindowSize 8.
  EXPECT_EQ(tw::hex_string(si[2]), "011101a731a9414a32284664000000000200");
}

// ---------------------------------------------------------------------------------------------------------
// Scene keys ("lte_cells" entries of tools/synth/scene.cpp)

namespace {
tw::synth::lte::LteCellConfig parse_one(const std::string& cell_json) {
  const std::string doc = R"({"name":"t","seed":1,"lte_cells":[)" + cell_json + "]}";
  return tw::synth::parse_scene_with_lte_text(doc, "test.json").lte_cells.at(0);
}
std::string parse_error(const std::string& cell_json) {
  try {
    (void)parse_one(cell_json);
  } catch (const tw::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(SibSceneKeys, IdentityKeysGiveTheReferenceSib1Fields) {
  const auto cell = parse_one(R"({"earfcn":1575,"pci":300,"mcc":206,"mnc":"01","tac":9340,"cell_identity":46136577})");
  const auto& si = cell.system_info;
  EXPECT_EQ(si.plmn_identity_list.at(0).mcc, 206);
  EXPECT_EQ(si.plmn_identity_list.at(0).mnc, "01");
  EXPECT_EQ(si.tracking_area_code, 9340);
  EXPECT_EQ(si.cell_identity, 46136577u);
  EXPECT_EQ(si.freq_band_indicator, 3);  // EARFCN 1575 is in band 3 (36.101 table 5.7.3-1: 1200..1949)
  EXPECT_FALSE(si.tdd_config.has_value());
  // SIB1 then agrees with the live one in everything the scene gave (the first 76 bits after the 5-bit header,
  // up to cellBarred): PLMN, TAC, cell identity.
  const auto mine = bits(encode_sib1(si));
  const auto ref = bits(encode_sib1(reference_sib1_config()));
  EXPECT_EQ(mine.substr(5, 71), ref.substr(5, 71));
  ASSERT_EQ(encode_si_messages(si).size(), 1u);  // SIB2 + SIB3 by default
}

TEST(SibSceneKeys, TddCellDefaultsAndOtherKeys) {
  const auto cell = parse_one(R"({"earfcn":38950,"pci":30,"tdd_config":2,"special_subframe_config":9,
      "cell_barred":true,"q_rx_lev_min":-60,"p_max":23,"si_window_ms":10,"si_value_tag":9,
      "sibs":{"sib3":{"q_hyst_db":2,"cell_reselection_priority":7},
              "sib4":{"neighbours":[{"pci":31,"q_offset_cell_db":-2}],"black_list":[{"start":100,"range":8}]},
              "sib5":{"carriers":[{"earfcn":1850,"cell_reselection_priority":null,"q_offset_freq_db":-3}]},
              "sib6":{"utra_fdd":[{"uarfcn":10700}]},
              "sib7":{"carriers":[{"starting_arfcn":512,"band_indicator":"pcs1900","arfcns":[513,600]}]},
              "sib8":{}},
      "scheduling":[{"periodicity_rf":16,"sibs":["SIB3","SIB4"]},{"periodicity_rf":64,"sibs":["SIB5","SIB6","SIB7","SIB8"]}]})");
  const auto& si = cell.system_info;
  EXPECT_EQ(si.freq_band_indicator, 40);
  ASSERT_TRUE(si.tdd_config.has_value());
  EXPECT_EQ(si.tdd_config->subframe_assignment, 2);
  EXPECT_EQ(si.tdd_config->special_subframe_patterns, 9);
  EXPECT_EQ(si.cell_identity, (1030u << 8) | 1u);  // default: eNB 1000 + PCI, cell 1
  EXPECT_TRUE(si.cell_barred);
  EXPECT_EQ(si.q_rx_lev_min, -60);
  EXPECT_EQ(si.p_max, 23);
  EXPECT_EQ(si.si_window_ms, 10);
  EXPECT_EQ(si.system_info_value_tag, 9);
  EXPECT_EQ(si.sib3->q_hyst_db, 2);
  EXPECT_EQ(si.sib3->cell_reselection_priority, 7);
  EXPECT_EQ(si.sib4->intra_freq_neigh_cell_list.at(0).phys_cell_id, 31);
  EXPECT_EQ(si.sib4->intra_freq_black_cell_list.at(0).range, 8);
  EXPECT_EQ(si.sib5->carriers.at(0).dl_carrier_freq, 1850);
  EXPECT_FALSE(si.sib5->carriers.at(0).cell_reselection_priority.has_value());
  EXPECT_EQ(si.sib5->carriers.at(0).q_offset_freq_db, -3);
  EXPECT_EQ(si.sib6->carrier_freq_list_utra_fdd.at(0).carrier_freq, 10700);
  EXPECT_TRUE(si.sib7->carrier_freqs_info_list.at(0).band_indicator_pcs1900);
  EXPECT_EQ(si.sib7->carrier_freqs_info_list.at(0).explicit_list_of_arfcns, (std::vector<int>{513, 600}));
  EXPECT_TRUE(si.sib8.has_value());
  ASSERT_EQ(si.scheduling.size(), 2u);
  EXPECT_EQ(si.scheduling[1].sibs, (std::vector<int>{5, 6, 7, 8}));
  EXPECT_EQ(encode_si_messages(si).size(), 2u);
}

TEST(SibSceneKeys, BadValuesNameTheField) {
  const std::string base = R"("earfcn":1575,"pci":1)";
  auto err = [&](const std::string& extra) { return parse_error("{" + base + "," + extra + "}"); };
  EXPECT_NE(err(R"("mcc":1000)").find("lte_cells[0].mcc"), std::string::npos);
  EXPECT_NE(err(R"("mnc":"1a")").find("lte_cells[0].mnc"), std::string::npos);
  EXPECT_NE(err(R"("mnc":1)").find("lte_cells[0].mnc"), std::string::npos);
  EXPECT_NE(err(R"("tac":65536)").find("lte_cells[0].tac"), std::string::npos);
  EXPECT_NE(err(R"("cell_identity":268435456)").find("lte_cells[0].cell_identity"), std::string::npos);
  EXPECT_NE(err(R"("cell_barred":1)").find("lte_cells[0].cell_barred"), std::string::npos);
  EXPECT_NE(err(R"("q_rx_lev_min":-71)").find("lte_cells[0].q_rx_lev_min"), std::string::npos);
  EXPECT_NE(err(R"("p_max":34)").find("lte_cells[0].p_max"), std::string::npos);
  EXPECT_NE(err(R"("freq_band_indicator":0)").find("lte_cells[0].freq_band_indicator"), std::string::npos);
  EXPECT_NE(err(R"("si_window_ms":30)").find("si_window_ms"), std::string::npos);
  EXPECT_NE(err(R"("sibs":{"sib9":{}})").find("lte_cells[0].sibs.sib9"), std::string::npos);
  EXPECT_NE(err(R"("sibs":{"sib3":{"q_hyst_db":7}})").find("sibs.sib3.q_hyst_db"), std::string::npos);
  EXPECT_NE(err(R"("sibs":{"sib5":{"carriers":[{"q_rx_lev_min":-60}]}})").find("sibs.sib5.carriers[0].earfcn"),
            std::string::npos);
  EXPECT_NE(err(R"("sibs":{"sib5":{"carriers":[]}})").find("sibs.sib5.carriers"), std::string::npos);
  EXPECT_NE(err(R"("sibs":{"sib7":{"carriers":[{"band_indicator":"gsm900"}]}})").find("sibs.sib7.carriers[0].band_indicator"),
            std::string::npos);
  EXPECT_NE(err(R"("scheduling":[{"periodicity_rf":16,"sibs":["SIB9"]}])").find("scheduling[0].sibs[0]"), std::string::npos);
  EXPECT_NE(err(R"("scheduling":[{"periodicity_rf":20,"sibs":["SIB3"]}])").find("scheduling[0].periodicity_rf"),
            std::string::npos);
  EXPECT_NE(err(R"("scheduling":[{"periodicity_rf":16,"sibs":["SIB5"]}])").find("scheduling[0].sibs[0]"), std::string::npos);
  EXPECT_EQ(err(R"("mcc":1)"), "");  // the same base is accepted
}

TEST(SibSceneKeys, ExplicitSchedulingWithoutSib3DropsTheDefaultSib3) {
  const auto a = parse_one(R"({"earfcn":1575,"sibs":{"sib5":{"carriers":[{"earfcn":100}]}},
      "scheduling":[{"periodicity_rf":8,"sibs":[]},{"periodicity_rf":32,"sibs":["SIB5"]}]})");
  EXPECT_FALSE(a.system_info.sib3.has_value());
  EXPECT_EQ(encode_si_messages(a.system_info).size(), 2u);
  // but a SIB3 the scene gives must be scheduled
  EXPECT_NE(parse_error(R"({"earfcn":1575,"sibs":{"sib3":{"q_hyst_db":2}},"scheduling":[{"periodicity_rf":8,"sibs":[]}]})")
                .find("sib3"),
            std::string::npos);
}

TEST(SibSceneKeys, TruthJsonCarriesTheIdentityAndReadsBack) {
  const auto cell = parse_one(R"({"earfcn":1575,"pci":300,"mcc":206,"mnc":"001","tac":9340,"cell_identity":46136577})");
  const auto j = tw::synth::lte_cell_to_json(cell, false);
  EXPECT_EQ(j.at("mcc"), 206);
  EXPECT_EQ(j.at("mnc"), "001");
  EXPECT_EQ(j.at("tac"), 9340);
  EXPECT_EQ(j.at("cell_identity"), 46136577);
  const auto back = parse_one(j.dump());
  EXPECT_EQ(back.system_info.plmn_identity_list.at(0).mnc, "001");
  EXPECT_EQ(back.system_info.cell_identity, 46136577u);
}
