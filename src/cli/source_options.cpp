#include "src/cli/source_options.hpp"

#include <cmath>

#include "hw/iq_file_source.hpp"
#include "hw/sample_format.hpp"
#include "hw/soapy_source.hpp"
#include "src/core/error.hpp"

namespace tw::cli {

std::vector<OptionSpec> file_source_options() {
  return {
      {"format", true, "FMT", "sample format of a raw file: cu8 (rtl_sdr), cs8 (hackrf_transfer), cs16, cf32"},
      {"rate", true, "HZ", "sample rate, e.g. 1.083333M (else from SigMF or the file name)"},
      {"freq", true, "HZ", "centre frequency, e.g. 947.4M (else from SigMF or the file name)"},
      {"skip-bytes", true, "N", "skip a header of N bytes before the samples"},
  };
}

std::vector<OptionSpec> device_source_options() {
  return {
      {"device", true, "ARGS", "SoapySDR device args: driver=rtlsdr, driver=hackrf,serial=..., driver=towerwatch-sim"},
      {"rate", true, "HZ", "sample rate (default 2.4M)"},
      {"freq", true, "HZ", "centre frequency (default 947M)"},
      {"gain", true, "DB|auto", "receiver gain in dB, or auto (default)"},
      {"ppm", true, "PPM", "frequency correction of the receiver's crystal in ppm"},
      {"antenna", true, "NAME", "antenna port (default: the device's)"},
  };
}

std::unique_ptr<IqSource> open_file_from_args(const std::string& path, const Args& args) {
  IqFileOptions o;
  o.path = path;
  if (auto f = args.get("format")) {
    o.format = format_from_name(*f);
    if (!o.format) throw InputError("--format: unknown sample format '" + *f + "' (cu8, cs8, cs16, cf32)");
  }
  o.sample_rate_hz = args.number("rate");
  o.center_freq_hz = args.number("freq");
  if (o.sample_rate_hz && !(*o.sample_rate_hz > 0)) throw InputError("--rate must be positive");
  if (auto skip = args.number("skip-bytes")) {
    if (*skip < 0 || *skip != std::floor(*skip)) throw InputError("--skip-bytes must be a whole number >= 0");
    o.skip_bytes = static_cast<std::uint64_t>(*skip);
  }
  return open_iq_file(o);
}

std::unique_ptr<IqSource> open_device_from_args(const Args& args, double default_rate_hz, double default_freq_hz) {
  SoapyOptions o;
  o.args = args.get_or("device", "driver=towerwatch-sim");
  o.sample_rate_hz = args.number_or("rate", default_rate_hz);
  o.center_freq_hz = args.number_or("freq", default_freq_hz);
  if (!(o.sample_rate_hz > 0)) throw InputError("--rate must be positive");
  if (auto g = args.get("gain"); g && *g != "auto") o.gain_db = args.number("gain");
  o.ppm = args.number_or("ppm", 0.0);
  if (std::fabs(o.ppm) > 1000) throw InputError("--ppm: " + std::to_string(o.ppm) + " is outside -1000..1000");
  o.antenna = args.get_or("antenna", "");
  return open_soapy(o);
}

}  // namespace tw::cli
