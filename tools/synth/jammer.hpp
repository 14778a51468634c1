// A wideband noise jammer of a scene (key "jammers"): complex Gaussian noise of total power power_dbfs spread
// evenly over [center_hz - bandwidth_hz/2, center_hz + bandwidth_hz/2], on from on_s until off_s. What a
// catcher's jammer does to an LTE band to push phones down to its 2G cell: the band's noise floor rises and
// the cells in it can no longer be received.
//
// Rendering (create / execute / reset): the part of the jammer's band inside the capture (centre fc, rate
// fs) is synthesized in the frequency domain per block of kBlock samples of absolute sample index: the FFT
// bins whose frequency falls in the band get independent complex Gaussian values (seeded by the scene seed,
// the jammer and the block), an inverse FFT makes the block. Per-bin variance P·(fs/N)/B gives a power
// spectral density of P/B, so the captured power is P times the share of the band inside the capture.
#pragma once
#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace tw::synth {

using cf32 = std::complex<float>;

struct JammerConfig {
  double center_hz = 0.0;
  double bandwidth_hz = 20e6;
  double power_dbfs = -40.0;            // total power over the whole bandwidth at the receiver input
  double on_s = 0.0;
  std::optional<double> off_s;
};

class NoiseJammer {
 public:
  // seed: the scene's seed mixed with the jammer's index.
  NoiseJammer(const JammerConfig& cfg, std::uint64_t seed);
  ~NoiseJammer();
  NoiseJammer(const NoiseJammer&) = delete;
  NoiseJammer& operator=(const NoiseJammer&) = delete;

  // Adds the jammer to out[i] = sample first_index + i of a capture at centre fc, rate fs (t = index / fs).
  void execute(std::span<cf32> out, std::int64_t first_index, double fc, double fs);
  void reset();

  static constexpr std::int64_t kBlock = 4096;

 private:
  void make_block(std::int64_t b, double fc, double fs);

  JammerConfig cfg_;
  std::uint64_t seed_;
  struct Fft;
  std::unique_ptr<Fft> fft_;
  std::int64_t block_ = -1;
  double block_fc_ = -1.0, block_fs_ = -1.0;
};

}  // namespace tw::synth
