// towerwatch sources: read a SoapySDR device (or, later, an IQ file) and report its stream: rate,
// frequency, serial, level, gaps. The first thing to run with new hardware.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "hw/soapy_source.hpp"
#include "src/cli/command.hpp"
#include "src/core/error.hpp"
#include "src/core/json_lines.hpp"

namespace tw::cli {

namespace {

const HelpText kHelp{
    "[FILE] [--device ARGS] [--rate HZ] [--freq HZ] [--gain DB] [--ppm P] [--antenna NAME] [--seconds S] | --list",
    "Reads a SoapySDR device for a while and reports what it delivers: sample rate and frequency as read back\n"
    "from the device, its serial (calibration is stored per serial), mean power in dBFS, samples, gaps (overflows),\n"
    "lost samples and read timeouts. --list shows every device SoapySDR finds. The simulated radio is\n"
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
        {"seconds", true, "S", "how long to read, in stream time (default 1)"},
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

void report(const SoapySource& src, const Totals& t, bool json, const std::string& error) {
  const StreamInfo& info = src.info();
  const GapStats& g = src.gap_stats();
  const double power = mean_power_dbfs(t);
  const double seconds = static_cast<double>(t.samples) / info.sample_rate_hz;
  if (json) {
    nlohmann::json e = {{"type", "source_stats"},
                        {"device", info.description},
                        {"driver", info.device_driver},
                        {"serial", info.device_serial},
                        {"sample_rate_hz", info.sample_rate_hz},
                        {"center_freq_hz", info.center_freq_hz},
                        {"automatic_gain", src.automatic_gain()},
                        {"ppm", info.ppm_correction},
                        {"stream_format", src.stream_format()},
                        {"samples", t.samples},
                        {"seconds", seconds},
                        {"mean_power_dbfs", std::isfinite(power) ? nlohmann::json(power) : nlohmann::json(nullptr)},
                        {"gaps", g.gaps},
                        {"lost_samples", g.lost_samples},
                        {"timeouts", g.timeouts}};
    if (!src.automatic_gain()) e["gain_db"] = src.gain_db();
    if (!error.empty()) e["error"] = error;
    emit_json_line(e);
    return;
  }
  std::printf("device      %s\n", info.description.c_str());
  std::printf("driver      %s\n", info.device_driver.c_str());
  std::printf("serial      %s\n", info.device_serial.c_str());
  std::printf("rate        %.0f Sps\n", info.sample_rate_hz);
  std::printf("frequency   %.0f Hz\n", info.center_freq_hz);
  if (src.automatic_gain())
    std::printf("gain        automatic\n");
  else
    std::printf("gain        %.1f dB\n", src.gain_db());
  std::printf("ppm         %g\n", info.ppm_correction);
  std::printf("format      %s\n", src.stream_format().c_str());
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

int read_device(const Args& args) {
  SoapyOptions o;
  o.args = *args.get("device");
  o.sample_rate_hz = args.number_or("rate", o.sample_rate_hz);
  o.center_freq_hz = args.number_or("freq", o.center_freq_hz);
  if (auto g = args.get("gain"); g && *g != "auto") o.gain_db = args.number("gain");
  o.ppm = args.number_or("ppm", 0.0);
  o.antenna = args.get_or("antenna", "");
  const double seconds = args.number_or("seconds", 1.0);
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
    throw InputError("--seconds " + args.get_or("seconds", "") + " must be in (0, 86400]");
  const bool json = args.has("json");

  auto src = open_soapy(o);
  // Stream time, counted in samples (gaps included): a fast device (the simulator) finishes early.
  const auto wanted = static_cast<std::uint64_t>(std::llround(seconds * src->info().sample_rate_hz));
  std::vector<cf32> block(65536);
  Totals t;
  try {
    while (src->sample_counter() < wanted) {
      const auto left = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), wanted - src->sample_counter()));
      const auto r = src->read(std::span<cf32>(block.data(), left));
      for (std::size_t i = 0; i < r.count; ++i) t.energy += std::norm(block[i]);
      t.samples += r.count;
    }
  } catch (const RuntimeFailure& e) {
    report(*src, t, json, e.what());  // what was measured until it failed, then exit 1 through main
    throw;
  }
  report(*src, t, json, "");
  return 0;
}

}  // namespace

int run_sources(const std::vector<std::string>& argv) {
  auto parsed = parse_or_help("sources", kHelp, argv);
  if (!parsed) return 0;
  const Args& args = *parsed;
  if (args.has("list")) return list_devices(args.has("json"));
  if (!args.positionals().empty()) {
    if (args.has("device")) throw InputError("give either a FILE or --device ARGS, not both");
    // Place for the IQ file reader: report the file's stream (format, rate, samples, level) the same way.
    return not_yet_available("sources FILE", "the IQ file reader");
  }
  if (!args.has("device"))
    throw InputError("nothing to read: give --device ARGS (see: towerwatch sources --list) or a FILE");
  return read_device(args);
}

}  // namespace tw::cli
