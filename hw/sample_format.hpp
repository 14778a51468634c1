// Sample formats of IQ files and their conversion to/from complex float (interleaved I, Q).
//   cu8  rtl_sdr          unsigned 8 bit,   x -> (x - 127.5) / 127.5
//   cs8  hackrf_transfer  signed 8 bit,     x -> x / 128
//   cs16 signed 16 bit little endian,       x -> x / 32768
//   cf32 float32 little endian (gr-gsm .cfile), as is
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "hw/iq_source.hpp"

namespace tw {

enum class SampleFormat { cu8, cs8, cs16, cf32 };

std::size_t bytes_per_sample(SampleFormat f);          // per complex sample (I and Q)
const char* format_name(SampleFormat f);               // "cu8", ...
std::optional<SampleFormat> format_from_name(std::string_view name);  // also accepts "cfile", "fc32", "s8"...
const char* sigmf_datatype(SampleFormat f);            // "cu8", "ci8", "ci16_le", "cf32_le"
std::optional<SampleFormat> format_from_sigmf_datatype(std::string_view datatype);  // also "ci8_le", "cu8_le"
// Format implied by a file name's extension, case-insensitive: .cu8 .cs8 .cs16 .cf32 .fc32 .cfile;
// nullopt for anything else (.bin .dat .raw .iq say nothing about the format: give --format).
std::optional<SampleFormat> format_from_extension(std::string_view path);

// Conversions over contiguous spans; `raw` holds count*bytes_per_sample bytes.
void convert_to_cf32(SampleFormat f, const std::uint8_t* raw, std::size_t count, cf32* out);
// Rounds half away from zero and saturates for the integer formats, NaN gives the code nearest 0
// (cu8: 128). The synthesizer's 8-bit quantization goes through here.
void convert_from_cf32(SampleFormat f, const cf32* in, std::size_t count, std::uint8_t* raw);

}  // namespace tw
