// Sample formats of IQ files: names and conversions to/from complex float (see sample_format.hpp).
#include "hw/sample_format.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <string>

namespace tw {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// cu8: (x - 127.5) / 127.5, computed in float once per code (both steps exact up to the final rounding).
const std::array<float, 256>& cu8_table() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (int x = 0; x < 256; ++x) t[static_cast<std::size_t>(x)] = (static_cast<float>(x) - 127.5f) / 127.5f;
    return t;
  }();
  return table;
}

// Round half away from zero, saturate to [lo, hi]; NaN gives `nan_code`.
inline long quantize(float v, float scale, float offset, long lo, long hi, long nan_code) {
  if (std::isnan(v)) return nan_code;
  const float x = v * scale + offset;
  if (!(x > static_cast<float>(lo))) return lo;   // also -inf
  if (!(x < static_cast<float>(hi))) return hi;   // also +inf
  return std::lround(x);
}

[[maybe_unused]] inline float load_f32_le(const std::uint8_t* p) {
  std::uint32_t u = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
                    (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
  return std::bit_cast<float>(u);
}

[[maybe_unused]] inline void store_f32_le(std::uint8_t* p, float v) {
  const auto u = std::bit_cast<std::uint32_t>(v);
  p[0] = static_cast<std::uint8_t>(u);
  p[1] = static_cast<std::uint8_t>(u >> 8);
  p[2] = static_cast<std::uint8_t>(u >> 16);
  p[3] = static_cast<std::uint8_t>(u >> 24);
}

}  // namespace

std::size_t bytes_per_sample(SampleFormat f) {
  switch (f) {
    case SampleFormat::cu8:
    case SampleFormat::cs8:
      return 2;
    case SampleFormat::cs16:
      return 4;
    case SampleFormat::cf32:
      return 8;
  }
  return 0;
}

const char* format_name(SampleFormat f) {
  switch (f) {
    case SampleFormat::cu8: return "cu8";
    case SampleFormat::cs8: return "cs8";
    case SampleFormat::cs16: return "cs16";
    case SampleFormat::cf32: return "cf32";
  }
  return "?";
}

std::optional<SampleFormat> format_from_name(std::string_view name) {
  const std::string n = lower(name);
  if (n == "cu8" || n == "u8" || n == "uint8" || n == "cu8_le") return SampleFormat::cu8;
  if (n == "cs8" || n == "s8" || n == "i8" || n == "int8" || n == "ci8" || n == "sc8" || n == "ci8_le")
    return SampleFormat::cs8;
  if (n == "cs16" || n == "s16" || n == "i16" || n == "int16" || n == "ci16" || n == "ci16_le" ||
      n == "sc16" || n == "cs16_le" || n == "cs16le")
    return SampleFormat::cs16;
  if (n == "cf32" || n == "fc32" || n == "f32" || n == "cfile" || n == "cf32_le" || n == "complex64" ||
      n == "float32")
    return SampleFormat::cf32;
  return std::nullopt;
}

const char* sigmf_datatype(SampleFormat f) {
  switch (f) {
    case SampleFormat::cu8: return "cu8";
    case SampleFormat::cs8: return "ci8";
    case SampleFormat::cs16: return "ci16_le";
    case SampleFormat::cf32: return "cf32_le";
  }
  return "?";
}

std::optional<SampleFormat> format_from_sigmf_datatype(std::string_view datatype) {
  // SigMF 1.0 core:datatype; 8-bit types carry no byte order, some writers still add "_le".
  const std::string d = lower(datatype);
  if (d == "cu8" || d == "cu8_le") return SampleFormat::cu8;
  if (d == "ci8" || d == "ci8_le") return SampleFormat::cs8;
  if (d == "ci16_le") return SampleFormat::cs16;
  if (d == "cf32_le") return SampleFormat::cf32;
  return std::nullopt;
}

void convert_to_cf32(SampleFormat f, const std::uint8_t* raw, std::size_t count, cf32* out) {
  switch (f) {
    case SampleFormat::cu8: {
      const auto& t = cu8_table();
      for (std::size_t i = 0; i < count; ++i) out[i] = cf32(t[raw[2 * i]], t[raw[2 * i + 1]]);
      break;
    }
    case SampleFormat::cs8: {
      for (std::size_t i = 0; i < count; ++i) {
        const auto re = static_cast<std::int8_t>(raw[2 * i]);
        const auto im = static_cast<std::int8_t>(raw[2 * i + 1]);
        out[i] = cf32(static_cast<float>(re) / 128.0f, static_cast<float>(im) / 128.0f);
      }
      break;
    }
    case SampleFormat::cs16: {
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* p = raw + 4 * i;
        const auto re = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
        const auto im = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[2] | (p[3] << 8)));
        out[i] = cf32(static_cast<float>(re) / 32768.0f, static_cast<float>(im) / 32768.0f);
      }
      break;
    }
    case SampleFormat::cf32: {
      if constexpr (std::endian::native == std::endian::little) {
        if (count) std::memmove(static_cast<void*>(out), raw, count * sizeof(cf32));
      } else {
        for (std::size_t i = 0; i < count; ++i)
          out[i] = cf32(load_f32_le(raw + 8 * i), load_f32_le(raw + 8 * i + 4));
      }
      break;
    }
  }
}

void convert_from_cf32(SampleFormat f, const cf32* in, std::size_t count, std::uint8_t* raw) {
  switch (f) {
    case SampleFormat::cu8:
      // x = v * 127.5 + 127.5; 0.0 lies between two codes and rounds to 128.
      for (std::size_t i = 0; i < count; ++i) {
        raw[2 * i] = static_cast<std::uint8_t>(quantize(in[i].real(), 127.5f, 127.5f, 0, 255, 128));
        raw[2 * i + 1] = static_cast<std::uint8_t>(quantize(in[i].imag(), 127.5f, 127.5f, 0, 255, 128));
      }
      break;
    case SampleFormat::cs8:
      for (std::size_t i = 0; i < count; ++i) {
        raw[2 * i] = static_cast<std::uint8_t>(
            static_cast<std::int8_t>(quantize(in[i].real(), 128.0f, 0.0f, -128, 127, 0)));
        raw[2 * i + 1] = static_cast<std::uint8_t>(
            static_cast<std::int8_t>(quantize(in[i].imag(), 128.0f, 0.0f, -128, 127, 0)));
      }
      break;
    case SampleFormat::cs16:
      for (std::size_t i = 0; i < count; ++i) {
        const auto re = static_cast<std::uint16_t>(
            static_cast<std::int16_t>(quantize(in[i].real(), 32768.0f, 0.0f, -32768, 32767, 0)));
        const auto im = static_cast<std::uint16_t>(
            static_cast<std::int16_t>(quantize(in[i].imag(), 32768.0f, 0.0f, -32768, 32767, 0)));
        std::uint8_t* p = raw + 4 * i;
        p[0] = static_cast<std::uint8_t>(re);
        p[1] = static_cast<std::uint8_t>(re >> 8);
        p[2] = static_cast<std::uint8_t>(im);
        p[3] = static_cast<std::uint8_t>(im >> 8);
      }
      break;
    case SampleFormat::cf32:
      if constexpr (std::endian::native == std::endian::little) {
        if (count) std::memmove(raw, static_cast<const void*>(in), count * sizeof(cf32));
      } else {
        for (std::size_t i = 0; i < count; ++i) {
          store_f32_le(raw + 8 * i, in[i].real());
          store_f32_le(raw + 8 * i + 4, in[i].imag());
        }
      }
      break;
  }
}

}  // namespace tw

namespace tw {

std::optional<SampleFormat> format_from_extension(std::string_view path) {
  const auto slash = path.find_last_of('/');
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = file.find_last_of('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string ext = lower(file.substr(dot + 1));
  if (ext == "cu8") return SampleFormat::cu8;
  if (ext == "cs8") return SampleFormat::cs8;
  if (ext == "cs16") return SampleFormat::cs16;
  if (ext == "cf32" || ext == "fc32" || ext == "cfile") return SampleFormat::cf32;
  return std::nullopt;
}

}  // namespace tw
