// SigMF 1.0 (sigmf-spec.md): reading .sigmf-meta/.sigmf-data pairs and .sigmf archives (POSIX ustar),
// the datatypes, captures (sample_start, frequency, header_bytes), errors, and writing metadata.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "hw/iq_file_source.hpp"
#include "hw/iq_file_writer.hpp"
#include "hw/sigmf.hpp"
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

std::string meta_json(const std::string& datatype, const std::string& global_extra = ",\"core:sample_rate\":1000000",
                      const std::string& captures = "[{\"core:sample_start\":0,\"core:frequency\":947400000}]") {
  return "{\"global\":{\"core:datatype\":\"" + datatype + "\",\"core:version\":\"1.0.0\"" + global_extra +
         "},\"captures\":" + captures + ",\"annotations\":[]}";
}

void write_pair(const fs::path& base, const std::string& meta, const std::string& data) {
  tw::test::write_file(base.string() + ".sigmf-meta", meta);
  tw::test::write_file(base.string() + ".sigmf-data", data);
}

std::vector<cf32> read_all(tw::IqSource& src) {
  std::vector<cf32> all, buf(3);
  for (int guard = 0; guard < 100000; ++guard) {
    const auto r = src.read(buf);
    all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(r.count));
    if (r.end_of_stream) break;
  }
  return all;
}

std::unique_ptr<tw::IqFileSource> open(const std::string& path, std::optional<double> rate = std::nullopt) {
  tw::IqFileOptions o;
  o.path = path;
  o.sample_rate_hz = rate;
  return tw::open_iq_file_source(o);
}

using tw::test::expect_input_error;

// POSIX ustar member header (IEEE Std 1003.1 pax "ustar Interchange Format"): octal fields, checksum over
// the header with the checksum field taken as 8 spaces.
std::string ustar_member(const std::string& name, const std::string& data) {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), name.size());
  std::memcpy(&h[100], "0000644", 7);
  std::memcpy(&h[108], "0001750", 7);
  std::memcpy(&h[116], "0001750", 7);
  char size[13];
  std::snprintf(size, sizeof size, "%011o", static_cast<unsigned>(data.size()));
  std::memcpy(&h[124], size, 11);
  std::memcpy(&h[136], "14707530000", 11);
  h[156] = '0';
  std::memcpy(&h[257], "ustar", 6);
  std::memcpy(&h[263], "00", 2);
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof chk, "%06o", sum);
  std::memcpy(&h[148], chk, 7);   // six digits, NUL, space
  h[155] = ' ';
  std::string padded = data;
  padded.resize((data.size() + 511) / 512 * 512, '\0');
  return h + padded;
}

}  // namespace

TEST(Sigmf, EachDatatypeAndEveryWayToNameIt) {
  tw::test::TempDir dir;
  const struct {
    const char* datatype;
    std::string data;
    cf32 first, second;
  } cases[] = {
      {"cu8", bytes({0, 255, 255, 0}), cf32(-1, 1), cf32(1, -1)},
      {"cu8_le", bytes({0, 255, 255, 0}), cf32(-1, 1), cf32(1, -1)},
      {"ci8", bytes({0x80, 0x40, 0xc0, 0x00}), cf32(-1, 0.5f), cf32(-0.5f, 0)},
      {"ci8_le", bytes({0x80, 0x40, 0xc0, 0x00}), cf32(-1, 0.5f), cf32(-0.5f, 0)},
      {"ci16_le", bytes({0x00, 0x80, 0x00, 0x20, 0x00, 0x40, 0x00, 0xc0}), cf32(-1, 0.25f), cf32(0.5f, -0.5f)},
      {"cf32_le", bytes({0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0, 0, 0, 0, 0, 0, 0, 0x80, 0xbf}), cf32(1, -2.5f),
       cf32(0, -1)},
  };
  int k = 0;
  for (const auto& c : cases) {
    const auto base = dir / ("rec" + std::to_string(k++));
    write_pair(base, meta_json(c.datatype), c.data);
    for (const std::string& path : {base.string() + ".sigmf-meta", base.string() + ".sigmf-data",
                                    base.string() + ".sigmf", base.string()}) {
      auto src = open(path);
      EXPECT_EQ(src->info().sample_rate_hz, 1e6) << path;
      EXPECT_TRUE(src->info().center_freq_known);
      EXPECT_EQ(src->info().center_freq_hz, 947.4e6);
      const auto s = read_all(*src);
      ASSERT_EQ(s.size(), 2u) << c.datatype << " " << path;
      EXPECT_EQ(s[0], c.first) << c.datatype;
      EXPECT_EQ(s[1], c.second) << c.datatype;
    }
  }
}

TEST(Sigmf, RejectedDatatypes) {
  const struct {
    const char* datatype;
    const char* says;
  } cases[] = {{"cf32_be", "big-endian"}, {"ci16_be", "big-endian"}, {"rf32_le", "real"}, {"ri16_le", "real"},
               {"ru8", "real"}, {"ci32_le", "not supported"}, {"cf64_le", "not supported"},
               {"ci16", "not supported"}, {"bogus", "not supported"}};
  for (const auto& c : cases)
    expect_input_error([&] { tw::parse_sigmf_meta(meta_json(c.datatype), "m.sigmf-meta"); },
                       {"m.sigmf-meta", c.datatype, c.says});
}

TEST(Sigmf, MalformedMetadata) {
  const std::string cases[] = {
      "",
      "not json",
      "[1,2]",
      "{\"global\":3}",
      "{\"global\":{}}",
      "{\"global\":{\"core:datatype\":7}}",
      meta_json("cu8", ",\"core:sample_rate\":-1"),
      meta_json("cu8", ",\"core:sample_rate\":\"fast\""),
      meta_json("cu8", ",\"core:num_channels\":2"),
      meta_json("cu8", ",\"core:metadata_only\":true"),
      meta_json("cu8", ",\"core:dataset\":\"../etc/passwd\""),
      meta_json("cu8", "", "{\"a\":1}"),
      meta_json("cu8", "", "[{\"core:sample_start\":-4}]"),
      meta_json("cu8", "", "[{\"core:sample_start\":1.5}]"),
      meta_json("cu8", "", "[{\"core:frequency\":\"x\"}]"),
      meta_json("cu8", "", "[{\"core:sample_start\":5},{\"core:sample_start\":5}]"),
      std::string(100000, '[') + std::string(100000, ']'),
  };
  for (const auto& text : cases) EXPECT_THROW(tw::parse_sigmf_meta(text, "m.sigmf-meta"), tw::InputError) << text.substr(0, 80);
  // A valid one for contrast.
  const auto m = tw::parse_sigmf_meta(meta_json("ci16_le"), "m.sigmf-meta");
  EXPECT_EQ(m.format, SampleFormat::cs16);
  EXPECT_EQ(m.sample_rate_hz, 1e6);
  EXPECT_EQ(m.center_freq_hz, 947.4e6);
  EXPECT_EQ(m.capture_count, 1u);
  EXPECT_FALSE(m.sample_count.has_value());
}

TEST(Sigmf, MissingRateNeedsOption) {
  tw::test::TempDir dir;
  write_pair(dir / "r", meta_json("cu8", ""), bytes({0, 0, 255, 255}));
  expect_input_error([&] { open((dir / "r.sigmf-meta").string()); }, {"r.sigmf-meta", "--rate"});
  auto src = open((dir / "r.sigmf-meta").string(), 2e6);
  EXPECT_EQ(src->info().sample_rate_hz, 2e6);
  EXPECT_EQ(read_all(*src).size(), 2u);
}

TEST(Sigmf, ContradictionsWithOptions) {
  tw::test::TempDir dir;
  write_pair(dir / "c", meta_json("cu8"), bytes({0, 0, 255, 255}));
  const std::string meta = (dir / "c.sigmf-meta").string();
  expect_input_error([&] { open(meta, 2e6); }, {"c.sigmf-meta", "--rate", "2000000", "1000000"});
  EXPECT_NO_THROW(open(meta, 1e6 * (1 + 1e-8)));   // within the relative tolerance
  tw::IqFileOptions o;
  o.path = meta;
  o.center_freq_hz = 948e6;
  expect_input_error([&] { tw::open_iq_file(o); }, {"c.sigmf-meta", "--freq", "948000000", "947400000"});
  o.center_freq_hz.reset();
  o.format = SampleFormat::cs8;
  expect_input_error([&] { tw::open_iq_file(o); }, {"c.sigmf-meta", "--format", "cu8"});
  o.format = SampleFormat::cu8;
  EXPECT_NO_THROW(tw::open_iq_file(o));
}

TEST(Sigmf, NameTokenLosesToMetadataWithWarning) {
  tw::test::TempDir dir;
  write_pair(dir / "rec_2Msps", meta_json("cu8"), bytes({0, 0}));
  testing::internal::CaptureStderr();
  auto src = open((dir / "rec_2Msps.sigmf-meta").string());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(src->info().sample_rate_hz, 1e6);
  EXPECT_NE(err.find("2000000"), std::string::npos) << err;
}

TEST(Sigmf, MissingFiles) {
  tw::test::TempDir dir;
  tw::test::write_file(dir / "m.sigmf-meta", meta_json("cu8"));
  expect_input_error([&] { open((dir / "m.sigmf-meta").string()); }, {"m.sigmf-data", "missing"});
  tw::test::write_file(dir / "d.sigmf-data", bytes({1, 2}));
  expect_input_error([&] { open((dir / "d.sigmf-data").string()); }, {"d.sigmf-meta"});
  expect_input_error([&] { open((dir / "none.sigmf-meta").string()); }, {"none.sigmf-meta"});
  tw::test::write_file(dir / "e.sigmf-meta", meta_json("cu8"));
  tw::test::write_file(dir / "e.sigmf-data", "");
  expect_input_error([&] { open((dir / "e.sigmf-meta").string()); }, {"e.sigmf-data", "empty"});
}

TEST(Sigmf, SampleStartHeaderBytesAndDataset) {
  tw::test::TempDir dir;
  // cs8 samples k = (k, -k)/128 for k = 0..9, after a 4-byte header; the capture starts at sample 3.
  std::string data = "HDR!";
  for (int k = 0; k < 10; ++k) data += bytes({k, (-k) & 0xff});
  write_pair(dir / "s", meta_json("ci8", ",\"core:sample_rate\":1e6",
                                  "[{\"core:sample_start\":3,\"core:header_bytes\":4,\"core:frequency\":9.5e8}]"),
             data);
  auto src = open((dir / "s.sigmf-meta").string());
  EXPECT_EQ(src->info().center_freq_hz, 950e6);
  const auto s = read_all(*src);
  ASSERT_EQ(s.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(s[static_cast<std::size_t>(i)], cf32((i + 3) / 128.0f, -(i + 3) / 128.0f));

  // sample_start beyond the data
  write_pair(dir / "far", meta_json("ci8", "", "[{\"core:sample_start\":50}]"), bytes({1, 2, 3, 4}));
  expect_input_error([&] { open((dir / "far.sigmf-meta").string(), 1e6); }, {"far.sigmf-data"});

  // Several captures: only the first (samples 0..4) is read, with a warning.
  write_pair(dir / "multi",
             meta_json("ci8", ",\"core:sample_rate\":1e6",
                       "[{\"core:sample_start\":0,\"core:frequency\":9e8},{\"core:sample_start\":5,\"core:frequency\":1e9}]"),
             data.substr(4));
  testing::internal::CaptureStderr();
  auto m = open((dir / "multi.sigmf-meta").string());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("multi.sigmf-meta"), std::string::npos) << err;
  EXPECT_EQ(m->info().center_freq_hz, 900e6);
  const auto ms = read_all(*m);
  ASSERT_EQ(ms.size(), 5u);
  EXPECT_EQ(ms[4], cf32(4 / 128.0f, -4 / 128.0f));

  // Non-conforming dataset: core:dataset names the data file, core:trailing_bytes ends the samples early.
  tw::test::write_file(dir / "nc.sigmf-meta",
                       meta_json("ci8", ",\"core:sample_rate\":1e6,\"core:dataset\":\"raw.bin\",\"core:trailing_bytes\":2"));
  tw::test::write_file(dir / "raw.bin", bytes({0x40, 0x40, 0x20, 0x20, 0xff, 0xff}));
  const auto nc = read_all(*open((dir / "nc.sigmf-meta").string()));
  ASSERT_EQ(nc.size(), 2u);
  EXPECT_EQ(nc[1], cf32(0.25f, 0.25f));
}

TEST(Sigmf, Archive) {
  tw::test::TempDir dir;
  const std::string meta = meta_json("ci16_le");
  const std::string data = bytes({0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00});
  const std::string archive = ustar_member("cap/cap.sigmf-meta", meta) + ustar_member("cap/cap.sigmf-data", data) +
                              std::string(1024, '\0');
  tw::test::write_file(dir / "cap.sigmf", archive);
  auto src = open((dir / "cap.sigmf").string());
  EXPECT_EQ(src->info().sample_rate_hz, 1e6);
  EXPECT_EQ(src->info().center_freq_hz, 947.4e6);
  const auto s = read_all(*src);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], cf32(0.5f, -0.5f));
  EXPECT_EQ(s[1], cf32(32767 / 32768.0f, -1.0f));
  EXPECT_EQ(s[2], cf32(1 / 32768.0f, 0.0f));

  std::string bad = archive;
  bad[10] ^= 1;   // name changed, checksum no longer matches
  tw::test::write_file(dir / "bad.sigmf", bad);
  expect_input_error([&] { open((dir / "bad.sigmf").string()); }, {"bad.sigmf", "tar"});
  tw::test::write_file(dir / "nodata.sigmf", ustar_member("x/x.sigmf-meta", meta) + std::string(1024, '\0'));
  expect_input_error([&] { open((dir / "nodata.sigmf").string()); }, {"nodata.sigmf", "x/x.sigmf-data"});
  tw::test::write_file(dir / "short.sigmf", archive.substr(0, 512 + 512 + 100));   // data member cut short
  expect_input_error([&] { open((dir / "short.sigmf").string()); }, {"short.sigmf"});
}

TEST(Sigmf, WriterProducesSigmf10) {
  tw::test::TempDir dir;
  const auto meta_path = (dir / "w.sigmf-meta").string();
  tw::write_sigmf_meta(meta_path, SampleFormat::cs16, 1.083333e6, 947.4e6, "test recording");
  const auto j = nlohmann::json::parse(tw::test::read_file(meta_path));
  EXPECT_EQ(j.at("global").at("core:version"), "1.0.0");
  EXPECT_EQ(j.at("global").at("core:datatype"), "ci16_le");
  EXPECT_EQ(j.at("global").at("core:sample_rate"), 1.083333e6);
  EXPECT_EQ(j.at("global").at("core:description"), "test recording");
  ASSERT_EQ(j.at("captures").size(), 1u);
  EXPECT_EQ(j.at("captures")[0].at("core:sample_start"), 0);
  EXPECT_EQ(j.at("captures")[0].at("core:frequency"), 947.4e6);
  EXPECT_TRUE(j.at("annotations").is_array());
  EXPECT_FALSE(fs::exists(meta_path + ".part"));

  tw::write_sigmf_meta(meta_path, SampleFormat::cs8, 2e6, std::nullopt, "");
  const auto j2 = nlohmann::json::parse(tw::test::read_file(meta_path));
  EXPECT_EQ(j2.at("global").at("core:datatype"), "ci8");
  EXPECT_FALSE(j2.at("captures")[0].contains("core:frequency"));

  EXPECT_THROW(tw::write_sigmf_meta(meta_path, SampleFormat::cu8, 0.0, std::nullopt, ""), tw::InputError);
  EXPECT_THROW(tw::write_sigmf_meta((dir / "no/dir/x.sigmf-meta").string(), SampleFormat::cu8, 1e6, std::nullopt, ""),
               tw::RuntimeFailure);
}

TEST(Sigmf, WriterAndReaderRoundTrip) {
  tw::test::TempDir dir;
  const auto base = (dir / "rt").string();
  std::vector<cf32> in;
  for (int i = 0; i < 1000; ++i) in.emplace_back(static_cast<float>(i % 17) / 16 - 0.5f, static_cast<float>(i % 5) / 8);
  for (auto f : {SampleFormat::cu8, SampleFormat::cs8, SampleFormat::cs16, SampleFormat::cf32}) {
    tw::IqFileWriter w(base + ".sigmf-data", f);
    w.write(in);
    w.close();
    tw::write_sigmf_meta(base + ".sigmf-meta", f, 1.92e6, 2360e6, "round trip");
    auto src = open(base + ".sigmf");
    EXPECT_EQ(src->format(), f);
    EXPECT_EQ(src->info().sample_rate_hz, 1.92e6);
    EXPECT_EQ(src->info().center_freq_hz, 2360e6);
    const auto out = read_all(*src);
    ASSERT_EQ(out.size(), in.size());
    const double tol = f == SampleFormat::cf32 ? 0.0 : f == SampleFormat::cs16 ? 0.5 / 32768 : 0.5 / 127.5;
    for (std::size_t i = 0; i < in.size(); ++i) {
      ASSERT_LE(std::abs(out[i].real() - in[i].real()), tol + 1e-7) << tw::format_name(f) << " " << i;
      ASSERT_LE(std::abs(out[i].imag() - in[i].imag()), tol + 1e-7) << tw::format_name(f) << " " << i;
    }
  }
}

TEST(Sigmf, CorruptedArchivesAreInputErrors) {
  // Any octet of an archive changed: the reader either reads it or throws tw::InputError, nothing else.
  tw::test::TempDir dir;
  const std::string archive = ustar_member("cap/cap.sigmf-meta", meta_json("ci8")) +
                              ustar_member("cap/cap.sigmf-data", bytes({1, 2, 3, 4, 5, 6})) + std::string(1024, '\0');
  const auto path = (dir / "f.sigmf").string();
  std::uint32_t x = 12345;
  int readable = 0, rejected = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string a = archive;
    for (int k = 0; k < 3; ++k) {
      x = x * 1103515245u + 12345u;
      const std::size_t pos = (x >> 8) % 2048;   // headers and metadata
      x = x * 1103515245u + 12345u;
      a[pos] = static_cast<char>(x >> 16);
    }
    tw::test::write_file(path, a);
    testing::internal::CaptureStderr();
    try {
      auto src = open(path, 1e6);
      read_all(*src);
      ++readable;
    } catch (const tw::InputError&) {
      ++rejected;
    }
    testing::internal::GetCapturedStderr();
  }
  EXPECT_EQ(readable + rejected, 400);
  EXPECT_GT(rejected, 0);
}

TEST(Sigmf, NonConformingDatasetSidecar) {
  // What `towerwatch synth` writes: OUT.cs8 with OUT.sigmf-meta naming it in core:dataset.
  tw::test::TempDir dir;
  const std::vector<cf32> in = {cf32(0.5f, -0.5f), cf32(0.25f, 0.0f), cf32(-1.0f, 0.75f)};
  tw::IqFileWriter w((dir / "out.cs8").string(), SampleFormat::cs8);
  w.write(in);
  w.close();
  tw::write_sigmf_meta((dir / "out.sigmf-meta").string(), SampleFormat::cs8, 1.083333e6, 947.6e6, "synth", "out.cs8");
  EXPECT_EQ(nlohmann::json::parse(tw::test::read_file(dir / "out.sigmf-meta")).at("global").at("core:dataset"),
            "out.cs8");
  for (const std::string& path : {(dir / "out.cs8").string(), (dir / "out.sigmf-meta").string()}) {
    auto src = open(path);
    EXPECT_EQ(src->info().sample_rate_hz, 1.083333e6) << path;
    EXPECT_EQ(src->info().center_freq_hz, 947.6e6) << path;
    EXPECT_EQ(read_all(*src), in) << path;   // these values are exact in cs8
  }
  // A sidecar that does not name the file is about OUT.sigmf-data, not this file: not used.
  tw::write_sigmf_meta((dir / "out.sigmf-meta").string(), SampleFormat::cs8, 1.083333e6, 947.6e6, "synth");
  expect_input_error([&] { open((dir / "out.cs8").string()); }, {"out.cs8", "--rate"});
  EXPECT_THROW(tw::write_sigmf_meta((dir / "x.sigmf-meta").string(), SampleFormat::cs8, 1e6, std::nullopt, "", "a/b"),
               tw::InputError);
}
