// IqSource for any SoapySDR device: real hardware (driver=rtlsdr, driver=hackrf,serial=...) or the
// simulated radio (driver=towerwatch-sim,..., module built into <build>/soapy-modules).
//
// Gaps: an overflow (SOAPY_SDR_OVERFLOW) is reported on the next delivered block. When the device stamps its
// blocks (SOAPY_SDR_HAS_TIME), the number of lost samples is worked out from the time jump between blocks
// (a jump without an overflow flag, a silent drop, is a gap too) and the sample counter skips exactly that
// many; without timestamps the gap is counted with gap_samples 0. A timeout returns count 0 (not the end of
// the stream) and is counted in GapStats; more than max_consecutive_timeouts in a row, any other error code
// or an exception from the driver (device unplugged) throws tw::RuntimeFailure naming the device args.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hw/iq_source.hpp"

namespace SoapySDR {
class Device;
class Stream;
}  // namespace SoapySDR

namespace tw {

struct SoapyOptions {
  std::string args;                  // SoapySDR device args, "key=value,key=value"
  double sample_rate_hz = 2.4e6;
  double center_freq_hz = 947e6;
  std::optional<double> gain_db;     // nullopt: automatic gain (setGainMode true) if the device has it
  double ppm = 0.0;                  // frequency correction: setFrequencyCorrection if supported, else applied
                                     // to the tuned frequency (see SoapySource::info())
  std::string antenna;               // empty: device default
  double read_timeout_s = 1.0;
  int max_consecutive_timeouts = 5;  // then RuntimeFailure "device stopped delivering samples"
  std::size_t buffer_samples = 65536;// largest block per readStream call
  std::string stream_format;         // "CF32" or "CS16"; empty: CF32 if the device offers it, else CS16
};

class SoapySource final : public IqSource {
 public:
  ~SoapySource() override;  // deactivates and closes the stream, unmakes the device
  SoapySource(const SoapySource&) = delete;
  SoapySource& operator=(const SoapySource&) = delete;

  // sample_rate_hz and center_freq_hz are read back from the device. center_freq_hz is the frequency the
  // receiver really sits at once the ppm correction holds: the device's read-back frequency when the driver
  // does the correction itself, else read-back * (1 + ppm*1e-6) (the tuned value was divided by that).
  const StreamInfo& info() const override { return info_; }
  ReadResult read(std::span<cf32> out) override;

  // Tunes to center_freq_hz (ppm correction as at open). Unless the frequency is unchanged, the stream is
  // deactivated around the change, which drops samples the driver had buffered at the old frequency.
  // Where the new frequency starts: the value of sample_counter() when retune() returns is the number of
  // the first sample at the new frequency. The counter does not jump (a retune is not a loss: no gap is
  // reported), and the timestamp bookkeeping restarts so the break is not mistaken for a drop.
  // Throws tw::InputError for a frequency outside the device's range, tw::RuntimeFailure if the device fails.
  void retune(double center_freq_hz) override;

  const GapStats& gap_stats() const override { return stats_; }
  std::uint64_t sample_counter() const override { return counter_; }

  // Moves the stream `seconds` ahead without reading it, on a device that can (the simulated radio's
  // setting "skip_s": its clock and its scene jump, nothing is rendered): sample_counter() moves by as many
  // samples and no gap is reported, as if the samples had been read and dropped. A real radio's stream runs
  // by itself: false, nothing done (the caller waits instead). Throws tw::InputError for a negative or
  // non-finite value, tw::RuntimeFailure if the device fails.
  bool skip_time(double seconds);

  // The analog baseband filter (SoapySDR setBandwidth): bandwidth_hz() reads it back (0 when the driver has
  // no such setting). set_bandwidth throws tw::InputError naming the device for a value outside its range,
  // and does nothing on a device without the setting.
  void set_bandwidth(double bandwidth_hz);
  double bandwidth_hz() const;
  double gain_db() const;                        // read back from the device
  bool automatic_gain() const { return automatic_gain_; }
  const std::string& stream_format() const { return format_; }  // "CF32" or "CS16"

 private:
  friend std::unique_ptr<SoapySource> open_soapy(const SoapyOptions&);
  SoapySource(SoapySDR::Device* device, SoapyOptions options);
  void configure();
  void tune(double center_freq_hz);
  [[noreturn]] void fail(const std::string& what) const;

  SoapySDR::Device* device_ = nullptr;
  SoapySDR::Stream* stream_ = nullptr;
  SoapyOptions options_;
  StreamInfo info_;
  GapStats stats_;
  std::string format_;
  bool automatic_gain_ = false;
  bool native_ppm_ = false;            // the driver applies the ppm correction
  std::uint64_t counter_ = 0;
  int consecutive_timeouts_ = 0;
  bool pending_gap_ = false;           // an overflow was reported; the next block carries the gap
  bool have_time_ = false;             // previous block had a timestamp
  long long prev_time_ns_ = 0;
  std::size_t prev_count_ = 0;
  std::vector<std::int16_t> raw_;      // CS16 staging buffer (buffer_samples * 2)
};

// Opens the device matching options.args (the first if several match, with a warning). SoapySDR hands out
// one shared Device per identical args string, and a device streams to one reader: open one SoapySource per
// device at a time.
// Throws tw::InputError if no device matches (the message lists the devices found and the installed
// drivers) or for an option the device cannot take (rate, frequency, gain, antenna out of its range);
// tw::RuntimeFailure if the driver fails to open or stream.
std::unique_ptr<SoapySource> open_soapy(const SoapyOptions& options);

// Every device SoapySDR finds, one "driver=...,serial=...,label=..." line each (for messages and
// `towerwatch sources --list`); the simulated radio is included when its module is loaded.
std::vector<std::string> list_soapy_devices();

// Names of the SoapySDR drivers whose modules are loaded (no device probing).
std::vector<std::string> soapy_drivers();

// A function run once before SoapySDR is first used (by the functions above): the CLI points SoapySDR at the
// simulated radio's module there, so that commands which never open a device do not load it.
void set_soapy_first_use_hook(void (*hook)());

}  // namespace tw
