// Test helper (header only): the port grids (36.211 resource grid, layout of LteCellChain::build_grid:
// grid[p][l * 12 N_RB + k]) of one subframe of a synthesized LTE cell with the parameters of a receiver's
// CellParams, for the control- and data-channel suites that write or read parts of it.
#pragma once
#include <cstdint>
#include <vector>

#include "dsp/lte/dl_subframe.hpp"
#include "tools/synth/lte/lte_renderer.hpp"

namespace tw::test {

struct LteGridOptions {
  double pdsch_load = 0.0;      // random data in the PDSCH (a loaded cell)
  double pdcch_load = 0.0;
  bool system_info = true;      // false: the cell's own control region and SI stay out (the test writes them)
  std::uint64_t seed = 11;
};

inline std::vector<std::vector<dsp::lte::cf32>> lte_cell_grids(const dsp::lte::CellParams& cell, int subframe,
                                                               const LteGridOptions& o = {}) {
  synth::lte::LteCellConfig cfg;
  cfg.pci = cell.pci;
  cfg.ports = cell.ports;
  cfg.bandwidth_prb = cell.n_prb;
  cfg.normal_cp = cell.normal_cp;
  cfg.phich_extended = cell.phich_extended;
  cfg.phich_resource = cell.phich_resource;
  cfg.first_sfn = 0;
  cfg.first_sfn_set = true;
  cfg.pdsch_load = o.pdsch_load;
  cfg.pdcch_load = o.pdcch_load;
  cfg.send_system_info = o.system_info;
  synth::lte::LteCellChain chain(cfg, o.seed, 0.0);
  chain.build_grid(subframe);
  std::vector<std::vector<dsp::lte::cf32>> g(static_cast<std::size_t>(cell.ports));
  for (int p = 0; p < cell.ports; ++p) {
    const auto s = chain.grid(p);
    g[static_cast<std::size_t>(p)].assign(s.begin(), s.end());
  }
  return g;
}

}  // namespace tw::test
