// The rule table: one line per rule {id, title, weight, rationale, fn}. Weights add up to the cell's score;
// an alert needs 2.6 (SnoopSnitch's threshold), so no single rule alerts alone: a catcher shows several.
#include "src/scorer/rules/rules.hpp"

namespace tw {

namespace {
// clang-format off
const std::vector<Rule> kRules = {
  {"A2", "LAC differs from every same-operator cell", 1.5,
   "A catcher announces a LAC of its own so that phones perform a location update towards it (TS 24.008 4.4.1: "
   "a new LAI triggers location updating, which reveals the IMSI/TMSI). SnoopSnitch A2, PyCatcher's LAC "
   "consistency check, AIMSICD 'LAC/CID consistency'. Needs more than 2 decoded same-operator cells.",
   rules::a2_lac_differs},
  {"A4", "Same global identity on another ARFCN", 1.5,
   "One cell has one BCCH carrier (TS 45.002 6.3); the same MCC/MNC/LAC/CI on two ARFCNs of one sweep means a "
   "cloned identity. SnoopSnitch A4, Crocodile Hunter's duplicate-identity check. Both cells are flagged (one "
   "sweep cannot tell the original); the weight stays below the threshold so the original does not alert alone.",
   rules::a4_cloned_identity},
  {"A5", "Lone cell in its LAC", 0.5,
   "A location area normally spans many cells (TS 23.003 4.1); a LAC holding a single cell while the operator's "
   "other LAC has several is how a catcher with a fresh LAC looks. SnoopSnitch A5. Low weight: a legitimate cell "
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
   "AIMSICD's 'DBe consistency check', SeaGlass's comparison with the surveyed baseline. Silent without a "
   "baseline or for an operator the baseline does not know.",
   rules::b1_not_in_baseline},
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
