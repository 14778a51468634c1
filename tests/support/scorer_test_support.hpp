// What the scorer suites share: the reasons one rule gives for the cell on an ARFCN of a sweep.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "src/scorer/scorer.hpp"

namespace tw::test {

// Reasons of rule `rule` for the cell on `arfcn` (a test failure when the sweep has no such cell).
inline std::vector<tw::Reason> reasons_of(const tw::SweepObservations& s, int arfcn, const std::string& rule,
                                          const tw::BaselineView* baseline = nullptr,
                                          const tw::ScorerOptions& options = {}) {
  const tw::ScoringContext ctx{s, baseline, options};
  for (const auto& c : s.cells)
    if (c.arfcn == arfcn) {
      std::vector<tw::Reason> out;
      for (auto& r : tw::evaluate_cell(c, ctx))
        if (r.rule == rule) out.push_back(r);
      return out;
    }
  ADD_FAILURE() << "no cell on ARFCN " << arfcn;
  return {};
}

}  // namespace tw::test
