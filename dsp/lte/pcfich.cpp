#include "dsp/lte/pcfich.hpp"

#include <array>
#include <cmath>
#include <string>

#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/tx_diversity.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

std::uint32_t cfi_code_word(int cfi) {
  // CFI 1: 011 011 ... 01; CFI 2: 101 101 ... 10; CFI 3: 110 110 ... 11 (32 bits of the 3-bit pattern).
  static constexpr int pattern[3][3] = {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}};
  if (cfi < 1 || cfi > 3) throw InputError("CFI: " + std::to_string(cfi) + " is outside 1..3");
  std::uint32_t w = 0;
  for (int i = 0; i < 32; ++i)
    if (pattern[cfi - 1][i % 3]) w |= 1u << i;
  return w;
}

PcfichDecoder::PcfichDecoder(const CellParams& cell) : cell_(cell) { (void)pcfich_regs(cell); }

int PcfichDecoder::execute(const DlSubframe& sf, float* metric) {
  if (metric) *metric = 0.0f;
  if (sf.n_prb != cell_.n_prb || sf.re.size() != static_cast<std::size_t>(sf.n_symbols * 12 * cell_.n_prb) || sf.n_symbols < 1)
    throw InputError("DlSubframe: does not match the cell's n_prb");
  if (sf.subframe < 0 || sf.subframe > 9) throw InputError("DlSubframe subframe: " + std::to_string(sf.subframe) + " is outside 0..9");
  for (int p = 0; p < cell_.ports; ++p)
    if (sf.h[static_cast<std::size_t>(p)].size() != sf.re.size()) throw InputError("DlSubframe h: no channel estimate of port " + std::to_string(p));
  const auto regs = pcfich_regs(cell_);
  std::array<float, 32> llr{};
  std::array<cf32, 4> y{};
  std::array<std::array<cf32, 4>, 4> h{};
  std::array<float, 8> q{};
  for (int i = 0; i < 4; ++i) {
    gather_quadruplet(sf, cell_.ports, 0, regs[static_cast<std::size_t>(i)].k, y, h);
    tx_diversity_llr(cell_.ports, y, h, sf.noise_var, q);
    for (int j = 0; j < 8; ++j) llr[static_cast<std::size_t>(8 * i + j)] = q[static_cast<std::size_t>(j)];
  }
  // 6.7.1 scrambling, ns = 2 subframe.
  std::array<std::uint8_t, 32> c{};
  const std::uint32_t c_init = static_cast<std::uint32_t>((sf.subframe + 1) * (2 * cell_.pci + 1)) * 512u + static_cast<std::uint32_t>(cell_.pci);
  gold_sequence(c_init, c);
  double energy = 0.0;
  for (int i = 0; i < 32; ++i) {
    if (c[static_cast<std::size_t>(i)]) llr[static_cast<std::size_t>(i)] = -llr[static_cast<std::size_t>(i)];
    energy += static_cast<double>(llr[static_cast<std::size_t>(i)]) * llr[static_cast<std::size_t>(i)];
  }
  if (!(energy > 0.0) || !std::isfinite(energy)) return 0;
  int best = 0;
  double best_corr = -1e300;
  for (int cfi = 1; cfi <= 3; ++cfi) {
    const std::uint32_t w = cfi_code_word(cfi);
    double corr = 0.0;
    for (int i = 0; i < 32; ++i) corr += ((w >> i) & 1u) ? -llr[static_cast<std::size_t>(i)] : llr[static_cast<std::size_t>(i)];
    if (corr > best_corr) {
      best_corr = corr;
      best = cfi;
    }
  }
  const double m = best_corr / std::sqrt(energy);
  if (metric) *metric = static_cast<float>(m);
  return m >= kMinMetric ? best : 0;
}

}  // namespace tw::dsp::lte
