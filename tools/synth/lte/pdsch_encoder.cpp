// TS 36.211 6.3.1 - 6.3.5 (PDSCH, transmit diversity) with the RE mapping of dsp/lte/pdsch.
#include "tools/synth/lte/pdsch_encoder.hpp"

#include <cmath>
#include <string>

#include "dsp/lte/dlsch_coding.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/pdsch.hpp"
#include "src/core/error.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

void pdsch_map_bits(std::span<const std::uint8_t> e_bits, const dl::CellParams& cell, int subframe, int cfi,
                    const dl::PdschAllocation& alloc, std::uint16_t rnti, std::vector<std::vector<cf32>>& grids,
                    float amplitude) {
  const std::vector<int> res = dl::pdsch_resource_elements(cell, subframe, cfi, alloc);
  const std::size_t m = res.size();
  if (e_bits.size() != 2 * m)
    throw InputError("e_bits: " + std::to_string(e_bits.size()) + " bits for " + std::to_string(2 * m) +
                     " (2 x PDSCH REs)");
  const std::size_t n_re = static_cast<std::size_t>(12 * cell.n_prb) * (cell.normal_cp ? 14u : 12u);
  if (grids.size() < static_cast<std::size_t>(cell.ports)) grids.resize(static_cast<std::size_t>(cell.ports));
  for (int p = 0; p < cell.ports; ++p)
    if (grids[static_cast<std::size_t>(p)].size() != n_re) grids[static_cast<std::size_t>(p)].assign(n_re, cf32{});

  // 6.3.1 scrambling, 7.1.2 QPSK: bit 0 -> +1/sqrt2 on I (even bit) and Q (odd bit).
  std::vector<std::uint8_t> c(2 * m);
  dl::gold_sequence(dl::pdsch_c_init(rnti, 0, 2 * subframe, cell.pci), c);
  const float a = 1.0f / std::sqrt(2.0f);
  std::vector<cf32> d(m);
  for (std::size_t i = 0; i < m; ++i) {
    const int b0 = (e_bits[2 * i] & 1) ^ c[2 * i], b1 = (e_bits[2 * i + 1] & 1) ^ c[2 * i + 1];
    d[i] = cf32(b0 ? -a : a, b1 ? -a : a);
  }
  auto at = [&](int p, std::size_t i) -> cf32& { return grids[static_cast<std::size_t>(p)][static_cast<std::size_t>(res[i])]; };
  if (cell.ports == 1) {
    for (std::size_t i = 0; i < m; ++i) at(0, i) = amplitude * d[i];
    return;
  }
  // 6.3.3.3 layer mapping x_j(i) = d(L i + j), 6.3.4.3 precoding; 1/sqrt2 per port keeps the RE's power.
  const float s = amplitude / std::sqrt(2.0f);
  for (std::size_t i = 0; i + 1 < m; i += 2) {
    const cf32 x0 = d[i], x1 = d[i + 1];
    int pa = 0, pb = 1;                               // 2 ports: pair on ports 0 and 1
    if (cell.ports == 4) { pa = (i % 4 == 0) ? 0 : 1; pb = pa + 2; }  // SFBC + FSTD: ports (0, 2) then (1, 3)
    at(pa, i) = s * x0;
    at(pb, i) = -s * std::conj(x1);
    at(pa, i + 1) = s * x1;
    at(pb, i + 1) = s * std::conj(x0);
  }
}

std::vector<std::uint8_t> pdsch_encode(std::span<const std::uint8_t> tb_octets, const dl::CellParams& cell,
                                       int subframe, int cfi, const dl::PdschAllocation& alloc, std::uint16_t rnti,
                                       int rv, std::vector<std::vector<cf32>>& grids, float amplitude) {
  if (alloc.tbs <= 0 || alloc.tbs % 8 != 0 || tb_octets.size() * 8 != static_cast<std::size_t>(alloc.tbs))
    throw InputError("tb_octets: " + std::to_string(tb_octets.size()) + " octets for a TBS of " + std::to_string(alloc.tbs) + " bits");
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(alloc.tbs));
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = (tb_octets[i / 8] >> (7 - i % 8)) & 1;
  const std::size_t g = 2 * dl::pdsch_resource_elements(cell, subframe, cfi, alloc).size();
  std::vector<std::uint8_t> e = dl::dlsch_encode(bits, static_cast<int>(g), 2, rv);
  pdsch_map_bits(e, cell, subframe, cfi, alloc, rnti, grids, amplitude);
  return e;
}

}  // namespace tw::synth::lte
