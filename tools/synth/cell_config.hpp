// What one synthesized GSM cell broadcasts, and the scene it sits in. Field names follow 3GPP TS 44.018
// (information elements) and 45.008 (their meaning). Ranges are the coded ranges of the IEs; the scene
// parser (scene.cpp) checks them and names the field it rejects.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/synth/geometry.hpp"
#include "tools/synth/jammer.hpp"

namespace tw::synth {

// 45.005 clause 2. The ARFCN alone is ambiguous between DCS1800 and PCS1900 (512..810).
enum class GsmBand { GSM450, GSM480, GSM850, PGSM900, EGSM900, RGSM900, DCS1800, PCS1900 };

// SI2quater (44.018 clause 10.5.2.33b / 9.1.34b): 3G and E-UTRAN neighbours with priorities.
struct UtranFddNeighbour {
  int uarfcn = 10700;                   // 0..16383
  std::vector<int> scrambling_codes;    // primary scrambling codes 0..511
};
struct EutranNeighbour {
  int earfcn = 1300;                    // 0..65535
  int priority = 5;                     // E-UTRAN_PRIORITY 0..7 (7 highest)
  int thresh_high = 10;                 // THRESH_E-UTRAN_high 0..31 (2 dB steps, 45.008)
  int thresh_low = 5;                   // THRESH_E-UTRAN_low 0..31
  int qrxlevmin = 10;                   // E-UTRAN_QRXLEVMIN 0..31 (-140 dBm + 2 dB steps)
};
struct Si2quaterConfig {
  bool present = false;
  int geran_priority = 2;               // serving GERAN_PRIORITY 0..7
  int thresh_prio_search = 15;          // THRESH_Priority_Search 0..15 (15 = always)
  int thresh_gsm_low = 15;              // THRESH_GSM_low 0..15 (15 = always allow reselection to higher prio)
  int h_prio = 0;                       // H_PRIO 0..3
  int t_reselection = 0;                // T_Reselection 0..3
  std::vector<UtranFddNeighbour> utran_fdd;
  std::vector<EutranNeighbour> eutran;
};

// CCCH traffic (paging and access grants), per second of air time.
struct CcchTraffic {
  double paging_per_s = 2.0;            // Paging Request messages per second (type chosen below)
  double paging_type2_fraction = 0.1;   // share sent as Paging Request Type 2
  double paging_type3_fraction = 0.05;  // share sent as Paging Request Type 3
  double paging_imsi_fraction = 0.1;    // share of identities that are IMSIs ...
  double paging_imei_fraction = 0.0;    // ... and IMEIs (else TMSIs); together at most 1
  double imm_ass_per_s = 1.0;           // Immediate Assignment
  double imm_ass_hopping_fraction = 0.0;// share of Immediate Assignments with hopping channels
  double imm_ass_reject_per_s = 0.0;    // Immediate Assignment Reject
};

struct CellConfig {
  std::string name;                     // free text for the truth file ("legit-1", "rogue")
  // Identity
  int arfcn = 62;
  GsmBand band = GsmBand::PGSM900;      // derived from the ARFCN unless the scene says "band"
  int bsic = 0;                         // 0..63: NCC = bsic >> 3, BCC = bsic & 7 (TSC of C0)
  int mcc = 1;                          // 0..999
  int mnc = 1;                          // 0..999
  int mnc_digits = 2;                   // 2 or 3 (a 3-digit MNC "001" differs from "01")
  int lac = 1;                          // 1..65533 (0 and 65534 reserved, 65535 deleted)
  int ci = 1;                           // 0..65535

  // Neighbours: BA list of SI2 (P-GSM900 / same band), SI2bis (extension), SI2ter (other bands)
  std::vector<int> neighbors;
  std::vector<int> neighbors_bis;
  std::vector<int> neighbors_ter;
  bool ba_ind = false;
  int ncc_permitted = 0xff;             // bitmap, bit n = NCC n permitted
  std::vector<int> cell_allocation;     // SI1 cell channel description; empty: {arfcn}

  // SI3 / SI4: control channel description (10.5.2.11)
  bool att = true;                      // IMSI attach/detach allowed
  int bs_ag_blks_res = 1;               // 0..7
  int ccch_conf = 0;                    // 0: 1 non-combined CCCH; 1: combined with SDCCH/4
  int bs_pa_mfrms = 2;                  // multiframes between paging, 2..9 (coded as value-2)
  int t3212 = 10;                       // periodic LU timer in decihours, 0..255 (0 = infinite)
  // Cell options (10.5.2.3)
  bool pwrc = false;
  int dtx = 2;                          // 0..3
  int radio_link_timeout = 15;          // coded 0..15 (= 4*(v+1) SACCH blocks)
  // Cell selection parameters (10.5.2.4)
  int cell_reselect_hysteresis = 2;     // 0..7 (2 dB steps)
  int ms_txpwr_max_cch = 5;             // 0..31
  bool acs = false;
  bool neci = false;
  int rxlev_access_min = 8;             // 0..63
  // RACH control parameters (10.5.2.29)
  int max_retrans = 4;                  // 1, 2, 4 or 7
  int tx_integer = 14;                  // 0..15
  bool cell_barred = false;
  bool reestablishment_allowed = true;  // RE = 0 means allowed
  uint16_t access_classes_barred = 0;   // bits 0..9: AC0..9, bit 10 EC, bits 11..15: AC11..15
  // SI3/SI4 rest octets: optional selection parameters (10.5.2.34)
  bool selection_parameters = false;    // CBQ/CRO/TO/PT present
  int cbq = 0;                          // 0..1
  int cro = 0;                          // CELL_RESELECT_OFFSET 0..63 (2 dB steps)
  int temporary_offset = 0;             // 0..7 (10 dB steps, 7 = infinity)
  int penalty_time = 0;                 // 0..31 (20 s steps, 31 = special)
  bool gprs = false;                    // GPRS indicator in SI3 rest octets, SI13 scheduled
  int ra_colour = 0;                    // 0..7 (GPRS)
  Si2quaterConfig si2quater;

  // Radio
  double power_dbfs = -30.0;            // at the receiver input
  double freq_offset_hz = 0.0;          // the cell's own clock error
  double delay_us = 0.0;                // path delay
  std::string multipath = "none";       // "none" | "tu" (typical urban, ~5 us spread)
  double doppler_hz = 0.0;              // max Doppler for the Rayleigh taps of a fading profile
  double on_s = 0.0;                    // transmits from this time...
  std::optional<double> off_s;          // ...until this time (none: to the end)
  std::uint32_t first_fn = 0;           // frame number at t = 0 (the scene derives one from the seed when absent)
  bool first_fn_set = false;
  CellPlacement placement;              // where the cell stands (geometry.hpp); used with a receiver track

  CcchTraffic traffic;
};

struct Scene {
  std::string name;
  std::uint64_t seed = 1;
  double noise_dbfs = -70.0;            // complex white noise power in the receiver's full bandwidth
  double receiver_ppm = 0.0;            // shifts every carrier and the sample clock
  double dc_offset_dbfs = -200.0;       // a zero-IF dongle's DC spike (-200: none)
  double iq_gain_imbalance_db = 0.0;
  double iq_phase_imbalance_deg = 0.0;
  double rx_gain_db = 40.0;             // placed cells: level in dBFS = level in dBm + rx_gain_db (geometry.hpp)
  std::vector<CellConfig> cells;
  std::vector<JammerConfig> jammers;    // wideband noise jammers (tools/synth/jammer.hpp)
};

// Downlink carrier frequency of an ARFCN in the cell's band (45.005 clause 2), in Hz.
double downlink_hz(int arfcn, GsmBand band);
// The band an ARFCN belongs to when the scene does not say (512..885: DCS1800).
GsmBand default_band(int arfcn);
const char* band_name(GsmBand band);     // "PGSM900", "DCS1800", ...
std::optional<GsmBand> band_from_name(std::string_view name);
bool arfcn_in_band(int arfcn, GsmBand band);

}  // namespace tw::synth
