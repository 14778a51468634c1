#include "tools/synth/lte/lte_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <numbers>
#include <string>

#include <fftw3.h>

#include "dsp/lte/lte_signals.hpp"
#include "dsp/lte/mib.hpp"
#include "dsp/lte/pdsch_allocation.hpp"
#include "src/core/error.hpp"
#include "tools/synth/channel.hpp"
#include "tools/synth/hot_loop.hpp"
#include "tools/synth/lte/lte_si_scheduler.hpp"
#include "tools/synth/lte/pbch_encoder.hpp"
#include "tools/synth/lte/pcfich_encoder.hpp"
#include "tools/synth/lte/pdcch_encoder.hpp"
#include "tools/synth/lte/pdsch_encoder.hpp"
#include "tools/synth/splitmix.hpp"

namespace tw::synth::lte {

namespace dl = tw::dsp::lte;

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Small generator for the random payload (one stream per subframe and PRB, so the content of a PRB does
// not depend on which part of the band is rendered or where the stream was cut).
struct Rng {
  std::uint64_t s;
  std::uint64_t next() { return s = splitmix64(s); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
};

// fftw's planner is not thread-safe; renderers may be made on several threads.
std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};

}  // namespace

double clock_scale(const LteCellConfig& cell, double receiver_ppm) {
  return (1.0 + cell.freq_offset_hz / carrier_hz(cell)) * (1.0 + receiver_ppm * 1e-6);
}

double frame_start_time_s(const LteCellConfig& cell, double receiver_ppm, std::int64_t frame_index) {
  return static_cast<double>(frame_index) * 0.010 / clock_scale(cell, receiver_ppm) + cell.delay_us * 1e-6;
}

std::int64_t frame_index_at(const LteCellConfig& cell, double receiver_ppm, double t_s) {
  const double f = (t_s - cell.delay_us * 1e-6) * clock_scale(cell, receiver_ppm) / 0.010;
  auto i = static_cast<std::int64_t>(std::floor(f));
  // Guard against rounding right at a frame boundary.
  if (frame_start_time_s(cell, receiver_ppm, i + 1) <= t_s) ++i;
  if (frame_start_time_s(cell, receiver_ppm, i) > t_s) --i;
  return i;
}

int sfn_of_frame(const LteCellConfig& cell, std::int64_t frame_index) {
  return static_cast<int>(((cell.first_sfn + frame_index) % 1024 + 1024) % 1024);
}

std::array<std::uint8_t, 3> mib_octets(const LteCellConfig& cell, int sfn) {
  dl::Mib m;
  m.bandwidth_prb = cell.bandwidth_prb;
  m.phich_extended = cell.phich_extended;
  m.phich_resource = cell.phich_resource;
  m.sfn = sfn;
  auto oct = dl::pack_mib(m);
  // 36.331 6.2.2 bit order: dl-Bandwidth is octet 0's 3 MSBs, spare the last 10 bits.
  if (cell.mib_dl_bandwidth_code >= 0)
    oct[0] = static_cast<std::uint8_t>((oct[0] & 0x1f) | ((cell.mib_dl_bandwidth_code & 7) << 5));
  oct[1] = static_cast<std::uint8_t>((oct[1] & 0xfc) | ((cell.mib_spare >> 8) & 3));
  oct[2] = static_cast<std::uint8_t>(cell.mib_spare & 0xff);
  return oct;
}

struct LteCellChain::Impl {
  LteCellConfig cfg;
  std::uint64_t seed = 0;
  int n_rb = 6, nsc = 72, fft = 128, per_slot = 7, nsym = 14, subframe_samples = 1920;
  double fw = 1.92e6;                 // natural rate
  double carrier = 0.0, apparent_carrier = 0.0, cs = 1.0;
  float gain = 1.0f;

  // Fixed sequences.
  std::vector<cf32> crs;              // [(ns * 7 + l) * 220 + m], only the symbols that carry CRS filled
  std::array<cf32, 62> pss{};
  std::array<float, 62> sss0{}, sss5{};
  std::vector<dl::GridRe> pbch_res;
  std::vector<std::vector<cf32>> pbch_y;   // per port, 4 frames of PBCH symbols
  int pbch_block = -1;                     // sfn / 4 of pbch_y
  std::vector<std::uint8_t> pbch_bits;

  // System Information on the air (lte_si_scheduler.hpp).
  std::unique_ptr<LteSiPlan> si;
  dl::CellParams cp;
  std::vector<std::uint8_t> si_prb;   // n_rb: PRB carries the SI transmission (either slot)

  // Grid of the subframe being built.
  std::vector<std::vector<cf32>> grids;   // per port: nsym * nsc
  std::vector<std::uint8_t> used;     // nsym * nsc: RE taken by RS / sync / PBCH / reserved
  int k_lo = 0, k_hi = -1;            // synthesized subcarriers (inclusive)
  double vis_fc = std::numeric_limits<double>::quiet_NaN(), vis_fs = 0.0;

  // OFDM.
  std::unique_ptr<fftwf_complex, FftwFree> fft_in, fft_out;
  fftwf_plan plan = nullptr;
  std::vector<cf32> sub;              // one subframe of samples

  // Multipath, applied per OFDM symbol in the frequency domain: H_p(k) = sum over paths of g_{p,path}(t)
  // e^{-j 2 pi f_k df tau_path}, g a sum of kSinusoids Doppler-shifted phasors (Rayleigh, mean power of
  // the profile, total 1), independent per antenna port. Block fading within a symbol; the delay spread of
  // the profiles (ETU 5 us) is about the CP (4.7 us), so inter-symbol interference is left out.
  static constexpr int kSinusoids = 12;
  struct Path {
    double delay_s;
    float amplitude;
    std::array<double, kSinusoids> doppler_hz, phase;   // per port: stored [port][path]
  };
  std::vector<PathSpec> paths;                 // empty: no multipath
  std::vector<Path> path_state;                // ports * paths
  std::vector<cf32> steer;                     // paths * nsc: e^{-j 2 pi f_k df tau}
  std::vector<cf32> gains;                     // paths (scratch)
  std::vector<cf32> chan;                      // nsc (scratch): H_p(k) of the symbol

  // Stream state.
  PolyphaseInterpolator interp{256, 0.5, 7.0};
  bool warm = false;
  std::int64_t next_subframe = 0;
  std::int64_t w0 = 0, gen_base = 0;
  std::vector<cf32> buf;

  cf32* grid_of(int p) { return grids[static_cast<std::size_t>(p)].data(); }
  std::size_t re(int l, int k) const { return static_cast<std::size_t>(l) * static_cast<std::size_t>(nsc) + static_cast<std::size_t>(k); }

  void compute_visible(double center_hz, double fs) {
    vis_fc = center_hz;
    vis_fs = fs;
    const double off = apparent_carrier - center_hz;
    const double lim = kVisibleFraction * fs;
    const double df = dl::kSubcarrierSpacing * cs;
    // Frequency of grid index k: (k - nsc/2) df below DC, (k - nsc/2 + 1) df above.
    k_lo = nsc;
    k_hi = -1;
    for (int k = 0; k < nsc; ++k) {
      const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
      if (std::abs(off + f * df) <= lim) {
        k_lo = std::min(k_lo, k);
        k_hi = std::max(k_hi, k);
      }
    }
  }

  void load_pbch_block(int block) {
    if (block == pbch_block) return;
    const auto mib = mib_octets(cfg, block * 4);
    pbch_bits = bch_encode(mib, cfg.ports, cfg.normal_cp);
    pbch_scramble(pbch_bits, cfg.pci);
    pbch_precode(pbch_bits, cfg.ports, pbch_y);
    pbch_block = block;
  }

  void build(std::int64_t j) {
    const int sf = static_cast<int>(j - floor_div(j, 10) * 10);
    const std::int64_t frame = floor_div(j, 10);
    const int sfn = sfn_of_frame(cfg, frame);
    for (auto& g : grids) std::fill(g.begin(), g.end(), cf32{});
    std::fill(used.begin(), used.end(), std::uint8_t{0});
    const int ndl = downlink_symbols(cfg, sf);
    if (ndl == 0) return;   // uplink subframe: silent
    const bool tdd = cfg.duplex == Duplex::TDD;
    const int c72 = nsc / 2 - 36;   // k of the first of the central 72 subcarriers

    // CRS (6.10.1.2) of the configured ports; the REs of every configured port's RS are taken on all ports.
    for (int p = 0; p < cfg.ports; ++p) {
      std::array<int, 2> ls{};
      const int n = dl::crs_symbols_in_slot(p, cfg.normal_cp, ls);
      for (int slot = 0; slot < 2; ++slot) {
        const int ns = 2 * sf + slot;
        for (int i = 0; i < n; ++i) {
          const int l = ls[static_cast<std::size_t>(i)];
          const int lsf = slot * per_slot + l;
          if (lsf >= ndl) continue;
          const int off = dl::crs_k_offset(p, ns, l, cfg.normal_cp, cfg.pci);
          const cf32* r = crs.data() + static_cast<std::size_t>((ns * 7 + l) * 2 * dl::kMaxRb);
          cf32* g = grid_of(p);
          for (int m = 0; m < 2 * n_rb; ++m) {
            const int k = 6 * m + off;
            g[re(lsf, k)] = r[m + dl::kMaxRb - n_rb];
            used[re(lsf, k)] = 1;
          }
        }
      }
    }
    // PSS / SSS (6.11) on port 0: 62 subcarriers around DC, the 5 either side reserved.
    if (sf == dl::pss_subframe(tdd) || sf == dl::pss_subframe(tdd) + 5) {
      const int l = dl::pss_symbol(tdd, cfg.normal_cp);
      for (int k72 = 0; k72 < 72; ++k72) used[re(l, c72 + k72)] = 1;
      for (int n = 0; n < 62; ++n) grid_of(0)[re(l, c72 + 5 + n)] = pss[static_cast<std::size_t>(n)];
    }
    if (sf == 0 || sf == 5) {
      const int l = dl::sss_symbol(tdd, cfg.normal_cp);
      const auto& d = sf == 0 ? sss0 : sss5;
      for (int k72 = 0; k72 < 72; ++k72) used[re(l, c72 + k72)] = 1;
      for (int n = 0; n < 62; ++n) grid_of(0)[re(l, c72 + 5 + n)] = cf32(d[static_cast<std::size_t>(n)], 0.0f);
    }
    // PBCH (6.6.4): subframe 0, slot 1, symbols 0..3 of the central 72; frame sfn mod 4 of the 4-frame block.
    if (sf == 0) {
      load_pbch_block(sfn / 4);
      for (int l = per_slot; l < per_slot + 4; ++l)
        for (int k72 = 0; k72 < 72; ++k72) used[re(l, c72 + k72)] = 1;
      const std::size_t base = static_cast<std::size_t>(sfn % 4) * pbch_res.size();
      for (int p = 0; p < cfg.ports; ++p) {
        cf32* g = grid_of(p);
        const auto& y = pbch_y[static_cast<std::size_t>(p)];
        for (std::size_t i = 0; i < pbch_res.size(); ++i)
          g[re(pbch_res[i].symbol, c72 + pbch_res[i].k72)] = y[base + i];
      }
    }
    const int ncs = control_symbols(cfg, sf);
    std::fill(si_prb.begin(), si_prb.end(), std::uint8_t{0});
    if (si && si->enabled()) build_control_and_si(j, sfn, sf, ncs);
    // PDSCH (and, without System Information, the control region): random payload on port 0, per PRB of
    // this subframe.
    const bool random_ctrl = !(si && si->enabled());
    if ((random_ctrl ? cfg.pdcch_load : 0.0) <= 0.0 && cfg.pdsch_load <= 0.0) return;
    static constexpr float kQ = 0.70710678f;
    const float q16 = static_cast<float>(1.0 / std::sqrt(10.0)), q64 = static_cast<float>(1.0 / std::sqrt(42.0));
    cf32* g0 = grid_of(0);
    for (int rb = 0; rb < n_rb; ++rb) {
      if (12 * rb + 11 < k_lo || 12 * rb > k_hi) continue;   // not synthesized
      if (si_prb[static_cast<std::size_t>(rb)]) continue;    // the SI transmission's
      Rng rng{splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(j) * 131ULL + static_cast<std::uint64_t>(rb)))};
      const bool ctrl = rng.uniform() < cfg.pdcch_load;
      const bool data = rng.uniform() < cfg.pdsch_load;
      const int mod = static_cast<int>(rng.next() % 3);   // 0 QPSK, 1 16QAM, 2 64QAM
      std::uint64_t bits = 0;
      int have = 0;
      auto take = [&](int nb) {
        if (have < nb) {
          bits = rng.next();
          have = 64;
        }
        const auto v = static_cast<int>(bits & ((1u << nb) - 1u));
        bits >>= nb;
        have -= nb;
        return v;
      };
      for (int l = 0; l < ndl; ++l) {
        const bool in_ctrl = l < ncs;
        if (in_ctrl ? (!ctrl || !random_ctrl) : !data) continue;
        const int m = in_ctrl ? 0 : mod;
        for (int k = 12 * rb; k < 12 * rb + 12; ++k) {
          if (used[re(l, k)]) continue;
          cf32 v;
          if (m == 0) {
            const int b = take(2);
            v = cf32((b & 1) ? -kQ : kQ, (b & 2) ? -kQ : kQ);
          } else if (m == 1) {
            const int b = take(4);
            v = cf32(static_cast<float>(2 * (b & 3) - 3) * q16, static_cast<float>(2 * (b >> 2) - 3) * q16);
          } else {
            const int b = take(6);
            v = cf32(static_cast<float>(2 * (b & 7) - 7) * q64, static_cast<float>(2 * (b >> 3) - 7) * q64);
          }
          g0[re(l, k)] = v;
        }
      }
    }
  }

  // 36.211 6.7 / 6.9 / 6.8: PCFICH with the cell's CFI, PHICH groups occupied (random), PDCCH with the SI-RNTI
  // DCI of this subframe's System Information transmission and, per pdcch_load, format 1A DCIs of random
  // C-RNTIs on aggregation-2 blocks of the other CCEs; the SI transmission on its PDSCH (36.331 5.2.1.2 /
  // 5.2.3 through LteSiPlan), its PRBs marked in si_prb.
  void build_control_and_si(std::int64_t j, int sfn, int sf, int ncs) {
    const char type = subframe_type(cfg, sf);
    if (type == 'U' || ncs <= 0) return;
    const int cfi_sent = ncs - (n_rb <= 10 ? 1 : 0);   // table 6.7-1 (TDD subframes 1/6: at most 2 symbols)
    pcfich_encode(cp, sf, cfi_sent, grids);
    const int n_cce = si->n_cce(sf);
    if (n_cce == 0) return;
    const auto tx = si->at(sfn, sf);
    std::vector<PdcchTx> dcis;
    std::vector<std::uint8_t> taken(static_cast<std::size_t>(n_cce), 0);
    if (tx) {
      dcis.push_back(PdcchTx{tx->dci, 1.0f});
      for (int c = tx->dci.first_cce; c < tx->dci.first_cce + tx->dci.aggregation; ++c) taken[static_cast<std::size_t>(c)] = 1;
    }
    if (cfg.pdcch_load > 0.0) {
      Rng rng{splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(j) * 977ULL + 0xdc1ULL))};
      for (int c = 0; c + 2 <= n_cce; c += 2) {
        if (taken[static_cast<std::size_t>(c)] || taken[static_cast<std::size_t>(c + 1)]) continue;
        if (rng.uniform() >= cfg.pdcch_load) continue;
        dl::Dci d;
        d.format = dl::DciFormat::f1a;
        d.rnti = static_cast<std::uint16_t>(0x003D + rng.next() % (0xFFF3 - 0x003D + 1));   // 36.321 table 7.1-1 C-RNTI
        d.aggregation = 2;
        d.first_cce = c;
        const int len = 1 + static_cast<int>(rng.next() % static_cast<std::uint64_t>(n_rb));
        const int start = static_cast<int>(rng.next() % static_cast<std::uint64_t>(n_rb - len + 1));
        d.riv = dl::riv_encode(start, len, n_rb);
        d.mcs = static_cast<int>(rng.next() % 29);
        d.harq_process = static_cast<int>(rng.next() % 8);
        d.ndi = (rng.next() & 1u) != 0;
        d.rv = static_cast<int>(rng.next() % 4);
        d.tpc = static_cast<int>(rng.next() % 4);
        dcis.push_back(PdcchTx{d, 1.0f});
      }
    }
    PdcchFill fill;
    fill.phich_random = true;
    fill.seed = splitmix64(seed ^ static_cast<std::uint64_t>(j));
    pdcch_encode(cp, sf, cfi_sent, dcis, grids, fill);
    if (!tx) return;
    const auto& plan = *tx->plan;
    (void)pdsch_encode(plan.tb, cp, sf, cfg.cfi, plan.alloc, dl::kSiRnti, tx->rv, grids);
    for (int prb : plan.alloc.prb_slot0) si_prb[static_cast<std::size_t>(prb)] = 1;
    for (int prb : plan.alloc.prb_slot1) si_prb[static_cast<std::size_t>(prb)] = 1;
  }

  void init_multipath(const std::vector<PathSpec>& profile, double doppler_hz) {
    paths = profile;
    if (paths.empty()) return;
    double total = 0.0;
    for (const auto& p : paths) total += std::pow(10.0, p.power_db / 10.0);
    Rng rng{splitmix64(seed ^ 0xfad1ULL)};
    for (int port = 0; port < cfg.ports; ++port)
      for (const auto& p : paths) {
        Path q{};
        q.delay_s = p.delay_s;
        q.amplitude = static_cast<float>(std::sqrt(std::pow(10.0, p.power_db / 10.0) / total / kSinusoids));
        for (int n = 0; n < kSinusoids; ++n) {
          q.doppler_hz[static_cast<std::size_t>(n)] = doppler_hz * std::cos(2.0 * std::numbers::pi * rng.uniform());
          q.phase[static_cast<std::size_t>(n)] = 2.0 * std::numbers::pi * rng.uniform();
        }
        path_state.push_back(q);
      }
    steer.assign(paths.size() * static_cast<std::size_t>(nsc), cf32{});
    for (std::size_t i = 0; i < paths.size(); ++i)
      for (int k = 0; k < nsc; ++k) {
        const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
        // The subcarrier spacing as the cell's clock makes it (the delay is in receiver seconds).
        const double ph = -2.0 * std::numbers::pi * f * dl::kSubcarrierSpacing * cs * paths[i].delay_s;
        steer[i * static_cast<std::size_t>(nsc) + static_cast<std::size_t>(k)] = cf32(static_cast<float>(std::cos(ph)), static_cast<float>(std::sin(ph)));
      }
    gains.assign(paths.size(), cf32{});
    chan.assign(static_cast<std::size_t>(nsc), cf32{});
  }

  // H_p(k) for k_lo..k_hi at receiver time t into chan.
  void channel_at(int port, double t) {
    const std::size_t np = paths.size();
    for (std::size_t i = 0; i < np; ++i) {
      const Path& q = path_state[static_cast<std::size_t>(port) * np + i];
      double gr = 0.0, gi = 0.0;
      for (int n = 0; n < kSinusoids; ++n) {
        const double ph = 2.0 * std::numbers::pi * q.doppler_hz[static_cast<std::size_t>(n)] * t + q.phase[static_cast<std::size_t>(n)];
        gr += std::cos(ph);
        gi += std::sin(ph);
      }
      gains[i] = cf32(static_cast<float>(gr) * q.amplitude, static_cast<float>(gi) * q.amplitude);
    }
    std::fill(chan.begin() + k_lo, chan.begin() + k_hi + 1, cf32{});
    for (std::size_t i = 0; i < np; ++i) {
      const cf32 g = gains[i];
      const cf32* e = steer.data() + i * static_cast<std::size_t>(nsc);
      for (int k = k_lo; k <= k_hi; ++k) chan[static_cast<std::size_t>(k)] += g * e[k];
    }
  }

  // OFDM of the built grid into `out` (subframe_samples): the ports summed on each subcarrier (each
  // through its own channel with multipath). t_sub: receiver time of the subframe start.
  void modulate(std::span<cf32> out, double t_sub) {
    auto* in = reinterpret_cast<cf32*>(fft_in.get());
    const auto* td = reinterpret_cast<const cf32*>(fft_out.get());
    for (int l = 0; l < nsym; ++l) {
      const int start = dl::symbol_start(l, cfg.normal_cp, fft);
      const int cp = dl::cp_length(l % per_slot, cfg.normal_cp, fft);
      std::fill(in, in + fft, cf32{});
      bool any = false;
      if (paths.empty()) {
        for (int k = k_lo; k <= k_hi; ++k) {
          cf32 v{};
          for (int p = 0; p < cfg.ports; ++p) v += grid_of(p)[re(l, k)];
          if (v == cf32{}) continue;
          any = true;
          const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;   // 6.12: no DC subcarrier
          in[(f + fft) % fft] = v;
        }
      } else {
        const double t_sym = t_sub + (start + cp + 0.5 * fft) / (fw * cs);
        for (int p = 0; p < cfg.ports; ++p) {
          const cf32* g = grid_of(p) + re(l, 0);
          bool port_any = false;
          for (int k = k_lo; k <= k_hi && !port_any; ++k) port_any = g[k] != cf32{};
          if (!port_any) continue;
          any = true;
          channel_at(p, t_sym);
          for (int k = k_lo; k <= k_hi; ++k) {
            const int f = k < nsc / 2 ? k - nsc / 2 : k - nsc / 2 + 1;
            in[(f + fft) % fft] += g[k] * chan[static_cast<std::size_t>(k)];
          }
        }
      }
      cf32* o = out.data() + start;
      if (!any) {
        std::fill(o, o + cp + fft, cf32{});
        continue;
      }
      fftwf_execute(plan);
      std::copy(td + fft - cp, td + fft, o);   // cyclic prefix
      std::copy(td, td + fft, o + cp);
    }
  }

  double working_index(double t) const { return (t - cfg.delay_us * 1e-6) * fw * cs; }
  double time_of_working_index(double w) const { return w / (fw * cs) + cfg.delay_us * 1e-6; }

  void seek(std::int64_t need_lo) {
    const std::int64_t k0 = floor_div(need_lo, subframe_samples);
    next_subframe = k0;
    w0 = k0 * subframe_samples;
    gen_base = 0;
    buf.clear();
    warm = true;
  }

  void generate_subframe() {
    const std::int64_t j = next_subframe++;
    build(j);
    modulate(sub, time_of_working_index(static_cast<double>(j * subframe_samples)));
    buf.insert(buf.end(), sub.begin(), sub.end());
  }
};

LteCellChain::LteCellChain(const LteCellConfig& cell, std::uint64_t seed, double receiver_ppm)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.cfg = cell;
  m.seed = seed;
  if (cell.pci < 0 || cell.pci > 503) throw InputError("pci: " + std::to_string(cell.pci) + " is outside 0..503");
  if (cell.ports != 1 && cell.ports != 2 && cell.ports != 4) throw InputError("ports: " + std::to_string(cell.ports) + " is not 1, 2 or 4");
  if (cell.cfi < 1 || cell.cfi > 3) throw InputError("cfi: " + std::to_string(cell.cfi) + " is outside 1..3");
  if (cell.first_sfn < 0 || cell.first_sfn > 1023) throw InputError("first_sfn: " + std::to_string(cell.first_sfn) + " is outside 0..1023");
  if (cell.mib_spare < 0 || cell.mib_spare > 1023) throw InputError("mib_spare: " + std::to_string(cell.mib_spare) + " is outside 0..1023");
  if (cell.mib_dl_bandwidth_code < -1 || cell.mib_dl_bandwidth_code > 7)
    throw InputError("mib_dl_bandwidth_code: " + std::to_string(cell.mib_dl_bandwidth_code) + " is outside 0..7");
  if (cell.duplex == Duplex::TDD) (void)dwpts_symbols(cell.normal_cp, cell.special_subframe_config);
  (void)mib_octets(cell, 0);   // checks the PHICH resource and bandwidth
  m.n_rb = cell.bandwidth_prb;
  m.fft = fft_size_for_prb(m.n_rb);
  m.nsc = 12 * m.n_rb;
  m.per_slot = dl::symbols_per_slot(cell.normal_cp);
  m.nsym = 2 * m.per_slot;
  m.subframe_samples = 15 * m.fft;
  m.fw = dl::kSubcarrierSpacing * m.fft;
  m.carrier = carrier_hz(cell);
  const double rx = 1.0 + receiver_ppm * 1e-6;
  m.apparent_carrier = (m.carrier + cell.freq_offset_hz) * rx;
  m.cs = clock_scale(cell, receiver_ppm);
  m.gain = static_cast<float>(std::pow(10.0, cell.power_dbfs / 20.0));

  m.crs.assign(static_cast<std::size_t>(20 * 7 * 2 * dl::kMaxRb), cf32{});
  for (int ns = 0; ns < 20; ++ns)
    for (int l : {0, 1, m.per_slot - 3})
      dl::crs_sequence(cell.pci, ns, l, cell.normal_cp,
                       std::span<cf32>(m.crs.data() + static_cast<std::size_t>((ns * 7 + l) * 2 * dl::kMaxRb), 2 * dl::kMaxRb));
  m.pss = dl::pss_sequence(cell.pci % 3);
  m.sss0 = dl::sss_sequence(cell.pci / 3, cell.pci % 3, 0);
  m.sss5 = dl::sss_sequence(cell.pci / 3, cell.pci % 3, 5);
  m.pbch_res = dl::pbch_resource_elements(cell.pci, cell.normal_cp);

  m.grids.assign(static_cast<std::size_t>(cell.ports), std::vector<cf32>(static_cast<std::size_t>(m.nsym * m.nsc), cf32{}));
  m.si_prb.assign(static_cast<std::size_t>(m.n_rb), 0);
  m.cp = cell_params(cell);
  m.si = std::make_unique<LteSiPlan>(cell, seed);
  m.used.assign(static_cast<std::size_t>(m.nsym * m.nsc), 0);
  m.sub.assign(static_cast<std::size_t>(m.subframe_samples), cf32{});
  m.fft_in.reset(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(m.fft))));
  m.fft_out.reset(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * static_cast<std::size_t>(m.fft))));
  if (!m.fft_in || !m.fft_out) throw RuntimeFailure("LTE synthesizer: out of memory for the FFT");
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    m.plan = fftwf_plan_dft_1d(m.fft, m.fft_in.get(), m.fft_out.get(), FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  if (!m.plan) throw RuntimeFailure("LTE synthesizer: no FFT plan");
  if (!valid_multipath(cell.multipath)) throw InputError("multipath: \"" + cell.multipath + "\" is not none, tu, epa, eva or etu");
  m.init_multipath(lte_multipath_profile(cell.multipath), cell.doppler_hz);
}

LteCellChain::~LteCellChain() {
  if (impl_ && impl_->plan) {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    fftwf_destroy_plan(impl_->plan);
  }
}

const LteCellConfig& LteCellChain::config() const { return impl_->cfg; }
double LteCellChain::apparent_carrier_hz() const { return impl_->apparent_carrier; }

void LteCellChain::set_power_dbfs(double power_dbfs) { impl_->gain = static_cast<float>(std::pow(10.0, power_dbfs / 20.0)); }

bool LteCellChain::visible(double center_hz, double fs) const {
  const auto& m = *impl_;
  // The nearest subcarrier to the centre: the band spans +-(nsc/2) subcarriers around the carrier.
  const double off = std::abs(m.apparent_carrier - center_hz);
  const double half_band = (m.nsc / 2) * dl::kSubcarrierSpacing * m.cs;
  const double nearest = std::max(0.0, off - half_band);
  return nearest <= kVisibleFraction * fs;
}

void LteCellChain::go_cold() { impl_->warm = false; }

TW_SYNTH_HOT void LteCellChain::render_add(std::span<cf32> out, double t_first, double fs, double center_hz) {
  auto& m = *impl_;
  const double t_last = t_first + static_cast<double>(out.size()) / fs;
  const double on = m.cfg.on_s;
  const double off = m.cfg.off_s ? *m.cfg.off_s : std::numeric_limits<double>::infinity();
  if (on >= t_last || off <= t_first || out.empty()) {
    m.warm = false;
    return;
  }
  if (center_hz != m.vis_fc || fs != m.vis_fs) {
    m.compute_visible(center_hz, fs);
    m.warm = false;
  }
  if (m.k_lo > m.k_hi) return;
  std::size_t na = 0, nb = out.size();
  if (on > t_first) na = std::min(out.size(), static_cast<std::size_t>(std::ceil((on - t_first) * fs)));
  if (off < t_last) nb = std::min(out.size(), static_cast<std::size_t>(std::ceil((off - t_first) * fs)));
  if (na >= nb) return;

  const double ta = t_first + static_cast<double>(na) / fs;
  const double step = m.fw * m.cs / fs;
  const double wa = m.working_index(ta);
  const double wb = wa + static_cast<double>(nb - na - 1) * step;
  const int H = m.interp.half_length();
  const std::int64_t need_lo = static_cast<std::int64_t>(std::floor(wa)) - H;
  const std::int64_t need_hi = static_cast<std::int64_t>(std::floor(wb)) + H + 1;
  if (!m.warm || need_lo < m.w0 + m.gen_base) m.seek(need_lo);
  const std::int64_t drop = need_lo - (m.w0 + m.gen_base);
  if (drop > 0) {
    const auto d = static_cast<std::size_t>(std::min<std::int64_t>(drop, static_cast<std::int64_t>(m.buf.size())));
    m.buf.erase(m.buf.begin(), m.buf.begin() + static_cast<std::ptrdiff_t>(d));
    m.gen_base += static_cast<std::int64_t>(d);
  }
  while (m.w0 + m.gen_base + static_cast<std::int64_t>(m.buf.size()) <= need_hi) m.generate_subframe();

  // Resample, shift to the carrier's offset, scale.
  const double f_off = m.apparent_carrier - center_hz;
  const double ph0 = 2.0 * std::numbers::pi * std::fmod(f_off * ta, 1.0);
  double rr = std::cos(ph0), ri = std::sin(ph0);
  const double sr = std::cos(2.0 * std::numbers::pi * f_off / fs), si = std::sin(2.0 * std::numbers::pi * f_off / fs);
  const double xa = wa - static_cast<double>(m.w0 + m.gen_base);
  const cf32* b = m.buf.data();
  const float gain = m.gain;
  for (std::size_t n = na; n < nb; ++n) {
    const double x = xa + static_cast<double>(n - na) * step;
    const double xf = std::floor(x);
    const cf32 v = m.interp.at(b + static_cast<std::ptrdiff_t>(xf), x - xf);
    const float gr = static_cast<float>(rr) * gain, gi = static_cast<float>(ri) * gain;
    out[n] += cf32(v.real() * gr - v.imag() * gi, v.real() * gi + v.imag() * gr);
    const double t = rr * sr - ri * si;
    ri = rr * si + ri * sr;
    rr = t;
  }
}

void LteCellChain::build_grid(std::int64_t subframe_index) {
  auto& m = *impl_;
  const int save_lo = m.k_lo, save_hi = m.k_hi;
  m.k_lo = 0;
  m.k_hi = m.nsc - 1;
  m.build(subframe_index);
  m.k_lo = save_lo;
  m.k_hi = save_hi;
}

std::span<const cf32> LteCellChain::grid(int port) const {
  auto& m = *impl_;
  if (port < 0 || port >= m.cfg.ports) throw std::out_of_range("port");
  return {m.grid_of(port), static_cast<std::size_t>(m.nsym * m.nsc)};
}

}  // namespace tw::synth::lte
