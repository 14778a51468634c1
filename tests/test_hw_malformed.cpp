// Malformed captures (issue #8): zero bytes, odd byte counts, NaN/Inf samples, absurd SigMF rates and
// frequencies, a huge sparse file read with bounded memory. Expected values come from the file bytes written
// here and the format rules of hw/sample_format.hpp (cu8 (x-127.5)/127.5, cs16 little-endian /32768, cf32 as is).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "hw/iq_file_source.hpp"
#include "hw/sigmf.hpp"
#include "src/core/error.hpp"
#include "support/test_support.hpp"

using tw::cf32;
using tw::SampleFormat;
namespace fs = std::filesystem;

namespace {

std::string f32le(float v) {
  std::uint32_t u;
  std::memcpy(&u, &v, 4);
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((u >> (8 * i)) & 0xff);
  return s;
}

tw::IqFileOptions raw(const fs::path& p, std::optional<SampleFormat> f = std::nullopt) {
  tw::IqFileOptions o;
  o.path = p.string();
  o.format = f;
  o.sample_rate_hz = 1e6;
  return o;
}

std::vector<cf32> read_all(tw::IqSource& src) {
  std::vector<cf32> all, buf(3);
  for (int guard = 0; guard < 100000; ++guard) {
    const auto r = src.read(buf);
    all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r.count));
    if (r.end_of_stream) return all;
  }
  ADD_FAILURE() << "no end of stream";
  return all;
}

// Resident memory of this process (Linux /proc/self/statm, pages).
std::uint64_t rss_bytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

TEST(MalformedCapture, ZeroByteFileIsAnErrorNamingIt) {
  tw::test::TempDir dir;
  for (const char* name : {"empty.cu8", "empty.cs16", "empty.cf32"}) {
    tw::test::write_file(dir / name, "");
    tw::test::expect_input_error([&] { tw::open_iq_file(raw(dir / name)); }, {name, "empty"});
  }
}

TEST(MalformedCapture, FewerBytesThanOneSampleIsAnError) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "one.cu8", std::string(1, '\x80'));          // cu8 needs 2 bytes per sample
  tw::test::expect_input_error([&] { tw::open_iq_file(raw(dir / "one.cu8")); }, {"one.cu8", "no whole cu8 sample"});
  tw::test::write_file(dir / "seven.cf32", std::string(7, '\0'));         // cf32 needs 8
  tw::test::expect_input_error([&] { tw::open_iq_file(raw(dir / "seven.cf32")); }, {"seven.cf32", "cf32"});
}

TEST(MalformedCapture, OddByteCountsDropThePartialSampleOnly) {
  tw::test::TempDir dir;
  // cu8, 5 bytes: 2 samples (0,255), (127,128); the 5th byte is dropped.
  tw::test::write_file(dir / "odd.cu8", std::string("\x00\xff\x7f\x80\x11", 5));
  auto a = tw::open_iq_file_source(raw(dir / "odd.cu8"));
  EXPECT_EQ(a->total_samples(), 2u);
  EXPECT_EQ(a->dropped_trailing_bytes(), 1u);
  const auto sa = read_all(*a);
  ASSERT_EQ(sa.size(), 2u);
  EXPECT_EQ(sa[0], cf32(-1.0f, 1.0f));
  EXPECT_EQ(sa[1], cf32(-0.5f / 127.5f, 0.5f / 127.5f));
  // cs16, 7 bytes: 1 sample (0x4000, 0xc000) = (0.5, -0.5); 3 bytes dropped.
  tw::test::write_file(dir / "odd.cs16", std::string("\x00\x40\x00\xc0\x01\x02\x03", 7));
  auto b = tw::open_iq_file_source(raw(dir / "odd.cs16"));
  EXPECT_EQ(b->dropped_trailing_bytes(), 3u);
  const auto sb = read_all(*b);
  ASSERT_EQ(sb.size(), 1u);
  EXPECT_EQ(sb[0], cf32(0.5f, -0.5f));
  // cf32, 8*3+5 bytes.
  tw::test::write_file(dir / "odd.cf32", f32le(0.25f) + f32le(-0.75f) + f32le(1.0f) + f32le(2.0f) + f32le(-3.0f) +
                                             f32le(0.5f) + std::string(5, '\x7f'));
  auto c = tw::open_iq_file_source(raw(dir / "odd.cf32"));
  EXPECT_EQ(c->dropped_trailing_bytes(), 5u);
  const auto sc = read_all(*c);
  ASSERT_EQ(sc.size(), 3u);
  EXPECT_EQ(sc[2], cf32(-3.0f, 0.5f));
}

// `analyze` opens a file for each of its passes (GSM, LTE): a warning about the file is printed once.
TEST(MalformedCapture, AnalyzeWarnsOnceAboutAFilesTrailingBytes) {
  tw::test::TempDir dir;
  std::string bytes(2 * 20000 + 1, '\0');
  tw::test::write_file(dir / "odd.cs8", bytes);
  const auto r = tw::test::run_towerwatch({"analyze", (dir / "odd.cs8").string(), "--rate", "2M", "--freq", "947.4M"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string warning = "the last 1 bytes are not a whole cs8 sample and are dropped";
  const auto first = r.err.find(warning);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(warning, first + 1), std::string::npos) << r.err;
}

// cf32 NaN/Inf: replaced by 0 (both parts of the sample), counted, never handed to the DSP.
TEST(MalformedCapture, NonFiniteCf32SamplesBecomeZeroAndAreCounted) {
  tw::test::TempDir dir;
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  std::string data;
  const float values[][2] = {{0.5f, -0.5f}, {nan, 0.25f}, {1.0f, inf}, {-inf, -inf}, {0.125f, 3.0f}, {nan, nan}};
  for (const auto& v : values) data += f32le(v[0]) + f32le(v[1]);
  tw::test::write_file(dir / "nan.cf32", data);
  auto src = tw::open_iq_file_source(raw(dir / "nan.cf32"));
  const auto s = read_all(*src);
  ASSERT_EQ(s.size(), 6u);
  EXPECT_EQ(src->non_finite_samples(), 4u);
  const cf32 expect[] = {{0.5f, -0.5f}, {0, 0}, {0, 0}, {0, 0}, {0.125f, 3.0f}, {0, 0}};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(s[i], expect[i]) << i;
}

void write_meta(const fs::path& meta, const std::string& global_extra, const std::string& capture_extra) {
  tw::test::write_file(meta, "{\"global\":{\"core:datatype\":\"cu8\",\"core:version\":\"1.0.0\"" + global_extra +
                                 "},\"captures\":[{\"core:sample_start\":0" + capture_extra + "}],\"annotations\":[]}");
}

// SigMF core:sample_rate and captures[0].core:frequency outside anything a receiver does: an error naming the
// file and the field (JSON has no NaN or infinity literal; a number beyond double range is refused by the JSON
// parser).
TEST(MalformedCapture, AbsurdSigmfRatesAndFrequenciesAreErrorsNamingFileAndField) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "rec.sigmf-data", std::string(64, '\x80'));
  const auto meta = dir / "rec.sigmf-meta";
  for (const char* rate : {"-1", "0", "1e15", "-1e-300"}) {
    write_meta(meta, std::string(",\"core:sample_rate\":") + rate, "");
    tw::test::expect_input_error([&] { tw::open_iq_file(raw(meta)); }, {"rec.sigmf-meta", "core:sample_rate"});
  }
  for (const char* freq : {"-947e6", "0", "1e15"}) {
    write_meta(meta, ",\"core:sample_rate\":1e6", std::string(",\"core:frequency\":") + freq);
    tw::test::expect_input_error([&] { tw::open_iq_file(raw(meta)); }, {"rec.sigmf-meta", "core:frequency"});
  }
  // Beyond double range (JSON's stand-in for infinity): the JSON parser refuses the number itself.
  write_meta(meta, ",\"core:sample_rate\":1e400", "");
  tw::test::expect_input_error([&] { tw::open_iq_file(raw(meta)); }, {"rec.sigmf-meta", "1e400"});
  write_meta(meta, ",\"core:sample_rate\":\"fast\"", "");
  tw::test::expect_input_error([&] { tw::open_iq_file(raw(meta)); }, {"rec.sigmf-meta", "core:sample_rate", "not a number"});
  // Plausible extremes stay accepted: 61.44 MS/s at 5.9 GHz.
  write_meta(meta, ",\"core:sample_rate\":61.44e6", ",\"core:frequency\":5.9e9");
  auto o = raw(meta);
  o.sample_rate_hz.reset();
  auto ok = tw::open_iq_file(o);
  EXPECT_EQ(ok->info().sample_rate_hz, 61.44e6);
  EXPECT_EQ(ok->info().center_freq_hz, 5.9e9);
}

// A 50 GB sparse file (holes read as zero bytes) streams: reading 128 MiB of it keeps resident memory within a
// few read buffers, whatever the file size.
TEST(MalformedCapture, HugeSparseFileIsReadWithBoundedMemory) {
  tw::test::TempDir dir;
  const auto p = dir / "huge.cs16";
  const std::uint64_t size = 50'000'000'000ull;
  {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const bool ok = fseeko(f, static_cast<off_t>(size - 1), SEEK_SET) == 0 && std::fputc(0, f) == 0;
    const bool closed = std::fclose(f) == 0;
    if (!ok || !closed) GTEST_SKIP() << "this file system cannot hold a 50 GB sparse file";
  }
  auto src = tw::open_iq_file_source(raw(p));
  EXPECT_EQ(src->total_samples(), size / 4);
  std::vector<cf32> buf(1 << 16);
  const std::uint64_t before = rss_bytes();
  std::uint64_t read = 0;
  while (read < (128ull << 20) / 4) {
    const auto r = src->read(buf);
    ASSERT_EQ(r.count, buf.size());
    ASSERT_EQ(buf[r.count - 1], cf32(0.0f, 0.0f));
    read += r.count;
  }
  const std::uint64_t after = rss_bytes();
  EXPECT_LT(after, before + (16ull << 20)) << "resident memory grew by " << (after - before) << " bytes";
}

}  // namespace
