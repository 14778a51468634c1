// IQ files as an IqSource: known file bytes in each format, name tokens, bad inputs, block reads, the
// writer, a 50 GB sparse file, and the shared real captures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>
#include <vector>

#include "hw/iq_file_source.hpp"
#include "hw/iq_file_writer.hpp"
#include "src/core/error.hpp"
#include "support/test_support.hpp"

using tw::cf32;
using tw::SampleFormat;
namespace fs = std::filesystem;

namespace {

std::string bytes(std::initializer_list<int> v) {
  std::string s;
  for (int b : v) s.push_back(static_cast<char>(b));
  return s;
}

std::string f32le(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, 4);
  return bytes({static_cast<int>(u & 0xff), static_cast<int>((u >> 8) & 0xff), static_cast<int>((u >> 16) & 0xff),
                static_cast<int>(u >> 24)});
}

std::vector<cf32> read_all(tw::IqSource& src, std::size_t block = 4096) {
  std::vector<cf32> all, buf(block);
  for (int guard = 0; guard < 10000000; ++guard) {
    const auto r = src.read(buf);
    all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r.count));
    if (r.end_of_stream) break;
  }
  return all;
}

tw::IqFileOptions opts(const fs::path& p, std::optional<double> rate = 1e6) {
  tw::IqFileOptions o;
  o.path = p.string();
  o.sample_rate_hz = rate;
  return o;
}

using tw::test::expect_input_error;

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST(IqFile, EachFormatFromKnownBytes) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "a.cu8", bytes({0, 255, 128, 127}));
  tw::test::write_file(dir / "a.cs8", bytes({0x80, 0x7f, 0x40, 0xc0}));
  tw::test::write_file(dir / "a.cs16", bytes({0x00, 0x80, 0x00, 0x40, 0xff, 0x7f, 0xff, 0xff}));
  tw::test::write_file(dir / "a.cfile", f32le(0.25f) + f32le(-3.0f) + f32le(1e-3f) + f32le(7.5f));
  struct Case {
    const char* name;
    SampleFormat format;
    std::vector<cf32> expect;
  } cases[] = {
      {"a.cu8", SampleFormat::cu8, {cf32(-1.0f, 1.0f), cf32(0.5f / 127.5f, -0.5f / 127.5f)}},
      {"a.cs8", SampleFormat::cs8, {cf32(-1.0f, 127.0f / 128), cf32(0.5f, -0.5f)}},
      {"a.cs16", SampleFormat::cs16, {cf32(-1.0f, 0.5f), cf32(32767.0f / 32768, -1.0f / 32768)}},
      {"a.cfile", SampleFormat::cf32, {cf32(0.25f, -3.0f), cf32(1e-3f, 7.5f)}},
  };
  for (const auto& c : cases) {
    auto src = tw::open_iq_file_source(opts(dir / c.name));
    EXPECT_EQ(src->format(), c.format) << c.name;
    EXPECT_EQ(src->total_samples(), 2u);
    std::vector<cf32> buf(10);
    const auto r = src->read(buf);
    ASSERT_EQ(r.count, 2u) << c.name;
    EXPECT_EQ(r.first_sample, 0u);
    EXPECT_TRUE(r.end_of_stream);
    EXPECT_FALSE(r.gap);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_FLOAT_EQ(buf[i].real(), c.expect[i].real()) << c.name << " " << i;
      EXPECT_FLOAT_EQ(buf[i].imag(), c.expect[i].imag()) << c.name << " " << i;
    }
    const auto again = src->read(buf);
    EXPECT_EQ(again.count, 0u);
    EXPECT_TRUE(again.end_of_stream);
    EXPECT_EQ(again.first_sample, 2u);
    EXPECT_EQ(src->sample_counter(), 2u);
    EXPECT_EQ(src->info().device_driver, "file");
    EXPECT_EQ(src->info().description, (dir / c.name).string());
    EXPECT_EQ(src->info().sample_rate_hz, 1e6);
    EXPECT_FALSE(src->info().center_freq_known);
  }
}

TEST(IqFile, FormatOptionAndExtension) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "x.bin", bytes({0x80, 0x7f}));
  expect_input_error([&] { tw::open_iq_file(opts(dir / "x.bin")); }, {"x.bin", "--format"});
  auto o = opts(dir / "x.bin");
  o.format = SampleFormat::cs8;
  auto src = tw::open_iq_file(o);
  std::vector<cf32> buf(4);
  ASSERT_EQ(src->read(buf).count, 1u);
  EXPECT_EQ(buf[0], cf32(-1.0f, 127.0f / 128));
  // --format wins over the extension, with a warning.
  tw::test::write_file(dir / "y.cs8", bytes({0x80, 0x7f}));
  auto oy = opts(dir / "y.cs8");
  oy.format = SampleFormat::cu8;
  testing::internal::CaptureStderr();
  auto sy = tw::open_iq_file(oy);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("y.cs8"), std::string::npos) << err;
  ASSERT_EQ(sy->read(buf).count, 1u);
  EXPECT_FLOAT_EQ(buf[0].real(), 0.5f / 127.5f);   // 0x80 = 128 as cu8
}

TEST(IqFile, MissingEmptyAndDirectory) {
  tw::test::TempDir dir;
  expect_input_error([&] { tw::open_iq_file(opts(dir / "nope.cu8")); }, {"nope.cu8"});
  tw::test::write_file(dir / "empty.cu8", "");
  expect_input_error([&] { tw::open_iq_file(opts(dir / "empty.cu8")); }, {"empty.cu8", "empty"});
  fs::create_directory(dir / "d.cu8");
  expect_input_error([&] { tw::open_iq_file(opts(dir / "d.cu8")); }, {"d.cu8"});
  expect_input_error([&] { tw::open_iq_file(opts("")); }, {"no IQ file"});
  tw::test::write_file(dir / "one.cs16", bytes({1, 2, 3}));   // less than one sample
  testing::internal::CaptureStderr();
  EXPECT_THROW(tw::open_iq_file(opts(dir / "one.cs16")), tw::InputError);
  testing::internal::GetCapturedStderr();
}

TEST(IqFile, SkipBytes) {
  tw::test::TempDir dir;
  std::string header(128, '\xAA');
  tw::test::write_file(dir / "h.cu8", header + bytes({0, 255, 255, 0, 64, 191}));
  auto o = opts(dir / "h.cu8");
  o.skip_bytes = 128;
  auto src = tw::open_iq_file_source(o);
  EXPECT_EQ(src->data_offset(), 128u);
  const auto s = read_all(*src);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], cf32(-1.0f, 1.0f));
  EXPECT_EQ(s[1], cf32(1.0f, -1.0f));
  EXPECT_FLOAT_EQ(s[2].real(), (64 - 127.5f) / 127.5f);
  EXPECT_FLOAT_EQ(s[2].imag(), (191 - 127.5f) / 127.5f);
  o.skip_bytes = 134;   // exactly the file size: nothing left
  expect_input_error([&] { tw::open_iq_file(o); }, {"h.cu8", "134"});
  o.skip_bytes = 1000;
  expect_input_error([&] { tw::open_iq_file(o); }, {"h.cu8"});
}

TEST(IqFile, TruncatedTrailingBytesDroppedWithOneWarning) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "odd.cs16", bytes({0, 0x40, 0, 0xc0, 0, 0x20, 0, 0xe0, 0x11, 0x22, 0x33}));
  testing::internal::CaptureStderr();
  auto src = tw::open_iq_file_source(opts(dir / "odd.cs16"));
  const auto s = read_all(*src, 1);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(src->dropped_trailing_bytes(), 3u);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], cf32(0.5f, -0.5f));
  EXPECT_EQ(s[1], cf32(0.25f, -0.25f));
  EXPECT_EQ(count_of(err, "warning"), 1u) << err;
  EXPECT_NE(err.find("odd.cs16"), std::string::npos) << err;
  EXPECT_NE(err.find("3 bytes"), std::string::npos) << err;
}

TEST(IqFile, NonFiniteFloatsBecomeZeroCountedOnce) {
  tw::test::TempDir dir;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  std::string data;
  const float values[][2] = {{1, 2}, {3, 4}, {5, 6}, {nan, 1}, {7, 8}, {2, -inf}, {9, 10}};
  for (auto& v : values) data += f32le(v[0]) + f32le(v[1]);
  tw::test::write_file(dir / "n.cf32", data);
  testing::internal::CaptureStderr();
  auto src = tw::open_iq_file_source(opts(dir / "n.cf32"));
  const auto s = read_all(*src, 2);
  const std::string err = testing::internal::GetCapturedStderr();
  ASSERT_EQ(s.size(), 7u);
  EXPECT_EQ(src->non_finite_samples(), 2u);
  EXPECT_EQ(s[3], cf32(0, 0));
  EXPECT_EQ(s[5], cf32(0, 0));
  EXPECT_EQ(s[4], cf32(7, 8));
  EXPECT_EQ(s[6], cf32(9, 10));
  EXPECT_EQ(count_of(err, "warning"), 1u) << err;
  EXPECT_NE(err.find("n.cf32"), std::string::npos) << err;
  EXPECT_NE(err.find("sample 3"), std::string::npos) << err;
}

TEST(IqFile, RateFrequencyFromOptionsAndName) {
  tw::test::TempDir dir;
  const std::string two = bytes({1, 2, 3, 4});
  tw::test::write_file(dir / "plain.cu8", two);
  expect_input_error([&] { tw::open_iq_file(opts(dir / "plain.cu8", std::nullopt)); }, {"plain.cu8", "--rate"});

  tw::test::write_file(dir / "g001_433.92M_250k.cu8", two);
  auto a = tw::open_iq_file(opts(dir / "g001_433.92M_250k.cu8", std::nullopt));
  EXPECT_DOUBLE_EQ(a->info().sample_rate_hz, 250e3);
  EXPECT_DOUBLE_EQ(a->info().center_freq_hz, 433.92e6);
  EXPECT_TRUE(a->info().center_freq_known);

  // An option that agrees: silent. One that disagrees with the name: the option wins, with a warning.
  auto o = opts(dir / "g001_433.92M_250k.cu8", 250e3);
  o.center_freq_hz = 433.92e6;
  testing::internal::CaptureStderr();
  tw::open_iq_file(o);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
  o.sample_rate_hz = 1e6;
  o.center_freq_hz = 868e6;
  testing::internal::CaptureStderr();
  auto b = tw::open_iq_file(o);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(b->info().sample_rate_hz, 1e6);
  EXPECT_EQ(b->info().center_freq_hz, 868e6);
  EXPECT_EQ(count_of(err, "warning"), 2u) << err;
  EXPECT_NE(err.find("250000"), std::string::npos) << err;
  EXPECT_NE(err.find("433920000"), std::string::npos) << err;

  auto bad = opts(dir / "plain.cu8", -5.0);
  expect_input_error([&] { tw::open_iq_file(bad); }, {"--rate"});
  bad = opts(dir / "plain.cu8");
  bad.center_freq_hz = std::numeric_limits<double>::quiet_NaN();
  expect_input_error([&] { tw::open_iq_file(bad); }, {"--freq"});
}

TEST(IqFile, NameTokens) {
  struct Case {
    const char* name;
    std::optional<double> freq, rate;
  } cases[] = {
      // the real captures in ../shared/captures (gr-gsm: the number before .cfile is a decimation, no rate)
      {"GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile", 941.0e6, std::nullopt},
      {"GSMSP_20070204_robert_dbsrx_937MHz_16.cfile", 937e6, std::nullopt},
      {"GSMSP_20070204_robert_dbsrx_941MHz_16.cfile", 941e6, std::nullopt},
      {"GSMSP_20070204_robert_dbsrx_953.6MHz_64.cfile", 953.6e6, std::nullopt},
      {"f1815.3_s1.92_bw1.2_0.08s_rtlsdr.bin", 1815.3e6, 1.92e6},
      {"f1815.3_s19.2_bw20_0.08s_hackrf.bin", 1815.3e6, 19.2e6},
      {"/some/dir/f2360_s1.92_bw1.2_1s_hackrf.bin", 2360e6, 1.92e6},
      {"signal.1.92M.dat", std::nullopt, std::nullopt},
      {"signal.1.92M.amar.dat", std::nullopt, std::nullopt},
      // rtl_433 style
      {"name_941.0M_1M.cu8", 941.0e6, 1e6},
      {"g001_433.92M_250k.cu8", 433.92e6, 250e3},
      {"g002_250k_868.3M.cs16", 868.3e6, 250e3},
      {"x_1G_2.4M.cu8", 1e9, 2.4e6},
      {"cap_2.4M.cu8", std::nullopt, 2.4e6},
      {"cap_250k.cu8", std::nullopt, 250e3},
      {"cap_1.92M.cs8", std::nullopt, 1.92e6},
      {"cap_947.4M.cs8", 947.4e6, std::nullopt},
      {"cap_80M.cs8", std::nullopt, std::nullopt},       // between rate and frequency ranges: ambiguous
      {"cap_1M_2M_3M.cs8", std::nullopt, std::nullopt},  // three plain values: ambiguous
      // labelled
      {"rec_947.4MHz_2Msps.cf32", 947.4e6, 2e6},
      {"rec_947400000Hz_1.083333Msps.cf32", 947.4e6, 1.083333e6},
      {"rec_947.4MHz_1M.cf32", 947.4e6, 1e6},
      {"rec_2Msps_947.4M.cf32", 947.4e6, 2e6},
      {"rec_947.4MHz_950MHz.cf32", std::nullopt, std::nullopt},   // two different frequencies
      {"run_s1.cu8", std::nullopt, std::nullopt},                  // lone s<num>: not enough
      {"f2.cu8", std::nullopt, std::nullopt},
      {"gqrx_20240101_120000_947400000_2000000_fc.raw", 947.4e6, 2e6},
      {"capture_20240101_120000.cu8", std::nullopt, std::nullopt},
      {"x_1000G.cu8", 1e12, std::nullopt},
      {"x_999999G_1M.cu8", 999999e9, 1e6},
      {"x_300M_260M.cu8", 300e6, std::nullopt},   // 260 MHz is no plausible rate
      {"x_.5M_M_1.M_k.cu8", std::nullopt, std::nullopt},
  };
  for (const auto& c : cases) {
    const auto h = tw::parse_capture_name(c.name);
    EXPECT_EQ(h.center_freq_hz.has_value(), c.freq.has_value()) << c.name;
    EXPECT_EQ(h.sample_rate_hz.has_value(), c.rate.has_value()) << c.name;
    if (h.center_freq_hz && c.freq) {
      EXPECT_DOUBLE_EQ(*h.center_freq_hz, *c.freq) << c.name;
    }
    if (h.sample_rate_hz && c.rate) {
      EXPECT_DOUBLE_EQ(*h.sample_rate_hz, *c.rate) << c.name;
    }
  }
}

TEST(IqFile, OddBlockSizesGiveTheSameSamples) {
  tw::test::TempDir dir;
  std::mt19937 rng(7);
  std::string data(150001 * 4 + 2, '\0');   // > one internal chunk of 65536 samples, plus 2 stray bytes
  for (auto& c : data) c = static_cast<char>(rng());
  tw::test::write_file(dir / "r.cs16", data);
  testing::internal::CaptureStderr();
  auto whole = tw::open_iq_file_source(opts(dir / "r.cs16"));
  std::vector<cf32> all(200000);
  const auto r = whole->read(all);
  ASSERT_EQ(r.count, 150001u);
  EXPECT_TRUE(r.end_of_stream);
  all.resize(r.count);

  auto blocks = tw::open_iq_file_source(opts(dir / "r.cs16"));
  testing::internal::GetCapturedStderr();
  const std::size_t sizes[] = {1, 7, 333, 4096, 65537, 3, 70000, 13};
  std::vector<cf32> got, buf(70000);
  std::uint64_t expect_first = 0;
  for (std::size_t i = 0;; ++i) {
    const std::size_t n = sizes[i % std::size(sizes)];
    const auto rr = blocks->read(std::span<cf32>(buf.data(), n));
    EXPECT_EQ(rr.first_sample, expect_first);
    EXPECT_EQ(rr.gap_samples, 0u);
    expect_first += rr.count;
    got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(rr.count));
    if (rr.end_of_stream) break;
    ASSERT_EQ(rr.count, n);   // a file gives full blocks until its end
    ASSERT_LT(i, 100000u);
  }
  EXPECT_EQ(got, all);
  EXPECT_EQ(blocks->sample_counter(), 150001u);
  // Independent check of a few samples against the bytes: little-endian int16 / 32768.
  for (std::size_t k : {std::size_t{0}, std::size_t{65535}, std::size_t{65536}, std::size_t{150000}}) {
    const auto b = [&](std::size_t i) { return static_cast<std::uint8_t>(data[i]); };
    const auto re = static_cast<std::int16_t>(b(4 * k) | (b(4 * k + 1) << 8));
    const auto im = static_cast<std::int16_t>(b(4 * k + 2) | (b(4 * k + 3) << 8));
    EXPECT_EQ(got[k], cf32(re / 32768.0f, im / 32768.0f)) << k;
  }
}

TEST(IqFile, RetuneIsRefused) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "a.cu8", bytes({1, 2}));
  auto src = tw::open_iq_file(opts(dir / "a.cu8"));
  expect_input_error([&] { src->retune(947e6); }, {"cannot retune a file"});
  EXPECT_EQ(src->gap_stats().gaps, 0u);
}

TEST(IqFile, HugeSparseFileStreams) {
  tw::test::TempDir dir;
  const auto p = dir / "huge_2M.cu8";
  const std::uint64_t size = 50'000'000'000ull;
  {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const bool ok = fseeko(f, static_cast<off_t>(size - 4), SEEK_SET) == 0 && std::fwrite("\x00\xff\xff\x00", 1, 4, f) == 4;
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) GTEST_SKIP() << "this file system cannot hold a 50 GB sparse file";
  }
  auto src = tw::open_iq_file_source(opts(p, std::nullopt));
  EXPECT_EQ(src->total_samples(), size / 2);
  EXPECT_EQ(src->info().sample_rate_hz, 2e6);
  std::vector<cf32> buf(1000);
  const auto r = src->read(buf);
  ASSERT_EQ(r.count, 1000u);
  EXPECT_FALSE(r.end_of_stream);
  for (const auto& s : buf) ASSERT_EQ(s, cf32(-1.0f, -1.0f));   // holes read as 0 octets
  // 64-bit offsets: skip to the last 3 samples.
  auto o = opts(p, std::nullopt);
  o.skip_bytes = size - 6;
  auto tail = tw::open_iq_file_source(o);
  const auto t = read_all(*tail);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], cf32(-1.0f, -1.0f));
  EXPECT_EQ(t[1], cf32(-1.0f, 1.0f));
  EXPECT_EQ(t[2], cf32(1.0f, -1.0f));
}

TEST(IqFileWriter, RoundTripEachFormat) {
  tw::test::TempDir dir;
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<cf32> in(100003);
  for (auto& s : in) s = cf32(u(rng), u(rng));
  in[0] = cf32(1.5f, -1.5f);   // saturates
  const struct {
    SampleFormat f;
    const char* name;
    double step;   // quantization step; reading back is within half a step
  } cases[] = {{SampleFormat::cu8, "w.cu8", 1 / 127.5}, {SampleFormat::cs8, "w.cs8", 1 / 128.0},
               {SampleFormat::cs16, "w.cs16", 1 / 32768.0}, {SampleFormat::cf32, "w.cf32", 0.0}};
  for (const auto& c : cases) {
    const auto p = dir / c.name;
    {
      tw::IqFileWriter w(p.string(), c.f);
      w.write(std::span<const cf32>(in.data(), 5));
      w.write(std::span<const cf32>(in.data() + 5, in.size() - 5));
      EXPECT_FALSE(fs::exists(p)) << "visible before close()";
      w.close();
      EXPECT_EQ(w.samples_written(), in.size());
    }
    EXPECT_FALSE(fs::exists(p.string() + ".part"));
    ASSERT_EQ(fs::file_size(p), in.size() * tw::bytes_per_sample(c.f));
    auto src = tw::open_iq_file(opts(p));
    const auto out = read_all(*src, 999);
    ASSERT_EQ(out.size(), in.size());
    const float hi = c.f == SampleFormat::cu8 ? 1.0f : c.f == SampleFormat::cf32 ? 1.5f : static_cast<float>(1.0 - c.step);
    EXPECT_EQ(out[0].real(), hi) << c.name;   // saturated to the largest code
    for (std::size_t i = 1; i < in.size(); ++i) {
      if (c.f == SampleFormat::cf32) {
        ASSERT_EQ(out[i], in[i]);
      } else {
        // the largest code is 1 - step for the signed formats: values above it saturate there
        const auto clamp = [&](float v) { return std::min(std::max(v, -1.0f), hi); };
        ASSERT_LE(std::fabs(out[i].real() - clamp(in[i].real())), c.step / 2 + 1e-7) << c.name << " " << i;
        ASSERT_LE(std::fabs(out[i].imag() - clamp(in[i].imag())), c.step / 2 + 1e-7) << c.name << " " << i;
      }
    }
  }
}

TEST(IqFileWriter, UnclosedWriterLeavesNothing) {
  tw::test::TempDir dir;
  const auto p = dir / "u.cs8";
  testing::internal::CaptureStderr();
  {
    tw::IqFileWriter w(p.string(), SampleFormat::cs8);
    const cf32 s[2] = {cf32(0.5f, 0.5f), cf32(-0.5f, 0.5f)};
    w.write(s);
    EXPECT_TRUE(fs::exists(p.string() + ".part"));
  }
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(fs::exists(p));
  EXPECT_FALSE(fs::exists(p.string() + ".part"));
  EXPECT_NE(err.find("u.cs8"), std::string::npos) << err;
}

TEST(IqFileWriter, Errors) {
  tw::test::TempDir dir;
  EXPECT_THROW(tw::IqFileWriter((dir / "no/such/dir/x.cu8").string(), SampleFormat::cu8), tw::InputError);
  EXPECT_THROW(tw::IqFileWriter(dir.path().string(), SampleFormat::cu8), tw::InputError);
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  tw::IqFileWriter w("/dev/full", SampleFormat::cf32);   // every write fails with ENOSPC
  const cf32 s[1] = {cf32(1, 1)};
  try {
    w.write(s);
    w.close();
    ADD_FAILURE() << "writing to /dev/full succeeded";
  } catch (const tw::RuntimeFailure& e) {
    EXPECT_NE(std::string(e.what()).find("/dev/full"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No space left"), std::string::npos) << e.what();
  }
  EXPECT_THROW(w.write(s), tw::RuntimeFailure);
}

// ---- the real captures in ../shared ----

TEST(IqFileShared, GsmspCfile) {
  TW_REQUIRE_SHARED(shared);
  const auto p = shared / "captures/gsm/GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile";
  expect_input_error([&] { tw::open_iq_file(opts(p, std::nullopt)); }, {p.filename().string(), "--rate"});
  auto src = tw::open_iq_file_source(opts(p, 64e6 / 128));   // reference.json: 500000
  EXPECT_EQ(src->format(), SampleFormat::cf32);
  EXPECT_TRUE(src->info().center_freq_known);
  EXPECT_DOUBLE_EQ(src->info().center_freq_hz, 941e6);
  const auto s = read_all(*src, 10000);
  ASSERT_EQ(s.size(), 80000u);
  double power = 0;
  for (const auto& x : s) power += std::norm(std::complex<double>(x));
  const double rms = std::sqrt(power / static_cast<double>(s.size()));
  EXPECT_TRUE(std::isfinite(rms));
  EXPECT_GT(rms, 0.0);
  EXPECT_EQ(src->non_finite_samples(), 0u);
}

TEST(IqFileShared, LteCaptures) {
  TW_REQUIRE_SHARED(shared);
  const auto dir = shared / "captures/lte";
  // reference.json: cu8 after a 128-byte header, 1.92 Msps at 2360 MHz (both from the name).
  auto o = opts(dir / "f2360_s1.92_bw1.2_1s_hackrf.bin", std::nullopt);
  o.format = SampleFormat::cu8;
  o.skip_bytes = 128;
  auto a = tw::open_iq_file_source(o);
  EXPECT_EQ(a->total_samples(), 1920000u);
  EXPECT_EQ(a->dropped_trailing_bytes(), 0u);
  EXPECT_DOUBLE_EQ(a->info().sample_rate_hz, 1.92e6);
  EXPECT_DOUBLE_EQ(a->info().center_freq_hz, 2360e6);
  // reference.json: cs8 at 19.2 Msps, 1815.3 MHz.
  auto ob = opts(dir / "f1815.3_s19.2_bw20_0.08s_hackrf.bin", std::nullopt);
  ob.format = SampleFormat::cs8;
  auto b = tw::open_iq_file_source(ob);
  EXPECT_EQ(b->total_samples(), 3072000u / 2);
  EXPECT_DOUBLE_EQ(b->info().sample_rate_hz, 19.2e6);
  EXPECT_DOUBLE_EQ(b->info().center_freq_hz, 1815.3e6);
  const auto s = read_all(*b, 65536);
  EXPECT_EQ(s.size(), 1536000u);
  // srsRAN test signal: cf32, 1.92 Msps given by hand (".dat" and "signal.1.92M" say nothing certain).
  auto oc = opts(dir / "signal.1.92M.dat", 1.92e6);
  expect_input_error([&] { tw::open_iq_file(oc); }, {"signal.1.92M.dat", "--format"});
  oc.format = SampleFormat::cf32;
  auto c = tw::open_iq_file_source(oc);
  EXPECT_EQ(c->total_samples(), 76808u / 8);
  EXPECT_FALSE(c->info().center_freq_known);
  // Every shared capture name: the rule never invents a rate for the gr-gsm files.
  for (const auto& e : fs::directory_iterator(shared / "captures/gsm")) {
    if (e.path().extension() != ".cfile") continue;
    const auto h = tw::parse_capture_name(e.path().string());
    EXPECT_FALSE(h.sample_rate_hz.has_value()) << e.path();
    EXPECT_TRUE(h.center_freq_hz.has_value()) << e.path();
  }
}
