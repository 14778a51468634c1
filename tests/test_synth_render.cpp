// SceneRenderer measured from its samples: FCCH tone at +1625000/24 Hz plus the carrier offset (cell
// frequency offset and receiver ppm, 45.004/45.005 definitions), power vs power_dbfs, noise power, burst
// bits recovered from the phase (45.004 differential encoding) and decoded as SCH (45.003), truth timing,
// determinism, out-of-band cells, on/off times. Blocks come from a test provider (no L3 encoders needed).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <vector>

#include "tools/synth/renderer.hpp"

extern "C" {
#include <osmocom/coding/gsm0503_coding.h>
}

using namespace tw::synth;
using tw::cf32;

namespace {

constexpr double kFsWork = 4.0 * 1625000.0 / 6.0;

struct TestProvider : BlockProvider {
  L2Octets block(std::uint8_t tag, std::uint32_t fn) {
    L2Octets o{};
    o.fill(0x2b);
    o[0] = tag;
    o[1] = static_cast<std::uint8_t>(fn >> 16);
    o[2] = static_cast<std::uint8_t>(fn >> 8);
    o[3] = static_cast<std::uint8_t>(fn);
    return o;
  }
  BlockContent bcch(SiType t, std::uint32_t fn) override { return {block(0x10, fn), si_name(t)}; }
  BlockContent ccch(int b, std::uint32_t fn) override { return {block(static_cast<std::uint8_t>(0x40 + b), fn), "CCCH test"}; }
  BlockContent sdcch(int b, std::uint32_t fn) override { return {block(static_cast<std::uint8_t>(0x80 + b), fn), "SDCCH test"}; }
};

BlockProviderFactory test_factory() {
  return [](const CellConfig&, int, std::uint64_t) -> std::unique_ptr<BlockProvider> {
    return std::make_unique<TestProvider>();
  };
}

CellConfig cell62() {
  CellConfig c;
  c.arfcn = 62;
  c.band = GsmBand::PGSM900;
  c.bsic = 23;
  c.power_dbfs = -20.0;
  c.first_fn = 0;
  c.first_fn_set = true;
  return c;
}

Scene quiet_scene(std::vector<CellConfig> cells) {
  Scene s;
  s.seed = 3;
  s.noise_dbfs = -250.0;
  s.cells = std::move(cells);
  return s;
}

std::vector<cf32> render(SceneRenderer& r, double seconds) {
  std::vector<cf32> x(static_cast<std::size_t>(std::llround(seconds * r.sample_rate_hz())));
  r.render(x);
  return x;
}

double power_db(const std::vector<cf32>& x, std::size_t from, std::size_t to) {
  double p = 0.0;
  for (std::size_t i = from; i < to; ++i) p += std::norm(std::complex<double>(x[i]));
  return 10.0 * std::log10(p / static_cast<double>(to - from));
}

double frequency(const std::vector<cf32>& x, std::size_t from, std::size_t to, double fs) {
  std::complex<double> acc = 0;
  for (std::size_t n = from; n + 1 < to; ++n) acc += std::complex<double>(x[n + 1]) * std::conj(std::complex<double>(x[n]));
  return std::arg(acc) * fs / (2.0 * std::numbers::pi);
}

struct Recorder : TruthSink {
  std::vector<TruthBlock> blocks;
  std::vector<TruthSch> sch;
  void on_block(const TruthBlock& b) override { blocks.push_back(b); }
  void on_sch(const TruthSch& s) override { sch.push_back(s); }
};

}  // namespace

TEST(SynthRender, FcchToneWithCellOffsetAndReceiverPpm) {
  struct Case {
    double fs, centre_offset, cell_offset, ppm;
  };
  for (const Case k : {Case{kFsWork, -150e3, 0.0, 0.0}, Case{1.0e6, 200e3, 1000.0, 2.0}, Case{2.4e6, -400e3, -2370.0, -5.0},
                       Case{2.4e6, 300e3, 0.0, 10.0}}) {
    CellConfig c = cell62();
    c.freq_offset_hz = k.cell_offset;
    Scene s = quiet_scene({c});
    s.receiver_ppm = k.ppm;
    const double carrier = 947.4e6;
    const double fc = carrier + k.centre_offset;
    SceneRenderer r(s, fc, k.fs, 0.0, test_factory());
    const auto x = render(r, 0.3);
    const double rx = 1.0 + k.ppm * 1e-6;
    const double scale = (1.0 + k.cell_offset / carrier) * rx;
    const double expected = (carrier + k.cell_offset) * rx - fc + 1625000.0 / 24.0 * scale;
    // FCCH bursts: TS0 of frames with FN mod 51 = 0; measure symbols 20..128 of the ones at frames 10 and 51.
    for (int frame : {10, 51}) {
      const double t0 = (frame * 1250.0 + 20.0) / (1625000.0 / 6.0 * scale);
      const double t1 = (frame * 1250.0 + 128.0) / (1625000.0 / 6.0 * scale);
      const double f = frequency(x, static_cast<std::size_t>(t0 * k.fs), static_cast<std::size_t>(t1 * k.fs), k.fs);
      EXPECT_NEAR(f, expected, 3.0) << "fs " << k.fs << " frame " << frame;
    }
    EXPECT_NEAR(r.carrier_offset_hz(0), (carrier + k.cell_offset) * rx - fc, 1e-3);
  }
}

TEST(SynthRender, PowerMatchesPowerDbfs) {
  for (double fs : {kFsWork, 1.0e6, 2.4e6, 0.5e6}) {
    for (double p : {-30.0, -7.5}) {
      CellConfig c = cell62();
      c.power_dbfs = p;
      SceneRenderer r(quiet_scene({c}), 947.4e6 + 50e3, fs, 0.0, test_factory());
      const auto x = render(r, 0.25);
      EXPECT_NEAR(power_db(x, 1000, x.size()), p, 0.3) << fs;
    }
  }
}

TEST(SynthRender, NoisePowerAndCellPlusNoise) {
  Scene s;
  s.seed = 9;
  s.noise_dbfs = -60.0;
  SceneRenderer r(s, 947e6, 2.0e6, 0.0, test_factory());
  const auto x = render(r, 0.5);
  EXPECT_NEAR(power_db(x, 0, x.size()), -60.0, 0.05);
  // Cell at -60 dBFS plus noise at -60 dBFS: -57 dBFS.
  CellConfig c = cell62();
  c.power_dbfs = -60.0;
  s.cells = {c};
  SceneRenderer r2(s, 947.4e6, 2.0e6, 0.0, test_factory());
  const auto y = render(r2, 0.5);
  EXPECT_NEAR(power_db(y, 0, y.size()), -60.0 + 10.0 * std::log10(2.0), 0.1);
}

TEST(SynthRender, SchBitsRecoveredFromThePhaseDecode) {
  // 4 samples/symbol with no offsets; 8 samples/symbol with a 7.3 us path delay; 2.4 Msps with a 100 ppm
  // receiver clock error (its sample clock drifts 2.7 symbols per 0.1 s against the cell: the bits are
  // only found where the scaled clock puts them) and a cell clock error.
  struct Case {
    double fs, delay_us, ppm, cell_offset_hz;
  };
  for (const Case k : {Case{kFsWork, 0.0, 0.0, 0.0}, Case{2.0 * kFsWork, 7.3, 0.0, 0.0}, Case{2.4e6, 0.0, 100.0, 0.0},
                       Case{2.4e6, 2.0, -60.0, 2368.5}}) {
    CellConfig c = cell62();
    c.delay_us = k.delay_us;
    c.freq_offset_hz = k.cell_offset_hz;
    c.first_fn = 1000;   // frame k has FN 1000 + k
    Scene s = quiet_scene({c});
    s.receiver_ppm = k.ppm;
    SceneRenderer r(s, 947.4e6, k.fs, 0.0, test_factory());
    const auto x = render(r, 0.3);
    const double f_off = r.carrier_offset_hz(0);
    const double scale = (1.0 + k.cell_offset_hz / 947.4e6) * (1.0 + k.ppm * 1e-6);
    int decoded = 0;
    for (int frame = 0; frame < 64; ++frame) {
      const std::uint32_t fn = 1000u + static_cast<std::uint32_t>(frame);
      if (fn % 51 % 10 != 1) continue;   // SCH frames: T3 = 1, 11, 21, 31, 41
      std::uint8_t prev = 1;             // the guard bit before TS0
      std::vector<std::uint8_t> bits;
      auto at = [&](double w) {          // the sample at the cell's working index w, carrier removed
        const double t = w / (kFsWork * scale) + k.delay_us * 1e-6;
        const auto n = static_cast<std::size_t>(std::lround(t * k.fs));
        const double tn = static_cast<double>(n) / k.fs;
        return std::complex<double>(x[n]) * std::polar(1.0, -2.0 * std::numbers::pi * f_off * tn);
      };
      for (int i = 0; i < 148; ++i) {
        const double w = frame * 5000.0 + 4.0 * i;
        const double dphi = std::arg(at(w + 4.0) * std::conj(at(w)));
        const std::uint8_t bit = static_cast<std::uint8_t>((dphi > 0 ? 0 : 1) ^ prev);
        bits.push_back(bit);
        prev = bit;
      }
      std::vector<sbit_t> soft;
      for (int i = 3; i < 42; ++i) soft.push_back(bits[static_cast<std::size_t>(i)] ? -127 : 127);
      for (int i = 106; i < 145; ++i) soft.push_back(bits[static_cast<std::size_t>(i)] ? -127 : 127);
      std::uint8_t info[4];
      ASSERT_EQ(gsm0503_sch_decode(info, soft.data()), 0) << fn << " fs " << k.fs;
      EXPECT_EQ(info[0] >> 2, 23);
      const int t2 = (info[2] >> 2) & 0x1f;
      EXPECT_EQ(t2, static_cast<int>(fn % 26));
      const auto want = sch_burst(23, fn);
      EXPECT_TRUE(std::equal(bits.begin(), bits.end(), want.begin())) << fn << " fs " << k.fs;
      ++decoded;
    }
    EXPECT_EQ(decoded, 7);   // 1000 mod 51 = 31: FN 1000, 1010, 1021, 1031, 1041, 1051, 1061
  }
}

TEST(SynthRender, DcOffsetAndIqImbalance) {
  Scene s;
  s.seed = 2;
  s.noise_dbfs = -40.0;
  s.dc_offset_dbfs = -30.0;
  s.iq_gain_imbalance_db = 1.0;
  SceneRenderer r(s, 947e6, 1.0e6, 0.0, test_factory());
  const auto x = render(r, 0.5);
  std::complex<double> mean = 0;
  double pi = 0, pq = 0;
  for (const auto& v : x) mean += std::complex<double>(v);
  mean /= static_cast<double>(x.size());
  for (const auto& v : x) {
    const auto d = std::complex<double>(v) - mean;
    pi += d.real() * d.real();
    pq += d.imag() * d.imag();
  }
  // The DC phasor goes through the imbalance too, so its size is checked loosely; the noise's Q/I power
  // ratio shows the 1 dB gain imbalance.
  EXPECT_NEAR(20.0 * std::log10(std::abs(mean)), -30.0, 1.0);
  EXPECT_NEAR(10.0 * std::log10(pq / pi), 1.0, 0.05);
}

TEST(SynthRender, TruthTimingAndOrder) {
  CellConfig c = cell62();
  c.first_fn = 2715648 - 60;   // wraps during the render
  Scene s = quiet_scene({c});
  SceneRenderer r(s, 947.4e6, 1.0e6, 0.0, test_factory());
  Recorder rec;
  r.set_truth_sink(&rec);
  std::vector<cf32> buf(100000);
  for (int i = 0; i < 5; ++i) r.render(buf);   // 0.5 s
  EXPECT_NEAR(r.time_s(), 0.5, 1e-12);
  const double frame_s = 1250.0 / (1625000.0 / 6.0);
  ASSERT_GT(rec.sch.size(), 0u);
  // 0.5 s = 108.3 frames; SCH on 5 of 51 frames: 10 or 11 of them.
  EXPECT_GE(rec.sch.size(), 10u);
  EXPECT_LE(rec.sch.size(), 11u);
  for (const auto& e : rec.sch) {
    const std::uint32_t t3 = e.fn % 51;
    EXPECT_TRUE(t3 == 1 || t3 == 11 || t3 == 21 || t3 == 31 || t3 == 41) << e.fn;
    const double k = static_cast<double>((e.fn + 2715648 - c.first_fn) % 2715648);
    EXPECT_NEAR(e.t_start_s, k * frame_s, 1e-9);
    EXPECT_EQ(e.bsic, 23);
  }
  // Blocks: BCCH at 2, CCCH at 6,12,...; all completely inside [0, 0.5 s].
  ASSERT_GT(rec.blocks.size(), 15u);
  for (const auto& b : rec.blocks) {
    const int t3 = static_cast<int>(b.fn % 51);
    EXPECT_TRUE(t3 == 2 || t3 == 6 || t3 == 12 || t3 == 16 || t3 == 22 || t3 == 26 || t3 == 32 || t3 == 36 ||
                t3 == 42 || t3 == 46)
        << b.fn;
    EXPECT_EQ(b.channel, t3 == 2 ? "BCCH" : "CCCH");
    EXPECT_GE(b.t_start_s, 0.0);
    EXPECT_LE(b.t_end_s, 0.5);
    EXPECT_EQ(b.octets[1] << 16 | b.octets[2] << 8 | b.octets[3], static_cast<int>(b.fn));
  }
}

TEST(SynthRender, DeterministicForASeedWhateverTheChunking) {
  CellConfig c = cell62();
  c.first_fn_set = false;   // derived from the seed
  c.multipath = "tu";
  c.doppler_hz = 10.0;
  Scene s = quiet_scene({c});
  s.noise_dbfs = -50.0;
  SceneRenderer a(s, 947.3e6, 2.4e6, 0.0, test_factory()), b(s, 947.3e6, 2.4e6, 0.0, test_factory());
  std::vector<cf32> x(240000), y(240000);
  a.render(x);
  std::size_t done = 0;
  for (std::size_t n : {1u, 999u, 65536u, 3u, 100000u}) {
    b.render(std::span<cf32>(y.data() + done, n));
    done += n;
  }
  b.render(std::span<cf32>(y.data() + done, y.size() - done));
  float maxdiff = 0.0f;
  for (std::size_t i = 0; i < x.size(); ++i) maxdiff = std::max(maxdiff, std::abs(x[i] - y[i]));
  EXPECT_LT(maxdiff, 1e-4f);
  EXPECT_EQ(a.scene().cells[0].first_fn, b.scene().cells[0].first_fn);
  // Same seed, fresh renderer, same chunking: bit-identical.
  SceneRenderer a2(s, 947.3e6, 2.4e6, 0.0, test_factory());
  std::vector<cf32> x2(240000);
  a2.render(x2);
  EXPECT_EQ(0, std::memcmp(x.data(), x2.data(), x.size() * sizeof(cf32)));
  // Another seed: other noise, other first frame number.
  s.seed = 4;
  SceneRenderer d(s, 947.3e6, 2.4e6, 0.0, test_factory());
  std::vector<cf32> z(240000);
  d.render(z);
  EXPECT_NE(0, std::memcmp(x.data(), z.data(), x.size() * sizeof(cf32)));
}

TEST(SynthRender, OutOfBandCellIsSkippedAndRetuneKeepsTime) {
  Scene s = quiet_scene({cell62()});
  s.noise_dbfs = -80.0;
  Scene empty = s;
  empty.cells.clear();
  // 947.4 MHz is 1.1 MHz from 948.5 MHz: outside +-(1 MHz/2 - 100 kHz).
  SceneRenderer r(s, 948.5e6, 1.0e6, 0.0, test_factory()), e(empty, 948.5e6, 1.0e6, 0.0, test_factory());
  EXPECT_FALSE(r.cell_visible(0));
  std::vector<cf32> x(50000), y(50000);
  r.render(x);
  e.render(y);
  EXPECT_EQ(0, std::memcmp(x.data(), y.data(), x.size() * sizeof(cf32)));
  // Retune onto the cell: it appears, at its power, 50 ms into the scene, in step with the scene clock:
  // the FCCH of frame 20 (FN 20) is where it would have been without the retune.
  r.retune(947.4e6);
  EXPECT_TRUE(r.cell_visible(0));
  EXPECT_NEAR(r.time_s(), 0.05, 1e-12);
  std::vector<cf32> z(70000);   // 0.05 .. 0.12 s
  r.render(z);
  EXPECT_NEAR(power_db(z, 0, z.size()), -20.0, 0.3);
  const double t0 = (20 * 1250.0 + 20.0) / (1625000.0 / 6.0), t1 = (20 * 1250.0 + 128.0) / (1625000.0 / 6.0);
  const auto i0 = static_cast<std::size_t>(t0 * 1e6) - 50000, i1 = static_cast<std::size_t>(t1 * 1e6) - 50000;
  EXPECT_NEAR(frequency(z, i0, i1, 1e6), 1625000.0 / 24.0, 5.0);
  // Just before the FCCH (TS7 of frame 19, a dummy burst) the phase is not a steady tone.
  EXPECT_GT(std::abs(frequency(z, i0 - 400, i0 - 300, 1e6) - 1625000.0 / 24.0), 1000.0);
}

TEST(SynthRender, OnOffTimes) {
  CellConfig c = cell62();
  c.on_s = 0.1;
  c.off_s = 0.2;
  SceneRenderer r(quiet_scene({c}), 947.4e6, 1.0e6, 0.0, test_factory());
  const auto x = render(r, 0.3);
  EXPECT_LT(power_db(x, 0, 99000), -200.0);
  EXPECT_NEAR(power_db(x, 101000, 199000), -20.0, 0.3);
  EXPECT_LT(power_db(x, 201000, 300000), -200.0);
}

TEST(SynthRender, TypicalUrbanFadingKeepsMeanPower) {
  // Rayleigh taps: the power over many independent seeds averages to power_dbfs.
  double sum = 0.0;
  const int n = 40;
  for (int seed = 1; seed <= n; ++seed) {
    CellConfig c = cell62();
    c.multipath = "tu";
    c.doppler_hz = 0.0;
    Scene s = quiet_scene({c});
    s.seed = static_cast<std::uint64_t>(seed);
    SceneRenderer r(s, 947.4e6, 1.0e6, 0.0, test_factory());
    const auto x = render(r, 0.02);
    sum += std::pow(10.0, power_db(x, 500, x.size()) / 10.0);
  }
  EXPECT_NEAR(10.0 * std::log10(sum / n), -20.0, 1.5);
}

TEST(SynthRender, SeekContinuesTheSceneAtTheNewTime) {
  // Noise depends only on the absolute sample index: bit-identical after a seek.
  Scene s;
  s.seed = 12;
  s.noise_dbfs = -50.0;
  SceneRenderer a(s, 947e6, 1.0e6, 0.0, test_factory()), b(s, 947e6, 1.0e6, 0.0, test_factory());
  std::vector<cf32> x(100000), y(30000), z(40000);
  a.render(x);
  b.render(y);
  b.seek(0.06);
  EXPECT_NEAR(b.time_s(), 0.06, 1e-12);
  b.render(z);
  EXPECT_EQ(0, std::memcmp(z.data(), x.data() + 60000, z.size() * sizeof(cf32)));

  // A cell keeps its schedule across the jump: the SCH after it are the ones of an uninterrupted stream.
  Scene c = quiet_scene({cell62()});
  SceneRenderer full(c, 947.4e6, 1.0e6, 0.0, test_factory()), jump(c, 947.4e6, 1.0e6, 0.0, test_factory());
  Recorder rf, rj;
  full.set_truth_sink(&rf);
  jump.set_truth_sink(&rj);
  std::vector<cf32> big(400000), small(50000), rest(200000);
  full.render(big);
  jump.render(small);
  jump.seek(0.2);
  jump.render(rest);
  std::vector<std::pair<std::uint32_t, double>> want, got;
  for (const auto& e : rf.sch)
    if (e.t_start_s >= 0.2) want.emplace_back(e.fn, e.t_start_s);
  for (const auto& e : rj.sch)
    if (e.t_start_s >= 0.2) got.emplace_back(e.fn, e.t_start_s);
  ASSERT_FALSE(want.empty());
  // The first SCH right after the jump may be missing (the cell resynchronises), the rest match.
  ASSERT_GE(got.size() + 1, want.size());
  for (const auto& g : got) EXPECT_NE(std::find(want.begin(), want.end(), g), want.end()) << g.first;
  EXPECT_NEAR(power_db(rest, 1000, rest.size()), -20.0, 0.3);
}
