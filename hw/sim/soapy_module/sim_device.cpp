// The simulated radio: a SoapySDR module registering driver "towerwatch-sim". Any program using SoapySDR
// finds it when SOAPY_SDR_PLUGIN_PATH points at <build>/soapy-modules and the args say
// driver=towerwatch-sim (it never shows up in an unfiltered enumeration, so "the first device" is never
// the simulator by accident).
//
// Device args (all optional):
//   serial=S          serial number reported by enumerate and getHardwareInfo (default TWSIM0001)
//   scene=NAME|PATH   a GSM scene (built-in name: single, city, city-with-rogue, multiband; or a JSON scene
//                     file) rendered by the signal (tw::sim::SimSignal); see sim_signal.hpp for the signal's
//                     args noise_dbfs= (overrides the scene's), seed=, tone_hz=, tone_dbfs=
//   track=FILE        the receiver moves along this track (CSV rows t_seconds,lat,lon; time = seconds since
//                     the stream started on the device clock, plus track_offset_s=S): the scene's placed
//                     cells (lat, lon, power_1m_dbm, path_loss_exponent, shadowing_db) are heard at the
//                     level of their path loss to the receiver (tools/synth/geometry.hpp, hw/sim/sim_signal.hpp)
//   track_start_unix_ms=T  the track runs on the system clock from T (Unix ms) instead of the stream's:
//                     the receiver is where a GPS replaying the same route from T says (gpsd, gpsfake)
//   ppm=P             the simulated receiver's own crystal error in ppm (default 0, or with a scene the value
//                     that reproduces the scene's receiver_ppm, see below)
//   overflow_every=N  every N-th readStream call returns SOAPY_SDR_OVERFLOW and skips overflow_samples
//   overflow_samples=K  samples lost per overflow (default 10000): the next block's timeNs jumps by K samples
//   timeout_every=N   every N-th readStream call returns SOAPY_SDR_TIMEOUT
//   vanish_after=N    once N samples were delivered, every readStream returns SOAPY_SDR_STREAM_ERROR
//   realtime=1        pace delivery at the sample rate (default 0: as fast as asked, for tests)
//
// Setting (writeSetting) "skip_s"=S: the device clock and the scene jump S seconds ahead, nothing rendered
// (the monitor's --interval on its stream clock: a day of sweeps every few minutes without rendering the
// time between them); the next block's timeNs shows the jump. Real radios have no such setting.
//
// Frequency model. The crystal runs at nominal*(1 + ppm*1e-6). A driver with a frequency correction of c ppm
// assumes nominal*(1 + c*1e-6) and programs its synthesizers for that, so
//     LO actually reached  = tuned * (1 + ppm*1e-6) / (1 + c*1e-6)
//     real sample rate     = rate  * (1 + ppm*1e-6) / (1 + c*1e-6)
// (c = ppm cancels the error exactly). Both real values are what the signal is rendered with.
//
// A scene's receiver_ppm. The scene synthesizer's convention: receiver_ppm = p means the receiver sees every
// carrier at f * (1 + p*1e-6) and every symbol clock scaled the same way. The module renders the scene with
// receiver_ppm 0 and models the receiver's clock with its own crystal instead, so it is not counted twice.
// A receiver whose crystal runs at (1 + x) of nominal (x = ppm*1e-6, no correction) measures a carrier at F
// as F / (1 + x) in its own units (its LO and its sample clock both scale by 1 + x). Matching the scene:
//     1 / (1 + x) = 1 + p*1e-6   =>   crystal ppm = (1 / (1 + p*1e-6) - 1) * 1e6   (about -p)
// which is the default crystal error when the device arg ppm= is not given; ppm= given overrides it (and the
// scene's receiver_ppm is then not used). A frequency correction of that value cancels it exactly.
//
// Errors in the device args (a bad number, an unknown key, an unknown scene or a bad scene file) are thrown
// by make() as std::invalid_argument (a standard type, so it crosses the module boundary), naming the arg.
//
// Time model. The device clock counts samples at the current rate from stream start: the sample numbered n
// has timeNs = round(n * 1e9 / rate); samples skipped by an overflow advance n without being delivered. A
// rate change keeps the time and renumbers n.
#include <SoapySDR/Device.hpp>
#include <SoapySDR/Errors.h>
#include <SoapySDR/Formats.hpp>
#include <SoapySDR/Logger.hpp>
#include <SoapySDR/Registry.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "hw/sample_format.hpp"
#include "hw/sim/sim_signal.hpp"
#include "src/core/error.hpp"

namespace {

constexpr const char* kDriver = "towerwatch-sim";
constexpr const char* kDefaultSerial = "TWSIM0001";
constexpr double kMinRate = 0.2e6, kMaxRate = 20e6;
constexpr double kMaxBandwidth = 28e6;
constexpr double kMinFreq = 24e6, kMaxFreq = 6e9;
constexpr double kMinGain = 0.0, kMaxGain = 50.0;
constexpr double kAgcGainDb = 0.0;  // automatic gain mode holds the reference gain: levels as the signal states them
constexpr std::size_t kMtu = 65536;
constexpr std::size_t kMaxElemsPerRead = 1u << 22;

std::string arg_or(const SoapySDR::Kwargs& args, const std::string& key, const std::string& fallback) {
  auto it = args.find(key);
  return it == args.end() ? fallback : it->second;
}

std::uint64_t count_arg(const SoapySDR::Kwargs& args, const std::string& key, std::uint64_t fallback) {
  auto it = args.find(key);
  if (it == args.end()) return fallback;
  const std::string& s = it->second;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    throw std::invalid_argument(std::string(kDriver) + ": device arg " + key + "=" + s +
                                " is not an unsigned integer");
  return v;
}

double number_arg(const SoapySDR::Kwargs& args, const std::string& key, double fallback, double lo, double hi) {
  auto it = args.find(key);
  if (it == args.end()) return fallback;
  const std::string& s = it->second;
  double v = 0.0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < lo || v > hi)
    throw std::invalid_argument(std::string(kDriver) + ": device arg " + key + "=" + s + " is not a number in " +
                                std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

std::string range_text(double lo, double hi, const char* unit) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%g..%g %s", lo, hi, unit);
  return buf;
}

struct SimStream {
  bool cs16 = false;
  bool active = false;
};

class SimDevice final : public SoapySDR::Device {
 public:
  explicit SimDevice(const SoapySDR::Kwargs& args)
      : serial_(arg_or(args, "serial", kDefaultSerial)),
        crystal_ppm_(number_arg(args, "ppm", 0.0, -1000.0, 1000.0)),
        crystal_ppm_given_(args.count("ppm") != 0),
        overflow_every_(count_arg(args, "overflow_every", 0)),
        overflow_samples_(count_arg(args, "overflow_samples", 10000)),
        timeout_every_(count_arg(args, "timeout_every", 0)),
        vanish_after_(count_arg(args, "vanish_after", 0)),
        realtime_(count_arg(args, "realtime", 0) != 0),
        signal_(make_signal(args, serial_)) {
    check_known_args(args);
    if (serial_.empty()) throw std::invalid_argument(std::string(kDriver) + ": device arg serial= is empty");
    vanish_enabled_ = args.count("vanish_after") != 0;
    if (!crystal_ppm_given_ && signal_.config().scene_data)
      crystal_ppm_ = crystal_ppm_for_receiver_ppm(signal_.config().scene_data->receiver_ppm);
  }

  // The crystal error (ppm) whose receiver sees carriers at f * (1 + receiver_ppm*1e-6) (see the top).
  static double crystal_ppm_for_receiver_ppm(double receiver_ppm) {
    return (1.0 / (1.0 + receiver_ppm * 1e-6) - 1.0) * 1e6;
  }

  // ---- identification ----
  std::string getDriverKey() const override { return kDriver; }
  std::string getHardwareKey() const override { return kDriver; }
  SoapySDR::Kwargs getHardwareInfo() const override {
    SoapySDR::Kwargs info;
    info["serial"] = serial_;
    info["origin"] = "towerwatch simulated radio";
    if (!signal_.config().scene.empty()) info["scene"] = signal_.config().scene;
    return info;
  }
  std::size_t getNumChannels(const int direction) const override { return direction == SOAPY_SDR_RX ? 1 : 0; }

  // ---- streams ----
  std::vector<std::string> getStreamFormats(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {SOAPY_SDR_CF32, SOAPY_SDR_CS16};
  }
  std::string getNativeStreamFormat(const int direction, const std::size_t channel,
                                    double& full_scale) const override {
    check_channel(direction, channel);
    full_scale = 1.0;
    return SOAPY_SDR_CF32;
  }

  SoapySDR::Stream* setupStream(const int direction, const std::string& format,
                                const std::vector<std::size_t>& channels, const SoapySDR::Kwargs&) override {
    if (direction != SOAPY_SDR_RX) throw std::runtime_error(std::string(kDriver) + ": receive only (no TX)");
    if (channels.size() > 1 || (channels.size() == 1 && channels[0] != 0))
      throw std::runtime_error(std::string(kDriver) + ": one RX channel (0) only");
    if (format != SOAPY_SDR_CF32 && format != SOAPY_SDR_CS16)
      throw std::runtime_error(std::string(kDriver) + ": stream format " + format + " not supported (CF32, CS16)");
    std::lock_guard lock(mutex_);
    if (stream_) throw std::runtime_error(std::string(kDriver) + ": a stream is already open");
    stream_ = std::make_unique<SimStream>();
    stream_->cs16 = (format == SOAPY_SDR_CS16);
    return reinterpret_cast<SoapySDR::Stream*>(stream_.get());
  }

  void closeStream(SoapySDR::Stream* stream) override {
    std::lock_guard lock(mutex_);
    if (stream_ && reinterpret_cast<SoapySDR::Stream*>(stream_.get()) == stream) stream_.reset();
  }

  std::size_t getStreamMTU(SoapySDR::Stream*) const override { return kMtu; }

  int activateStream(SoapySDR::Stream* stream, const int flags, const long long, const std::size_t) override {
    std::lock_guard lock(mutex_);
    SimStream* s = find_stream(stream);
    if (!s) return SOAPY_SDR_STREAM_ERROR;
    if (flags != 0) return SOAPY_SDR_NOT_SUPPORTED;
    s->active = true;
    pace_origin_ = std::chrono::steady_clock::now();
    pace_origin_sample_ = next_sample_;
    return 0;
  }

  int deactivateStream(SoapySDR::Stream* stream, const int flags, const long long) override {
    std::lock_guard lock(mutex_);
    SimStream* s = find_stream(stream);
    if (!s) return SOAPY_SDR_STREAM_ERROR;
    if (flags != 0) return SOAPY_SDR_NOT_SUPPORTED;
    s->active = false;
    return 0;
  }

  int readStream(SoapySDR::Stream* stream, void* const* buffs, const std::size_t num_elems, int& flags,
                 long long& time_ns, const long timeout_us) override {
    std::unique_lock lock(mutex_);
    flags = 0;
    SimStream* s = find_stream(stream);
    if (!s) return SOAPY_SDR_STREAM_ERROR;
    if (vanished_) return SOAPY_SDR_STREAM_ERROR;
    if (!s->active) {  // SoapySDR's contract: an inactive stream times out
      if (realtime_) wait_for(lock, std::chrono::microseconds(std::max(0L, timeout_us)));
      return SOAPY_SDR_TIMEOUT;
    }
    if (vanish_enabled_ && delivered_ >= vanish_after_) {
      vanished_ = true;
      SoapySDR::logf(SOAPY_SDR_ERROR, "%s %s: device disappeared after %llu samples", kDriver, serial_.c_str(),
                     static_cast<unsigned long long>(delivered_));
      return SOAPY_SDR_STREAM_ERROR;
    }
    ++read_calls_;
    if (timeout_every_ && read_calls_ % timeout_every_ == 0) {
      if (realtime_) wait_for(lock, std::chrono::microseconds(std::max(0L, timeout_us)));
      return SOAPY_SDR_TIMEOUT;
    }
    if (overflow_every_ && read_calls_ % overflow_every_ == 0) {
      next_sample_ += overflow_samples_;
      pace_origin_sample_ += overflow_samples_;  // the lost samples' time has passed already
      return SOAPY_SDR_OVERFLOW;
    }

    std::size_t n = std::min(num_elems, kMaxElemsPerRead);
    if (vanish_enabled_) n = static_cast<std::size_t>(std::min<std::uint64_t>(n, vanish_after_ - delivered_));
    if (n == 0) return SOAPY_SDR_TIMEOUT;
    if (realtime_) {
      n = pace(lock, n, timeout_us);
      if (n == 0) return SOAPY_SDR_TIMEOUT;
    }

    // What reaches the signal: the LO and sample clock as the simulated crystal really makes them.
    const double scale = (1.0 + crystal_ppm_ * 1e-6) / (1.0 + correction_ppm_ * 1e-6);
    const double gain = gain_auto_ ? kAgcGainDb : gain_db_;
    cf32_scratch_.resize(std::max(cf32_scratch_.size(), n));
    tw::cf32* out = s->cs16 ? cf32_scratch_.data() : static_cast<tw::cf32*>(buffs[0]);
    signal_.render(next_sample_, freq_hz_ * scale, rate_hz_ * scale, gain, std::span<tw::cf32>(out, n));
    for (std::size_t i = 0; i < n; ++i)  // the ADC: I and Q clip at full scale
      out[i] = tw::cf32(std::clamp(out[i].real(), -1.0f, 1.0f), std::clamp(out[i].imag(), -1.0f, 1.0f));
    if (s->cs16) tw::convert_from_cf32(tw::SampleFormat::cs16, out, n, static_cast<std::uint8_t*>(buffs[0]));

    time_ns = time_of(next_sample_);
    flags = SOAPY_SDR_HAS_TIME;
    next_sample_ += n;
    delivered_ += n;
    return static_cast<int>(n);
  }

  // ---- antenna ----
  std::vector<std::string> listAntennas(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {"RX"};
  }
  void setAntenna(const int direction, const std::size_t channel, const std::string& name) override {
    check_channel(direction, channel);
    if (name != "RX") throw std::runtime_error(std::string(kDriver) + ": no antenna '" + name + "' (only RX)");
  }
  std::string getAntenna(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return "RX";
  }

  // ---- gain: one element "TUNER", 0..50 dB, plus automatic mode ----
  std::vector<std::string> listGains(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {"TUNER"};
  }
  bool hasGainMode(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return true;
  }
  void setGainMode(const int direction, const std::size_t channel, const bool automatic) override {
    check_channel(direction, channel);
    std::lock_guard lock(mutex_);
    gain_auto_ = automatic;
  }
  bool getGainMode(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    std::lock_guard lock(mutex_);
    return gain_auto_;
  }
  void setGain(const int direction, const std::size_t channel, const double value) override {
    check_channel(direction, channel);
    if (!std::isfinite(value) || value < kMinGain || value > kMaxGain)
      throw std::runtime_error(std::string(kDriver) + ": gain " + std::to_string(value) + " dB outside " +
                               range_text(kMinGain, kMaxGain, "dB"));
    std::lock_guard lock(mutex_);
    gain_db_ = value;
  }
  void setGain(const int direction, const std::size_t channel, const std::string& name, const double value) override {
    check_gain_name(name);
    setGain(direction, channel, value);
  }
  double getGain(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    std::lock_guard lock(mutex_);
    return gain_auto_ ? kAgcGainDb : gain_db_;
  }
  double getGain(const int direction, const std::size_t channel, const std::string& name) const override {
    check_gain_name(name);
    return getGain(direction, channel);
  }
  SoapySDR::Range getGainRange(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return SoapySDR::Range(kMinGain, kMaxGain);
  }
  SoapySDR::Range getGainRange(const int direction, const std::size_t channel, const std::string& name) const override {
    check_gain_name(name);
    return getGainRange(direction, channel);
  }

  // ---- frequency: one element "RF", 24 MHz..6 GHz, and a ppm correction ----
  void setFrequency(const int direction, const std::size_t channel, const double frequency,
                    const SoapySDR::Kwargs&) override {
    check_channel(direction, channel);
    if (!std::isfinite(frequency) || frequency < kMinFreq || frequency > kMaxFreq)
      throw std::runtime_error(std::string(kDriver) + ": frequency " + std::to_string(frequency) + " Hz outside " +
                               range_text(kMinFreq, kMaxFreq, "Hz"));
    std::lock_guard lock(mutex_);
    freq_hz_ = frequency;
  }
  void setFrequency(const int direction, const std::size_t channel, const std::string& name, const double frequency,
                    const SoapySDR::Kwargs& args) override {
    check_freq_name(name);
    setFrequency(direction, channel, frequency, args);
  }
  double getFrequency(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    std::lock_guard lock(mutex_);
    return freq_hz_;
  }
  double getFrequency(const int direction, const std::size_t channel, const std::string& name) const override {
    check_freq_name(name);
    return getFrequency(direction, channel);
  }
  std::vector<std::string> listFrequencies(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {"RF"};
  }
  SoapySDR::RangeList getFrequencyRange(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {SoapySDR::Range(kMinFreq, kMaxFreq)};
  }
  SoapySDR::RangeList getFrequencyRange(const int direction, const std::size_t channel,
                                        const std::string& name) const override {
    check_freq_name(name);
    return getFrequencyRange(direction, channel);
  }
  bool hasFrequencyCorrection(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return true;
  }
  void setFrequencyCorrection(const int direction, const std::size_t channel, const double value) override {
    check_channel(direction, channel);
    if (!std::isfinite(value) || std::abs(value) > 1000.0)
      throw std::runtime_error(std::string(kDriver) + ": frequency correction " + std::to_string(value) +
                               " ppm outside -1000..1000");
    std::lock_guard lock(mutex_);
    correction_ppm_ = value;
  }
  double getFrequencyCorrection(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    std::lock_guard lock(mutex_);
    return correction_ppm_;
  }

  // ---- sample rate: any rate 0.2..20 Msps; the analog bandwidth follows it ----
  void setSampleRate(const int direction, const std::size_t channel, const double rate) override {
    check_channel(direction, channel);
    if (!std::isfinite(rate) || rate < kMinRate || rate > kMaxRate)
      throw std::runtime_error(std::string(kDriver) + ": sample rate " + std::to_string(rate) + " outside " +
                               range_text(kMinRate, kMaxRate, "Sps"));
    std::lock_guard lock(mutex_);
    // Keep the device time, renumber the samples at the new rate.
    next_sample_ = static_cast<std::uint64_t>(std::llround(static_cast<double>(next_sample_) * rate / rate_hz_));
    pace_origin_ = std::chrono::steady_clock::now();
    pace_origin_sample_ = next_sample_;
    rate_hz_ = rate;
  }
  double getSampleRate(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    std::lock_guard lock(mutex_);
    return rate_hz_;
  }
  std::vector<double> listSampleRates(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {0.25e6, 1e6, 1.0833333e6, 2e6, 2.4e6, 4e6, 8e6, 10e6, 20e6};
  }
  SoapySDR::RangeList getSampleRateRange(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {SoapySDR::Range(kMinRate, kMaxRate)};
  }
  // The analog filter: follows the rate unless set (0.2..28 MHz, a HackRF's MAX2837 range); the simulated
  // signal is not filtered by it (it models a flat band), only its setting is kept and read back.
  void setBandwidth(const int direction, const std::size_t channel, const double bw) override {
    check_channel(direction, channel);
    if (!std::isfinite(bw) || bw < kMinRate || bw > kMaxBandwidth)
      throw std::runtime_error(std::string(kDriver) + ": bandwidth " + std::to_string(bw) + " outside " +
                               range_text(kMinRate, kMaxBandwidth, "Hz"));
    std::lock_guard lock(mutex_);
    bandwidth_hz_ = bw;
  }
  double getBandwidth(const int direction, const std::size_t channel) const override {
    const double rate = getSampleRate(direction, channel);
    std::lock_guard lock(mutex_);
    return bandwidth_hz_ > 0 ? bandwidth_hz_ : rate;
  }
  SoapySDR::RangeList getBandwidthRange(const int direction, const std::size_t channel) const override {
    check_channel(direction, channel);
    return {SoapySDR::Range(kMinRate, kMaxBandwidth)};
  }

  // ---- settings: "skip_s" (see the top) ----
  SoapySDR::ArgInfoList getSettingInfo() const override {
    SoapySDR::ArgInfo skip;
    skip.key = "skip_s";
    skip.name = "Skip ahead";
    skip.description = "move the device clock and the scene this many seconds ahead without rendering";
    skip.type = SoapySDR::ArgInfo::FLOAT;
    skip.units = "s";
    return {skip};
  }
  void writeSetting(const std::string& key, const std::string& value) override {
    if (key != "skip_s") throw std::runtime_error(std::string(kDriver) + ": no setting '" + key + "' (skip_s)");
    double v = 0.0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() || !std::isfinite(v) || v < 0 ||
        v > 30.0 * 86400.0)
      throw std::runtime_error(std::string(kDriver) + ": skip_s=" + value + " is not a number of seconds in 0..2592000");
    std::lock_guard lock(mutex_);
    const auto n = static_cast<std::uint64_t>(std::llround(v * rate_hz_));
    next_sample_ += n;
    pace_origin_sample_ += n;
  }

  // ---- time: the sample clock (see the time model at the top) ----
  bool hasHardwareTime(const std::string& what) const override { return what.empty() || what == "HW"; }
  long long getHardwareTime(const std::string& what) const override {
    if (!hasHardwareTime(what)) throw std::runtime_error(std::string(kDriver) + ": no time source '" + what + "'");
    std::lock_guard lock(mutex_);
    return time_of(next_sample_);
  }
  void setHardwareTime(const long long time_ns, const std::string& what) override {
    if (!hasHardwareTime(what)) throw std::runtime_error(std::string(kDriver) + ": no time source '" + what + "'");
    if (time_ns < 0) throw std::runtime_error(std::string(kDriver) + ": negative hardware time");
    std::lock_guard lock(mutex_);
    next_sample_ = static_cast<std::uint64_t>(std::llround(static_cast<double>(time_ns) * 1e-9 * rate_hz_));
    pace_origin_ = std::chrono::steady_clock::now();
    pace_origin_sample_ = next_sample_;
  }

 private:
  static tw::sim::SimSignal make_signal(const SoapySDR::Kwargs& args, const std::string& serial) {
    try {
      return tw::sim::SimSignal(tw::sim::SimSignalConfig::from_args(
          std::map<std::string, std::string>(args.begin(), args.end()), serial));
    } catch (const tw::InputError& e) {
      throw std::invalid_argument(e.what());
    } catch (const std::exception& e) {
      throw std::runtime_error(e.what());
    }
  }

  static void check_known_args(const SoapySDR::Kwargs& args) {
    std::vector<std::string> known = {"driver",         "serial",        "label",        "ppm",     "overflow_every",
                                      "overflow_samples", "timeout_every", "vanish_after", "realtime"};
    for (const auto& n : tw::sim::SimSignalConfig::arg_names()) known.push_back(n);
    for (const auto& [key, value] : args) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw std::invalid_argument(std::string(kDriver) + ": unknown device arg '" + key + "' (known: " + list + ")");
    }
  }

  static void check_channel(const int direction, const std::size_t channel) {
    if (direction != SOAPY_SDR_RX || channel != 0)
      throw std::runtime_error(std::string(kDriver) + ": only RX channel 0 exists");
  }
  static void check_gain_name(const std::string& name) {
    if (name != "TUNER") throw std::runtime_error(std::string(kDriver) + ": no gain element '" + name + "' (TUNER)");
  }
  static void check_freq_name(const std::string& name) {
    if (name != "RF") throw std::runtime_error(std::string(kDriver) + ": no frequency element '" + name + "' (RF)");
  }

  SimStream* find_stream(SoapySDR::Stream* stream) const {
    if (!stream_ || reinterpret_cast<SoapySDR::Stream*>(stream_.get()) != stream) return nullptr;
    return stream_.get();
  }

  long long time_of(std::uint64_t sample) const {
    return std::llround(static_cast<double>(sample) * 1e9 / rate_hz_);
  }

  template <class Lock>
  void wait_for(Lock& lock, std::chrono::microseconds d) {
    lock.unlock();
    std::this_thread::sleep_for(d);
    lock.lock();
  }

  // realtime=1: deliver at most what the sample clock has produced since activation; wait (up to the
  // timeout) until there are `want` samples. Returns how many may be delivered now (0: timed out).
  template <class Lock>
  std::size_t pace(Lock& lock, std::size_t want, long timeout_us) {
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::microseconds(std::max(0L, timeout_us));
    for (;;) {
      const double elapsed = std::chrono::duration<double>(clock::now() - pace_origin_).count();
      const double produced = elapsed * rate_hz_ - static_cast<double>(next_sample_ - pace_origin_sample_);
      const std::size_t available = produced > 0 ? static_cast<std::size_t>(produced) : 0;
      if (available >= want) return want;
      const auto now = clock::now();
      if (now >= deadline) return std::min(available, want);
      const auto need = std::chrono::duration<double>(static_cast<double>(want - available) / rate_hz_);
      const auto sleep = std::min<clock::duration>(std::chrono::duration_cast<clock::duration>(need), deadline - now);
      lock.unlock();
      std::this_thread::sleep_for(sleep);
      lock.lock();
    }
  }

  const std::string serial_;
  double crystal_ppm_;
  const bool crystal_ppm_given_;
  const std::uint64_t overflow_every_, overflow_samples_, timeout_every_, vanish_after_;
  const bool realtime_;
  bool vanish_enabled_ = false;

  mutable std::mutex mutex_;
  tw::sim::SimSignal signal_;
  std::unique_ptr<SimStream> stream_;
  std::vector<tw::cf32> cf32_scratch_;
  double rate_hz_ = 2.4e6;
  double bandwidth_hz_ = 0.0;   // 0: follows the rate
  double freq_hz_ = 947e6;
  double gain_db_ = 0.0;
  bool gain_auto_ = false;
  double correction_ppm_ = 0.0;
  std::uint64_t next_sample_ = 0;   // device clock, in samples at rate_hz_
  std::uint64_t delivered_ = 0;
  std::uint64_t read_calls_ = 0;
  bool vanished_ = false;
  std::chrono::steady_clock::time_point pace_origin_{};
  std::uint64_t pace_origin_sample_ = 0;
};

// One device, only when asked for by driver name (a bare enumerate() lists real hardware only). The input
// args come back with it, so make() sees the simulation settings.
SoapySDR::KwargsList find_sim(const SoapySDR::Kwargs& args) {
  auto it = args.find("driver");
  if (it == args.end() || it->second != kDriver) return {};
  SoapySDR::Kwargs dev = args;
  dev["driver"] = kDriver;
  if (dev.count("serial") == 0) dev["serial"] = kDefaultSerial;
  dev["label"] = std::string("towerwatch simulated radio :: ") + dev["serial"];
  return {dev};
}

SoapySDR::Device* make_sim(const SoapySDR::Kwargs& args) { return new SimDevice(args); }

const SoapySDR::Registry register_sim(kDriver, &find_sim, &make_sim, SOAPY_SDR_ABI_VERSION);

}  // namespace
