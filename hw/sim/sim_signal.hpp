// The signal the simulated radio (SoapySDR driver "towerwatch-sim") delivers. The SoapySDR module owns one
// SimSignal and asks it for blocks of samples; it knows nothing about what the signal is.
//   Without a scene: complex white Gaussian noise (and, as a test aid, one CW carrier).
//   With scene=NAME|PATH: the GSM scene synthesizer (tw::synth::SceneRenderer) renders the scene at the LO
//   frequency and real sample rate the module hands over, plus the scene's own receiver noise (the tone
//   still adds on top when asked for).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hw/iq_source.hpp"
#include "tools/synth/cell_config.hpp"
#include "tools/synth/geometry.hpp"
#include "tools/synth/nr/nr_cell_config.hpp"
#include "tools/synth/lte/lte_cell_config.hpp"

namespace tw::synth {
class SceneRenderer;
}

namespace tw::sim {

// Levels are in dBFS: power E|x|^2 relative to full scale, where a complex sample of magnitude 1 (the
// largest the simulated ADC delivers on I and Q alike) is 0 dBFS. They hold at receiver gain 0 dB; every dB
// of gain raises every level by 1 dB (the simulated ADC clips I and Q at +-1 after that).
struct SimSignalConfig {
  std::string scene;                 // device arg scene=NAME|PATH: a built-in scene name or a JSON scene file
  // The scene as loaded (nullptr without scene=), with the device args' overrides applied: noise_dbfs= (if
  // given) replaces the scene's noise_dbfs, seed= (if given) the scene's seed. receiver_ppm is the scene's:
  // the module turns it into its crystal error (see sim_device.cpp); the renderer is run with receiver_ppm 0.
  std::shared_ptr<const tw::synth::Scene> scene_data;
  std::vector<tw::synth::lte::LteCellConfig> lte_cells;   // the scene's "lte_cells" (rendered beside its GSM cells)
  std::vector<tw::synth::nr::NrCellConfig> nr_cells;      // the scene's "nr_cells" (their SS/PBCH blocks)
  double noise_dbfs = -70.0;         // device arg noise_dbfs=: complex white Gaussian noise power (no scene)
  std::uint64_t seed = 0;            // device arg seed=, else derived from serial and scene (see from_args)
  std::optional<double> tone_hz;     // device arg tone_hz=: a CW carrier at this absolute RF frequency (Hz)
  double tone_dbfs = -30.0;          // device arg tone_dbfs=: its power
  // device arg track=FILE: the receiver moves along this track (tools/synth/geometry.hpp: CSV rows
  // t_seconds,lat,lon); every placed cell of the scene (keys lat, lon, power_1m_dbm, ...) is then heard at
  // the level its path loss to the receiver's position gives, updated every 10 ms of stream. Track time =
  // stream time (sample n at n / rate since the stream started, the device clock) + track_offset_s=.
  // Device arg track_start_unix_ms=T puts the track on the system clock instead: track time = (the system
  // time a sample is delivered at - T) / 1000 + track_offset_s, so the receiver is where a GPS replaying the
  // same route from T (gpsd under gpsfake) says it is, however fast the stream is read. A sample's delivery
  // time: the system time of the render call minus the samples after it in the block (exact with realtime=1).
  std::string track_path;
  std::shared_ptr<const tw::synth::ReceiverTrack> track;
  double track_offset_s = 0.0;
  std::optional<std::int64_t> track_start_unix_ms;

  // The track time of a sample: from its stream time, or (track_start_unix_ms) from its system time.
  double track_time_s(double stream_time_s, double system_unix_s) const;
  // The receiver's position on the track at that time (nullopt without a track).
  std::optional<tw::synth::TrackPoint> position_at(double stream_time_s, double system_unix_s) const;

  // The signal's own device args (scene, noise_dbfs, seed, tone_hz, tone_dbfs, track, track_offset_s,
  // track_start_unix_ms);
  // other keys are ignored.
  // `serial` only feeds the default seed. Throws tw::InputError naming the arg for a bad or out-of-range value,
  // and naming the scene for an unknown scene name or a bad scene file.
  static SimSignalConfig from_args(const std::map<std::string, std::string>& args, const std::string& serial);
  // The arg names from_args reads (the module rejects any key that neither it nor the signal knows).
  static const std::vector<std::string>& arg_names();
};

class SimSignal {
 public:
  explicit SimSignal(SimSignalConfig config);
  ~SimSignal();
  SimSignal(SimSignal&&) noexcept;
  SimSignal& operator=(SimSignal&&) noexcept;

  // Renders samples first_sample .. first_sample + out.size() - 1. Sample n is taken at time
  // n / sample_rate_hz on the receiver's clock.
  //   center_freq_hz: the frequency the receiver's LO really sits at, i.e. the tuned frequency with the
  //                   simulated crystal error and the ppm correction already applied (the module does that);
  //                   a carrier at absolute frequency F appears at baseband frequency F - center_freq_hz.
  //   sample_rate_hz: the real sample rate (the same crystal drives it).
  //   gain_db:        receiver gain; levels scale by 10^(gain_db/20) in amplitude.
  // Without a scene the result depends only on (config, n, the arguments), not on how the stream is cut
  // into blocks, so skipped samples (overflows) are simply never rendered; no allocation, one pass.
  // With a scene, scene time is sample time: the renderer is made on the first call (at time
  // first_sample / sample_rate_hz) and continued while the calls are contiguous (first_sample the next
  // expected sample, same rate); a jump in first_sample (samples lost to an overflow) seeks it to the new
  // time, a rate change makes a new one at that time, a frequency change retunes it (scene time keeps
  // running across retunes). Cells outside the band cost nothing.
  void render(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz, double gain_db,
              std::span<cf32> out);

  const SimSignalConfig& config() const { return config_; }

 private:
  void render_noise(std::uint64_t first_sample, double gain_power, std::span<cf32> out) const;
  void add_tone(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz, double gain_power,
                std::span<cf32> out) const;
  void render_scene(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz, std::span<cf32> out);
  void apply_track(double stream_time_s, double system_unix_s);   // placed cells' levels at that time's position

  SimSignalConfig config_;
  tw::synth::Scene render_scene_;                  // scene_data with receiver_ppm 0 (the module models the clock)
  std::unique_ptr<tw::synth::SceneRenderer> renderer_;
  std::uint64_t next_sample_ = 0;                  // the sample the renderer renders next
};

}  // namespace tw::sim
