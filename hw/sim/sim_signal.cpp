#include "hw/sim/sim_signal.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <numbers>

#include "src/core/error.hpp"
#include "src/core/units.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace tw::sim {

namespace {

std::uint64_t fnv1a64(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// splitmix64 finalizer: a counter-based generator, so sample n's noise depends on n alone.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double level_arg(const std::map<std::string, std::string>& args, const std::string& key, double fallback) {
  auto it = args.find(key);
  if (it == args.end()) return fallback;
  const double v = parse_si_number(it->second, "towerwatch-sim device arg " + key);
  if (!std::isfinite(v) || v < -200.0 || v > 0.0)
    throw InputError("towerwatch-sim device arg " + key + "=" + it->second + " is out of range (-200..0 dBFS)");
  return v;
}

}  // namespace

SimSignalConfig SimSignalConfig::from_args(const std::map<std::string, std::string>& args,
                                           const std::string& serial) {
  SimSignalConfig c;
  if (auto it = args.find("scene"); it != args.end()) {
    c.scene = it->second;
    if (c.scene.empty()) throw InputError("towerwatch-sim device arg scene= is empty (a built-in scene name or a JSON file)");
  }
  c.noise_dbfs = level_arg(args, "noise_dbfs", c.noise_dbfs);
  c.tone_dbfs = level_arg(args, "tone_dbfs", c.tone_dbfs);
  if (auto it = args.find("tone_hz"); it != args.end()) {
    const double f = parse_si_number(it->second, "towerwatch-sim device arg tone_hz");
    if (!std::isfinite(f) || f <= 0.0 || f > 10e9)
      throw InputError("towerwatch-sim device arg tone_hz=" + it->second + " is out of range (0..10 GHz)");
    c.tone_hz = f;
  }
  if (auto it = args.find("seed"); it != args.end()) {
    const std::string& s = it->second;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
      throw InputError("towerwatch-sim device arg seed=" + s + " is not an unsigned integer");
    c.seed = v;
  } else {
    c.seed = fnv1a64(serial + "\n" + c.scene);
  }
  if (auto it = args.find("track"); it != args.end()) {
    if (c.scene.empty()) throw InputError("towerwatch-sim device arg track= needs a scene= with placed cells");
    c.track_path = it->second;
    try {
      c.track = std::make_shared<const tw::synth::ReceiverTrack>(tw::synth::ReceiverTrack::load(it->second));
    } catch (const InputError& e) {
      throw InputError(std::string("towerwatch-sim device arg track=: ") + e.what());
    }
  }
  if (auto it = args.find("track_offset_s"); it != args.end()) {
    const double v = parse_si_number(it->second, "towerwatch-sim device arg track_offset_s");
    if (!std::isfinite(v) || std::fabs(v) > 1e9)
      throw InputError("towerwatch-sim device arg track_offset_s=" + it->second + " is out of range");
    c.track_offset_s = v;
  }
  if (auto it = args.find("track_start_unix_ms"); it != args.end()) {
    if (!c.track) throw InputError("towerwatch-sim device arg track_start_unix_ms= needs a track=");
    const std::string& s = it->second;
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    // Unix milliseconds from 1970 to 2400: anything else is a mistake (seconds given, a stray sign).
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 0 || v > 13569465600000LL)
      throw InputError("towerwatch-sim device arg track_start_unix_ms=" + s +
                       " is not a system time in Unix milliseconds (0..13569465600000)");
    c.track_start_unix_ms = v;
  }
  if (!c.scene.empty()) {
    tw::synth::SceneWithLte full;
    try {
      full = tw::synth::load_scene_with_lte(c.scene);
    } catch (const InputError& e) {
      throw InputError("towerwatch-sim device arg scene=" + c.scene + ": " + e.what());
    }
    tw::synth::Scene& scene = full.scene;
    if (scene.cells.empty() && full.lte_cells.empty() && full.nr_cells.empty())
      throw InputError("towerwatch-sim device arg scene=" + c.scene + ": the scene has no cells");
    c.lte_cells = std::move(full.lte_cells);
    c.nr_cells = std::move(full.nr_cells);
    if (args.count("noise_dbfs")) scene.noise_dbfs = c.noise_dbfs;
    if (args.count("seed")) scene.seed = c.seed;
    c.scene_data = std::make_shared<const tw::synth::Scene>(std::move(scene));
  }
  return c;
}

const std::vector<std::string>& SimSignalConfig::arg_names() {
  static const std::vector<std::string> names = {"scene", "noise_dbfs", "seed", "tone_hz", "tone_dbfs", "track", "track_offset_s",
                                                 "track_start_unix_ms"};
  return names;
}

SimSignal::SimSignal(SimSignalConfig config) : config_(std::move(config)) {
  if (config_.scene_data) {
    render_scene_ = *config_.scene_data;
    render_scene_.receiver_ppm = 0.0;  // the module's crystal model moves the LO and the sample clock instead
  }
}

SimSignal::~SimSignal() = default;
SimSignal::SimSignal(SimSignal&&) noexcept = default;
SimSignal& SimSignal::operator=(SimSignal&&) noexcept = default;

void SimSignal::render_scene(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz,
                             std::span<cf32> out) {
  const double t = static_cast<double>(first_sample) / sample_rate_hz;   // scene time = sample time
  if (!renderer_ || renderer_->sample_rate_hz() != sample_rate_hz) {
    renderer_ = std::make_unique<tw::synth::SceneRenderer>(tw::synth::SceneWithLte{render_scene_, config_.lte_cells, config_.nr_cells},
                                                           center_freq_hz, sample_rate_hz, t);
  } else {
    if (first_sample != next_sample_) renderer_->seek(t);   // samples skipped (overflow) or the clock was set
    if (renderer_->center_freq_hz() != center_freq_hz) renderer_->retune(center_freq_hz);
  }
  if (!config_.track) {
    renderer_->render(out);
  } else {
    // The levels follow the receiver: updated every 10 ms of signal (a car at 30 m/s moves 0.3 m).
    const std::size_t chunk = std::max<std::size_t>(1, static_cast<std::size_t>(sample_rate_hz * 0.01));
    const double now_s = config_.track_start_unix_ms
                             ? std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()
                             : 0.0;
    for (std::size_t i = 0; i < out.size(); i += chunk) {
      apply_track(static_cast<double>(first_sample + i) / sample_rate_hz,
                  now_s - static_cast<double>(out.size() - i) / sample_rate_hz);
      renderer_->render(out.subspan(i, std::min(chunk, out.size() - i)));
    }
  }
  next_sample_ = first_sample + out.size();
}

double SimSignalConfig::track_time_s(double stream_time_s, double system_unix_s) const {
  if (track_start_unix_ms) return system_unix_s - static_cast<double>(*track_start_unix_ms) / 1e3 + track_offset_s;
  return stream_time_s + track_offset_s;
}

std::optional<tw::synth::TrackPoint> SimSignalConfig::position_at(double stream_time_s, double system_unix_s) const {
  if (!track) return std::nullopt;
  return track->at(track_time_s(stream_time_s, system_unix_s));
}

void SimSignal::apply_track(double stream_time_s, double system_unix_s) {
  const auto p = config_.position_at(stream_time_s, system_unix_s);
  if (!p) return;
  const auto& sc = renderer_->scene();
  for (std::size_t i = 0; i < sc.cells.size(); ++i) {
    const auto& pl = sc.cells[i].placement;
    if (pl.placed)
      renderer_->set_cell_power_dbfs(static_cast<int>(i), tw::synth::received_dbm(pl, tw::synth::cell_seed(sc.seed, static_cast<int>(i)),
                                                                               p->lat, p->lon) + sc.rx_gain_db);
  }
  const auto& lc = renderer_->lte_cells();
  for (std::size_t i = 0; i < lc.size(); ++i) {
    const auto& pl = lc[i].placement;
    if (pl.placed)
      renderer_->set_lte_cell_power_dbfs(
          static_cast<int>(i),
          tw::synth::received_dbm(pl, tw::synth::cell_seed(sc.seed, tw::synth::kLteSeedBase + static_cast<int>(i)), p->lat, p->lon) +
              sc.rx_gain_db);
  }
}

void SimSignal::render(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz, double gain_db,
                       std::span<cf32> out) {
  const double gain_power = std::pow(10.0, gain_db / 10.0);
  if (config_.scene_data) {
    if (!(sample_rate_hz > 0.0)) {
      std::fill(out.begin(), out.end(), cf32{});
      return;
    }
    render_scene(first_sample, center_freq_hz, sample_rate_hz, out);
    if (gain_db != 0.0) {
      const float a = static_cast<float>(std::sqrt(gain_power));
      for (auto& s : out) s *= a;
    }
  } else {
    render_noise(first_sample, gain_power, out);
  }
  add_tone(first_sample, center_freq_hz, sample_rate_hz, gain_power, out);
}

void SimSignal::render_noise(std::uint64_t first_sample, double gain_power, std::span<cf32> out) const {
  // Complex noise of power P: I and Q independent, each of variance P/2.
  const float sigma = static_cast<float>(std::sqrt(std::pow(10.0, config_.noise_dbfs / 10.0) * gain_power / 2.0));
  const std::uint64_t key = mix64(config_.seed ^ 0x6a09e667f3bcc909ULL);
  constexpr float two_pi = 2.0f * std::numbers::pi_v<float>;
  constexpr float inv_2_32 = 1.0f / 4294967296.0f;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::uint64_t h = mix64(key + (first_sample + i) * 0x9e3779b97f4a7c15ULL);
    // Box-Muller on two 32-bit uniforms; u1 in (0, 1] keeps the log finite.
    const float u1 = (static_cast<float>(h >> 32) + 0.5f) * inv_2_32;
    const float u2 = static_cast<float>(h & 0xffffffffULL) * inv_2_32;
    const float r = sigma * std::sqrt(-2.0f * std::log(u1));
    const float a = two_pi * u2;
    out[i] = cf32(r * std::cos(a), r * std::sin(a));
  }
}

void SimSignal::add_tone(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz,
                         double gain_power, std::span<cf32> out) const {
  if (config_.tone_hz && sample_rate_hz > 0.0 && !out.empty()) {
    // Carrier at F appears at F - LO. Phase of sample n: 2*pi*frac(df*n/fs); exact at the block start,
    // then a phasor recurrence (drift over one block is far below the noise).
    const double amplitude = std::sqrt(std::pow(10.0, config_.tone_dbfs / 10.0) * gain_power);
    const double cycles_per_sample = (*config_.tone_hz - center_freq_hz) / sample_rate_hz;
    const double start_cycles = cycles_per_sample * static_cast<double>(first_sample);
    const double start_phase = 2.0 * std::numbers::pi * (start_cycles - std::floor(start_cycles));
    std::complex<double> ph = std::polar(amplitude, start_phase);
    const std::complex<double> step = std::polar(1.0, 2.0 * std::numbers::pi * cycles_per_sample);
    for (auto& s : out) {
      s += cf32(static_cast<float>(ph.real()), static_cast<float>(ph.imag()));
      ph *= step;
    }
  }
}

}  // namespace tw::sim
