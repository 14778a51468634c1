// The rule table: one line per rule {id, title, weight, rationale, fn}. Weights add up to the cell's score;
// an alert needs 2.6 (SnoopSnitch's threshold), so no single rule alerts alone: a catcher shows several.
#include "src/scorer/rules/rules.hpp"

namespace tw {

namespace {
// clang-format off
const std::vector<Rule> kRules = {
  {"A2", "LAC (LTE: TAC) differs from every same-operator cell", 1.5,
   "A catcher announces a LAC of its own so that phones perform a location update towards it (TS 24.008 4.4.1: "
   "a new LAI triggers location updating, which reveals the IMSI/TMSI). SnoopSnitch A2, PyCatcher's LAC "
   "consistency check, AIMSICD 'LAC/CID consistency'. LTE cells: SIB1's TAC against the operator's other LTE "
   "cells (a new TAI triggers a tracking area update, TS 24.301 5.5.3.2; Crocodile Hunter's TAC check). Needs "
   "more than 2 decoded same-operator cells of the RAT.",
   rules::a2_lac_differs},
  {"A4", "Same global identity on another ARFCN (LTE: EARFCN or PCI)", 1.5,
   "One cell has one BCCH carrier (TS 45.002 6.3); the same MCC/MNC/LAC/CI on two ARFCNs of one sweep means a "
   "cloned identity. LTE: the 28-bit cell identity (unique in the PLMN, TS 36.300 8.2) on another EARFCN or "
   "with another PCI (one carrier, one PCI per cell, TS 36.211 6.11). SnoopSnitch A4, Crocodile Hunter's "
   "duplicate-identity check. Both cells are flagged (one "
   "sweep cannot tell the original); the weight stays below the threshold so the original does not alert alone.",
   rules::a4_cloned_identity},
  {"A5", "Lone cell in its LAC (LTE: TAC)", 0.5,
   "A location area normally spans many cells (TS 23.003 4.1; a tracking area likewise, 4.17); a LAC/TAC holding "
   "a single cell while the operator's other one has several is how a catcher with a fresh LAC/TAC looks. "
   "SnoopSnitch A5. Low weight: a legitimate cell "
   "at a location-area border, or a small sweep, looks the same.",
   rules::a5_lone_lac},
  {"K1", "Empty or near-empty neighbour list", 1.0,
   "A catcher lists no neighbours (SI2/SI2bis/SI2ter BA list, TS 44.018 10.5.2.22) so phones have nowhere to "
   "reselect to. SnoopSnitch K1, AIMSICD 'neighbours consistency', SeaGlass. Judged only when SI2 was decoded; "
   "a single neighbour counts half.",
   rules::k1_empty_neighbours},
  {"K2", "Cell reselect offset above 40 dB", 1.0,
   "CELL_RESELECT_OFFSET (TS 45.008 9, coded 0..63 in 2 dB steps) is added to C2 (45.008 6.4): a high value "
   "makes phones prefer the cell whatever its signal. SnoopSnitch K2 flags more than 40 dB (coded value above "
   "20). Not flagged when PENALTY_TIME = 31 reverses its sign.",
   rules::k2_high_cro},
  {"R1", "Announced by no neighbour", 1.0,
   "A real operator's cells list each other in their BA lists (TS 44.018 3.2.2.1); a cell whose ARFCN no "
   "same-operator neighbour announces was not planned with them. SnoopSnitch R1 ('inconsistent neighbour "
   "list'), AIMSICD 'check BTS for the NC list'. Needs 2 same-operator cells with non-empty decoded lists.",
   rules::r1_unannounced},
  {"R2", "Too many paging groups", 0.5,
   "(9 - BS_AG_BLKS_RES - 6 x combined CCCH) x BS_PA_MFRMS paging groups (TS 45.002 6.5.2, TS 44.018 "
   "10.5.2.11, BS_PA_MFRMS = coded + 2) above 80: SnoopSnitch R2. At most 81 is possible (BS_AG_BLKS_RES 0, "
   "BS_PA_MFRMS 9), so it rarely fires; low weight.",
   rules::r2_paging_groups},
  {"T1", "Short location-update timer", 1.5,
   "A short T3212 (TS 44.018 10.5.2.11, decihours; TS 24.008 4.4.2) makes phones re-register often, handing a "
   "catcher their identities. SnoopSnitch T1: below 5 (30 min) weight 1.5, below 9 weight 0.7. T3212 = 0 "
   "(no periodic updating) is not short.",
   rules::t1_short_t3212},
  {"F1", "Carrier frequency far off the network", 1.5,
   "Base stations keep their carrier within +-50 ppb (TS 45.010 5.1, TS 45.005 6.1); a catcher on a cheap "
   "SDR oscillator is ppm off. None of SnoopSnitch, Crocodile Hunter, PyCatcher, SeaGlass or AIMSICD has this "
   "(they see no RF): it catches a rogue that clones every broadcast parameter. Beyond 500 ppb after "
   "calibration, or from the sweep's median without calibration.",
   rules::f1_rf_fingerprint},
  {"I1", "Non-hopping assignments where the operator hops", 1.0,
   "An operator that hops (TS 45.002 6.2, channel description H bit in Immediate Assignment, TS 44.018 "
   "9.1.18) does so on all its cells; a single-carrier catcher cannot. Crocodile Hunter and SnoopSnitch "
   "compare assignment parameters with the network's.",
   rules::i1_non_hopping},
  {"P1", "E-UTRAN priority below GERAN", 1.0,
   "SI2quater priorities (TS 44.018 10.5.2.33b, TS 45.008 6.6.6) that place LTE below the serving GSM cell keep "
   "phones on 2G where a catcher can work: the GSM side of Rayhunter's downgrade heuristic, AIMSICD "
   "'LTE/3G downgrade'.",
   rules::p1_lte_priority},
  {"B1", "Not in the baseline", 1.0,
   "A cell of a known operator that neither the learned baseline nor the imported OpenCellID holds: "
   "AIMSICD's 'DBe consistency check', SeaGlass's comparison with the surveyed baseline. LTE cells are looked "
   "up by TAC + ECI among LTE rows (OpenCellID radio LTE: area = TAC, cell = ECI) and need LTE cells of the "
   "operator in the baseline. Silent without a baseline or for an operator the baseline does not know. NR cells "
   "(the MIB has no global identity, TS 38.331 6.2.2) by PCI at GSCN (TS 38.211 7.4.2.1, 38.104 5.4.3.1): a PCI "
   "never learned at a GSCN where the baseline learned other NR cells (seen twice there).",
   rules::b1_not_in_baseline},
  {"C1", "Identity change of a known cell", 1.5,
   "A base station keeps its cell global identity (TS 23.003 4.3.1, broadcast in SI3/SI4, TS 44.018 9.1.35); "
   "a carrier the baseline learned on this ARFCN with this BSIC now broadcasting another LAC or CI is a "
   "takeover of a known channel (phones already measure it) with a LAI that forces a location update. "
   "AIMSICD 'changing LAC/CID', SnoopSnitch's LAC checks over time. LTE: a learned EARFCN + PCI now with "
   "another TAC or cell identity (TS 36.331 SIB1), Crocodile Hunter's TAC change of a known cell. Needs a "
   "learned cell seen twice there.",
   rules::c1_identity_change},
  {"B2", "ARFCN (LTE: EARFCN) outside the operator's plan", 1.0,
   "Operators use their licensed carriers (TS 45.005 clause 2) and announce them in their BA lists (TS 44.018 "
   "10.5.2.22); a cell of the operator on a channel none of its learned cells uses or announces was not "
   "planned with them: a catcher on a free channel. Crocodile Hunter compares channels with the surveyed "
   "network. LTE: the EARFCNs of the operator's learned LTE cells and the carriers their SIB5 announces "
   "(TS 36.331 6.3.1; an operator points phones to its own layers, TS 36.304 5.2.4). Needs 3 learned cells of "
   "the operator in the band and 3 stored sweeps of it.",
   rules::b2_arfcn_outside_plan},
  {"M1", "MCC/MNC unknown for the region", 1.0,
   "The MCC's E.212 geographic zone (first digit) outside the sensor's region ('eu': 2, 4, 5, 6; 'us': 3, 7), "
   "a reserved MCC (001 test network, 999 internal use: ITU-T E.212, TS 23.003 2.2; the default of OpenBTS "
   "and YateBTS catchers), or an operator absent from the baseline's operators. AIMSICD and SnoopSnitch check "
   "the network against the expected PLMNs.",
   rules::m1_unknown_operator},
  {"S1", "Signal outlier", 1.0,
   "A catcher stands next to its targets: its level is far above the cell's own learned level (median + "
   "max(10 dB, 4 sigma), sigma from the MAD of the recent powers) or above every cell of the sweep by 6 dB "
   "and 3 robust sigma from their median (half weight: a site next door looks the same). Crocodile Hunter "
   "and SeaGlass use signal strength as supporting evidence; TS 45.008 clause 6 (C1/C2 follow RXLEV) is why "
   "it works for the catcher.",
   rules::s1_signal_outlier},
  {"S2", "Transient cell", 1.0,
   "SeaGlass's transient cells: a real base station is there sweep after sweep, a cell-site simulator for "
   "hours. Seen before, first within 30 days, and in at most 25 % of the (at least 6) sweeps of this sensor "
   "that covered its band since it first appeared, counting this one.",
   rules::s2_transient},
  {"S3", "Location outlier", 1.0,
   "The identity is heard farther from its known position than the cell reaches: twice the OpenCellID range "
   "(at least 2 km) for an imported cell, 35 km for a learned one (the largest GSM cell radius, timing advance "
   "63, TS 45.010 5.3 / TS 44.018 10.5.2.40). AIMSICD's and SeaGlass's location consistency checks. With a "
   "transmitter position estimated from a drive (src/locate), that estimate against OpenCellID's position: "
   "farther than its uncertainty radius plus OpenCellID's range (at least 2 km).",
   rules::s3_location_outlier},
  {"S4", "Transmitter moved between drives", 1.5,
   "A base station's mast does not move; the same transmitter (RAT, channel, BSIC/PCI) whose position estimated "
   "from power along this drive (log-distance path-loss fit, src/locate) lies farther from the estimate of an "
   "earlier drive than the two uncertainty radii together is mobile: an IMSI catcher in a vehicle. Crocodile "
   "Hunter (EFF) locates suspect eNodeBs from drives for this; SeaGlass flags cells appearing where they were not. "
   "Only path-loss fits (not coarse centroids) are compared; needs a database with an earlier drive.",
   rules::s4_transmitter_moved},
  {"P2", "Paging burst", 1.0,
   "Cells of one operator page alike (a location area's cells carry the same pages, TS 44.018 3.3.2); a cell "
   "paging at 3x the operator's median rate and 4 robust sigma above it (and 4 Poisson sigma in count) is "
   "hunting identities. Rate from Paging Request counts (TS 44.018 9.1.22-24) over the time measured by its "
   "SCH (5 per 51-multiframe, TS 45.002 7). Crocodile Hunter and SnoopSnitch watch paging.",
   rules::p2_paging_burst},
  {"F2", "Frame-timing inconsistency (LTE: SFN clock)", 1.0,
   "A cell's frame number runs continuously (TS 45.002 4.3.3), so FN minus wall-time frames is a constant of "
   "the cell; a device cloning every broadcast parameter starts its own counter. Fires when the phase is more "
   "than 60 s off the phase learned for the identity, or when the same identity runs two unrelated clocks on "
   "two ARFCNs of a sweep (both flagged). None of SnoopSnitch, Crocodile Hunter, PyCatcher, SeaGlass or "
   "AIMSICD has it (no timing); it catches a perfect clone. LTE: the SFN clock (SFN x 10 ms minus the stream "
   "time of that frame, modulo 10.24 s; TS 36.211 4, 36.331 MIB) of two cells with the same cell identity on "
   "another EARFCN or PCI more than 0.1 s apart within a sweep: one cell has one counter.",
   rules::f2_frame_timing},
  {"M2", "Lone PLMN", 1.6,
   "The only cell of its operator (MCC+MNC, TS 23.003 2.2; LTE: any PLMN of SIB1's list) among at least 3 "
   "identified cells of other operators in the sweep, any RAT: a public network is many cells; a catcher on a "
   "PLMN of its own (an SDR stack's default, or a made-up code) is one. Without a baseline nothing else says "
   "the PLMN is foreign to the place, hence 1.6: with one more 1.0 finding (incomplete SIBs, a reserved MCC, "
   "an RF offset) it alerts, alone it does not. GSM-R (R-GSM ARFCN 955..974, TS 45.005 2) is exempt: railways "
   "run their own PLMN.",
   rules::m2_lone_plmn},
  {"M3", "PLMN unknown to the operator list", 1.0,
   "An MNC (TS 23.003 2.2) that the operator list (Debian mobile-broadband-provider-info, operators by MCC/MNC) "
   "does not name for an MCC it covers: an unassigned or private code, as a catcher running a PLMN of its own "
   "picks (OpenBTS/YateBTS/srsRAN are configured with any MCC/MNC). The list misses small networks, hence 1.0; "
   "with M2 (the PLMN's only cell in the sweep) it alerts without a baseline. Silent without the list, for an "
   "MCC the list does not cover, for 001/999 (M1), for a PLMN the baseline learned, and for GSM-R (R-GSM "
   "ARFCN 955..974, TS 45.005 2): railways run PLMNs the list does not hold.",
   rules::m3_plmn_not_in_operator_list},
  {"L1", "LTE: 2G/3G priority above every LTE priority", 1.6,
   "SIB6 (UTRA) or SIB7 (GERAN) cellReselectionPriority above SIB3's serving and every SIB5 carrier priority "
   "(TS 36.331 6.3.1): TS 36.304 5.2.4.5 sends idle phones to the higher-priority RAT as soon as its level "
   "exceeds Thresh_X,High, whatever the LTE signal: a downgrade to 2G/3G where a catcher works. Rayhunter's "
   "priority_2g_downgrade (Park et al. 'Why We Cannot Win', T7). Operators rank LTE highest (36.304 5.2.4.1 "
   "forbids equal priorities across RATs), so 1.6: with one more 1.0 finding it alerts.",
   rules::l1_downgrade_lure},
  {"L2", "LTE: incomplete SIB scheduling", 1.0,
   "SIB1's schedulingInfoList (TS 36.331 6.2.2) with fewer than 2 SI messages or without SIB3 (reselection, "
   "36.304 5.2.4): a catcher sends SIB2 alone (srsRAN's default sib.conf). Rayhunter's incomplete_sib. Half "
   "weight when only SIB5 is missing (a single-carrier network). 1.0: a lean but legitimate configuration "
   "looks the same; with an own TAC, PLMN or lure it carries a catcher over the threshold.",
   rules::l2_incomplete_sibs},
  {"L3", "LTE: no neighbours where the operator's cells list them", 1.0,
   "No SIB4 intra-frequency neighbour and no SIB5 carrier (TS 36.331 6.3.1) while at least 2 other LTE cells "
   "of the operator in the sweep announce some: phones get nowhere to reselect to (the LTE form of "
   "SnoopSnitch K1, AIMSICD 'neighbours consistency'). Judged only when every scheduled SIB4/SIB5 was decoded. 1.0 as K1: an unplanned legitimate cell "
   "(new site) looks the same.",
   rules::l3_empty_lte_neighbours},
  {"L4", "LTE: band indicator does not match the EARFCN", 1.0,
   "SIB1 freqBandIndicator (and multiBandInfoList, TS 36.331 6.2.2) names no band whose downlink range holds the "
   "carrier (TS 36.101 table 5.7.3-1): operators configure the band of the carrier; a catcher run from a "
   "template of another band does not. Silent for bands outside towerwatch's table. 1.0: a configuration error, not a capture by itself.",
   rules::l4_band_indicator},
  {"L5", "LTE: capture thresholds", 1.0,
   "SIB1 q-RxLevMin at its floor (-140 dBm) with SIB3 cellReselectionPriority 7 above every SIB5 carrier: "
   "Srxlev (TS 36.304 5.2.3.2) stays positive at any measurable RSRP, and 5.2.4.5 releases phones to a "
   "lower-priority frequency only below Thresh_Serving,Low, which never happens: camped phones are kept. "
   "Operators give the top priority to capacity layers with a higher q-RxLevMin (the live band-3 cell: -132). "
   "1.0: an aggressive but legitimate coverage layer can look the same.",
   rules::l5_capture_thresholds},
  {"N1", "NR: MIB of a known GSCN/PCI changed", 1.5,
   "A gNodeB broadcasts the MIB of its configuration (TS 38.331 6.2.2 MIB: subCarrierSpacingCommon, "
   "ssb-SubcarrierOffset, dmrs-TypeA-Position, pdcch-ConfigSIB1, cellBarred, intraFreqReselection; k_SSB with the "
   "PBCH payload's MSB, 38.213 4.1). pdcch-ConfigSIB1 is where CORESET#0 and the type0-PDCCH search space lie "
   "(38.213 13, tables 13-1..13-15), set once by the operator's carrier plan. A PCI the baseline learned at this "
   "GSCN (seen twice) now with a value of one of these never seen there is a new transmitter behind a known "
   "identity: a fake gNodeB (the research false base stations run on srsRAN/OpenAirInterface, Mubasshir, Karim, "
   "Bertino 'FBSDetector', arXiv 2401.04958; Son et al., JoWUA 15(1) 2024, specification-based 5G false base "
   "station detection) cloning a PCI/GSCN from its own template, or a barred cell (cellBarred) now admitting "
   "phones. The C1 analogue for NR (the MIB holds no cell identity). 1.5 as C1: an operator's "
   "reconfiguration looks the same, so it alerts only with other evidence (F1 offset, S1 power).",
   rules::n1_nr_mib_changed},
  {"J1", "LTE band jammed: noise floor up, known cells gone", 2.6,
   "A catcher blinds LTE with wideband noise so that phones, losing every LTE cell (TS 36.304 5.2.3.2: "
   "S-criterion fails), fall back to its 2G cell (Park et al. 'Why We Cannot Win', downgrade by jamming). No "
   "phone-based tool sees the cause; the sweep's power census does: the band's noise floor (10th percentile "
   "of its spectrum in dBFS/MHz) at least max(10 dB, 4 robust sigma) above the floor learned for this sensor "
   "(median of at least 3 sweeps) while at least half of the band's known LTE cells (learned in >= 3 sweeps, "
   "seen within 7 days) are missing. Two independent measurements agree, hence the threshold weight: a band "
   "has no other rule to add to it. A rise with the cells still received is interference: 1.0, no alert. A "
   "band rule (judges the sweep's band observations); needs the baseline.",
   rules::j1_lte_jamming, true},
};
// clang-format on
}  // namespace

const std::vector<Rule>& rule_table() { return kRules; }

const Rule* find_rule(std::string_view id) {
  for (const auto& r : kRules)
    if (id == r.id) return &r;
  return nullptr;
}

}  // namespace tw
