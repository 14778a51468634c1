// R2: too many paging groups. Paging blocks per 51-multiframe = 9 - BS_AG_BLKS_RES on a non-combined CCCH,
// 3 - BS_AG_BLKS_RES on a combined one (45.002 7 table 5, CCCH_CONF = 1); paging groups = that times
// BS_PA_MFRMS (2..9 multiframes, 44.018 10.5.2.11: coded value + 2, already decoded so). SnoopSnitch flags
// more than 80; at most 9 x 9 = 81, so only BS_AG_BLKS_RES 0 with BS_PA_MFRMS 9 fires.
#include "src/core/error.hpp"
#include "src/scorer/rule_util.hpp"
#include "src/scorer/rules/rules.hpp"

namespace tw::rules {

std::vector<Reason> r2_paging_groups(const CellObservation& cell, const ScoringContext&, double weight) {
  auto ag = scorer::int_param(cell, "bs_ag_blks_res");
  auto conf = scorer::int_param(cell, "ccch_conf");
  auto mfrms = scorer::int_param(cell, "bs_pa_mfrms");
  if (!ag || !conf || !mfrms) return {};
  if (*ag < 0 || *ag > 7) throw InputError("cell record: field 'bs_ag_blks_res' is out of range 0..7");
  if (*mfrms < 2 || *mfrms > 9) throw InputError("cell record: field 'bs_pa_mfrms' is out of range 2..9");
  const long long combined = *conf == 1 ? 1 : 0;
  const long long groups = (9 - *ag - 6 * combined) * *mfrms;
  if (groups <= 80) return {};
  return {scorer::make_reason(weight,
                              std::to_string(groups) + " paging groups ((9 - BS_AG_BLKS_RES " + std::to_string(*ag) +
                                  " - 6 x combined " + std::to_string(combined) + ") x BS_PA_MFRMS " +
                                  std::to_string(*mfrms) + ") is more than 80",
                              {{"paging_groups", groups}, {"bs_ag_blks_res", *ag}, {"ccch_conf", *conf},
                               {"bs_pa_mfrms", *mfrms}})};
}

}  // namespace tw::rules
