// The simulated radio (SoapySDR module "towerwatch-sim") through the real SoapySDR API, and tw::SoapySource
// on top of it. The truths are the device args the test configures: noise level, overflow size, timeout and
// vanish schedule, crystal error, carrier frequency.
#include <SoapySDR/Device.hpp>
#include <SoapySDR/Errors.h>
#include <SoapySDR/Formats.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdlib>
#include <numbers>
#include <string>
#include <vector>

#include "hw/soapy_source.hpp"
#include "src/core/error.hpp"

namespace {

// Load only our module: SOAPY_SDR_ROOT pointing nowhere hides the system's modules (no hardware probing,
// no network discovery by the remote/uhd modules), SOAPY_SDR_PLUGIN_PATH (set by ctest) adds ours.
// Runs before main(), so before SoapySDR loads anything.
const bool kIsolated = [] {
  setenv("SOAPY_SDR_ROOT", "/nonexistent-towerwatch-test-root", 1);
  setenv("SOAPY_SDR_PLUGIN_PATH", TW_BUILD_DIR "/soapy-modules", 0);
  return true;
}();

double power_dbfs(const std::vector<tw::cf32>& x) {
  double p = 0;
  for (const auto& s : x) p += std::norm(std::complex<double>(s));
  return 10.0 * std::log10(p / static_cast<double>(x.size()));
}

// Reads exactly n samples (ignoring timeouts), checking the counter's contiguity.
std::vector<tw::cf32> read_n(tw::IqSource& src, std::size_t n) {
  std::vector<tw::cf32> all, block(8192);
  while (all.size() < n) {
    auto r = src.read(std::span<tw::cf32>(block.data(), std::min(block.size(), n - all.size())));
    all.insert(all.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(r.count));
  }
  return all;
}

tw::SoapyOptions sim(const std::string& extra_args) {
  tw::SoapyOptions o;
  o.args = "driver=towerwatch-sim" + (extra_args.empty() ? "" : "," + extra_args);
  o.gain_db = 0.0;
  return o;
}

// Frequency of a dominant carrier: coarse from the phase step between neighbours, refined from the phase
// advance over `lag` samples (1000 times finer; the coarse value resolves the 2*pi ambiguity).
double tone_frequency_hz(const std::vector<tw::cf32>& x, double rate) {
  auto phase_over = [&](std::size_t lag) {
    std::complex<double> acc = 0;
    for (std::size_t i = lag; i < x.size(); ++i)
      acc += std::complex<double>(x[i]) * std::conj(std::complex<double>(x[i - lag]));
    return std::arg(acc);
  };
  const double coarse = phase_over(1) / (2 * std::numbers::pi) * rate;
  const std::size_t lag = 1000;
  const double predicted = 2 * std::numbers::pi * coarse * lag / rate;
  const double diff = std::remainder(phase_over(lag) - predicted, 2 * std::numbers::pi);
  return coarse + diff / (2 * std::numbers::pi * lag) * rate;
}

}  // namespace

TEST(SoapySim, FoundByDriverNameOnlyWithItsSerial) {
  ASSERT_TRUE(kIsolated);
  auto found = SoapySDR::Device::enumerate("driver=towerwatch-sim,serial=ABC123");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["driver"], "towerwatch-sim");
  EXPECT_EQ(found[0]["serial"], "ABC123");
  auto dflt = SoapySDR::Device::enumerate("driver=towerwatch-sim");
  ASSERT_EQ(dflt.size(), 1u);
  EXPECT_EQ(dflt[0]["serial"], "TWSIM0001");
  // Never "the first device" by accident: an unfiltered enumeration leaves it out.
  for (const auto& kw : SoapySDR::Device::enumerate(SoapySDR::Kwargs{}))
    EXPECT_NE(kw.count("driver") ? kw.at("driver") : "", "towerwatch-sim");
}

TEST(SoapySim, SettingsReadBackThroughSoapyApi) {
  SoapySDR::Device* dev = SoapySDR::Device::make("driver=towerwatch-sim,serial=RB1");
  ASSERT_NE(dev, nullptr);
  EXPECT_EQ(dev->getHardwareKey(), "towerwatch-sim");
  EXPECT_EQ(dev->getHardwareInfo()["serial"], "RB1");
  EXPECT_EQ(dev->getNumChannels(SOAPY_SDR_RX), 1u);
  dev->setSampleRate(SOAPY_SDR_RX, 0, 1.083333e6);
  EXPECT_DOUBLE_EQ(dev->getSampleRate(SOAPY_SDR_RX, 0), 1.083333e6);
  dev->setFrequency(SOAPY_SDR_RX, 0, 1842.6e6);
  EXPECT_DOUBLE_EQ(dev->getFrequency(SOAPY_SDR_RX, 0), 1842.6e6);
  dev->setGain(SOAPY_SDR_RX, 0, 33.0);
  EXPECT_DOUBLE_EQ(dev->getGain(SOAPY_SDR_RX, 0), 33.0);
  EXPECT_TRUE(dev->hasGainMode(SOAPY_SDR_RX, 0));
  dev->setGainMode(SOAPY_SDR_RX, 0, true);
  EXPECT_TRUE(dev->getGainMode(SOAPY_SDR_RX, 0));
  dev->setFrequencyCorrection(SOAPY_SDR_RX, 0, -3.5);
  EXPECT_DOUBLE_EQ(dev->getFrequencyCorrection(SOAPY_SDR_RX, 0), -3.5);
  EXPECT_EQ(dev->getAntenna(SOAPY_SDR_RX, 0), "RX");
  // Outside the simulated hardware's ranges (0.2-20 Msps, 24 MHz-6 GHz, 0-50 dB): refused.
  EXPECT_THROW(dev->setSampleRate(SOAPY_SDR_RX, 0, 25e6), std::exception);
  EXPECT_THROW(dev->setFrequency(SOAPY_SDR_RX, 0, 10e6), std::exception);
  EXPECT_THROW(dev->setGain(SOAPY_SDR_RX, 0, 51.0), std::exception);
  EXPECT_TRUE(dev->hasHardwareTime());

  // CS16 stream, stamped: block k starts at k*len samples, i.e. timeNs = k*len*1e9/rate.
  dev->setSampleRate(SOAPY_SDR_RX, 0, 2e6);
  dev->setHardwareTime(0);
  auto* st = dev->setupStream(SOAPY_SDR_RX, SOAPY_SDR_CS16, {0});
  ASSERT_NE(st, nullptr);
  ASSERT_EQ(dev->activateStream(st), 0);
  std::vector<std::int16_t> buf(2 * 1000);
  void* buffs[1] = {buf.data()};
  for (int k = 0; k < 3; ++k) {
    int flags = 0;
    long long t = -1;
    ASSERT_EQ(dev->readStream(st, buffs, 1000, flags, t, 100000), 1000);
    EXPECT_TRUE(flags & SOAPY_SDR_HAS_TIME);
    EXPECT_EQ(t, k * 500000LL);  // 1000 samples at 2 Msps = 500 us
  }
  dev->deactivateStream(st);
  dev->closeStream(st);
  SoapySDR::Device::unmake(dev);
}

TEST(SoapySim, UnknownDeviceArgIsRefusedByName) {
  try {
    SoapySDR::Device* dev = SoapySDR::Device::make("driver=towerwatch-sim,noise_dbf=-40");
    SoapySDR::Device::unmake(dev);
    FAIL() << "a misspelt arg was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("noise_dbf"), std::string::npos) << e.what();
  }
}

TEST(SoapySource, IdentityAndReadBack) {
  auto o = sim("serial=SIMX42");
  o.sample_rate_hz = 1e6;
  o.center_freq_hz = 935.2e6;
  o.gain_db = 20.0;
  auto src = tw::open_soapy(o);
  EXPECT_EQ(src->info().device_serial, "SIMX42");
  EXPECT_EQ(src->info().device_driver, "towerwatch-sim");
  EXPECT_EQ(src->info().description, o.args);
  EXPECT_DOUBLE_EQ(src->info().sample_rate_hz, 1e6);
  EXPECT_DOUBLE_EQ(src->info().center_freq_hz, 935.2e6);
  EXPECT_TRUE(src->info().center_freq_known);
  EXPECT_DOUBLE_EQ(src->gain_db(), 20.0);
  EXPECT_FALSE(src->automatic_gain());
  EXPECT_EQ(src->stream_format(), "CF32");  // preferred when offered

  EXPECT_EQ(tw::open_soapy(sim(""))->info().device_serial, "TWSIM0001");
  // (SoapySDR hands out one shared device per args string: one source per device at a time.)
  tw::SoapyOptions agc = sim("");
  agc.gain_db.reset();
  EXPECT_TRUE(tw::open_soapy(agc)->automatic_gain());
}

// The analog filter setting reaches the device and reads back (SoapySDR setBandwidth/getBandwidth); the
// simulated radio's filter follows the rate until set, within 0.2..28 MHz.
TEST(SoapySource, BandwidthIsSetAndReadBack) {
  auto o = sim("serial=SIMBW");
  o.sample_rate_hz = 2e6;
  auto src = tw::open_soapy(o);
  EXPECT_DOUBLE_EQ(src->bandwidth_hz(), 2e6);
  src->set_bandwidth(1.5e6);
  EXPECT_DOUBLE_EQ(src->bandwidth_hz(), 1.5e6);
  try {
    src->set_bandwidth(50e6);
    FAIL() << "a bandwidth beyond the device's range was accepted";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bandwidth"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("serial=SIMBW"), std::string::npos) << e.what();
  }
  EXPECT_DOUBLE_EQ(src->bandwidth_hz(), 1.5e6);
}

TEST(SoapySource, NoisePowerMatchesConfiguredLevel) {
  // Level at gain 0 dB is noise_dbfs; each dB of gain adds a dB. CF32 and CS16 paths alike.
  struct Case {
    double noise_dbfs, gain_db;
    const char* format;
  };
  for (const Case c : {Case{-40, 0, "CF32"}, Case{-70, 30, "CF32"}, Case{-55, 10, "CS16"}, Case{-25, 0, "CS16"}}) {
    auto o = sim("noise_dbfs=" + std::to_string(c.noise_dbfs));
    o.gain_db = c.gain_db;
    o.stream_format = c.format;
    auto src = tw::open_soapy(o);
    EXPECT_EQ(src->stream_format(), c.format);
    auto x = read_n(*src, 1'000'000);
    const double expected = c.noise_dbfs + c.gain_db;
    EXPECT_NEAR(power_dbfs(x), expected, 0.5) << c.format << " noise " << c.noise_dbfs << " gain " << c.gain_db;
    // White complex Gaussian: I and Q carry half the power each, mean ~0.
    double pi = 0, pq = 0;
    std::complex<double> mean = 0;
    for (const auto& s : x) {
      pi += double(s.real()) * s.real();
      pq += double(s.imag()) * s.imag();
      mean += std::complex<double>(s);
    }
    EXPECT_NEAR(10 * std::log10(pi / pq), 0.0, 0.1);
    EXPECT_LT(std::abs(mean) / double(x.size()), 0.01 * std::sqrt(std::pow(10.0, expected / 10)));
  }
}

TEST(SoapySource, SameArgsSameSamplesOtherSerialOtherNoise) {
  auto a = read_n(*tw::open_soapy(sim("noise_dbfs=-30")), 5000);
  auto b = read_n(*tw::open_soapy(sim("noise_dbfs=-30")), 5000);
  auto c = read_n(*tw::open_soapy(sim("noise_dbfs=-30,serial=OTHER")), 5000);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(SoapySource, OverflowsAreGapsOfExactlyTheLostSamples) {
  auto o = sim("overflow_every=4,overflow_samples=10000");
  o.buffer_samples = 4096;
  auto src = tw::open_soapy(o);
  std::vector<tw::cf32> block(4096);
  std::uint64_t expected_next = 0, gaps = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = src->read(block);
    ASSERT_GT(r.count, 0u);
    if (r.gap) {
      ++gaps;
      EXPECT_EQ(r.gap_samples, 10000u);
    }
    EXPECT_EQ(r.first_sample, expected_next + (r.gap ? 10000u : 0u));
    expected_next = r.first_sample + r.count;
  }
  // Calls 4, 8, 12, ... overflow: 40 delivered blocks need 53 calls, 13 of them overflows.
  EXPECT_EQ(gaps, 13u);
  EXPECT_EQ(src->gap_stats().gaps, 13u);
  EXPECT_EQ(src->gap_stats().lost_samples, 130000u);
  EXPECT_EQ(src->sample_counter(), 40u * 4096u + 130000u);
}

// skip_time on the simulated radio: the stream jumps ahead without a gap, and what follows is exactly what a
// contiguous read delivers at that sample (the noise is a function of the absolute sample index).
TEST(SoapySource, SkipTimeJumpsTheSimulatedStreamWithoutAGap) {
  auto o = sim("noise_dbfs=-30");
  o.sample_rate_hz = 1e6;
  auto skipping = tw::open_soapy(o);
  const auto head = read_n(*skipping, 3000);
  ASSERT_TRUE(skipping->skip_time(0.25));   // 250000 samples
  EXPECT_EQ(skipping->sample_counter(), 253000u);
  const auto tail = read_n(*skipping, 4000);
  EXPECT_EQ(skipping->gap_stats().gaps, 0u);
  EXPECT_EQ(skipping->sample_counter(), 257000u);
  skipping.reset();
  const auto all = read_n(*tw::open_soapy(o), 257000);
  EXPECT_TRUE(std::equal(head.begin(), head.end(), all.begin()));
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), all.begin() + 253000));
  EXPECT_FALSE(std::equal(tail.begin(), tail.end(), all.begin() + 3000));
  EXPECT_THROW(tw::open_soapy(o)->skip_time(-1.0), tw::InputError);
}

TEST(SoapySource, TimeoutsAreCountedAndNotFatal) {
  auto o = sim("timeout_every=3");
  o.max_consecutive_timeouts = 2;
  auto src = tw::open_soapy(o);
  std::vector<tw::cf32> block(1000);
  std::uint64_t timeouts = 0, delivered = 0;
  for (int i = 0; i < 30; ++i) {
    auto r = src->read(block);
    EXPECT_FALSE(r.end_of_stream);
    if (r.count == 0) ++timeouts;
    delivered += r.count;
  }
  EXPECT_EQ(timeouts, 10u);  // every third call
  EXPECT_EQ(src->gap_stats().timeouts, 10u);
  EXPECT_EQ(src->gap_stats().gaps, 0u);
  EXPECT_EQ(src->sample_counter(), delivered);
}

TEST(SoapySource, DeviceThatOnlyTimesOutStopsTheRun) {
  auto o = sim("timeout_every=1");
  o.max_consecutive_timeouts = 3;
  auto src = tw::open_soapy(o);
  std::vector<tw::cf32> block(1000);
  EXPECT_EQ(src->read(block).count, 0u);
  EXPECT_EQ(src->read(block).count, 0u);
  try {
    src->read(block);
    FAIL() << "third timeout in a row did not throw";
  } catch (const tw::RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("stopped delivering samples"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(o.args), std::string::npos) << e.what();
  }
}

TEST(SoapySource, VanishingDeviceIsARuntimeFailureNamingIt) {
  auto o = sim("vanish_after=100000,serial=GONE1");
  auto src = tw::open_soapy(o);
  std::vector<tw::cf32> block(30000);
  std::uint64_t delivered = 0;
  try {
    for (int i = 0; i < 100; ++i) delivered += src->read(block).count;
    FAIL() << "the device never vanished";
  } catch (const tw::RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("driver=towerwatch-sim,vanish_after=100000,serial=GONE1"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(delivered, 100000u);
}

TEST(SoapySource, MissingDriverIsInputErrorListingWhatExists) {
  tw::SoapyOptions o;
  o.args = "driver=no-such-sdr";
  try {
    tw::open_soapy(o);
    FAIL() << "opened a device that does not exist";
  } catch (const tw::InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("driver=no-such-sdr"), std::string::npos) << m;
    EXPECT_NE(m.find("driver=towerwatch-sim,serial=TWSIM0001"), std::string::npos) << m;  // devices found
    const auto drivers = m.find("installed SoapySDR drivers: ");
    ASSERT_NE(drivers, std::string::npos) << m;
    EXPECT_NE(m.find("towerwatch-sim", drivers), std::string::npos) << m;
  }
}

TEST(SoapySource, OptionsOutsideTheDeviceRangeAreInputErrors) {
  auto o = sim("");
  o.gain_db = 60.0;
  EXPECT_THROW(tw::open_soapy(o), tw::InputError);
  o = sim("");
  o.sample_rate_hz = 30e6;
  EXPECT_THROW(tw::open_soapy(o), tw::InputError);
  o = sim("");
  o.antenna = "TX/RX";
  EXPECT_THROW(tw::open_soapy(o), tw::InputError);
  auto src = tw::open_soapy(sim(""));
  EXPECT_THROW(src->retune(7e9), tw::InputError);
}

TEST(SoapySource, RetuneChangesTheFrequencyFromTheCounterAtReturn) {
  // A carrier at 935.4 MHz: 200 kHz above a 935.2 MHz tuning, 400 kHz below 935.8 MHz.
  auto o = sim("noise_dbfs=-60,tone_hz=935.4e6,tone_dbfs=-20");
  o.sample_rate_hz = 2e6;
  o.center_freq_hz = 935.2e6;
  auto src = tw::open_soapy(o);
  EXPECT_NEAR(tone_frequency_hz(read_n(*src, 50000), 2e6), 200e3, 1.0);
  const auto before = src->sample_counter();
  src->retune(935.8e6);
  EXPECT_DOUBLE_EQ(src->info().center_freq_hz, 935.8e6);
  EXPECT_EQ(src->sample_counter(), before);
  std::vector<tw::cf32> block(50000);
  auto r = src->read(block);
  EXPECT_EQ(r.first_sample, before);  // the new frequency starts at the counter's value at return
  EXPECT_FALSE(r.gap);
  block.resize(r.count);
  EXPECT_NEAR(tone_frequency_hz(block, 2e6), -400e3, 1.0);
}

TEST(SoapySource, CrystalErrorShiftsTheSignalAndPpmCorrectionCancelsIt) {
  // Simulated crystal 25 ppm fast: uncorrected, the LO sits at 900 MHz * (1 + 25e-6) = 900.0225 MHz and the
  // sample clock runs 25 ppm fast, so a carrier at 900.1 MHz measures (100000 - 22500) / (1 + 25e-6) Hz at
  // the nominal rate. With --ppm 25 the correction cancels the error: exactly 100 kHz.
  auto o = sim("ppm=25,noise_dbfs=-60,tone_hz=900.1e6,tone_dbfs=-20");
  o.sample_rate_hz = 1e6;
  o.center_freq_hz = 900e6;
  {
    auto src = tw::open_soapy(o);
    EXPECT_NEAR(tone_frequency_hz(read_n(*src, 100000), 1e6), 77500.0 / 1.000025, 0.5);
  }
  o.ppm = 25.0;
  auto src = tw::open_soapy(o);
  EXPECT_DOUBLE_EQ(src->info().ppm_correction, 25.0);
  EXPECT_DOUBLE_EQ(src->info().center_freq_hz, 900e6);
  EXPECT_NEAR(tone_frequency_hz(read_n(*src, 100000), 1e6), 100000.0, 0.5);
}
