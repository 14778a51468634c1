// IQ file readers (hw/iq_file_source.*, hw/sample_format.*, the SigMF archive walker of hw/sigmf.cpp) on
// files written from the input. Octet 0 chooses: bits 1..0 the sample format (cu8 cs8 cs16 cf32), bit 2 a
// .sigmf archive (POSIX tar) instead of a raw file, bit 3 a --skip-bytes of octet 1. The rest is the file.
// Raw files: the stream delivers exactly (size - skip) / bytes_per_sample samples, numbered without gaps, each
// equal to the independent conversion of its bytes (sample_format.hpp rules), NaN/Inf replaced by 0 and
// counted; a file without one whole sample is a tw::InputError naming it. Archives: only tw::InputError, and
// what is read lies inside the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "hw/iq_file_source.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {

// The reference conversion, written from the format descriptions in hw/sample_format.hpp.
tw::cf32 reference_sample(tw::SampleFormat f, const std::uint8_t* p) {
  switch (f) {
    case tw::SampleFormat::cu8: return {(p[0] - 127.5f) / 127.5f, (p[1] - 127.5f) / 127.5f};
    case tw::SampleFormat::cs8: return {static_cast<std::int8_t>(p[0]) / 128.0f, static_cast<std::int8_t>(p[1]) / 128.0f};
    case tw::SampleFormat::cs16: {
      const auto re = static_cast<std::int16_t>(p[0] | (p[1] << 8));
      const auto im = static_cast<std::int16_t>(p[2] | (p[3] << 8));
      return {re / 32768.0f, im / 32768.0f};
    }
    case tw::SampleFormat::cf32: {
      float re, im;
      std::memcpy(&re, p, 4);
      std::memcpy(&im, p + 4, 4);
      return {re, im};
    }
  }
  return {};
}

bool same(float a, float b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    tw::log::set_level(tw::log::Level::quiet);
    return true;
  }();
  (void)quiet;
  if (size < 1 || size > 1 << 16) return -1;
  const std::uint8_t mode = data[0];
  const auto format = static_cast<tw::SampleFormat>(mode & 3);
  const bool archive = mode & 4;
  std::size_t at = 1;
  std::uint64_t skip = 0;
  if (mode & 8) {
    if (size < 2) return -1;
    skip = data[1];
    at = 2;
  }
  const std::uint8_t* file = data + at;
  const std::size_t file_size = size - at;
  const std::string path = (tw::fuzz::scratch_dir() / (archive ? "rec.sigmf" : "capture.dat")).string();
  tw::fuzz::write_bytes(path, file, file_size);

  tw::IqFileOptions o;
  o.path = path;
  o.skip_bytes = skip;
  if (!archive) {
    o.format = format;
    o.sample_rate_hz = 1e6;
  }
  std::unique_ptr<tw::IqFileSource> src;
  try {
    src = tw::open_iq_file_source(o);
  } catch (const tw::InputError& e) {
    TW_FUZZ_CHECK(std::string(e.what()).find(path) != std::string::npos, std::string("error without the file: ") + e.what());
    if (!archive) {
      const std::size_t bps = tw::bytes_per_sample(format);
      TW_FUZZ_CHECK(file_size < skip + bps, "a raw file with whole samples is refused: " + std::string(e.what()));
    }
    return 0;
  }
  const std::size_t bps = tw::bytes_per_sample(src->format());
  TW_FUZZ_CHECK(src->data_offset() + src->total_samples() * bps <= file_size, "samples past the end of the file");
  if (!archive) TW_FUZZ_CHECK(src->total_samples() == (file_size - skip) / bps, "sample count");
  TW_FUZZ_CHECK(src->info().sample_rate_hz > 0 && std::isfinite(src->info().sample_rate_hz), "sample rate");

  // Read in uneven chunks; check numbering and every value against the bytes.
  std::vector<tw::cf32> buf(777);
  std::uint64_t next = 0, non_finite = 0;
  for (;;) {
    const auto r = src->read(buf);
    TW_FUZZ_CHECK(r.first_sample == next && !r.gap, "sample numbering");
    for (std::size_t i = 0; i < r.count; ++i) {
      const tw::cf32 v = buf[i];
      TW_FUZZ_CHECK(std::isfinite(v.real()) && std::isfinite(v.imag()), "a NaN/Inf sample reaches the DSP");
      const tw::cf32 ref = reference_sample(src->format(), file + src->data_offset() + (next + i) * bps);
      if (!std::isfinite(ref.real()) || !std::isfinite(ref.imag())) {
        ++non_finite;
        TW_FUZZ_CHECK(v == tw::cf32(0, 0), "a NaN/Inf sample is not replaced by 0");
      } else {
        TW_FUZZ_CHECK(same(v.real(), ref.real()) && same(v.imag(), ref.imag()),
                      "sample " + std::to_string(next + i) + " differs from its bytes");
      }
    }
    next += r.count;
    if (r.end_of_stream) break;
    TW_FUZZ_CHECK(r.count > 0, "a file read returns nothing before its end");
  }
  TW_FUZZ_CHECK(next == src->total_samples(), "delivered " + std::to_string(next) + " of " +
                                                  std::to_string(src->total_samples()));
  TW_FUZZ_CHECK(src->non_finite_samples() == non_finite, "NaN/Inf count");
  return 0;
}
