#include "dsp/lte/pdcch.hpp"

extern "C" {
#include <osmocom/core/conv.h>
}

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>

#include "dsp/lte/control_regs.hpp"
#include "dsp/lte/dci_parse.hpp"
#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/pbch_coding.hpp"
#include "dsp/lte/phich_resources.hpp"
#include "dsp/lte/tx_diversity.hpp"
#include "src/core/error.hpp"

namespace tw::dsp::lte {

namespace {
// A CCE shows the word when its 72 soft bits correlate with it by this many standard deviations of noise.
constexpr double kMinCceEvidence = 2.0;
}  // namespace

struct PdcchSearch::Impl {
  CellParams cell;
  std::array<std::unique_ptr<ControlRegs>, 9> regs;   // per CFI and PHICH m_i (TDD: 36.211 table 6.9-1)
  int phich_mi = -1;   // set_phich_mi's m_i; -1: the cell's, from its TDD configuration and the subframe
  std::map<std::pair<int, int>, std::vector<int>> rm_maps;   // (D, E) -> rate-matching map
  std::vector<double> evidence;
  int rejected = 0;

  const ControlRegs& regs_for(int cfi, int mi) {
    auto& r = regs[static_cast<std::size_t>(3 * (cfi - 1) + mi)];
    if (!r) r = std::make_unique<ControlRegs>(cell, control_symbols(cfi, cell.n_prb), mi);
    return *r;
  }
  const std::vector<int>& rm_map(int d, int e) {
    auto it = rm_maps.find({d, e});
    if (it == rm_maps.end()) it = rm_maps.emplace(std::make_pair(d, e), conv_rate_match_map(d, e)).first;
    return it->second;
  }
};

PdcchSearch::PdcchSearch(const CellParams& cell) : impl_(std::make_unique<Impl>()) {
  (void)pcfich_regs(cell);   // validates the cell
  (void)phich_ng(cell.phich_resource);
  impl_->cell = cell;
}

PdcchSearch::~PdcchSearch() = default;
const std::vector<double>& PdcchSearch::evidence() const { return impl_->evidence; }
int PdcchSearch::rejected() const { return impl_->rejected; }

void PdcchSearch::set_phich_mi(int phich_mi) {
  if (phich_mi < 0 || phich_mi > 2) throw InputError("phich_mi: " + std::to_string(phich_mi) + " is outside 0..2");
  impl_->phich_mi = phich_mi;
}

std::vector<float> PdcchSearch::soft_bits(const DlSubframe& sf, int cfi, int* n_cce) {
  auto& m = *impl_;
  const CellParams& cell = m.cell;
  if (cfi < 1 || cfi > 3) throw InputError("CFI: " + std::to_string(cfi) + " is outside 1..3");
  const int nsc = 12 * cell.n_prb;
  if (sf.n_prb != cell.n_prb || sf.n_symbols < 4 || sf.re.size() != static_cast<std::size_t>(sf.n_symbols * nsc))
    throw InputError("DlSubframe: does not match the cell's n_prb");
  if (sf.subframe < 0 || sf.subframe > 9) throw InputError("DlSubframe subframe: " + std::to_string(sf.subframe) + " is outside 0..9");
  for (int p = 0; p < cell.ports; ++p)
    if (sf.h[static_cast<std::size_t>(p)].size() != sf.re.size()) throw InputError("DlSubframe h: no channel estimate of port " + std::to_string(p));
  const ControlRegs& regs = m.regs_for(cfi, m.phich_mi >= 0 ? m.phich_mi : phich_mi(cell.tdd, cell.tdd_config, sf.subframe));
  const int n_reg = regs.n_reg_pdcch();
  if (n_cce) *n_cce = regs.n_cce();
  // 1. Soft bits in the order of the symbol block (quadruplet q holds bits 8q .. 8q+7).
  std::vector<float> llr(static_cast<std::size_t>(8 * n_reg));
  std::array<cf32, 4> y{};
  std::array<std::array<cf32, 4>, 4> h{};
  std::array<float, 8> q{};
  for (int i = 0; i < n_reg; ++i) {
    const Reg& r = regs.all()[static_cast<std::size_t>(regs.pdcch()[static_cast<std::size_t>(i)])];
    gather_quadruplet(sf, cell.ports, r.l, r.k, y, h);
    tx_diversity_llr(cell.ports, y, h, sf.noise_var, q);
    const int quad = regs.pdcch_quadruplet()[static_cast<std::size_t>(i)];
    for (int j = 0; j < 8; ++j) {
      const float v = q[static_cast<std::size_t>(j)];
      llr[static_cast<std::size_t>(8 * quad + j)] = std::isfinite(v) ? v : 0.0f;
    }
  }
  // 2. Descrambling (6.8.2, ns = 2 subframe).
  std::vector<std::uint8_t> c(llr.size());
  gold_sequence(static_cast<std::uint32_t>(sf.subframe) * 512u + static_cast<std::uint32_t>(cell.pci), c);
  for (std::size_t i = 0; i < llr.size(); ++i)
    if (c[i]) llr[i] = -llr[i];
  return llr;
}

std::vector<Dci> PdcchSearch::execute(const DlSubframe& sf, int cfi, std::span<const std::uint16_t> rntis) {
  if (rntis.size() > 16) throw InputError("rntis: " + std::to_string(rntis.size()) + " RNTIs, at most 16");
  int n_cce = 0;
  std::vector<std::vector<float>> llr;
  llr.push_back(soft_bits(sf, cfi, &n_cce));
  const int rv[] = {0};
  return execute_combined(llr, n_cce, rv, rntis);
}

std::vector<Dci> PdcchSearch::execute_combined(std::span<const std::vector<float>> llrs, int n_cce, std::span<const int> rv,
                                               std::span<const std::uint16_t> rntis) {
  auto& m = *impl_;
  const CellParams& cell = m.cell;
  m.evidence.clear();
  m.rejected = 0;
  if (rntis.size() > 16) throw InputError("rntis: " + std::to_string(rntis.size()) + " RNTIs, at most 16");
  if (llrs.empty() || rv.size() != llrs.size()) throw InputError("PDCCH combining: one RV per subframe's soft bits");
  for (const auto& l : llrs)
    if (l.size() < static_cast<std::size_t>(72 * std::max(n_cce, 0)) || l.size() != llrs[0].size())
      throw InputError("PDCCH combining: the subframes' soft bits differ in size or hold fewer than " + std::to_string(n_cce) + " CCEs");
  for (const int v : rv)
    if (v < 0 || v > 3) throw InputError("PDCCH combining: RV " + std::to_string(v) + " is outside 0..3");
  std::vector<Dci> found;
  if (rntis.empty() || n_cce < 4) return found;
  // 3.-5. Candidates.
  struct Hit {
    Dci dci;
    double evidence;
    bool every_cce = true;   // every CCE of the candidate correlates with the word on its own
  };
  std::vector<Hit> hits;
  std::vector<float> acc, in_buf;
  std::vector<ubit_t> diff, diff_coded;
  std::vector<sbit_t> sbits;
  std::vector<ubit_t> dec, reenc;
  for (const int agg : {4, 8}) {
    const int per = n_cce / agg;
    if (per < 1) continue;
    const int n_cand = agg == 4 ? 4 : 2;
    std::vector<int> firsts;
    for (int c = 0; c < n_cand; ++c) {
      const int first = agg * (c % per);   // 36.213 9.1.1 with Y_k = 0
      if (std::find(firsts.begin(), firsts.end(), first) == firsts.end()) firsts.push_back(first);
    }
    const int e_bits = 72 * agg;
    for (const int first : firsts) {
      for (const DciFormat fmt : {DciFormat::f1a, DciFormat::f1c}) {
        const int a = dci_bits(fmt, cell.n_prb, cell.tdd);
        const int d = a + 16;
        const auto& map = m.rm_map(d, e_bits);
        // The candidate's soft bits, subframe by subframe added, each flipped where its word differs from the
        // first subframe's: by the RV field of format 1A (5.3.3.1.3), whose difference word, CRC included, the
        // linear code maps onto a code word (1C has no RV field: the same word).
        in_buf.assign(static_cast<std::size_t>(e_bits), 0.0f);
        for (std::size_t j = 0; j < llrs.size(); ++j) {
          const float* src = llrs[j].data() + static_cast<std::size_t>(72 * first);
          const int delta = fmt == DciFormat::f1a ? (rv[j] ^ rv[0]) : 0;
          if (delta == 0) {
            for (int e = 0; e < e_bits; ++e) in_buf[static_cast<std::size_t>(e)] += src[e];
            continue;
          }
          diff.assign(static_cast<std::size_t>(d), 0);
          const int rv_at = 2 + riv_bits(cell.n_prb) + 5 + (cell.tdd ? 4 : 3) + 1;
          diff[static_cast<std::size_t>(rv_at)] = static_cast<ubit_t>((delta >> 1) & 1);
          diff[static_cast<std::size_t>(rv_at + 1)] = static_cast<ubit_t>(delta & 1);
          const std::uint16_t dcrc = crc16(std::span<const std::uint8_t>(diff.data(), static_cast<std::size_t>(a)));
          for (int b = 0; b < 16; ++b) diff[static_cast<std::size_t>(a + b)] = static_cast<ubit_t>((dcrc >> (15 - b)) & 1);
          osmo_conv_code dcode = pbch_conv_code();
          dcode.len = d;
          diff_coded.assign(static_cast<std::size_t>(3 * d), 0);
          osmo_conv_encode(&dcode, diff.data(), diff_coded.data());
          for (int e = 0; e < e_bits; ++e) {
            const int idx = map[static_cast<std::size_t>(e)];
            const bool flip = diff_coded[static_cast<std::size_t>(3 * (idx % d) + idx / d)] != 0;
            in_buf[static_cast<std::size_t>(e)] += flip ? -src[e] : src[e];
          }
        }
        const float* in = in_buf.data();
        double energy = 0.0;
        for (int e = 0; e < e_bits; ++e) energy += static_cast<double>(in[e]) * in[e];
        if (!(energy > 0.0) || !std::isfinite(energy)) continue;
        acc.assign(static_cast<std::size_t>(3 * d), 0.0f);
        for (int e = 0; e < e_bits; ++e) acc[static_cast<std::size_t>(map[static_cast<std::size_t>(e)])] += in[e];
        // Soft values to libosmocoding's -127..127: the RMS at 32, clipped (one outsized value, say a spike
        // of interference, must not squash the others to zero).
        double sq = 0.0;
        for (float v : acc) sq += static_cast<double>(v) * v;
        if (!(sq > 0.0) || !std::isfinite(sq)) continue;
        const float scale = static_cast<float>(32.0 / std::sqrt(sq / static_cast<double>(acc.size())));
        sbits.assign(static_cast<std::size_t>(3 * d), 0);
        for (int idx = 0; idx < 3 * d; ++idx) {
          const int st = idx / d, bit = idx % d;   // stream-major -> libosmocoding's 3 j + i
          sbits[static_cast<std::size_t>(3 * bit + st)] =
              static_cast<sbit_t>(std::clamp(std::lround(acc[static_cast<std::size_t>(idx)] * scale), -127L, 127L));
        }
        osmo_conv_code code = pbch_conv_code();
        code.len = d;
        dec.assign(static_cast<std::size_t>(d), 0);
        osmo_conv_decode(&code, sbits.data(), dec.data());
        const std::uint16_t crc = crc16(std::span<const std::uint8_t>(dec.data(), static_cast<std::size_t>(a)));
        std::uint16_t rx = 0;
        for (int b = 0; b < 16; ++b) rx = static_cast<std::uint16_t>((rx << 1) | dec[static_cast<std::size_t>(a + b)]);
        const std::uint16_t mask = static_cast<std::uint16_t>(crc ^ rx);   // 5.3.3.2: x_rnti,0 = the RNTI's MSB
        if (std::find(rntis.begin(), rntis.end(), mask) == rntis.end()) continue;
        reenc.assign(static_cast<std::size_t>(3 * d), 0);
        osmo_conv_encode(&code, dec.data(), reenc.data());
        double corr = 0.0, cce_corr = 0.0, cce_energy = 0.0;
        bool every_cce = true;
        for (int e = 0; e < e_bits; ++e) {
          const int idx = map[static_cast<std::size_t>(e)];
          const int st = idx / d, bit = idx % d;
          const double v = reenc[static_cast<std::size_t>(3 * bit + st)] ? -in[e] : in[e];
          corr += v;
          cce_corr += v;
          cce_energy += static_cast<double>(in[e]) * in[e];
          if (e % 72 == 71) {
            if (!(cce_energy > 0.0) || cce_corr / std::sqrt(cce_energy) < kMinCceEvidence) every_cce = false;
            cce_corr = cce_energy = 0.0;
          }
        }
        const double ev = corr / std::sqrt(energy);
        if (ev < PdcchSearch::kMinEvidence) {
          ++m.rejected;
          continue;
        }
        auto dci = parse_dci(fmt, std::span<const std::uint8_t>(dec.data(), static_cast<std::size_t>(a)), cell.n_prb, cell.tdd, mask);
        if (!dci) continue;
        dci->aggregation = agg;
        dci->first_cce = first;
        hits.push_back({std::move(*dci), ev, every_cce});
      }
    }
  }
  // One report per DCI (format, RNTI, payload): an aggregation 8 holds an aggregation 4's word when the other
  // CCEs are <NIL> or noise, and either half of an aggregation 8 decodes alone. The candidate is the largest
  // whose every CCE shows the word; else the most credible.
  std::sort(hits.begin(), hits.end(), [](const Hit& x, const Hit& y2) {
    if (x.every_cce != y2.every_cce) return x.every_cce;
    if (x.dci.aggregation != y2.dci.aggregation) return x.dci.aggregation > y2.dci.aggregation;
    return x.evidence > y2.evidence;
  });
  for (auto& hit : hits) {
    const bool dup = std::any_of(found.begin(), found.end(), [&](const Dci& f) {
      return f.format == hit.dci.format && f.rnti == hit.dci.rnti && f.bits == hit.dci.bits;
    });
    if (dup) continue;
    m.evidence.push_back(hit.evidence);
    found.push_back(std::move(hit.dci));
  }
  return found;
}

}  // namespace tw::dsp::lte
