// GSM Layer 3 message encoders (3GPP TS 44.018 clause 9.1): every block compared octet for octet with
// octets worked out by hand from the spec (clauses cited), with the Paging Request Type 1 blocks of a real
// network (gr-gsm's decode of shared/captures/gsm), and rest octets also parsed by libosmogsm's decoders.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include <random>
#include <set>

extern "C" {
#include <osmocom/gsm/gsm48_ie.h>
#include <osmocom/gsm/gsm48_rest_octets.h>
}

#include "support/test_support.hpp"
#include "tools/synth/l3/encode.hpp"

using namespace tw::synth;
using namespace tw::synth::l3;

namespace {

L2Block hex(const std::string& s) {
  L2Block b{};
  std::istringstream in(s);
  for (auto& o : b) {
    unsigned v = 0;
    in >> std::hex >> v;
    o = static_cast<std::uint8_t>(v);
  }
  return b;
}

std::string to_hex(const L2Block& b) {
  std::string s;
  char buf[4];
  for (auto o : b) {
    std::snprintf(buf, sizeof buf, "%02x ", o);
    s += buf;
  }
  return s;
}

#define EXPECT_BLOCK(actual, expected_hex) EXPECT_EQ(to_hex(actual), to_hex(hex(expected_hex)))

// Cell A: MCC 262, 2-digit MNC 01, LAC 0x5678, CI 0x1234, otherwise the CellConfig defaults.
CellConfig cell_a() {
  CellConfig c;
  c.mcc = 262;
  c.mnc = 1;
  c.mnc_digits = 2;
  c.lac = 0x5678;
  c.ci = 0x1234;
  return c;
}

}  // namespace

// SI3 (9.1.35), 2-digit MNC:
//  49       L2 pseudo length 18 (10.5.2.19): (18 << 2) | 01
//  06 1b    RR PD, SYSTEM INFORMATION TYPE 3
//  12 34    Cell Identity (10.5.1.1)
//  62 f2 10 56 78  LAI (10.5.1.3): MCC digits 2|1 = 6|2, MNC digit 3 = F filler | MCC digit 3 = 2, MNC 1|0
//  c8 00 0a Control Channel Description (10.5.2.11): MSCR 1, ATT 1, BS_AG_BLKS_RES 001, CCCH_CONF 000;
//           BS_PA_MFRMS 2 coded 000; T3212 10
//  2f       Cell Options (10.5.2.3): PWRC 0, DTX 10, RADIO-LINK-TIMEOUT 1111
//  45 08    Cell Selection Parameters (10.5.2.4): hysteresis 010, MS-TXPWR-MAX-CCH 00101; ACS 0 NECI 0, 001000
//  b8 00 00 RACH Control (10.5.2.29): max retrans 4 = 10, Tx-integer 1110, not barred, RE 0; no class barred
//  39 2b 2b 2b  SI3 Rest Octets (10.5.2.34) against the padding 0 0 1 0 1 0 1 1: selection L(0) power
//           offset L(0) 2ter L(1) early classmark H(1) scheduling L(1) GPRS L(0) 3G early classmark
//           restriction H(0) SI2quater L(1) = 0011 1001
TEST(L3Encode, Si3TwoDigitMnc) {
  EXPECT_BLOCK(encode_si3(cell_a()), "49 06 1b 12 34 62 f2 10 56 78 c8 00 0a 2f 45 08 b8 00 00 39 2b 2b 2b");
}

// SI3 with a 3-digit MNC "001" (differs from "01"), selection parameters, GPRS, SI2ter and SI2quater:
//  00 11 00 00 01  LAI: MCC 0|0, MNC digit 3 = 1 | MCC digit 3 = 1, MNC 0|0, LAC 1
//  91 03 00 CCD: MSCR 1, ATT 0, BS_AG_BLKS_RES 010, CCCH_CONF 001; BS_PA_MFRMS 5 -> 011; T3212 0
//  53       PWRC 1, DTX 01, RLT 0011
//  9f c0    hysteresis 100, TXPWR 11111; ACS 1, NECI 1, RXLEV_ACCESS_MIN 0
//  cf 04 01 max retrans 7 = 11, Tx-integer 0011, barred 1, RE 1 (not allowed); EC barred (bit 3 of
//           octet 3), AC0 barred
//  rest octets, bit by bit (padding pattern in brackets):
//   H(1) CBQ 0 CRO 000101 TO 000 PT 00000 | power L(0) 2ter H(1) early cm H(0) sched L(0)
//   GPRS H(0) RA_COLOUR 011 SI13_POSITION 0 | 3G restriction H(1) (= left to the early classmark
//   sending control) SI2quater H(0) POSITION 0 | pad 1011
//   -> 1000 0101 | 0000 0000 | 0100 0011 | 0100 1011 = 85 00 43 4b
TEST(L3Encode, Si3ThreeDigitMncWithOptions) {
  CellConfig c;
  c.mcc = 1;
  c.mnc = 1;
  c.mnc_digits = 3;
  c.lac = 1;
  c.ci = 2;
  c.att = false;
  c.bs_ag_blks_res = 2;
  c.ccch_conf = 1;
  c.bs_pa_mfrms = 5;
  c.t3212 = 0;
  c.pwrc = true;
  c.dtx = 1;
  c.radio_link_timeout = 3;
  c.cell_reselect_hysteresis = 4;
  c.ms_txpwr_max_cch = 31;
  c.acs = true;
  c.neci = true;
  c.rxlev_access_min = 0;
  c.max_retrans = 7;
  c.tx_integer = 3;
  c.cell_barred = true;
  c.reestablishment_allowed = false;
  c.access_classes_barred = 0x0401;
  c.selection_parameters = true;
  c.cro = 5;
  c.gprs = true;
  c.ra_colour = 3;
  c.neighbors_ter = {600};
  c.si2quater.present = true;
  const auto b = encode_si3(c);
  EXPECT_BLOCK(b, "49 06 1b 00 02 00 11 00 00 01 91 03 00 53 9f c0 cf 04 01 85 00 43 4b");

  // libosmogsm's SI3 rest octet parser reads the same fields
  osmo_gsm48_si_ro_info ro{};
  osmo_gsm48_rest_octets_si3_decode(&ro, b.data() + 19);
  EXPECT_TRUE(ro.selection_params.present);
  EXPECT_EQ(ro.selection_params.cell_resel_off, 5);
  EXPECT_FALSE(ro.power_offset.present);
  EXPECT_TRUE(ro.si2ter_indicator);
  EXPECT_TRUE(ro.early_cm_ctrl);
  EXPECT_FALSE(ro.scheduling.present);
  EXPECT_TRUE(ro.gprs_ind.present);
  EXPECT_EQ(ro.gprs_ind.ra_colour, 3);
  EXPECT_EQ(ro.gprs_ind.si13_position, 0);
  EXPECT_FALSE(ro.early_cm_restrict_3g);
  EXPECT_TRUE(ro.si2quater_indicator);
}

TEST(L3Encode, Si3DefaultRestOctetsParsedByOsmocom) {
  const auto b = encode_si3(cell_a());
  osmo_gsm48_si_ro_info ro{};
  osmo_gsm48_rest_octets_si3_decode(&ro, b.data() + 19);
  EXPECT_FALSE(ro.selection_params.present);
  EXPECT_FALSE(ro.si2ter_indicator);
  EXPECT_TRUE(ro.early_cm_ctrl);
  EXPECT_FALSE(ro.gprs_ind.present);
  EXPECT_FALSE(ro.si2quater_indicator);
}

// SI4 (9.1.36): 31 = pseudo length 12; 06 1c; LAI; cell selection; RACH control; SI4 rest octets
// (10.5.2.35) selection L(0) power L(0) GPRS L(1) then padding: the 0x2b pattern unchanged.
TEST(L3Encode, Si4) {
  EXPECT_BLOCK(encode_si4(cell_a()), "31 06 1c 62 f2 10 56 78 45 08 b8 00 00 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}

// SI4 rest octets with selection parameters (CBQ 1, CRO 63, TO 7, PT 31) and GPRS (RA_COLOUR 5):
// H(1) 1 111111 111 11111 | power L(0) GPRS H(1) 101 0 pad 11 -> ff ff 6b
TEST(L3Encode, Si4WithSelectionParametersAndGprs) {
  CellConfig c = cell_a();
  c.selection_parameters = true;
  c.cbq = 1;
  c.cro = 63;
  c.temporary_offset = 7;
  c.penalty_time = 31;
  c.gprs = true;
  c.ra_colour = 5;
  const auto b = encode_si4(c);
  EXPECT_BLOCK(b, "31 06 1c 62 f2 10 56 78 45 08 b8 00 00 ff ff 6b 2b 2b 2b 2b 2b 2b 2b");
  osmo_gsm48_si_ro_info ro{};
  osmo_gsm48_rest_octets_si4_decode(&ro, b.data() + 13, 10);
  EXPECT_TRUE(ro.selection_params.present);
  EXPECT_EQ(ro.selection_params.cbq, 1);
  EXPECT_EQ(ro.selection_params.cell_resel_off, 63);
  EXPECT_EQ(ro.selection_params.temp_offs, 7);
  EXPECT_EQ(ro.selection_params.penalty_time, 31);
  EXPECT_TRUE(ro.gprs_ind.present);
  EXPECT_EQ(ro.gprs_ind.ra_colour, 5);
}

// SI1 (9.1.31): 55 = pseudo length 21; 06 19; Cell Channel Description (10.5.2.1b) bit map 0 for
// {1, 62, 124}: ARFCN 124 = bit 4 of the first octet (08), 62 = bit 6 of the 9th (20), 1 = bit 1 of the
// last (01); RACH control b8 00 00; SI1 rest octets (10.5.2.32): NCH position L(0), band indicator
// L(0) = 1800 -> 2b; H(1) = 1900 -> 6b.
TEST(L3Encode, Si1) {
  CellConfig c = cell_a();
  c.cell_allocation = {124, 1, 62};
  EXPECT_BLOCK(encode_si1(c), "55 06 19 08 00 00 00 00 00 00 00 20 00 00 00 00 00 00 01 b8 00 00 2b");
  c.band = GsmBand::PCS1900;
  EXPECT_EQ(encode_si1(c)[22], 0x6b);
  // without a cell allocation the cell's own ARFCN (62) is the allocation
  CellConfig d = cell_a();
  EXPECT_BLOCK(encode_si1(d), "55 06 19 00 00 00 00 00 00 00 00 20 00 00 00 00 00 00 00 b8 00 00 2b");
}

// SI2 (9.1.32): 59 = pseudo length 22; 06 1a; Neighbour Cell Description (10.5.2.22) bit map 0 with
// BA-IND = 1 (bit 5: 0x10), EXT-IND = 0; NCC permitted ff; RACH control.
TEST(L3Encode, Si2BitMap0) {
  CellConfig c = cell_a();
  c.neighbors = {1, 62, 124};
  c.ba_ind = true;
  EXPECT_BLOCK(encode_si2(c), "59 06 1a 18 00 00 00 00 00 00 00 20 00 00 00 00 00 00 01 ff b8 00 00");
  // with SI2bis neighbours EXT-IND (bit 6: 0x20) is set, and NCC permitted follows the config
  c.neighbors_bis = {975};
  c.ncc_permitted = 0x81;
  const auto b = encode_si2(c);
  EXPECT_EQ(b[3], 0x38);
  EXPECT_EQ(b[19], 0x81);
}

// SI2bis (9.1.33): 55 = pseudo length 21; 06 02; Neighbour Cell Description with EXT-IND 1, range 1024
// for {975}: 10 1 0 0 F0=0 W1 = 975 = 11 1100 1111 -> a3 cf, rest 0; RACH; rest octets 2b.
TEST(L3Encode, Si2bis) {
  CellConfig c = cell_a();
  c.neighbors_bis = {975};
  EXPECT_BLOCK(encode_si2bis(c), "55 06 02 a3 cf 00 00 00 00 00 00 00 00 00 00 00 00 00 00 b8 00 00 2b");
}

// SI2ter (9.1.34): 49 = pseudo length 18; 06 03; Neighbour Cell Description 2 (10.5.2.22a): range 1024,
// multiband reporting 00, BA-IND 1 (0x10) for {600}: 1 00 1 0 0 W1 = 600 = 10 0101 1000 -> 92 58;
// SI2ter rest octets all L: 2b 2b 2b 2b.
TEST(L3Encode, Si2ter) {
  CellConfig c = cell_a();
  c.neighbors_ter = {600};
  c.ba_ind = true;
  EXPECT_BLOCK(encode_si2ter(c), "49 06 03 92 58 00 00 00 00 00 00 00 00 00 00 00 00 00 00 2b 2b 2b 2b");
}

// SI13 (9.1.43a): 01 = pseudo length 0; 06 00; SI13 rest octets (10.5.2.37b), bit by bit:
//  H(1) BCCH_CHANGE_MARK 000 SI_CHANGE_FIELD 0000                         -> 80
//  0 (no MA) 0 (no PBCCH) RAC 00000000                                    -> 00
//  (RAC) 00 SPGC 0 PRIORITY_ACCESS_THR 110 NCO 00                          -> 18
//  GPRS Cell Options (44.060 12.24): NMO 01 T3168 100 T3192 000           -> 60
//  DRX_TIMER_MAX 011 ACCESS_BURST_TYPE 0 CONTROL_ACK_TYPE 1 BS_CV_MAX 111(1) -> 6f
//  (1) PAN 0 ext 0 | ALPHA 0000 T_AVG_W 0(1111)                           -> 80
//  (1111) T_AVG_T 0111(1)                                                  -> f7
//  (1) PC_MEAS_CHAN 0 N_AVG_I 0100 Rel-99 H(0) SGSNR 1                     -> 91
TEST(L3Encode, Si13) {
  const auto b = encode_si13(cell_a());
  EXPECT_BLOCK(b, "01 06 00 80 00 18 60 6f 80 f7 91 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
  osmo_gsm48_si13_info si13{};
  ASSERT_GE(osmo_gsm48_rest_octets_si13_decode(&si13, b.data() + 3), 0);
  EXPECT_EQ(si13.bcch_change_mark, 0);
  EXPECT_EQ(si13.rac, 0);
  EXPECT_EQ(si13.prio_acc_thr, 6);
  EXPECT_EQ(si13.net_ctrl_ord, 0);
  EXPECT_EQ(si13.cell_opts.nmo, 1);
  // libosmogsm gives these in the units of the 44.060 12.24 tables: T3168 coded 4 = (4 + 1) * 500 ms,
  // T3192 coded 0 = 500 ms, DRX_TIMER_MAX coded 3 = 4 s
  EXPECT_EQ(si13.cell_opts.t3168, 2500u);
  EXPECT_EQ(si13.cell_opts.t3192, 500u);
  EXPECT_EQ(si13.cell_opts.drx_timer_max, 4u);
  EXPECT_EQ(si13.cell_opts.bs_cv_max, 15);
  EXPECT_EQ(si13.pwr_ctrl_pars.t_avg_w, 15);
  EXPECT_EQ(si13.pwr_ctrl_pars.t_avg_t, 15);
  EXPECT_EQ(si13.pwr_ctrl_pars.n_avg_i, 4);
}

// SI2quater (9.1.34a, rest octets 10.5.2.33b), one E-UTRAN frequency, bit by bit:
//  BA_IND 0 3G_BA_IND 0 MP_CHANGE_MARK 0 INDEX 0000 COUNT 0000, seven absent descriptions 0000000,
//  no 3G Neighbour Cell Description 0, no 3G / GPRS_3G measurement 00, Rel-5 H(1) 00, Rel-6 H(1)
//  3G_CCN_ACTIVE 0, Rel-7 H(0) 00, Rel-8 H(1), Priority and E-UTRAN 1, Serving Cell Priority 1
//  GERAN_PRIORITY 010 THRESH_Priority_Search 1111 THRESH_GSM_low 1111 H_PRIO 00 T_Reselection 00,
//  no 3G Priority 0, E-UTRAN Parameters 1: CCN 0 Start 1 Stop 1, no measurement 0 0,
//  Repeated E-UTRAN Neighbour Cells 1: 1 EARFCN 1300 (0000 0101 0001 0100) bandwidth 0, end 0,
//  priority 1 101, THRESH_high 01010, low absent 0 (= high), QRXLEVMIN absent 0 (= 0); end 0;
//  not allowed 0; PCID to TA 0; 3G CSG 0; E-UTRAN CSG 0; padding.
//  -> 00 00 04 87 5f e0 b3 05 14 35 40 2b ... ; L2 pseudo length 1 (05).
TEST(L3Encode, Si2quaterEutran) {
  CellConfig c = cell_a();
  c.si2quater.present = true;
  c.si2quater.eutran = {{1300, 5, 10, 10, 0}};
  EXPECT_BLOCK(encode_si2quater(c), "05 06 07 00 00 04 87 5f e0 b3 05 14 35 40 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}

// SI2quater with a UTRAN FDD neighbour: UARFCN 10700 with scrambling codes {0, 5}: FDD_Indic0 = 1, the
// other value coded as range 1024 W(1) = 5 (10 bits), NR_OF_FDD_CELLS 1 (p(1) = 10 bits).
//  ...0 | 3G NCD 1, Index_Start_3G 0, Absolute_Index_Start_EMR 0, FDD 1, Bandwidth_FDD 0, repeat 1,
//  0 FDD-ARFCN 10100111001100, Indic0 1, NR 00001, W1 0000000101, end 0 | TDD 0, 3G meas 0, GPRS 3G 0,
//  Rel-5 H(1) 00, Rel-6 H(0) CCN 0, Rel-7 H(1) 00, Rel-8 H(1) 1 1 010 1111 1111 00 00, 3G prio 0,
//  E-UTRAN 0, CSG 0 0, padding -> 00 00 25 53 99 08 0a 10 9d 7f 80 2b ...
TEST(L3Encode, Si2quaterUtranFdd) {
  CellConfig c = cell_a();
  c.si2quater.present = true;
  c.si2quater.utran_fdd = {{10700, {5, 0}}};
  EXPECT_BLOCK(encode_si2quater(c), "05 06 07 00 00 25 53 99 08 0a 10 9d 7f 80 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}

TEST(L3Encode, Si2quaterCapacity) {
  CellConfig c = cell_a();
  c.si2quater.present = true;
  // Bits before the E-UTRAN neighbours: 11 header + 7 + 1 + 2 + 9 (Rel-5..8 markers and their fields)
  // + 18 serving priority + 6 E-UTRAN header = 54; after them 1 + 2 + 2 = 5; 160 in all.
  // Three E-UTRAN frequencies with the same parameters share one group: 1 + 3 x 18 + 1 + 4 + 5 + 6 + 6
  // = 77 bits -> 136 bits, fits.
  c.si2quater.eutran = {{1300}, {3050}, {6300}};
  EXPECT_NO_THROW(encode_si2quater(c));
  // ... but not with a UTRAN neighbour of two cells (3G Neighbour Cell Description: 48 bits more)
  c.si2quater.utran_fdd = {{10700, {1, 2}}};
  EXPECT_THROW(encode_si2quater(c), std::invalid_argument);
  // three distinct groups of 31 bits (THRESH_low = THRESH_high and QRXLEVMIN 0 left out) -> 152 bits
  c.si2quater.utran_fdd.clear();
  c.si2quater.eutran = {{1300, 5, 10, 10, 0}, {3050, 6, 12, 12, 0}, {6300, 7, 14, 14, 0}};
  EXPECT_NO_THROW(encode_si2quater(c));
  // three distinct groups with all parameters (41 bits each) -> 182 bits: one instance cannot hold them
  c.si2quater.eutran = {{1300, 5, 10, 4, 3}, {3050, 6, 12, 4, 3}, {6300, 7, 14, 5, 2}};
  EXPECT_THROW(encode_si2quater(c), std::invalid_argument);
}

// Several SI2quater instances when one cannot hold the neighbours. Three E-UTRAN frequencies with all
// parameters (41 bits each): instance 0 takes 1300 and 3050 with the serving cell priorities (59 + 82
// bits), instance 1 the last one. Instance 1 bit by bit: BA_IND 0 3G_BA_IND 0 MP 0 INDEX 0001 COUNT 0001,
// 0000000, no 3G NCD 0, 0 0, Rel-5 H(1) 0 0, Rel-6 H(1) 0, Rel-7 H(0) 0 0, Rel-8 H(1), Priority and
// E-UTRAN 1, no serving priorities 0, no 3G priorities 0, E-UTRAN 1: CCN 0 Start 0 Stop 1, 0 0,
// group 1: 1 EARFCN 6300 (0001 1000 1001 1100) 0, end 0, priority 1 111, high 01110, low 1 00101,
// QRXLEVMIN 1 00010; end 0, 0, 0, CSG 0 0, padding 011 ->
// 02 20 04 86 49 8c 4e 1e e9 62 03 2b ...
TEST(L3Encode, Si2quaterInstances) {
  CellConfig c = cell_a();
  c.si2quater.present = true;
  c.si2quater.eutran = {{1300, 5, 10, 4, 3}, {3050, 6, 12, 4, 3}, {6300, 7, 14, 5, 2}};
  const auto v = encode_si2quater_instances(c);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_BLOCK(v[1], "05 06 07 02 20 04 86 49 8c 4e 1e e9 62 03 2b 2b 2b 2b 2b 2b 2b 2b 2b");
  EXPECT_EQ(v[0][3], 0x00);        // INDEX 0000, COUNT first bit 0
  EXPECT_EQ(v[0][4] >> 5, 0x01);   // COUNT low bits 001
  // what fits in one instance stays one instance, identical to encode_si2quater
  c.si2quater.eutran.pop_back();
  const auto one = encode_si2quater_instances(c);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0], encode_si2quater(c));
}

// Paging Request Type 1 against the real network: gr-gsm's decodes of the 2007 capture.
// fn 675007: TMSIs 0x2402810b and 0x18000312, channel needed TCH/F for both (a0);
// fn 675011: TMSI 0x2e020e94, channel needed TCH/F, any;  fn 675017: "No Identity" (01 f0).
TEST(L3Encode, PagingType1MatchesRealCapture) {
  TW_REQUIRE_SHARED(shared);
  std::ifstream f(shared / "captures/gsm/reference.json");
  ASSERT_TRUE(f.good());
  const auto j = nlohmann::json::parse(f);
  std::map<long, std::string> by_fn;
  for (const auto& cap : j.at("captures")) {
    for (const auto& blk : cap.at("blocks")) by_fn[blk.at("fn").get<long>()] = blk.at("hex").get<std::string>();
  }
  ASSERT_EQ(by_fn.count(675007), 1u);
  ASSERT_EQ(by_fn.count(675011), 1u);
  ASSERT_EQ(by_fn.count(675017), 1u);

  MobileIdentity t1, t2, t3, none;
  t1.tmsi = 0x2402810b;
  t2.tmsi = 0x18000312;
  t3.tmsi = 0x2e020e94;
  none.kind = MobileIdentity::Kind::none;
  EXPECT_BLOCK(encode_paging_request_1({t1, t2}, 0, {2, 2}), by_fn[675007]);
  EXPECT_BLOCK(encode_paging_request_1({t3}, 0, {2, 0}), by_fn[675011]);
  EXPECT_BLOCK(encode_paging_request_1({none}, 0, {0, 0}), by_fn[675017]);
}

// Paging Request Type 1 with an IMSI (10.5.1.4, type 001, odd, 15 digits 262011234567890):
//  2|odd|001 = 29, then digit pairs (even digit high) 26 10 21 43 65 87 09; length 8; then TMSI as TLV.
//  pseudo length 19 (4d): 06 21 00 | 08 + 8 | 17 05 f4 01 02 03 04.
TEST(L3Encode, PagingType1WithImsi) {
  MobileIdentity imsi, tmsi;
  imsi.kind = MobileIdentity::Kind::imsi;
  imsi.digits = {2, 6, 2, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0};
  tmsi.tmsi = 0x01020304;
  EXPECT_BLOCK(encode_paging_request_1({imsi, tmsi}),
               "4d 06 21 00 08 29 26 10 21 43 65 87 09 17 05 f4 01 02 03 04 2b 2b 2b");
}

// Paging Request Type 1 with an IMEI (10.5.1.4, type 010, odd, 15 digits 356938035643809):
//  3|odd|010 = 3a, then 65 39 08 53 46 83 90; length 8; pseudo length 12 (31): 06 21 00 | 08 + 8.
TEST(L3Encode, PagingType1WithImei) {
  MobileIdentity imei;
  imei.kind = MobileIdentity::Kind::imei;
  imei.digits = {3, 5, 6, 9, 3, 8, 0, 3, 5, 6, 4, 3, 8, 0, 9};
  EXPECT_BLOCK(encode_paging_request_1({imei}),
               "31 06 21 00 08 3a 65 39 08 53 46 83 90 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
  imei.digits.pop_back();  // an IMEI has 15 digits (23.003 6.2.1)
  EXPECT_THROW(encode_paging_request_1({imei}), std::invalid_argument);
}

// Paging Request Type 2 (9.1.23): page mode 1, channel needed first SDCCH (01), second TCH/H+F (11) -> d1;
// TMSIs as V; third identity an even IMSI 00101123456789 (0|even|001 = 01, pairs 10 10 21 43 65 87,
// last f9 with the 1111 filler) as TLV 17 08; pseudo length 21 (55); P2 rest octets 2b.
TEST(L3Encode, PagingType2) {
  MobileIdentity imsi;
  imsi.kind = MobileIdentity::Kind::imsi;
  imsi.digits = {0, 0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_BLOCK(encode_paging_request_2(0x11223344, 0x55667788, &imsi, 1, {1, 3}),
               "55 06 22 d1 11 22 33 44 55 66 77 88 17 08 01 10 10 21 43 65 87 f9 2b");
  // without a third identity: pseudo length 11 (2d)
  EXPECT_BLOCK(encode_paging_request_2(0x11223344, 0x55667788, nullptr),
               "2d 06 22 00 11 22 33 44 55 66 77 88 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}

// Paging Request Type 3 (9.1.24): pseudo length 19 (4d), page mode 2, four TMSIs, P3 rest octets 2b 2b 2b.
TEST(L3Encode, PagingType3) {
  EXPECT_BLOCK(encode_paging_request_3({0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10}, 2),
               "4d 06 24 02 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 2b 2b 2b");
}

// Immediate Assignment (9.1.18), SDCCH/8 sub-channel 3 on TN 1, TSC 5, ARFCN 62, no hopping:
//  2d pseudo length 11; 06 3f; 00 page mode 0, dedicated mode;
//  59 a0 3e Channel Description (10.5.2.5): 01 011 | 001; TSC 101, H 0, 00, ARFCN 00 | 0011 1110
//  1a 24 62 Request Reference (10.5.2.30) RA 0x1a, FN 2000000: T1 = 1508 -> T1' = 4, T3 = 35 (100 011),
//           T2 = 2: 00100 100 | 011 00010
//  07 timing advance; 00 empty Mobile Allocation; IA rest octets 2b...
TEST(L3Encode, ImmediateAssignmentNonHopping) {
  ImmediateAssignment ia;
  ia.timeslot = 1;
  ia.subchannel = 3;
  ia.tsc = 5;
  ia.arfcn = 62;
  ia.ra = 0x1a;
  ia.fn = 2000000;
  ia.timing_advance = 7;
  EXPECT_BLOCK(encode_immediate_assignment(ia), "2d 06 3f 00 59 a0 3e 1a 24 62 07 00 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}

// Hopping: SDCCH/8 sub-channel 7 on TN 2, TSC 2, MAIO 5, HSN 17: 7a; 010 1 0001; 01 010001.
// Cell allocation {0, 10..90 step 10} ordered 10, 20, ..., 90, 0 (ARFCN 0 last, 10.5.2.21): NF = 10,
// 2 octets. MA {20, 90, 0} = MA C2, C9, C10: last octet bit 2 (02), first octet bits 1 and 2 (03).
// Request reference RA e0 at FN 0; TA 0; Mobile Allocation LV 02 03 02; pseudo length 13 (35).
TEST(L3Encode, ImmediateAssignmentHopping) {
  ImmediateAssignment ia;
  ia.timeslot = 2;
  ia.subchannel = 7;
  ia.tsc = 2;
  ia.hopping = true;
  ia.maio = 5;
  ia.hsn = 17;
  ia.cell_allocation = {0, 50, 10, 20, 30, 40, 60, 70, 80, 90};
  ia.mobile_allocation_arfcns = {20, 90, 0};
  ia.ra = 0xe0;
  ia.fn = 0;
  EXPECT_BLOCK(encode_immediate_assignment(ia), "35 06 3f 00 7a 51 51 e0 00 00 00 02 03 02 2b 2b 2b 2b 2b 2b 2b 2b 2b");
  ia.mobile_allocation_arfcns = {25};  // not in the cell allocation
  EXPECT_THROW(encode_immediate_assignment(ia), std::invalid_argument);
}

// Immediate Assignment Reject (9.1.20): pseudo length 19 (4d); 06 3a; page mode 00; four pairs of
// Request Reference + Wait Indication (10.5.2.43, 10 s), the first reference repeated to fill; IAR rest
// octets (10.5.2.17): four "0" bits (no Extended RA 1..4: plain bits, not L/H), L(1) for no Rel-13
// additions, padding 011 -> 0000 1011 = 0b, then 2b 2b.
TEST(L3Encode, ImmediateAssignmentReject) {
  EXPECT_BLOCK(encode_immediate_assignment_reject({{0x12, 2000000}, {0x34, 0}}, 10),
               "4d 06 3a 00 12 24 62 0a 34 00 00 0a 12 24 62 0a 12 24 62 0a 0b 2b 2b");
}

// 44.006: the fill frame on CCCH/BCCH: address 03, control 03 (UI), length indicator 01 (L = 0, EL = 1).
TEST(L3Encode, FillFrame) {
  EXPECT_BLOCK(l2_fill_frame(), "03 03 01 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b 2b");
}

TEST(L3Encode, RejectsOutOfRangeFields) {
  CellConfig c = cell_a();
  c.t3212 = 256;
  EXPECT_THROW(encode_si3(c), std::invalid_argument);
  c = cell_a();
  c.max_retrans = 3;
  EXPECT_THROW(encode_si1(c), std::invalid_argument);
  c = cell_a();
  c.mnc = 100;  // a 2-digit MNC
  EXPECT_THROW(encode_si4(c), std::invalid_argument);
  c = cell_a();
  c.bs_pa_mfrms = 1;
  EXPECT_THROW(encode_si3(c), std::invalid_argument);
  MobileIdentity bad;
  bad.kind = MobileIdentity::Kind::imsi;
  bad.digits = {1, 2, 3};
  EXPECT_THROW(encode_paging_request_1({bad}), std::invalid_argument);
  EXPECT_THROW(encode_paging_request_1({}), std::invalid_argument);
  ImmediateAssignment ia;
  ia.timing_advance = 64;
  EXPECT_THROW(encode_immediate_assignment(ia), std::invalid_argument);
  EXPECT_THROW(encode_immediate_assignment_reject({}, 10), std::invalid_argument);
}

namespace {
std::set<int> osmo_freq_list(const std::uint8_t* v) {
  std::vector<gsm_sysinfo_freq> f(1024);
  std::array<std::uint8_t, 16> copy;
  std::copy(v, v + 16, copy.begin());
  copy[0] &= 0xcf;  // EXT-IND / BA-IND are not part of the list
  EXPECT_EQ(gsm48_decode_freq_list(f.data(), copy.data(), 16, 0xff, 0x01), 0);
  std::set<int> out;
  for (int i = 0; i < 1024; ++i) {
    if (f[static_cast<std::size_t>(i)].mask & 0x01) out.insert(i);
  }
  return out;
}
}  // namespace

// Random cells: the BA lists of SI1/SI2/SI2bis (libosmogsm's decoder) and the identities of SI3/SI4 read
// back; configurations whose lists cannot be encoded are refused with std::invalid_argument, never garbled.
TEST(L3Encode, RandomCellsReadBack) {
  std::mt19937 rng(2024);
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int encoded = 0, refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    CellConfig c;
    c.mcc = uni(0, 999);
    c.mnc_digits = uni(2, 3);
    c.mnc = uni(0, c.mnc_digits == 2 ? 99 : 999);
    c.lac = uni(1, 65533);
    c.ci = uni(0, 65535);
    std::set<int> n1, n2;
    const int k1 = uni(0, 20), k2 = uni(0, 20);
    const int base = uni(0, 1023);
    for (int i = 0; i < k1; ++i) n1.insert(uni(1, 124));
    for (int i = 0; i < k2; ++i) n2.insert((base + uni(0, 300)) % 1024);
    c.neighbors.assign(n1.begin(), n1.end());
    c.neighbors_bis.assign(n2.begin(), n2.end());
    c.cell_allocation = c.neighbors_bis;
    try {
      const auto si1 = encode_si1(c);
      const auto si2 = encode_si2(c);
      const auto si2bis = encode_si2bis(c);
      EXPECT_EQ(osmo_freq_list(si1.data() + 3), c.cell_allocation.empty() ? std::set<int>{c.arfcn} : n2);
      EXPECT_EQ(osmo_freq_list(si2.data() + 3), n1);
      EXPECT_EQ(osmo_freq_list(si2bis.data() + 3), n2);
      EXPECT_EQ((si2[3] >> 5) & 1, n2.empty() ? 0 : 1);  // EXT-IND
      ++encoded;
    } catch (const std::invalid_argument&) {
      ++refused;  // more ARFCNs over a wider span than 16 octets hold
    }
    const auto si3 = encode_si3(c);
    EXPECT_EQ(si3[3] << 8 | si3[4], c.ci);
    EXPECT_EQ(si3[8] << 8 | si3[9], c.lac);
    const int mcc = (si3[5] & 0xf) * 100 + (si3[5] >> 4) * 10 + (si3[6] & 0xf);
    EXPECT_EQ(mcc, c.mcc);
    const int mnc3 = si3[6] >> 4;
    EXPECT_EQ(mnc3 == 0xf ? 2 : 3, c.mnc_digits);
    const int mnc = c.mnc_digits == 2 ? (si3[7] & 0xf) * 10 + (si3[7] >> 4)
                                      : (si3[7] & 0xf) * 100 + (si3[7] >> 4) * 10 + mnc3;
    EXPECT_EQ(mnc, c.mnc);
    const auto si4 = encode_si4(c);
    EXPECT_TRUE(std::equal(si4.begin() + 3, si4.begin() + 8, si3.begin() + 5));  // same LAI
  }
  EXPECT_GT(encoded, 200);
  EXPECT_GT(encoded + refused, 299);
}
