// Sample formats: names, extensions, and byte-exact conversions against the scaling rules
// cu8 (x-127.5)/127.5, cs8 x/128, cs16 (LE) x/32768, cf32 (LE) as is.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "hw/sample_format.hpp"

using tw::cf32;
using tw::SampleFormat;

namespace {

std::vector<cf32> to_cf32(SampleFormat f, const std::vector<std::uint8_t>& raw) {
  std::vector<cf32> out(raw.size() / tw::bytes_per_sample(f));
  tw::convert_to_cf32(f, raw.data(), out.size(), out.data());
  return out;
}

std::vector<std::uint8_t> from_cf32(SampleFormat f, const std::vector<cf32>& in) {
  std::vector<std::uint8_t> raw(in.size() * tw::bytes_per_sample(f), 0xEE);
  tw::convert_from_cf32(f, in.data(), in.size(), raw.data());
  return raw;
}

}  // namespace

TEST(SampleFormat, SizesAndNames) {
  EXPECT_EQ(tw::bytes_per_sample(SampleFormat::cu8), 2u);
  EXPECT_EQ(tw::bytes_per_sample(SampleFormat::cs8), 2u);
  EXPECT_EQ(tw::bytes_per_sample(SampleFormat::cs16), 4u);
  EXPECT_EQ(tw::bytes_per_sample(SampleFormat::cf32), 8u);
  for (auto f : {SampleFormat::cu8, SampleFormat::cs8, SampleFormat::cs16, SampleFormat::cf32}) {
    EXPECT_EQ(tw::format_from_name(tw::format_name(f)), f);
    EXPECT_EQ(tw::format_from_sigmf_datatype(tw::sigmf_datatype(f)), f);
  }
  EXPECT_STREQ(tw::sigmf_datatype(SampleFormat::cu8), "cu8");
  EXPECT_STREQ(tw::sigmf_datatype(SampleFormat::cs8), "ci8");
  EXPECT_STREQ(tw::sigmf_datatype(SampleFormat::cs16), "ci16_le");
  EXPECT_STREQ(tw::sigmf_datatype(SampleFormat::cf32), "cf32_le");
  EXPECT_EQ(tw::format_from_name("cfile"), SampleFormat::cf32);
  EXPECT_EQ(tw::format_from_name("FC32"), SampleFormat::cf32);
  EXPECT_EQ(tw::format_from_name("s8"), SampleFormat::cs8);
  EXPECT_EQ(tw::format_from_name("ci16_le"), SampleFormat::cs16);
  EXPECT_FALSE(tw::format_from_name("cu16").has_value());
  EXPECT_FALSE(tw::format_from_name("").has_value());
  // SigMF 1.0: 8-bit types have no byte order suffix; some writers add _le anyway.
  EXPECT_EQ(tw::format_from_sigmf_datatype("ci8_le"), SampleFormat::cs8);
  EXPECT_EQ(tw::format_from_sigmf_datatype("cu8_le"), SampleFormat::cu8);
  EXPECT_FALSE(tw::format_from_sigmf_datatype("cf32_be").has_value());
  EXPECT_FALSE(tw::format_from_sigmf_datatype("ci16_be").has_value());
  EXPECT_FALSE(tw::format_from_sigmf_datatype("rf32_le").has_value());
  EXPECT_FALSE(tw::format_from_sigmf_datatype("ci16").has_value());
}

TEST(SampleFormat, Extensions) {
  EXPECT_EQ(tw::format_from_extension("/x/y/a_941.0M_1M.cu8"), SampleFormat::cu8);
  EXPECT_EQ(tw::format_from_extension("a.CS8"), SampleFormat::cs8);
  EXPECT_EQ(tw::format_from_extension("a.cs16"), SampleFormat::cs16);
  EXPECT_EQ(tw::format_from_extension("a.cf32"), SampleFormat::cf32);
  EXPECT_EQ(tw::format_from_extension("a.fc32"), SampleFormat::cf32);
  EXPECT_EQ(tw::format_from_extension("GSMSP_20070204_robert_dbsrx_941.0MHz_128.cfile"), SampleFormat::cf32);
  EXPECT_FALSE(tw::format_from_extension("f2360_s1.92_bw1.2_1s_hackrf.bin").has_value());
  EXPECT_FALSE(tw::format_from_extension("signal.1.92M.dat").has_value());
  EXPECT_FALSE(tw::format_from_extension("x.raw").has_value());
  EXPECT_FALSE(tw::format_from_extension("dir.cu8/file").has_value());
  EXPECT_FALSE(tw::format_from_extension("noext").has_value());
}

TEST(SampleFormat, Cu8EveryCode) {
  std::vector<std::uint8_t> raw;
  for (int x = 0; x < 256; ++x) {
    raw.push_back(static_cast<std::uint8_t>(x));
    raw.push_back(static_cast<std::uint8_t>(255 - x));
  }
  const auto s = to_cf32(SampleFormat::cu8, raw);
  ASSERT_EQ(s.size(), 256u);
  for (int x = 0; x < 256; ++x) {
    EXPECT_EQ(s[x].real(), static_cast<float>((x - 127.5) / 127.5)) << x;
    EXPECT_EQ(s[x].imag(), static_cast<float>((255 - x - 127.5) / 127.5)) << x;
  }
  EXPECT_EQ(s[0].real(), -1.0f);
  EXPECT_EQ(s[255].real(), 1.0f);
  EXPECT_EQ(s[127].real(), -s[128].real());   // symmetric around 127.5
  EXPECT_FLOAT_EQ(s[128].real(), 1.0f / 255.0f);
}

TEST(SampleFormat, Cs8EveryCode) {
  std::vector<std::uint8_t> raw;
  for (int x = -128; x < 128; ++x) {
    raw.push_back(static_cast<std::uint8_t>(x & 0xff));
    raw.push_back(static_cast<std::uint8_t>((-x - 1) & 0xff));
  }
  const auto s = to_cf32(SampleFormat::cs8, raw);
  for (int x = -128; x < 128; ++x) {
    EXPECT_EQ(s[x + 128].real(), static_cast<float>(x) / 128.0f);
    EXPECT_EQ(s[x + 128].imag(), static_cast<float>(-x - 1) / 128.0f);
  }
  // Hand-picked octets: 0x80 = -128, 0x7f = 127, 0xff = -1.
  const auto h = to_cf32(SampleFormat::cs8, {0x80, 0x7f, 0xff, 0x01});
  EXPECT_EQ(h[0], cf32(-1.0f, 0.9921875f));
  EXPECT_EQ(h[1], cf32(-0.0078125f, 0.0078125f));
}

TEST(SampleFormat, Cs16LittleEndian) {
  const auto s = to_cf32(SampleFormat::cs16, {0x00, 0x80, 0xff, 0x7f,    // -32768, 32767
                                              0x34, 0x12, 0xff, 0xff,    // 0x1234, -1
                                              0x00, 0x00, 0x01, 0x00});  // 0, 1
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], cf32(-1.0f, 32767.0f / 32768.0f));
  EXPECT_EQ(s[1], cf32(4660.0f / 32768.0f, -1.0f / 32768.0f));
  EXPECT_EQ(s[2], cf32(0.0f, 1.0f / 32768.0f));
}

TEST(SampleFormat, Cf32LittleEndian) {
  // IEEE 754 single: 1.0 = 0x3f800000, -2.5 = 0xc0200000, 0.15625 = 0x3e200000.
  const auto s = to_cf32(SampleFormat::cf32, {0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0,
                                              0x00, 0x00, 0x20, 0x3e, 0x00, 0x00, 0x00, 0x00});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], cf32(1.0f, -2.5f));
  EXPECT_EQ(s[1], cf32(0.15625f, 0.0f));
  EXPECT_EQ(from_cf32(SampleFormat::cf32, {cf32(1.0f, -2.5f)}),
            (std::vector<std::uint8_t>{0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0}));
}

TEST(SampleFormat, QuantizeRoundsAndSaturates) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  // cs8: v*128 rounded half away from zero, clamped to [-128, 127].
  EXPECT_EQ(from_cf32(SampleFormat::cs8, {cf32(1.0f, -1.0f), cf32(2.0f, -5.0f), cf32(0.5f, -0.25f),
                                          cf32(0.5f / 128, -0.5f / 128), cf32(0.3f / 128, nan),
                                          cf32(inf, -inf)}),
            (std::vector<std::uint8_t>{0x7f, 0x80, 0x7f, 0x80, 0x40, 0xe0, 0x01, 0xff, 0x00, 0x00, 0x7f, 0x80}));
  // cu8: v*127.5+127.5; 0 lies half-way between 127 and 128 and goes to 128.
  EXPECT_EQ(from_cf32(SampleFormat::cu8, {cf32(0.0f, 1.0f), cf32(-1.0f, 3.0f), cf32(-3.0f, nan),
                                          cf32((200 - 127.5f) / 127.5f, (3 - 127.5f) / 127.5f)}),
            (std::vector<std::uint8_t>{128, 255, 0, 255, 0, 128, 200, 3}));
  // cs16 little endian: 1.0 saturates to 32767 (ff 7f), -1.0 is -32768 (00 80), 0.25 is 8192 (00 20).
  EXPECT_EQ(from_cf32(SampleFormat::cs16, {cf32(1.0f, -1.0f), cf32(0.25f, -1.0f / 32768)}),
            (std::vector<std::uint8_t>{0xff, 0x7f, 0x00, 0x80, 0x00, 0x20, 0xff, 0xff}));
}

TEST(SampleFormat, IntegerCodesSurviveRoundTrip) {
  for (auto f : {SampleFormat::cu8, SampleFormat::cs8}) {
    std::vector<std::uint8_t> raw;
    for (int x = 0; x < 256; ++x) {
      raw.push_back(static_cast<std::uint8_t>(x));
      raw.push_back(static_cast<std::uint8_t>(x ^ 0x5a));
    }
    EXPECT_EQ(from_cf32(f, to_cf32(f, raw)), raw) << tw::format_name(f);
  }
  std::vector<std::uint8_t> raw;
  for (int x = 0; x < 65536; ++x) {
    raw.push_back(static_cast<std::uint8_t>(x));
    raw.push_back(static_cast<std::uint8_t>(x >> 8));
    raw.push_back(static_cast<std::uint8_t>(x >> 3));
    raw.push_back(static_cast<std::uint8_t>(x * 7));
  }
  EXPECT_EQ(from_cf32(SampleFormat::cs16, to_cf32(SampleFormat::cs16, raw)), raw);
}
