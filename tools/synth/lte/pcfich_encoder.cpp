#include "tools/synth/lte/pcfich_encoder.hpp"

#include <array>
#include <string>

#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/pcfich.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/pbch_encoder.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

void pcfich_encode(const dl::CellParams& cell, int subframe, int cfi, std::vector<std::vector<cf32>>& grids, float gain) {
  if (subframe < 0 || subframe > 9) throw InputError("subframe: " + std::to_string(subframe) + " is outside 0..9");
  const auto regs = dl::pcfich_regs(cell);
  const std::size_t nsc = static_cast<std::size_t>(12 * cell.n_prb);
  if (grids.size() != static_cast<std::size_t>(cell.ports)) throw InputError("PCFICH grids: one per port needed");
  for (const auto& g : grids)
    if (g.size() < nsc) throw InputError("PCFICH grids: shorter than one OFDM symbol");
  const std::uint32_t w = dl::cfi_code_word(cfi);
  std::array<std::uint8_t, 32> b{}, c{};
  dl::gold_sequence(static_cast<std::uint32_t>((subframe + 1) * (2 * cell.pci + 1)) * 512u + static_cast<std::uint32_t>(cell.pci), c);
  for (int i = 0; i < 32; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(((w >> i) & 1u) ^ c[static_cast<std::size_t>(i)]);
  std::vector<std::vector<cf32>> y;
  pbch_precode(b, cell.ports, y);   // 6.7.2 / 6.7.3: QPSK, layer mapping and precoding as the PBCH's
  for (int p = 0; p < cell.ports; ++p)
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j)
        grids[static_cast<std::size_t>(p)][static_cast<std::size_t>(regs[static_cast<std::size_t>(i)].k[static_cast<std::size_t>(j)])] =
            gain * y[static_cast<std::size_t>(p)][static_cast<std::size_t>(4 * i + j)];
}

}  // namespace tw::synth::lte
