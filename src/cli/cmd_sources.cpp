// towerwatch sources: read a SoapySDR device or an IQ file and report its stream: rate, frequency,
// serial, level, gaps. The first thing to run with new hardware or a capture from someone else.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "hw/soapy_source.hpp"
#include "src/cli/command.hpp"
#include "src/cli/source_options.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"

namespace tw::cli {

namespace {

const HelpText kHelp{
    "FILE [--format F] [--skip-bytes N] | --device ARGS [--rate HZ] [--freq HZ] [--gain DB] [--ppm P] [--seconds S] | --list",
    "Reads a SoapySDR device for a while (or an IQ file to its end, or --seconds of it) and reports what it\n"
    "delivers: sample rate and frequency (as read back from the device, or from SigMF / options / the file name),\n"
    "its serial (calibration is stored per serial), mean power in dBFS, samples, gaps (overflows), lost samples\n"
    "and read timeouts. --list shows every device SoapySDR finds. The simulated radio is\n"
    "--device driver=towerwatch-sim[,noise_dbfs=-70,ppm=0,overflow_every=N,timeout_every=N,vanish_after=N,...].\n"
    "Exit 1 when the device stops delivering or disappears.",
    {
        {"device", true, "ARGS", "SoapySDR device args, e.g. driver=rtlsdr or driver=hackrf,serial=..."},
        {"list", false, "", "list the SoapySDR devices found and exit"},
        {"rate", true, "HZ", "sample rate (default 2.4M)"},
        {"freq", true, "HZ", "center frequency (default 947M)"},
        {"gain", true, "DB", "receiver gain in dB, or 'auto' (default: automatic gain if the device has it)"},
        {"ppm", true, "P", "frequency correction of the receiver's crystal in ppm (default 0)"},
        {"antenna", true, "NAME", "antenna port (default: the device's default)"},
        {"seconds", true, "S", "how long to read, in stream time (default: 1 for a device, the whole file)"},
        {"format", true, "FMT", "sample format of a raw file: cu8, cs8, cs16, cf32"},
        {"skip-bytes", true, "N", "skip a header of N bytes before a file's samples"},
    },
    "towerwatch sources --device driver=towerwatch-sim,noise_dbfs=-60 --freq 935.2M --seconds 2"};

struct Totals {
  std::uint64_t samples = 0;
  double energy = 0.0;
};

double mean_power_dbfs(const Totals& t) {
  if (t.samples == 0 || t.energy <= 0.0) return -INFINITY;
  return 10.0 * std::log10(t.energy / static_cast<double>(t.samples));
}

void report(const IqSource& source, const Totals& t, bool json, const std::string& error) {
  const StreamInfo& info = source.info();
  const GapStats& g = source.gap_stats();
  const auto* dev = dynamic_cast<const SoapySource*>(&source);  // device-only fields
  const double power = mean_power_dbfs(t);
  const double seconds = static_cast<double>(t.samples) / info.sample_rate_hz;
  if (json) {
    nlohmann::json e = {{"type", "source_stats"},
                        {"device", info.description},
                        {"driver", info.device_driver},
                        {"serial", info.device_serial},
                        {"sample_rate_hz", info.sample_rate_hz},
                        {"center_freq_hz", info.center_freq_known ? nlohmann::json(info.center_freq_hz) : nlohmann::json(nullptr)},
                        {"ppm", info.ppm_correction},
                        {"samples", t.samples},
                        {"seconds", seconds},
                        {"mean_power_dbfs", std::isfinite(power) ? nlohmann::json(power) : nlohmann::json(nullptr)},
                        {"gaps", g.gaps},
                        {"lost_samples", g.lost_samples},
                        {"timeouts", g.timeouts}};
    if (dev) {
      e["automatic_gain"] = dev->automatic_gain();
      e["stream_format"] = dev->stream_format();
      if (!dev->automatic_gain()) e["gain_db"] = dev->gain_db();
    }
    if (!error.empty()) e["error"] = error;
    emit_json_line(e);
    return;
  }
  std::printf("device      %s\n", info.description.c_str());
  std::printf("driver      %s\n", info.device_driver.c_str());
  std::printf("serial      %s\n", info.device_serial.c_str());
  std::printf("rate        %.0f Sps\n", info.sample_rate_hz);
  if (info.center_freq_known)
    std::printf("frequency   %.0f Hz\n", info.center_freq_hz);
  else
    std::printf("frequency   unknown\n");
  if (dev) {
    if (dev->automatic_gain())
      std::printf("gain        automatic\n");
    else
      std::printf("gain        %.1f dB\n", dev->gain_db());
    std::printf("ppm         %g\n", info.ppm_correction);
    std::printf("format      %s\n", dev->stream_format().c_str());
  }
  std::printf("samples     %llu (%.3f s)\n", static_cast<unsigned long long>(t.samples), seconds);
  if (std::isfinite(power))
    std::printf("mean power  %.2f dBFS\n", power);
  else
    std::printf("mean power  - (no signal energy)\n");
  std::printf("gaps        %llu\n", static_cast<unsigned long long>(g.gaps));
  std::printf("lost        %llu samples\n", static_cast<unsigned long long>(g.lost_samples));
  std::printf("timeouts    %llu\n", static_cast<unsigned long long>(g.timeouts));
  std::fflush(stdout);
}

int list_devices(bool json) {
  const auto devices = list_soapy_devices();
  for (const auto& d : devices) {
    if (json)
      emit_json_line({{"type", "device"}, {"args", d}});
    else
      std::printf("%s\n", d.c_str());
  }
  if (!json && devices.empty()) std::printf("no SoapySDR devices found\n");
  return 0;
}

// Reads `source` for `seconds` of stream time, counted in samples (gaps included: a fast device such as the
// simulator finishes early), or to its end.
int read_and_report(IqSource& source, std::optional<double> seconds, bool json) {
  const std::uint64_t wanted = seconds ? static_cast<std::uint64_t>(std::llround(*seconds * source.info().sample_rate_hz))
                                       : UINT64_MAX;
  std::vector<cf32> block(65536);
  Totals t;
  try {
    while (source.sample_counter() < wanted) {
      const auto left = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), wanted - source.sample_counter()));
      const auto r = source.read(std::span<cf32>(block.data(), left));
      for (std::size_t i = 0; i < r.count; ++i) t.energy += std::norm(block[i]);
      t.samples += r.count;
      if (r.end_of_stream) break;
    }
  } catch (const RuntimeFailure& e) {
    report(source, t, json, e.what());  // what was measured until it failed, then exit 1 through main
    throw;
  }
  report(source, t, json, "");
  return 0;
}

std::optional<double> seconds_arg(const Args& args) {
  auto seconds = args.number("seconds");
  if (seconds && (!std::isfinite(*seconds) || *seconds <= 0 || *seconds > 86400))
    throw InputError("--seconds " + args.get_or("seconds", "") + " must be in (0, 86400]");
  return seconds;
}

int read_device(const Args& args) {
  SoapyOptions o;
  o.args = *args.get("device");
  o.sample_rate_hz = args.number_or("rate", o.sample_rate_hz);
  o.center_freq_hz = args.number_or("freq", o.center_freq_hz);
  if (auto g = args.get("gain"); g && *g != "auto") o.gain_db = args.number("gain");
  o.ppm = args.number_or("ppm", 0.0);
  o.antenna = args.get_or("antenna", "");
  const auto seconds = seconds_arg(args).value_or(1.0);
  auto src = open_soapy(o);
  return read_and_report(*src, seconds, args.has("json"));
}

}  // namespace

int run_sources(const std::vector<std::string>& argv) {
  auto parsed = parse_or_help("sources", kHelp, argv);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.has("list")) return list_devices(args.has("json"));
  if (!args.positionals().empty()) {
    if (args.has("device")) throw InputError("give either a FILE or --device ARGS, not both");
    if (args.positionals().size() > 1) throw InputError("give one FILE");
    const auto seconds = seconds_arg(args);
    auto src = open_file_from_args(args.positionals()[0], args);
    return read_and_report(*src, seconds, args.has("json"));
  }
  if (!args.has("device"))
    throw InputError("nothing to read: give --device ARGS (see: towerwatch sources --list) or a FILE");
  return read_device(args);
}

}  // namespace tw::cli
