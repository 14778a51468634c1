// The signal the simulated radio (SoapySDR driver "towerwatch-sim") delivers. The SoapySDR module owns one
// SimSignal and asks it for blocks of samples; it knows nothing about what the signal is. Today: complex
// white Gaussian noise (and, as a test aid, one CW carrier); the GSM scene synthesizer plugs in behind the
// same render() call later.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hw/iq_source.hpp"

namespace tw::sim {

// Levels are in dBFS: power E|x|^2 relative to full scale, where a complex sample of magnitude 1 (the
// largest the simulated ADC delivers on I and Q alike) is 0 dBFS. They hold at receiver gain 0 dB; every dB
// of gain raises every level by 1 dB (the simulated ADC clips I and Q at +-1 after that).
struct SimSignalConfig {
  std::string scene;                 // device arg scene=NAME|PATH: stored for the scene synthesizer (not rendered yet)
  double noise_dbfs = -70.0;         // device arg noise_dbfs=: complex white Gaussian noise power
  std::uint64_t seed = 0;            // device arg seed=, else derived from serial and scene (see from_args)
  std::optional<double> tone_hz;     // device arg tone_hz=: a CW carrier at this absolute RF frequency (Hz)
  double tone_dbfs = -30.0;          // device arg tone_dbfs=: its power

  // The signal's own device args (scene, noise_dbfs, seed, tone_hz, tone_dbfs); other keys are ignored.
  // `serial` only feeds the default seed. Throws tw::InputError naming the arg for a bad or out-of-range value.
  static SimSignalConfig from_args(const std::map<std::string, std::string>& args, const std::string& serial);
  // The arg names from_args reads (the module rejects any key that neither it nor the signal knows).
  static const std::vector<std::string>& arg_names();
};

class SimSignal {
 public:
  explicit SimSignal(SimSignalConfig config);

  // Renders samples first_sample .. first_sample + out.size() - 1. Sample n is taken at time
  // n / sample_rate_hz on the receiver's clock; the result depends only on (config, n, the arguments), not
  // on how the stream is cut into blocks, so skipped samples (overflows) are simply never rendered.
  //   center_freq_hz: the frequency the receiver's LO really sits at, i.e. the tuned frequency with the
  //                   simulated crystal error and the ppm correction already applied (the module does that);
  //                   a carrier at absolute frequency F appears at baseband frequency F - center_freq_hz.
  //   sample_rate_hz: the real sample rate (the same crystal drives it).
  //   gain_db:        receiver gain; levels scale by 10^(gain_db/20) in amplitude.
  // No allocation; one pass over `out`.
  void render(std::uint64_t first_sample, double center_freq_hz, double sample_rate_hz, double gain_db,
              std::span<cf32> out);

  const SimSignalConfig& config() const { return config_; }

 private:
  SimSignalConfig config_;
};

}  // namespace tw::sim
