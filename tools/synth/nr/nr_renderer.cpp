#include "tools/synth/nr/nr_renderer.hpp"

#include <cmath>
#include <numbers>
#include <algorithm>
#include <limits>
#include <random>

#include "dsp/nr/nr_pss.hpp"
#include "dsp/nr/nr_sss.hpp"
#include "dsp/nr/pbch_coding.hpp"
#include "src/core/error.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"   // lte_multipath_profile: 36.101 B.2 taps
#include "tools/synth/splitmix.hpp"

namespace tw::synth::nr {

namespace dn = tw::dsp::nr;

dn::SsbGrid build_ssb_grid(int pci, int i_ssb_bar, const std::array<std::uint8_t, 864>& bits) {
  dn::SsbGrid g{};
  const auto pss = dn::pss_sequence(pci % 3);
  const auto sss = dn::sss_sequence(pci / 3, pci % 3);
  for (int n = 0; n < dn::kSyncLength; ++n) {
    g[0][dn::kSyncFirstK + n] = pss[n];
    g[2][dn::kSyncFirstK + n] = sss[n];
  }
  const auto dmrs = dn::pbch_dmrs_sequence(pci, i_ssb_bar);
  const auto& dres = dn::pbch_dmrs_res(pci);
  for (int m = 0; m < dn::kPbchDmrsRe; ++m) g[dres[m].l][dres[m].k] = dmrs[m];
  const auto& pres = dn::pbch_data_res(pci);
  const float s = static_cast<float>(1.0 / std::sqrt(2.0));
  for (int i = 0; i < dn::kPbchRe; ++i)   // 38.211 5.1.3 QPSK
    g[pres[i].l][pres[i].k] = cf32(s * (1 - 2 * bits[2 * i]), s * (1 - 2 * bits[2 * i + 1]));
  return g;
}


struct NrCellChain::Impl {
  NrCellConfig cell;
  std::uint64_t seed = 0;
  double ppm = 0.0;
  double scale = 1.0;        // clock scale (1 + freq_offset / SS_REF)(1 + ppm 1e-6)
  float gain = 0.0f;
  std::vector<int> first_symbols;
  std::vector<tw::synth::PathSpec> paths;
  // The last SSB's grid (render_add is called with blocks that cut SSBs).
  std::int64_t cached_key = std::numeric_limits<std::int64_t>::min();
  dn::SsbGrid grid{};

  double ssb_duration_s() const { return 4.0 * (2048 + 144) / (2048.0 * cell.scs_khz * 1e3) / scale; }
  double frame_start(std::int64_t f) const { return static_cast<double>(f) * 0.010 / scale + cell.delay_us * 1e-6; }
  int sfn_of(std::int64_t f) const { return static_cast<int>(((cell.first_sfn + f) % 1024 + 1024) % 1024); }
  // Start (receiver time) of SSB candidate `pos` of half-frame hf of frame f.
  double ssb_start(std::int64_t f, int hf, int pos) const {
    const double sym = static_cast<double>(dn::symbol_start_in_half_frame(first_symbols[pos], cell.scs_khz, 2048)) /
                       (2048.0 * cell.scs_khz * 1e3);
    return frame_start(f) + (hf * 0.005 + sym) / scale;
  }
  bool sends(std::int64_t f, int hf) const {
    if (cell.ssb_period_ms == 5) return true;
    if (hf != 0) return false;
    const int frames = cell.ssb_period_ms / 10;
    return sfn_of(f) % frames == 0;
  }
  template <class F>
  void for_each_ssb(double t0, double t1, F&& fn) const {
    const std::int64_t f0 = static_cast<std::int64_t>(std::floor((t0 - cell.delay_us * 1e-6) * scale / 0.010)) - 1;
    const std::int64_t f1 = static_cast<std::int64_t>(std::floor((t1 - cell.delay_us * 1e-6) * scale / 0.010)) + 1;
    for (std::int64_t f = f0; f <= f1; ++f)
      for (int hf = 0; hf < 2; ++hf) {
        if (!sends(f, hf)) continue;
        for (int idx : cell.ssb_indices) {
          const double ts = ssb_start(f, hf, idx);
          if (ts + ssb_duration_s() <= t0 || ts >= t1) continue;
          if (ts < cell.on_s || (cell.off_s && ts >= *cell.off_s)) continue;
          fn(f, hf, idx, ts);
        }
      }
  }
  void make_grid(std::int64_t f, int hf, int idx) {
    const std::int64_t key = (f * 2 + hf) * 64 + idx;
    if (key == cached_key) return;
    cached_key = key;
    const int sfn = sfn_of(f);
    tw::nr::PbchPayload p{};
    p.mib_bits = nr_mib_bits(cell, sfn);
    p.sfn = static_cast<std::uint16_t>(sfn);
    p.half_frame = hf != 0;
    p.ssb_index = static_cast<std::uint8_t>(idx);
    p.k_ssb_msb = static_cast<std::uint8_t>(cell.k_ssb_msb);
    const auto bits = tw::nr::pbch_encode(p, static_cast<std::uint16_t>(cell.pci), cell.l_max);
    const int i_bar = cell.l_max == 4 ? (idx & 3) + 4 * hf : (idx & 7);
    grid = build_ssb_grid(cell.pci, i_bar, bits);
    if (!paths.empty()) {   // block Rayleigh fading: one draw per SSB
      std::mt19937_64 rng(splitmix64(seed ^ static_cast<std::uint64_t>(key)));
      std::normal_distribution<double> nd(0.0, std::sqrt(0.5));
      double total = 0.0;
      for (const auto& p2 : paths) total += std::pow(10.0, p2.power_db / 10.0);
      std::vector<std::complex<double>> g;
      for (const auto& p2 : paths) {
        const double a = std::sqrt(std::pow(10.0, p2.power_db / 10.0) / total);
        const double re = nd(rng), im = nd(rng);
        g.emplace_back(a * re, a * im);
      }
      for (int k = 0; k < dn::kSsbSubcarriers; ++k) {
        std::complex<double> h{};
        for (std::size_t q = 0; q < paths.size(); ++q)
          h += g[q] * std::polar(1.0, -2.0 * std::numbers::pi * (k - dn::kSsbRefK) * cell.scs_khz * 1e3 * paths[q].delay_s);
        for (int l = 0; l < dn::kSsbSymbols; ++l) grid[l][k] *= cf32(static_cast<float>(h.real()), static_cast<float>(h.imag()));
      }
    }
  }
};

NrCellChain::NrCellChain(const NrCellConfig& cell, std::uint64_t seed, double receiver_ppm) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.cell = resolve_nr_cell(cell);
  m.seed = seed;
  m.ppm = receiver_ppm;
  m.scale = (1.0 + m.cell.freq_offset_hz / m.cell.ss_ref_hz) * (1.0 + receiver_ppm * 1e-6);
  m.gain = static_cast<float>(std::pow(10.0, m.cell.power_dbfs / 20.0));
  m.first_symbols = dn::ssb_first_symbols(m.cell.ssb_case == "A" ? dn::SsbCase::A : m.cell.ssb_case == "B" ? dn::SsbCase::B : dn::SsbCase::C,
                                          m.cell.l_max);
  if (m.cell.multipath != "none") m.paths = lte::lte_multipath_profile(m.cell.multipath);
}
NrCellChain::~NrCellChain() = default;

const NrCellConfig& NrCellChain::config() const { return impl_->cell; }
double NrCellChain::apparent_ss_ref_hz() const {
  return (impl_->cell.ss_ref_hz + impl_->cell.freq_offset_hz) * (1.0 + impl_->ppm * 1e-6);
}
bool NrCellChain::visible(double center_hz, double fs) const {
  return std::fabs(apparent_ss_ref_hz() - center_hz) + 64.0 * impl_->cell.scs_khz * 1e3 <= 0.5 * fs;
}
void NrCellChain::set_power_dbfs(double p) { impl_->gain = static_cast<float>(std::pow(10.0, p / 20.0)); }

std::vector<NrSsbTruth> NrCellChain::ssbs_between(double t0, double t1) const {
  std::vector<NrSsbTruth> out;
  const auto& m = *impl_;
  m.for_each_ssb(t0, t1, [&](std::int64_t f, int hf, int idx, double ts) {
    if (ts < t0) return;
    out.push_back({ts, idx, m.sfn_of(f), hf, nr_mib_bits(m.cell, m.sfn_of(f))});
  });
  std::sort(out.begin(), out.end(), [](const NrSsbTruth& a, const NrSsbTruth& b) { return a.t_s < b.t_s; });
  return out;
}

void NrCellChain::render_add(std::span<cf32> out, double t_first, double fs, double center_hz) {
  auto& m = *impl_;
  if (out.empty()) return;
  const double t_end = t_first + static_cast<double>(out.size()) / fs;
  const double f_off = apparent_ss_ref_hz() - center_hz;
  const double scs = m.cell.scs_khz * 1e3;
  const double sym_s = (2048.0 + 144.0) / (2048.0 * scs) / m.scale, cp_s = 144.0 / (2048.0 * scs) / m.scale;
  // Only subcarriers inside the rendered band.
  int k_lo = 0, k_hi = dn::kSsbSubcarriers - 1;
  while (k_lo <= k_hi && std::fabs(f_off + (k_lo - dn::kSsbRefK) * scs * m.scale) > 0.49 * fs) ++k_lo;
  while (k_hi >= k_lo && std::fabs(f_off + (k_hi - dn::kSsbRefK) * scs * m.scale) > 0.49 * fs) --k_hi;
  if (k_lo > k_hi) return;
  m.for_each_ssb(t_first, t_end, [&](std::int64_t f, int hf, int idx, double ts) {
    m.make_grid(f, hf, idx);
    for (int l = 0; l < dn::kSsbSymbols; ++l) {
      const double s0 = ts + l * sym_s, s1 = s0 + sym_s, useful = s0 + cp_s;
      const std::int64_t i0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil((s0 - t_first) * fs)));
      const std::int64_t i1 = std::min<std::int64_t>(static_cast<std::int64_t>(out.size()),
                                                     static_cast<std::int64_t>(std::ceil((s1 - t_first) * fs)));
      const auto& row = m.grid[l];
      for (std::int64_t i = i0; i < i1; ++i) {
        const double t = t_first + static_cast<double>(i) / fs;
        const double tau = t - useful;   // receiver time; the subcarrier spacing is scaled by the clock
        // Horner over w = exp(j 2 pi scs' tau) for subcarriers k_lo..k_hi, then w^(k_lo - 120) and the carrier.
        const double wph = 2.0 * std::numbers::pi * scs * m.scale * tau;
        const std::complex<double> w = std::polar(1.0, wph);
        std::complex<double> acc{};
        for (int k = k_hi; k >= k_lo; --k) acc = acc * w + std::complex<double>(row[k].real(), row[k].imag());
        const double ph = wph * (k_lo - dn::kSsbRefK) + 2.0 * std::numbers::pi * f_off * t;
        acc *= std::polar(static_cast<double>(m.gain), std::fmod(ph, 2.0 * std::numbers::pi));
        out[static_cast<std::size_t>(i)] += cf32(static_cast<float>(acc.real()), static_cast<float>(acc.imag()));
      }
    }
  });
}

}  // namespace tw::synth::nr
