// K2: CELL_RESELECT_OFFSET unusually high. TS 45.008 clause 9: CRO is coded 0..63 in 2 dB steps (0..126 dB)
// and adds to C2 (clause 6.4), so a high CRO makes the cell win reselection. SnoopSnitch flags more than
// 40 dB, i.e. a coded value above 20. PENALTY_TIME = 31 turns the sign of CRO (C2 = C1 - CRO), which pushes
// phones away: not flagged.
#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

namespace {
constexpr long long kCroMaxCoded = 20;   // 40 dB
}

std::vector<Reason> k2_high_cro(const CellObservation& cell, const ScoringContext&, double weight) {
  auto cro = scorer::int_param(cell, "cro");
  if (!cro || *cro <= kCroMaxCoded) return {};
  if (*cro > 63) throw InputError("cell record: field 'cro' " + std::to_string(*cro) + " is out of range 0..63");
  if (scorer::int_param(cell, "penalty_time").value_or(0) == 31) return {};
  return {scorer::make_reason(weight,
                              "CELL_RESELECT_OFFSET " + std::to_string(*cro) + " = " + std::to_string(*cro * 2) +
                                  " dB added to C2 (more than 40 dB)",
                              {{"cro", *cro}, {"cro_db", *cro * 2}, {"max_cro_db", kCroMaxCoded * 2}})};
}

}  // namespace tw::rules
