#include "hw/soapy_source.hpp"

#include <SoapySDR/Device.hpp>
#include <SoapySDR/Errors.hpp>
#include <SoapySDR/Formats.hpp>
#include <SoapySDR/Logger.hpp>
#include <SoapySDR/Modules.hpp>
#include <SoapySDR/Registry.hpp>
#include <SoapySDR/Types.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "hw/sample_format.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw {

namespace {

constexpr const char* kSimDriver = "towerwatch-sim";

// SoapySDR's own messages (driver chatter) go through tw::log, so --quiet silences them and stdout stays
// clean for --json.
void soapy_log_handler(const SoapySDRLogLevel level, const char* message) {
  std::string text = std::string("SoapySDR: ") + (message ? message : "");
  if (level <= SOAPY_SDR_WARNING)
    log::warn(text);
  else if (level <= SOAPY_SDR_INFO)
    log::info(text);
  else
    log::debug(text);
}

void (*first_use_hook)() = nullptr;

// Every use of SoapySDR starts here: the CLI's hook (where the simulated radio's module is) runs once first.
void ensure_soapy_logging() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (first_use_hook) first_use_hook();
    SoapySDR::registerLogHandler(&soapy_log_handler);
  });
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string device_line(const SoapySDR::Kwargs& kw) {
  std::vector<std::string> parts;
  for (const char* key : {"driver", "serial", "label"})
    if (auto it = kw.find(key); it != kw.end()) parts.push_back(it->first + "=" + it->second);
  for (const auto& [k, v] : kw)
    if (k != "driver" && k != "serial" && k != "label") parts.push_back(k + "=" + v);
  return join(parts, ",");
}

bool in_ranges(const SoapySDR::RangeList& ranges, double v) {
  if (ranges.empty()) return true;  // the driver does not say: let it decide
  for (const auto& r : ranges) {
    const double slack = 1e-9 * std::max(std::abs(r.minimum()), std::abs(r.maximum()));
    if (v >= r.minimum() - slack && v <= r.maximum() + slack) return true;
  }
  return false;
}

std::string ranges_text(const SoapySDR::RangeList& ranges, const char* unit) {
  std::vector<std::string> parts;
  for (const auto& r : ranges) parts.push_back(fmt(r.minimum()) + ".." + fmt(r.maximum()) + " " + unit);
  return join(parts, ", ");
}

std::string no_device_message(const std::string& args) {
  std::string msg = "no SoapySDR device matches '" + args + "'";
  std::vector<std::string> found;
  try {
    found = list_soapy_devices();
  } catch (const std::exception& e) {
    found.push_back(std::string("(listing failed: ") + e.what() + ")");
  }
  msg += "; devices found: " + (found.empty() ? std::string("none") : join(found, "; "));
  const auto drivers = soapy_drivers();
  msg += "; installed SoapySDR drivers: " + (drivers.empty() ? std::string("none") : join(drivers, ", "));
  return msg;
}

}  // namespace

void set_soapy_first_use_hook(void (*hook)()) { first_use_hook = hook; }

std::vector<std::string> soapy_drivers() {
  ensure_soapy_logging();
  SoapySDR::loadModules();
  std::vector<std::string> names;
  for (const auto& [name, fn] : SoapySDR::Registry::listFindFunctions()) names.push_back(name);
  return names;
}

std::vector<std::string> list_soapy_devices() {
  ensure_soapy_logging();
  std::vector<std::string> lines;
  try {
    for (const auto& kw : SoapySDR::Device::enumerate(SoapySDR::Kwargs{})) lines.push_back(device_line(kw));
    // The simulated radio only answers when asked by name.
    const auto drivers = soapy_drivers();
    if (std::find(drivers.begin(), drivers.end(), kSimDriver) != drivers.end())
      for (const auto& kw : SoapySDR::Device::enumerate(SoapySDR::Kwargs{{"driver", kSimDriver}}))
        lines.push_back(device_line(kw));
  } catch (const std::exception& e) {
    throw RuntimeFailure(std::string("SoapySDR device enumeration failed: ") + e.what());
  }
  return lines;
}

std::unique_ptr<SoapySource> open_soapy(const SoapyOptions& o) {
  const std::string who = "SoapySDR device '" + o.args + "'";
  if (!std::isfinite(o.sample_rate_hz) || o.sample_rate_hz <= 0)
    throw InputError(who + ": sample rate " + fmt(o.sample_rate_hz) + " Hz must be positive");
  if (!std::isfinite(o.center_freq_hz) || o.center_freq_hz <= 0)
    throw InputError(who + ": frequency " + fmt(o.center_freq_hz) + " Hz must be positive");
  if (o.gain_db && !std::isfinite(*o.gain_db)) throw InputError(who + ": gain must be a number");
  if (!std::isfinite(o.ppm) || std::abs(o.ppm) > 1000)
    throw InputError(who + ": ppm correction " + fmt(o.ppm) + " is outside -1000..1000");
  if (!std::isfinite(o.read_timeout_s) || o.read_timeout_s <= 0 || o.read_timeout_s > 3600)
    throw InputError(who + ": read timeout " + fmt(o.read_timeout_s) + " s must be in (0, 3600]");
  if (o.max_consecutive_timeouts < 1) throw InputError(who + ": max_consecutive_timeouts must be at least 1");
  if (o.buffer_samples == 0 || o.buffer_samples > (1u << 24))
    throw InputError(who + ": buffer_samples must be 1..16777216");
  if (!o.stream_format.empty() && o.stream_format != SOAPY_SDR_CF32 && o.stream_format != SOAPY_SDR_CS16)
    throw InputError(who + ": stream format '" + o.stream_format + "' is not CF32 or CS16");

  ensure_soapy_logging();
  const SoapySDR::Kwargs hint = SoapySDR::KwargsFromString(o.args);
  SoapySDR::KwargsList found;
  try {
    found = SoapySDR::Device::enumerate(hint);
  } catch (const std::exception& e) {
    throw RuntimeFailure(who + ": enumeration failed: " + e.what());
  }
  if (found.empty()) throw InputError(no_device_message(o.args));
  if (found.size() > 1) {
    std::vector<std::string> lines;
    for (const auto& kw : found) lines.push_back(device_line(kw));
    log::warn(std::to_string(found.size()) + " devices match '" + o.args + "', using the first: " + join(lines, "; "));
  }
  SoapySDR::Kwargs make_args = found.front();
  for (const auto& [k, v] : hint)
    if (make_args.count(k) == 0) make_args[k] = v;

  SoapySDR::Device* device = nullptr;
  try {
    device = SoapySDR::Device::make(make_args);
  } catch (const std::invalid_argument& e) {  // the driver refused its args (towerwatch-sim: bad scene=, ...)
    throw InputError(who + ": " + e.what());
  } catch (const std::exception& e) {
    throw RuntimeFailure("cannot open " + who + ": " + e.what());
  }
  if (!device) throw RuntimeFailure("cannot open " + who + ": the driver returned no device");
  std::unique_ptr<SoapySource> src(new SoapySource(device, o));  // owns the device from here

  StreamInfo& info = src->info_;
  info.description = o.args;
  try {
    info.device_driver = make_args.count("driver") ? make_args.at("driver") : device->getDriverKey();
    const SoapySDR::Kwargs hw = device->getHardwareInfo();
    if (auto it = hw.find("serial"); it != hw.end() && !it->second.empty())
      info.device_serial = it->second;
    else if (auto it2 = found.front().find("serial"); it2 != found.front().end() && !it2->second.empty())
      info.device_serial = it2->second;
    else  // stable across runs for the same device: driver and label (or the args the user gave)
      info.device_serial = info.device_driver + ":" +
                           (found.front().count("label") ? found.front().at("label") : o.args);
  } catch (const std::exception& e) {
    throw RuntimeFailure(who + ": cannot read the device identity: " + e.what());
  }
  try {
    src->configure();
  } catch (const InputError&) {
    throw;
  } catch (const RuntimeFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw RuntimeFailure(who + ": setting it up failed: " + e.what());
  }
  return src;
}

SoapySource::SoapySource(SoapySDR::Device* device, SoapyOptions options)
    : device_(device), options_(std::move(options)) {}

SoapySource::~SoapySource() {
  if (device_ && stream_) {
    try {
      device_->deactivateStream(stream_);
      device_->closeStream(stream_);
    } catch (const std::exception& e) {
      log::warn("closing the stream of SoapySDR device '" + options_.args + "': " + e.what());
    }
  }
  if (device_) {
    try {
      SoapySDR::Device::unmake(device_);
    } catch (const std::exception& e) {
      log::warn("releasing SoapySDR device '" + options_.args + "': " + e.what());
    }
  }
}

void SoapySource::fail(const std::string& what) const {
  throw RuntimeFailure("SoapySDR device '" + options_.args + "': " + what);
}

void SoapySource::configure() {
  const std::string who = "SoapySDR device '" + options_.args + "'";
  const SoapyOptions& o = options_;
  // Sample rate
  const auto rate_ranges = device_->getSampleRateRange(SOAPY_SDR_RX, 0);
  if (!in_ranges(rate_ranges, o.sample_rate_hz))
    throw InputError(who + ": sample rate " + fmt(o.sample_rate_hz) + " Sps is outside its range (" +
                     ranges_text(rate_ranges, "Sps") + ")");
  try {
    device_->setSampleRate(SOAPY_SDR_RX, 0, o.sample_rate_hz);
  } catch (const std::exception& e) {
    throw InputError(who + ": sample rate " + fmt(o.sample_rate_hz) + " Sps not accepted: " + e.what());
  }
  info_.sample_rate_hz = device_->getSampleRate(SOAPY_SDR_RX, 0);
  if (!(info_.sample_rate_hz > 0)) fail("reports a sample rate of " + fmt(info_.sample_rate_hz));
  if (std::abs(info_.sample_rate_hz - o.sample_rate_hz) > 1e-3 * o.sample_rate_hz)
    log::warn(who + ": asked for " + fmt(o.sample_rate_hz) + " Sps, the device runs at " + fmt(info_.sample_rate_hz));

  // Frequency correction, then frequency
  native_ppm_ = device_->hasFrequencyCorrection(SOAPY_SDR_RX, 0);
  if (native_ppm_) {
    try {
      device_->setFrequencyCorrection(SOAPY_SDR_RX, 0, o.ppm);
    } catch (const std::exception& e) {
      throw InputError(who + ": ppm correction " + fmt(o.ppm) + " not accepted: " + e.what());
    }
  }
  info_.ppm_correction = o.ppm;
  tune(o.center_freq_hz);

  // Gain
  const bool has_agc = device_->hasGainMode(SOAPY_SDR_RX, 0);
  if (!o.gain_db) {
    if (has_agc) {
      device_->setGainMode(SOAPY_SDR_RX, 0, true);
      automatic_gain_ = true;
    } else {
      log::info(who + ": no automatic gain; using the device's default gain " +
                fmt(device_->getGain(SOAPY_SDR_RX, 0)) + " dB");
    }
  } else {
    const auto r = device_->getGainRange(SOAPY_SDR_RX, 0);
    if (r.maximum() > r.minimum() && (*o.gain_db < r.minimum() - 1e-9 || *o.gain_db > r.maximum() + 1e-9))
      throw InputError(who + ": gain " + fmt(*o.gain_db) + " dB is outside its range (" + fmt(r.minimum()) + ".." +
                       fmt(r.maximum()) + " dB)");
    try {
      if (has_agc) device_->setGainMode(SOAPY_SDR_RX, 0, false);
      device_->setGain(SOAPY_SDR_RX, 0, *o.gain_db);
    } catch (const std::exception& e) {
      throw InputError(who + ": gain " + fmt(*o.gain_db) + " dB not accepted: " + e.what());
    }
  }

  // Antenna
  if (!o.antenna.empty()) {
    const auto antennas = device_->listAntennas(SOAPY_SDR_RX, 0);
    if (std::find(antennas.begin(), antennas.end(), o.antenna) == antennas.end())
      throw InputError(who + ": no antenna '" + o.antenna + "' (it has: " + join(antennas, ", ") + ")");
    device_->setAntenna(SOAPY_SDR_RX, 0, o.antenna);
  }

  // Stream: CF32 preferred (no conversion here), CS16 otherwise
  const auto formats = device_->getStreamFormats(SOAPY_SDR_RX, 0);
  auto offered = [&](const char* f) { return std::find(formats.begin(), formats.end(), f) != formats.end(); };
  if (!o.stream_format.empty()) {
    if (!offered(o.stream_format.c_str()))
      throw InputError(who + ": stream format " + o.stream_format + " not offered (it has: " + join(formats, ", ") + ")");
    format_ = o.stream_format;
  } else {
    format_ = (offered(SOAPY_SDR_CF32) || !offered(SOAPY_SDR_CS16)) ? SOAPY_SDR_CF32 : SOAPY_SDR_CS16;
  }
  if (format_ == SOAPY_SDR_CS16) raw_.resize(2 * o.buffer_samples);
  try {
    stream_ = device_->setupStream(SOAPY_SDR_RX, format_, std::vector<std::size_t>{0});
  } catch (const std::exception& e) {
    fail("cannot set up the " + format_ + " receive stream: " + e.what());
  }
  if (!stream_) fail("cannot set up the " + format_ + " receive stream");
  if (int ret = device_->activateStream(stream_); ret != 0)
    fail(std::string("cannot start streaming: ") + SoapySDR::errToStr(ret));
}

void SoapySource::tune(double center_freq_hz) {
  const std::string who = "SoapySDR device '" + options_.args + "'";
  // Without a driver-side correction: a receiver whose crystal is ppm fast lands ppm high, so ask for less.
  const double programmed = native_ppm_ ? center_freq_hz : center_freq_hz / (1.0 + options_.ppm * 1e-6);
  try {
    device_->setFrequency(SOAPY_SDR_RX, 0, programmed);
  } catch (const std::exception& e) {
    fail("cannot tune to " + fmt(center_freq_hz) + " Hz: " + e.what());
  }
  const double readback = device_->getFrequency(SOAPY_SDR_RX, 0);
  if (std::abs(readback - programmed) > 1e3)
    log::warn(who + ": tuned to " + fmt(programmed) + " Hz, the device reports " + fmt(readback) + " Hz");
  info_.center_freq_hz = native_ppm_ ? readback : readback * (1.0 + options_.ppm * 1e-6);
  info_.center_freq_known = true;
}

double SoapySource::gain_db() const { return device_->getGain(SOAPY_SDR_RX, 0); }

void SoapySource::set_bandwidth(double bandwidth_hz) {
  const std::string who = "SoapySDR device '" + options_.args + "'";
  const auto ranges = device_->getBandwidthRange(SOAPY_SDR_RX, 0);
  if (ranges.empty()) return;
  if (!std::isfinite(bandwidth_hz) || !in_ranges(ranges, bandwidth_hz))
    throw InputError(who + ": bandwidth " + fmt(bandwidth_hz) + " Hz is outside its range (" + ranges_text(ranges, "Hz") + ")");
  try {
    device_->setBandwidth(SOAPY_SDR_RX, 0, bandwidth_hz);
  } catch (const std::exception& e) {
    throw InputError(who + ": bandwidth " + fmt(bandwidth_hz) + " Hz not accepted: " + e.what());
  }
}

double SoapySource::bandwidth_hz() const {
  if (device_->getBandwidthRange(SOAPY_SDR_RX, 0).empty()) return 0.0;
  return device_->getBandwidth(SOAPY_SDR_RX, 0);
}

void SoapySource::retune(double center_freq_hz) {
  const std::string who = "SoapySDR device '" + options_.args + "'";
  if (!std::isfinite(center_freq_hz) || center_freq_hz <= 0)
    throw InputError(who + ": frequency " + fmt(center_freq_hz) + " Hz must be positive");
  const double programmed = native_ppm_ ? center_freq_hz : center_freq_hz / (1.0 + options_.ppm * 1e-6);
  const auto ranges = device_->getFrequencyRange(SOAPY_SDR_RX, 0);
  if (!in_ranges(ranges, programmed))
    throw InputError(who + ": frequency " + fmt(center_freq_hz) + " Hz is outside its range (" +
                     ranges_text(ranges, "Hz") + ")");
  if (info_.center_freq_known && std::abs(center_freq_hz - info_.center_freq_hz) < 0.5) return;

  if (int ret = device_->deactivateStream(stream_); ret != 0 && ret != SOAPY_SDR_NOT_SUPPORTED)
    fail(std::string("cannot pause streaming to retune: ") + SoapySDR::errToStr(ret));
  tune(center_freq_hz);
  if (int ret = device_->activateStream(stream_); ret != 0)
    fail(std::string("cannot restart streaming after retune: ") + SoapySDR::errToStr(ret));
  have_time_ = false;
  pending_gap_ = false;
  consecutive_timeouts_ = 0;
}

bool SoapySource::skip_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) throw InputError("skip_time: " + fmt(seconds) + " s is not a duration");
  bool can = false;
  for (const auto& a : device_->getSettingInfo()) can = can || a.key == "skip_s";
  if (!can) return false;
  const auto n = static_cast<std::uint64_t>(std::llround(seconds * info_.sample_rate_hz));
  if (n == 0) return true;
  try {
    device_->writeSetting("skip_s", std::to_string(static_cast<double>(n) / info_.sample_rate_hz));
  } catch (const std::exception& e) {
    fail(std::string("cannot skip ahead: ") + e.what());
  }
  counter_ += n;
  have_time_ = false;   // the timestamps jump by n: not a loss
  pending_gap_ = false;
  return true;
}

ReadResult SoapySource::read(std::span<cf32> out) {
  ReadResult r;
  r.first_sample = counter_;
  if (out.empty()) return r;
  const bool cs16 = (format_ == SOAPY_SDR_CS16);
  const std::size_t want = std::min(out.size(), options_.buffer_samples);
  void* buffs[1] = {cs16 ? static_cast<void*>(raw_.data()) : static_cast<void*>(out.data())};
  const long timeout_us = std::lround(options_.read_timeout_s * 1e6);

  for (int overflows = 0;;) {
    int flags = 0;
    long long time_ns = 0;
    int ret = 0;
    try {
      ret = device_->readStream(stream_, buffs, want, flags, time_ns, timeout_us);
    } catch (const std::exception& e) {
      fail(std::string("reading failed: ") + e.what());
    }
    if (ret == 0 || ret == SOAPY_SDR_TIMEOUT) {
      ++stats_.timeouts;
      if (++consecutive_timeouts_ >= options_.max_consecutive_timeouts)
        fail("device stopped delivering samples (" + std::to_string(consecutive_timeouts_) +
             " reads in a row timed out after " + fmt(options_.read_timeout_s) + " s each)");
      return r;
    }
    if (ret == SOAPY_SDR_OVERFLOW) {  // samples were dropped; the next block carries the gap
      pending_gap_ = true;
      if (++overflows >= 1000) return r;
      continue;
    }
    if (ret < 0)
      fail(std::string("reading failed: ") + SoapySDR::errToStr(ret) + " (the device stopped or was disconnected)");

    const std::size_t n = std::min(static_cast<std::size_t>(ret), want);
    consecutive_timeouts_ = 0;
    bool gap = pending_gap_;
    std::uint64_t lost = 0;
    if (flags & SOAPY_SDR_HAS_TIME) {
      if (have_time_) {
        // Samples between the previous block's start and this one's, minus those delivered.
        const double spanned = static_cast<double>(time_ns - prev_time_ns_) * 1e-9 * info_.sample_rate_hz;
        const long long jump = std::llround(spanned) - static_cast<long long>(prev_count_);
        if (jump > 0) {
          gap = true;
          if (static_cast<double>(jump) <= 3600.0 * info_.sample_rate_hz) {
            lost = static_cast<std::uint64_t>(jump);
          } else {
            log::warn("SoapySDR device '" + options_.args + "': timestamp jumped by " +
                      fmt(static_cast<double>(jump) / info_.sample_rate_hz) + " s; counting a gap of unknown size");
          }
        } else if (jump < 0) {
          log::debug("SoapySDR device '" + options_.args + "': timestamp went back by " + std::to_string(-jump) +
                     " samples");
        }
      }
      have_time_ = true;
      prev_time_ns_ = time_ns;
      prev_count_ = n;
    } else {
      have_time_ = false;
    }
    pending_gap_ = false;
    if (gap) {
      ++stats_.gaps;
      stats_.lost_samples += lost;
      counter_ += lost;
    }
    if (cs16) convert_to_cf32(SampleFormat::cs16, reinterpret_cast<const std::uint8_t*>(raw_.data()), n, out.data());
    r.count = n;
    r.first_sample = counter_;
    r.gap = gap;
    r.gap_samples = lost;
    counter_ += n;
    return r;
  }
}

}  // namespace tw
