// The simulated radio rendering GSM scenes (driver=towerwatch-sim,scene=...), read through the real SoapySDR
// API and tw::SoapySource, decoded by the GSM receiver (dsp/gsm). The independent truths are the scene
// synthesizer's own encoders (tools/synth/l3: the SI3 a cell sends, its BSIC), the scene's settings (carrier
// power, receiver_ppm -> carrier offset f * ppm * 1e-6, noise level, first frame number) and GSM timing
// (45.002 clause 4.3.3: a TDMA frame lasts 60/13 ms, 5000 samples at 13e6/12 Sps).
#include <SoapySDR/Device.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dsp/gsm/carrier_receiver.hpp"
#include "hw/sim/sim_signal.hpp"
#include "hw/soapy_source.hpp"
#include "src/core/error.hpp"
#include "tools/synth/l3/encode.hpp"
#include "tools/synth/renderer.hpp"
#include "tools/synth/scene.hpp"

namespace {

// Load only our module: SOAPY_SDR_ROOT pointing nowhere hides the system's modules (no hardware probing,
// no network discovery by the remote/uhd modules), SOAPY_SDR_PLUGIN_PATH (set by ctest) adds ours.
// Runs before main(), so before SoapySDR loads anything.
const bool kIsolated = [] {
  setenv("SOAPY_SDR_ROOT", "/nonexistent-towerwatch-test-root", 1);
  setenv("SOAPY_SDR_PLUGIN_PATH", TW_BUILD_DIR "/soapy-modules", 0);
  return true;
}();

constexpr double kRate = 3250000.0 / 3;           // 4 samples per GSM symbol (13e6/48 * 4)
constexpr double kFrameSamples = 5000.0;          // one TDMA frame (60/13 ms) at kRate
constexpr std::uint32_t kHyperframe = 2715648;    // 45.002 clause 4.3.3

tw::SoapyOptions sim(const std::string& extra_args, double freq_hz) {
  tw::SoapyOptions o;
  o.args = "driver=towerwatch-sim" + (extra_args.empty() ? "" : "," + extra_args);
  o.sample_rate_hz = kRate;
  o.center_freq_hz = freq_hz;
  o.gain_db = 0.0;
  o.buffer_samples = 8192;
  return o;
}

// Reads until the source's sample counter passes first + n; samples lost in gaps stay zero, so index i of
// the result is the device's sample first + i.
std::vector<tw::cf32> read_span(tw::IqSource& src, std::size_t n) {
  const std::uint64_t first = src.sample_counter();
  std::vector<tw::cf32> all(n), block(8192);
  for (;;) {
    auto r = src.read(block);
    if (r.count == 0) continue;
    if (r.first_sample < first) throw std::logic_error("sample counter went back");
    const std::uint64_t at = r.first_sample - first;
    if (at >= n) break;
    const std::size_t take = std::min<std::size_t>(r.count, n - at);
    std::copy_n(block.begin(), take, all.begin() + static_cast<std::ptrdiff_t>(at));
    if (at + take >= n) break;
  }
  return all;
}

double power_dbfs(const std::vector<tw::cf32>& x) {
  double p = 0;
  for (const auto& s : x) p += std::norm(std::complex<double>(s));
  return 10.0 * std::log10(p / static_cast<double>(x.size()));
}

tw::synth::CellConfig cell_named(const tw::synth::Scene& s, const std::string& name) {
  for (const auto& c : s.cells)
    if (c.name == name) return c;
  throw std::logic_error("no cell " + name);
}

double downlink(const tw::synth::CellConfig& c) { return tw::synth::downlink_hz(c.arfcn, c.band); }

// SI3 is message type 0x1b (44.018 table 10.4.1); octet 0 is the L2 pseudo length, 1 the protocol
// discriminator (0x06, RR), 2 the message type.
bool is_si3(const tw::gsm::DecodedBlock& b) { return b.octets[1] == 0x06 && b.octets[2] == 0x1b; }

// The decoded SI3 blocks must all be the cell's SI3 as the synthesizer's encoder gives it; returns how many.
int check_si3(const std::vector<tw::gsm::DecodedBlock>& blocks, const tw::synth::CellConfig& cell) {
  const auto expected = tw::synth::l3::encode_si3(cell);
  int n = 0;
  for (const auto& b : blocks) {
    if (!is_si3(b)) continue;
    EXPECT_TRUE(std::equal(b.octets.begin(), b.octets.end(), expected.begin())) << "SI3 at fn " << b.fn;
    ++n;
  }
  std::printf("  %zu blocks decoded, %d SI3\n", blocks.size(), n);
  return n;
}

std::string temp_scene_file(const tw::synth::Scene& s, const std::string& tag) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("tw_sim_scene_" + tag + "_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << tw::synth::scene_to_json(s).dump(1);
  return path.string();
}

}  // namespace

TEST(SimScene, SingleCellDecodesToTheSynthesizersSi3) {
  ASSERT_TRUE(kIsolated);
  const auto scene = tw::synth::builtin_scene("single");
  const auto cell = scene.cells.at(0);
  ASSERT_EQ(cell.arfcn, 62);
  ASSERT_DOUBLE_EQ(downlink(cell), 947.4e6);   // 45.005 clause 2: 935 + 0.2 * 62 MHz
  auto src = tw::open_soapy(sim("scene=single,ppm=0", downlink(cell)));
  EXPECT_EQ(src->info().sample_rate_hz, kRate);
  const auto iq = read_span(*src, static_cast<std::size_t>(1.5 * kRate));
  tw::gsm::CarrierStats st;
  const auto blocks = tw::gsm::decode_capture(iq, kRate, 0.0, &st);
  EXPECT_EQ(st.bsic, cell.bsic);
  // SI3 comes at TC 2 and 6 (45.002 clause 6.3.1.3): every 4 multiframes (0.94 s), at least once in 1.5 s.
  EXPECT_GE(check_si3(blocks, cell), 1);
  std::printf("  bsic %d, cfo %.1f Hz, blocks %llu/%llu\n", st.bsic, st.cfo_hz,
              static_cast<unsigned long long>(st.blocks_decoded), static_cast<unsigned long long>(st.blocks_tried));
  EXPECT_NEAR(st.cfo_hz, 0.0, 30.0);
  EXPECT_GE(st.blocks_decoded, st.blocks_tried * 9 / 10);   // -30 dBFS over -70 dBFS noise: clean
}

TEST(SimScene, LevelsFollowSceneAndGainAndNoiseArgOverridesScene) {
  const auto cell = tw::synth::builtin_scene("single").cells.at(0);
  // On the carrier: the cell's power_dbfs (-30) dominates the -70 dBFS noise; every dB of gain adds a dB.
  {
    auto src = tw::open_soapy(sim("scene=single", downlink(cell)));
    EXPECT_NEAR(power_dbfs(read_span(*src, 200000)), cell.power_dbfs, 0.5);
  }
  {
    auto o = sim("scene=single", downlink(cell));
    o.gain_db = 20.0;
    auto src = tw::open_soapy(o);
    EXPECT_NEAR(power_dbfs(read_span(*src, 200000)), cell.power_dbfs + 20.0, 0.5);
  }
  {  // +20 dBFS asked of the ADC: I and Q clip at full scale.
    auto o = sim("scene=single", downlink(cell));
    o.gain_db = 50.0;
    auto src = tw::open_soapy(o);
    const auto x = read_span(*src, 20000);
    float peak = 0;
    for (const auto& s : x) peak = std::max({peak, std::abs(s.real()), std::abs(s.imag())});
    EXPECT_LE(peak, 1.0f);
    EXPECT_GT(peak, 0.99f);
  }
  // 10 MHz away no cell is in band: only the receiver noise, the scene's (-70) or the arg's.
  {
    auto src = tw::open_soapy(sim("scene=single", 937.4e6));
    EXPECT_NEAR(power_dbfs(read_span(*src, 200000)), -70.0, 0.3);
  }
  {
    auto src = tw::open_soapy(sim("scene=single,noise_dbfs=-45", 937.4e6));
    EXPECT_NEAR(power_dbfs(read_span(*src, 200000)), -45.0, 0.3);
  }
}

TEST(SimScene, SceneReceiverPpmIsTheDevicesCrystalErrorUnlessPpmArgOrCorrection) {
  auto scene = tw::synth::builtin_scene("single");
  scene.receiver_ppm = 20.0;
  const auto cell = scene.cells.at(0);
  const std::string file = temp_scene_file(scene, "ppm20");
  // The receiver sees the carrier at f * (1 + 20e-6): +18948 Hz at 947.4 MHz.
  const double expected_cfo = 20e-6 * downlink(cell);
  struct Case {
    std::string extra;
    double correction_ppm;
    double cfo_hz;
  };
  for (const Case& c : {Case{"", 0.0, expected_cfo},
                        // the device's crystal error given explicitly overrides the scene's receiver_ppm
                        Case{",ppm=0", 0.0, 0.0},
                        // a calibration's correction (-20 ppm: the crystal runs slow) cancels it
                        Case{"", -20.0, 0.0}}) {
    auto o = sim("scene=" + file + c.extra, downlink(cell));
    o.ppm = c.correction_ppm;
    auto src = tw::open_soapy(o);
    const auto iq = read_span(*src, static_cast<std::size_t>(1.5 * kRate));
    tw::gsm::CarrierStats st;
    const auto blocks = tw::gsm::decode_capture(iq, kRate, 0.0, &st);
    std::printf("  scene receiver_ppm 20%s, correction %g ppm: cfo %.1f Hz\n", c.extra.c_str(), c.correction_ppm,
                st.cfo_hz);
    EXPECT_EQ(st.bsic, cell.bsic) << c.extra << " correction " << c.correction_ppm;
    EXPECT_NEAR(st.cfo_hz, c.cfo_hz, 100.0) << c.extra << " correction " << c.correction_ppm;
    EXPECT_GE(check_si3(blocks, cell), 1) << c.extra << " correction " << c.correction_ppm;
  }
  std::filesystem::remove(file);
}

TEST(SimScene, RetuneToAnotherCellKeepsSceneTimeRunning) {
  const auto city = tw::synth::resolve_scene(tw::synth::builtin_scene("city"));
  const auto a2 = cell_named(city, "A-2");
  const auto b1 = cell_named(city, "B-1");
  ASSERT_NE(a2.bsic, b1.bsic);
  auto src = tw::open_soapy(sim("scene=city", downlink(a2)));
  tw::gsm::CarrierStats st;
  tw::gsm::decode_capture(read_span(*src, static_cast<std::size_t>(0.7 * kRate)), kRate, 0.0, &st);
  EXPECT_EQ(st.bsic, a2.bsic);

  src->retune(downlink(b1));
  const std::uint64_t first = src->sample_counter();
  const std::size_t n = static_cast<std::size_t>(1.5 * kRate);
  const auto blocks = tw::gsm::decode_capture(read_span(*src, n), kRate, 0.0, &st);
  EXPECT_EQ(st.bsic, b1.bsic);
  EXPECT_GE(check_si3(blocks, b1), 1);
  // Scene time is sample time across the retune: cell B-1's frame at sample s is first_fn + s / 5000
  // (its 15 Hz clock error moves that by far less than a frame), so every block decoded lies in the window
  // read after the retune, not at the start of B-1's timeline.
  ASSERT_FALSE(blocks.empty());
  const double lo = static_cast<double>(first) / kFrameSamples - 1.0;
  const double hi = static_cast<double>(first + n) / kFrameSamples + 1.0;
  for (const auto& b : blocks) {
    const double frames = static_cast<double>((b.fn + kHyperframe - b1.first_fn) % kHyperframe);
    EXPECT_GE(frames, lo) << "fn " << b.fn;
    EXPECT_LE(frames, hi) << "fn " << b.fn;
  }
}

TEST(SimScene, SamplesAfterAnOverflowContinueAtTheRightSceneTime) {
  const auto cell = tw::synth::builtin_scene("single").cells.at(0);
  // A 2000-sample loss (0.4 frame) every 10 reads of 8192: were the scene not moved on by the lost samples,
  // every burst after a gap would be 2000 samples early and the receiver would lose its frame timing.
  auto src = tw::open_soapy(sim("scene=single,overflow_every=10,overflow_samples=2000", downlink(cell)));
  const auto iq = read_span(*src, static_cast<std::size_t>(1.5 * kRate));
  EXPECT_GE(src->gap_stats().gaps, 15u);
  EXPECT_EQ(src->gap_stats().lost_samples, 2000u * src->gap_stats().gaps);

  tw::gsm::GsmCarrierReceiver rx;
  std::vector<tw::gsm::DecodedBlock> blocks;
  int syncs = 0;
  rx.on_block([&](const tw::gsm::DecodedBlock& b) { blocks.push_back(b); });
  rx.on_sync([&](const tw::gsm::SyncEvent& e) {
    ++syncs;
    EXPECT_EQ(e.bsic, cell.bsic);
  });
  rx.execute(iq);
  std::printf("  %llu gaps, %d syncs, blocks %llu/%llu\n", static_cast<unsigned long long>(src->gap_stats().gaps), syncs,
              static_cast<unsigned long long>(rx.stats().blocks_decoded),
              static_cast<unsigned long long>(rx.stats().blocks_tried));
  EXPECT_EQ(syncs, 1);   // one acquisition, then frame timing held through every gap
  EXPECT_GE(check_si3(blocks, cell), 1);
  // A block whose four bursts miss the gaps decodes: most of them (a gap spoils at most 2 of ~17 frames).
  EXPECT_GE(rx.stats().blocks_decoded, rx.stats().blocks_tried * 7 / 10);
}

TEST(SimScene, UnknownSceneOrBadSceneFileIsAnInputErrorNamingIt) {
  try {
    tw::sim::SimSignalConfig::from_args({{"scene", "nope"}}, "S1");
    FAIL() << "an unknown scene was accepted";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scene=nope"), std::string::npos) << e.what();
  }
  // Through SoapySDR: make() refuses it with a standard exception type that crosses the module boundary.
  try {
    SoapySDR::Device* dev = SoapySDR::Device::make("driver=towerwatch-sim,scene=nope");
    SoapySDR::Device::unmake(dev);
    FAIL() << "an unknown scene was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("scene=nope"), std::string::npos) << e.what();
  }
  // And through SoapySource: bad input (exit code 2 in the CLI), named in the message.
  try {
    tw::open_soapy(sim("scene=nope", 947.4e6));
    FAIL() << "an unknown scene was accepted";
  } catch (const tw::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scene=nope"), std::string::npos) << e.what();
  }
  // A scene file with a bad field: the file and the field are named (tools/synth/scene.hpp).
  auto bad = tw::synth::scene_to_json(tw::synth::builtin_scene("single"));
  bad["cells"][0]["bsic"] = 64;
  const auto path = std::filesystem::temp_directory_path() / ("tw_sim_scene_bad_" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << bad.dump();
  try {
    tw::sim::SimSignalConfig::from_args({{"scene", path.string()}}, "S1");
    FAIL() << "a scene with bsic 64 was accepted";
  } catch (const tw::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find("bsic"), std::string::npos) << what;
  }
  std::filesystem::remove(path);
}
