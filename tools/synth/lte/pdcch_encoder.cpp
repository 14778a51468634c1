#include "tools/synth/lte/pdcch_encoder.hpp"

extern "C" {
#include <osmocom/core/conv.h>
}

#include <cmath>
#include <string>

#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/pbch_coding.hpp"
#include "dsp/lte/phich_resources.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/pbch_encoder.hpp"
#include "tools/synth/splitmix.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

namespace {
void put(std::vector<std::uint8_t>& out, int value, int width, const char* field) {
  if (value < 0 || (width < 31 && value >= (1 << width)))
    throw InputError(std::string("DCI ") + field + ": " + std::to_string(value) + " does not fit " + std::to_string(width) + " bits");
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>((value >> i) & 1));
}

}  // namespace

std::vector<std::uint8_t> pack_dci(const dl::Dci& d, int n_prb, bool tdd) {
  std::vector<std::uint8_t> b;
  const int size = dl::dci_bits(d.format, n_prb, tdd);
  if (d.format == dl::DciFormat::f1a) {
    put(b, 1, 1, "format flag");
    put(b, d.distributed ? 1 : 0, 1, "localized/distributed");
    put(b, d.riv, dl::riv_bits(n_prb), "RIV");
    put(b, d.mcs, 5, "MCS");
    put(b, d.harq_process, tdd ? 4 : 3, "HARQ process");
    const bool gap_in_ndi = d.distributed && n_prb >= 50;
    put(b, gap_in_ndi ? d.gap : (d.ndi ? 1 : 0), 1, "NDI");
    put(b, d.rv, 2, "RV");
    put(b, d.tpc, 2, "TPC");
    if (tdd) put(b, 0, 2, "DAI");
  } else {
    if (n_prb >= 50) put(b, d.gap, 1, "gap");
    put(b, d.riv, dl::dci_1c_riv_bits(n_prb), "RIV");
    put(b, d.mcs, 5, "I_TBS");
  }
  while (static_cast<int>(b.size()) < size) b.push_back(0);
  return b;
}

std::vector<std::uint8_t> dci_encode(std::span<const std::uint8_t> payload, std::uint16_t rnti, int e_bits) {
  const int a = static_cast<int>(payload.size());
  if (a < 1 || a > 100) throw InputError("DCI payload: " + std::to_string(a) + " bits is outside 1..100");
  const int d = a + 16;
  std::vector<ubit_t> c(static_cast<std::size_t>(d));
  for (int i = 0; i < a; ++i) c[static_cast<std::size_t>(i)] = payload[static_cast<std::size_t>(i)];
  const std::uint16_t crc = static_cast<std::uint16_t>(dl::crc16(payload) ^ rnti);   // 5.3.3.2
  for (int i = 0; i < 16; ++i) c[static_cast<std::size_t>(a + i)] = static_cast<ubit_t>((crc >> (15 - i)) & 1u);
  osmo_conv_code code = dl::pbch_conv_code();
  code.len = d;
  std::vector<ubit_t> coded(static_cast<std::size_t>(3 * d));
  osmo_conv_encode(&code, c.data(), coded.data());
  const auto map = dl::conv_rate_match_map(d, e_bits);
  std::vector<std::uint8_t> e(static_cast<std::size_t>(e_bits));
  for (int i = 0; i < e_bits; ++i) {
    const int idx = map[static_cast<std::size_t>(i)];
    e[static_cast<std::size_t>(i)] = coded[static_cast<std::size_t>(3 * (idx % d) + idx / d)];
  }
  return e;
}

void pdcch_encode(const dl::CellParams& cell, int subframe, int cfi, std::span<const PdcchTx> dcis,
                  std::vector<std::vector<cf32>>& grids, const PdcchFill& fill) {
  if (subframe < 0 || subframe > 9) throw InputError("subframe: " + std::to_string(subframe) + " is outside 0..9");
  const dl::ControlRegs regs(cell, dl::control_symbols(cfi, cell.n_prb),
                             fill.phich_mi >= 0 ? fill.phich_mi : dl::phich_mi(cell.tdd, cell.tdd_config, subframe));
  const int nsc = 12 * cell.n_prb;
  if (grids.size() != static_cast<std::size_t>(cell.ports)) throw InputError("PDCCH grids: one per port needed");
  for (const auto& g : grids)
    if (g.size() < static_cast<std::size_t>(regs.l_ctrl() * nsc)) throw InputError("PDCCH grids: shorter than the control region");
  const int n_reg = regs.n_reg_pdcch();
  const int n_cce = regs.n_cce();
  // 6.8.2: the block of 8 N_REG bits; 2 marks <NIL>.
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(8 * n_reg), 2);
  std::vector<float> gains(static_cast<std::size_t>(n_reg), 1.0f);
  for (const auto& tx : dcis) {
    const auto& d = tx.dci;
    if ((d.aggregation != 1 && d.aggregation != 2 && d.aggregation != 4 && d.aggregation != 8) || d.first_cce < 0 ||
        d.first_cce % d.aggregation != 0 || d.first_cce + d.aggregation > n_cce)
      throw InputError("PDCCH: aggregation " + std::to_string(d.aggregation) + " at CCE " + std::to_string(d.first_cce) +
                       " does not fit " + std::to_string(n_cce) + " CCEs");
    const auto e = dci_encode(pack_dci(d, cell.n_prb, cell.tdd), d.rnti, 72 * d.aggregation);
    for (int i = 0; i < 72 * d.aggregation; ++i) {
      auto& slot = bits[static_cast<std::size_t>(72 * d.first_cce + i)];
      if (slot != 2) throw InputError("PDCCH: DCIs overlap at CCE " + std::to_string(d.first_cce));
      slot = e[static_cast<std::size_t>(i)];
    }
    for (int q = 9 * d.first_cce; q < 9 * (d.first_cce + d.aggregation); ++q) gains[static_cast<std::size_t>(q)] = tx.gain;
  }
  std::uint64_t rng = splitmix64(fill.seed ^ 0x5dcc4ULL);
  if (fill.other_cces_random)
    for (int i = 0; i < 72 * n_cce; ++i)
      if (bits[static_cast<std::size_t>(i)] == 2) bits[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((rng = splitmix64(rng)) & 1u);
  // Scrambling over the whole block (<NIL> included in the count), c_init = floor(ns/2) 2^9 + N_ID.
  std::vector<std::uint8_t> c(bits.size());
  dl::gold_sequence(static_cast<std::uint32_t>(subframe) * 512u + static_cast<std::uint32_t>(cell.pci), c);
  // Quadruplet by quadruplet (transmit diversity never pairs across one): <NIL> quadruplets stay empty.
  std::vector<std::vector<cf32>> y;
  std::array<std::uint8_t, 8> qb{};
  std::vector<std::array<std::array<cf32, 4>, 4>> quad(static_cast<std::size_t>(n_reg));   // [q][p][i]
  std::vector<std::uint8_t> nil(static_cast<std::size_t>(n_reg), 0);
  for (int q = 0; q < n_reg; ++q) {
    if (bits[static_cast<std::size_t>(8 * q)] == 2) {
      nil[static_cast<std::size_t>(q)] = 1;
      continue;
    }
    for (int j = 0; j < 8; ++j) qb[static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(bits[static_cast<std::size_t>(8 * q + j)] ^ c[static_cast<std::size_t>(8 * q + j)]);
    pbch_precode(qb, cell.ports, y);
    for (int p = 0; p < cell.ports; ++p)
      for (int i = 0; i < 4; ++i)
        quad[static_cast<std::size_t>(q)][static_cast<std::size_t>(p)][static_cast<std::size_t>(i)] =
            gains[static_cast<std::size_t>(q)] * y[static_cast<std::size_t>(p)][static_cast<std::size_t>(i)];
  }
  // 6.8.5: REG m' carries quadruplet pdcch_quadruplet()[m'].
  for (int m = 0; m < n_reg; ++m) {
    const int q = regs.pdcch_quadruplet()[static_cast<std::size_t>(m)];
    const auto& r = regs.all()[static_cast<std::size_t>(regs.pdcch()[static_cast<std::size_t>(m)])];
    for (int p = 0; p < cell.ports; ++p)
      for (int i = 0; i < 4; ++i)
        grids[static_cast<std::size_t>(p)][static_cast<std::size_t>(r.l * nsc + r.k[static_cast<std::size_t>(i)])] =
            nil[static_cast<std::size_t>(q)] ? cf32{} : quad[static_cast<std::size_t>(q)][static_cast<std::size_t>(p)][static_cast<std::size_t>(i)];
  }
  if (fill.phich_random) {
    const float a = 0.70710678f;
    for (const auto& unit : regs.phich())
      for (const int ri : unit) {
        const auto& r = regs.all()[static_cast<std::size_t>(ri)];
        for (int p = 0; p < cell.ports; ++p)
          for (int i = 0; i < 4; ++i) {
            rng = splitmix64(rng);
            grids[static_cast<std::size_t>(p)][static_cast<std::size_t>(r.l * nsc + r.k[static_cast<std::size_t>(i)])] =
                cf32((rng & 1u) ? -a : a, (rng & 2u) ? -a : a) / std::sqrt(static_cast<float>(cell.ports));   // EPRE summed over the ports
          }
      }
  }
}

}  // namespace tw::synth::lte
