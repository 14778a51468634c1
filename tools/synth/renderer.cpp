#include "tools/synth/renderer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>

#include "src/core/error.hpp"
#include "tools/synth/channel.hpp"
#include "tools/synth/gmsk.hpp"
#include "tools/synth/hot_loop.hpp"
#include "tools/synth/lte/lte_renderer.hpp"
#include "tools/synth/nr/nr_renderer.hpp"
#include "tools/synth/scene.hpp"
#include "tools/synth/splitmix.hpp"


namespace tw::synth {

namespace {

constexpr double kWorkingRate = SceneRenderer::kWorkingSps * kSymbolRate;   // 1083333.33 sps
constexpr int kFrameSamples = SceneRenderer::kWorkingSps * kSymbolsPerFrame;  // 5000
constexpr double kEdgeMarginHz = 100e3;   // a carrier closer than this to the band edge is not rendered

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct PendingEvent {
  bool is_block = false;
  TruthBlock block;
  TruthSch sch;
  double t_start = 0.0, t_end = 0.0;
};

}  // namespace

std::uint64_t cell_seed(std::uint64_t scene_seed, int index) {
  return splitmix64(scene_seed ^ splitmix64(static_cast<std::uint64_t>(index) + 1));
}

Scene resolve_scene(const Scene& scene) {
  Scene s = scene;
  for (std::size_t i = 0; i < s.cells.size(); ++i) {
    auto& c = s.cells[i];
    if (!c.first_fn_set) {
      c.first_fn = static_cast<std::uint32_t>(splitmix64(cell_seed(s.seed, static_cast<int>(i)) ^ 0xf00dULL) % kHyperframe);
      c.first_fn_set = true;
    }
    c.first_fn %= kHyperframe;
  }
  return s;
}

std::vector<lte::LteCellConfig> resolve_lte_cells(const std::vector<lte::LteCellConfig>& cells, std::uint64_t scene_seed) {
  auto out = cells;
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& c = out[i];
    if (!c.first_sfn_set) {
      c.first_sfn = static_cast<int>(splitmix64(cell_seed(scene_seed, kLteSeedBase + static_cast<int>(i)) ^ 0x5f17ULL) % 1024);
      c.first_sfn_set = true;
    }
  }
  return out;
}

std::vector<nr::NrCellConfig> resolve_nr_cells(const std::vector<nr::NrCellConfig>& cells, std::uint64_t scene_seed) {
  std::vector<nr::NrCellConfig> out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    nr::NrCellConfig c;
    try {
      c = nr::resolve_nr_cell(cells[i]);
    } catch (const InputError& e) {
      throw InputError("nr_cells[" + std::to_string(i) + "]." + e.what());
    }
    if (!c.first_sfn_set) {
      c.first_sfn = static_cast<int>(splitmix64(cell_seed(scene_seed, kNrSeedBase + static_cast<int>(i)) ^ 0x5f17ULL) % 1024);
      c.first_sfn_set = true;
    }
    out.push_back(c);
  }
  return out;
}

// One cell's chain from C0 frames to samples at the output rate.
class CellChain {
 public:
  CellChain(const CellConfig& cfg, int index, std::uint64_t seed, std::unique_ptr<BlockProvider> provider,
            double receiver_ppm)
      : cfg_(cfg),
        index_(index),
        provider_(std::move(provider)),
        builder_(cfg.bsic, cfg.ccch_conf, si_set_of(cfg), *provider_),
        gmsk_(SceneRenderer::kWorkingSps) {
    carrier_hz_ = downlink_hz(cfg.arfcn, cfg.band);
    const double rx = 1.0 + receiver_ppm * 1e-6;
    apparent_carrier_hz_ = (carrier_hz_ + cfg.freq_offset_hz) * rx;
    clock_scale_ = (1.0 + cfg.freq_offset_hz / carrier_hz_) * rx;
    gain_ = static_cast<float>(std::pow(10.0, cfg.power_dbfs / 20.0));
    const auto paths = multipath_profile(cfg.multipath);
    if (!paths.empty())
      fading_ = std::make_unique<FadingChannel>(paths, cfg.doppler_hz, kWorkingRate * clock_scale_, splitmix64(seed ^ 0xfad1ULL));
    bits_.resize(kSymbolsPerFrame);
    frame_.resize(kFrameSamples);
    bulk_delay_ = static_cast<std::int64_t>(std::lround(gmsk_.delay_samples() + (fading_ ? fading_->delay_samples() : 0.0)));
  }

  double apparent_carrier_hz() const { return apparent_carrier_hz_; }
  void set_power_dbfs(double dbfs) { gain_ = static_cast<float>(std::pow(10.0, dbfs / 20.0)); }

  // Working-rate position of receiver time t (samples of the cell's own 4-sps clock since its frame 0).
  double working_index(double t) const { return (t - cfg_.delay_us * 1e-6) * kWorkingRate * clock_scale_; }
  double time_of_working_index(double w) const { return w / (kWorkingRate * clock_scale_) + cfg_.delay_us * 1e-6; }

  void go_cold(double now, TruthSink* sink) {
    flush(now, sink);
    pending_.clear();
    warm_ = false;
  }

  // Adds this cell to out[0..n) whose first sample is at receiver time t_first, spacing 1/fs.
  // Built for AVX2+FMA too, chosen at run time (the interpolation is the hot loop of the renderer).
  TW_SYNTH_HOT void render_add(std::span<cf32> out, double t_first, double fs, double center_hz, const PolyphaseInterpolator& interp) {
    // Samples while the cell is on.
    const double t_last = t_first + static_cast<double>(out.size()) / fs;
    const double on = cfg_.on_s;
    const double off = cfg_.off_s ? *cfg_.off_s : std::numeric_limits<double>::infinity();
    if (on >= t_last || off <= t_first) {
      warm_ = false;
      return;
    }
    std::size_t na = 0, nb = out.size();
    if (on > t_first) na = std::min(out.size(), static_cast<std::size_t>(std::ceil((on - t_first) * fs)));
    if (off < t_last) nb = std::min(out.size(), static_cast<std::size_t>(std::ceil((off - t_first) * fs)));
    if (na >= nb) return;

    const double ta = t_first + static_cast<double>(na) / fs;
    const double step = kWorkingRate * clock_scale_ / fs;
    const double wa = working_index(ta);
    const double wb = wa + static_cast<double>(nb - na - 1) * step;
    const int H = interp.half_length();
    const std::int64_t need_lo = static_cast<std::int64_t>(std::floor(wa)) - H;
    const std::int64_t need_hi = static_cast<std::int64_t>(std::floor(wb)) + H + 1;
    if (!warm_ || need_lo < w0_ + gen_base_) seek(need_lo, ta);
    // Drop what is no longer needed.
    const std::int64_t drop = need_lo - (w0_ + gen_base_);
    if (drop > 0) {
      const auto d = static_cast<std::size_t>(std::min<std::int64_t>(drop, static_cast<std::int64_t>(buf_.size())));
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(d));
      gen_base_ += static_cast<std::int64_t>(d);
    }
    while (w0_ + gen_base_ + static_cast<std::int64_t>(buf_.size()) <= need_hi) generate_frame();

    // Resample, shift to the carrier offset, scale.
    const double f_off = apparent_carrier_hz_ - center_hz;
    const double ph0 = 2.0 * std::numbers::pi * std::fmod(f_off * ta, 1.0);
    double rr = std::cos(ph0), ri = std::sin(ph0);
    const double sr = std::cos(2.0 * std::numbers::pi * f_off / fs), si = std::sin(2.0 * std::numbers::pi * f_off / fs);
    const double xa = wa - static_cast<double>(w0_ + gen_base_);
    const cf32* b = buf_.data();
    for (std::size_t n = na; n < nb; ++n) {
      const double x = xa + static_cast<double>(n - na) * step;
      const double xf = std::floor(x);
      const cf32 v = interp.at(b + static_cast<std::ptrdiff_t>(xf), x - xf);
      const float gr = static_cast<float>(rr) * gain_, gi = static_cast<float>(ri) * gain_;
      out[n] += cf32(v.real() * gr - v.imag() * gi, v.real() * gi + v.imag() * gr);
      const double t = rr * sr - ri * si;   // rotate by one sample (plain arithmetic, no NaN handling)
      ri = rr * si + ri * sr;
      rr = t;
    }
  }

  void flush(double now, TruthSink* sink) {
    const double off = cfg_.off_s ? *cfg_.off_s : std::numeric_limits<double>::infinity();
    std::size_t keep = 0;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      const auto& e = pending_[i];
      if (e.t_end <= now + 1e-9) {
        const bool shown = e.t_start >= visible_since_ - 1e-9 && e.t_start >= cfg_.on_s && e.t_end <= off + 1e-9;
        if (shown && sink) {
          if (e.is_block)
            sink->on_block(e.block);
          else
            sink->on_sch(e.sch);
        }
      } else {
        pending_[keep++] = e;
      }
    }
    pending_.resize(keep);
  }

 private:
  void seek(std::int64_t need_lo, double t_visible) {
    // Start one frame early so the modulator and channel memories are full.
    const std::int64_t k0 = floor_div(need_lo + bulk_delay_, kFrameSamples) - 1;
    next_frame_ = k0;
    w0_ = k0 * kFrameSamples - bulk_delay_;
    gen_base_ = 0;
    buf_.clear();
    gmsk_.reset();
    if (fading_) fading_->reset();
    pending_.clear();
    visible_since_ = t_visible;
    warm_ = true;
  }

  void generate_frame() {
    const std::int64_t k = next_frame_++;
    const auto fn = static_cast<std::uint32_t>(
        ((static_cast<std::int64_t>(cfg_.first_fn) + k) % static_cast<std::int64_t>(kHyperframe) + kHyperframe) % kHyperframe);
    const FrameEvents ev = builder_.build(fn, std::span<std::uint8_t, kSymbolsPerFrame>(bits_.data(), kSymbolsPerFrame));
    gmsk_.modulate(bits_, frame_);
    const double t_frame = time_of_working_index(static_cast<double>(k * kFrameSamples));
    if (fading_) fading_->process(frame_, t_frame);
    buf_.insert(buf_.end(), frame_.begin(), frame_.end());
    if (ev.sch) {
      PendingEvent e;
      e.sch = TruthSch{index_, cfg_.arfcn, fn, cfg_.bsic, t_frame};
      e.t_start = t_frame;
      e.t_end = time_of_working_index(static_cast<double>((k + 1) * kFrameSamples));
      pending_.push_back(e);
    }
    if (ev.block) {
      PendingEvent e;
      e.is_block = true;
      e.t_start = t_frame;
      e.t_end = time_of_working_index(static_cast<double>((k + 4) * kFrameSamples));
      e.block = TruthBlock{index_, cfg_.arfcn, ev.block->fn, 0, channel_name(ev.block->kind),
                           ev.block->content.message, ev.block->content.octets, e.t_start, e.t_end,
                           ev.block->content.identities};
      pending_.push_back(e);
    }
  }

  CellConfig cfg_;
  int index_;
  std::unique_ptr<BlockProvider> provider_;
  C0FrameBuilder builder_;
  GmskModulator gmsk_;
  std::unique_ptr<FadingChannel> fading_;
  double carrier_hz_ = 0.0, apparent_carrier_hz_ = 0.0, clock_scale_ = 1.0;
  float gain_ = 1.0f;
  std::int64_t bulk_delay_ = 0;

  bool warm_ = false;
  std::int64_t next_frame_ = 0;   // next frame to generate (cell timeline: frame 0 = first_fn)
  std::int64_t w0_ = 0;           // working index of generated sample 0 since the last seek
  std::int64_t gen_base_ = 0;     // generated sample number of buf_[0]
  std::vector<cf32> buf_;
  std::vector<std::uint8_t> bits_;
  std::vector<cf32> frame_;
  std::vector<PendingEvent> pending_;
  double visible_since_ = 0.0;
};

struct SceneRenderer::Impl {
  Scene scene;
  double fc = 0.0, fs = 0.0, t0 = 0.0;
  std::uint64_t produced = 0;
  std::vector<std::unique_ptr<CellChain>> cells;
  std::vector<lte::LteCellConfig> lte_cfg;
  std::vector<std::unique_ptr<lte::LteCellChain>> lte_cells;
  std::vector<nr::NrCellConfig> nr_cfg;
  std::vector<std::unique_ptr<nr::NrCellChain>> nr_cells;
  std::vector<std::unique_ptr<NoiseJammer>> jammers;
  PolyphaseInterpolator interp;
  static constexpr std::int64_t kNoiseBlock = 1024;   // noise is drawn per block of absolute sample index
  std::uint64_t noise_seed = 0;
  std::int64_t noise_block = std::numeric_limits<std::int64_t>::min();
  std::vector<cf32> noise_buf = std::vector<cf32>(kNoiseBlock);
  float noise_sigma = 0.0f;   // per component
  std::int64_t first_index = 0;   // absolute sample index of t0: round(t0 * fs)
  cf32 dc{};
  bool iq = false;
  float iq_gain = 1.0f, iq_sin = 0.0f, iq_cos = 1.0f;
  TruthSink* sink = nullptr;

  double now() const { return t0 + static_cast<double>(produced) / fs; }
  // Fills noise_buf with block b of the receiver noise (mt19937_64 seeded by scene seed and block).
  void noise_for_block(std::int64_t b) {
    if (b == noise_block) return;
    std::mt19937_64 rng(splitmix64(noise_seed ^ splitmix64(static_cast<std::uint64_t>(b))));
    std::normal_distribution<float> normal(0.0f, noise_sigma);
    for (auto& v : noise_buf) {
      const float re = normal(rng);
      v = cf32(re, normal(rng));
    }
    noise_block = b;
  }
  bool visible(int i) const {
    return std::abs(cells[static_cast<std::size_t>(i)]->apparent_carrier_hz() - fc) <= fs / 2 - kEdgeMarginHz;
  }
};

SceneRenderer::SceneRenderer(const Scene& scene, double center_freq_hz, double sample_rate_hz, double start_time_s,
                             BlockProviderFactory factory)
    : impl_(std::make_unique<Impl>()) {
  if (!(sample_rate_hz > 0.0) || !std::isfinite(sample_rate_hz))
    throw InputError("sample rate must be a positive number of Hz");
  if (!std::isfinite(center_freq_hz) || center_freq_hz < 0.0) throw InputError("centre frequency must be >= 0 Hz");
  if (!factory) throw std::invalid_argument("SceneRenderer: no block provider factory");
  auto& m = *impl_;
  m.scene = resolve_scene(scene);
  m.fc = center_freq_hz;
  m.fs = sample_rate_hz;
  m.t0 = start_time_s;
  m.noise_seed = splitmix64(m.scene.seed ^ 0x4015eULL);
  m.first_index = static_cast<std::int64_t>(std::llround(start_time_s * sample_rate_hz));
  m.noise_sigma = static_cast<float>(std::sqrt(std::pow(10.0, m.scene.noise_dbfs / 10.0) / 2.0));
  if (m.scene.dc_offset_dbfs > -199.0) m.dc = std::polar(static_cast<float>(std::pow(10.0, m.scene.dc_offset_dbfs / 20.0)), 0.7f);
  if (m.scene.iq_gain_imbalance_db != 0.0 || m.scene.iq_phase_imbalance_deg != 0.0) {
    m.iq = true;
    m.iq_gain = static_cast<float>(std::pow(10.0, m.scene.iq_gain_imbalance_db / 20.0));
    const double phi = m.scene.iq_phase_imbalance_deg * std::numbers::pi / 180.0;
    m.iq_sin = static_cast<float>(std::sin(phi));
    m.iq_cos = static_cast<float>(std::cos(phi));
  }
  for (std::size_t i = 0; i < m.scene.jammers.size(); ++i)
    m.jammers.push_back(std::make_unique<NoiseJammer>(m.scene.jammers[i], splitmix64(m.scene.seed ^ (0x7a33e5ULL + i))));
  for (std::size_t i = 0; i < m.scene.cells.size(); ++i) {
    const auto& c = m.scene.cells[i];
    const auto seed = cell_seed(m.scene.seed, static_cast<int>(i));
    m.cells.push_back(std::make_unique<CellChain>(c, static_cast<int>(i), seed, factory(c, static_cast<int>(i), seed),
                                                  m.scene.receiver_ppm));
  }
}

SceneRenderer::SceneRenderer(const SceneWithLte& scene, double center_freq_hz, double sample_rate_hz, double start_time_s,
                             BlockProviderFactory factory)
    : SceneRenderer(scene.scene, center_freq_hz, sample_rate_hz, start_time_s, std::move(factory)) {
  auto& m = *impl_;
  m.lte_cfg = resolve_lte_cells(scene.lte_cells, m.scene.seed);
  for (std::size_t i = 0; i < m.lte_cfg.size(); ++i) {
    try {
      m.lte_cells.push_back(std::make_unique<lte::LteCellChain>(
          m.lte_cfg[i], cell_seed(m.scene.seed, kLteSeedBase + static_cast<int>(i)), m.scene.receiver_ppm));
    } catch (const InputError& e) {
      throw InputError("lte_cells[" + std::to_string(i) + "]: " + e.what());
    }
  }
  m.nr_cfg = resolve_nr_cells(scene.nr_cells, m.scene.seed);
  for (std::size_t i = 0; i < m.nr_cfg.size(); ++i)
    m.nr_cells.push_back(std::make_unique<nr::NrCellChain>(
        m.nr_cfg[i], cell_seed(m.scene.seed, kNrSeedBase + static_cast<int>(i)), m.scene.receiver_ppm));
}

SceneRenderer::~SceneRenderer() = default;

void SceneRenderer::render(std::span<cf32> out) {
  auto& m = *impl_;
  if (out.empty()) return;
  const double t_first = m.now();
  std::fill(out.begin(), out.end(), cf32{});
  for (std::size_t i = 0; i < m.cells.size(); ++i) {
    if (m.visible(static_cast<int>(i)))
      m.cells[i]->render_add(out, t_first, m.fs, m.fc, m.interp);
    else
      m.cells[i]->go_cold(t_first, m.sink);
  }
  for (auto& c : m.lte_cells) {
    if (c->visible(m.fc, m.fs))
      c->render_add(out, t_first, m.fs, m.fc);
    else
      c->go_cold();
  }
  for (auto& c : m.nr_cells)
    if (c->visible(m.fc, m.fs)) c->render_add(out, t_first, m.fs, m.fc);
  // Jammers (their clock is the scene's: absolute sample index over the rate).
  for (auto& j : m.jammers) j->execute(out, m.first_index + static_cast<std::int64_t>(m.produced), m.fc, m.fs);
  // Receiver: thermal noise, DC offset, IQ imbalance.
  if (m.noise_sigma > 0.0f) {
    std::int64_t n = m.first_index + static_cast<std::int64_t>(m.produced);
    for (std::size_t i = 0; i < out.size();) {
      const std::int64_t b = n >= 0 ? n / Impl::kNoiseBlock : -((-n - 1) / Impl::kNoiseBlock) - 1;
      m.noise_for_block(b);
      const std::size_t off = static_cast<std::size_t>(n - b * Impl::kNoiseBlock);
      const std::size_t take = std::min(out.size() - i, static_cast<std::size_t>(Impl::kNoiseBlock) - off);
      for (std::size_t j = 0; j < take; ++j) out[i + j] += m.noise_buf[off + j];
      i += take;
      n += static_cast<std::int64_t>(take);
    }
  }
  if (m.dc != cf32{})
    for (auto& v : out) v += m.dc;
  if (m.iq)
    for (auto& v : out) v = cf32(v.real(), m.iq_gain * (m.iq_cos * v.imag() + m.iq_sin * v.real()));
  m.produced += out.size();
  const double t_after = m.now();
  for (auto& c : m.cells) c->flush(t_after, m.sink);
}

void SceneRenderer::retune(double center_freq_hz) {
  if (!std::isfinite(center_freq_hz) || center_freq_hz < 0.0) throw InputError("centre frequency must be >= 0 Hz");
  auto& m = *impl_;
  const double now = m.now();
  m.fc = center_freq_hz;
  for (std::size_t i = 0; i < m.cells.size(); ++i)
    if (!m.visible(static_cast<int>(i))) m.cells[i]->go_cold(now, m.sink);
}

void SceneRenderer::seek(double time_s) {
  if (!std::isfinite(time_s)) throw InputError("seek time must be a finite number of seconds");
  auto& m = *impl_;
  const double now = m.now();
  for (auto& c : m.cells) c->go_cold(now, m.sink);
  for (auto& c : m.lte_cells) c->go_cold();
  m.t0 = time_s;
  m.produced = 0;
  m.first_index = static_cast<std::int64_t>(std::llround(time_s * m.fs));
}

void SceneRenderer::set_cell_power_dbfs(int cell, double power_dbfs) {
  impl_->cells.at(static_cast<std::size_t>(cell))->set_power_dbfs(power_dbfs);
}
void SceneRenderer::set_nr_cell_power_dbfs(int cell, double power_dbfs) {
  impl_->nr_cells.at(static_cast<std::size_t>(cell))->set_power_dbfs(power_dbfs);
}
const std::vector<nr::NrCellConfig>& SceneRenderer::nr_cells() const { return impl_->nr_cfg; }
const nr::NrCellChain& SceneRenderer::nr_chain(int cell) const { return *impl_->nr_cells.at(static_cast<std::size_t>(cell)); }
bool SceneRenderer::nr_cell_visible(int cell) const {
  return impl_->nr_cells.at(static_cast<std::size_t>(cell))->visible(impl_->fc, impl_->fs);
}
void SceneRenderer::set_lte_cell_power_dbfs(int cell, double power_dbfs) {
  impl_->lte_cells.at(static_cast<std::size_t>(cell))->set_power_dbfs(power_dbfs);
}

double SceneRenderer::time_s() const { return impl_->now(); }
void SceneRenderer::set_truth_sink(TruthSink* sink) { impl_->sink = sink; }
const Scene& SceneRenderer::scene() const { return impl_->scene; }
double SceneRenderer::center_freq_hz() const { return impl_->fc; }
double SceneRenderer::sample_rate_hz() const { return impl_->fs; }
double SceneRenderer::carrier_offset_hz(int cell) const {
  return impl_->cells.at(static_cast<std::size_t>(cell))->apparent_carrier_hz() - impl_->fc;
}
const std::vector<lte::LteCellConfig>& SceneRenderer::lte_cells() const { return impl_->lte_cfg; }
double SceneRenderer::lte_carrier_offset_hz(int cell) const {
  return impl_->lte_cells.at(static_cast<std::size_t>(cell))->apparent_carrier_hz() - impl_->fc;
}
bool SceneRenderer::lte_cell_visible(int cell) const {
  return impl_->lte_cells.at(static_cast<std::size_t>(cell))->visible(impl_->fc, impl_->fs);
}

bool SceneRenderer::cell_visible(int cell) const {
  if (cell < 0 || static_cast<std::size_t>(cell) >= impl_->cells.size()) throw std::out_of_range("cell index");
  return impl_->visible(cell);
}

}  // namespace tw::synth
