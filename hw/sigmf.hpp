// SigMF 1.0 recordings (https://sigmf.org, sigmf-spec.md): metadata reading and writing.
//
// Read: a .sigmf-meta JSON file beside its .sigmf-data, or a .sigmf archive (POSIX tar holding both).
//   global  core:datatype     cu8 | ci8 (also "cu8_le", "ci8_le") | ci16_le | cf32_le; big-endian and real
//                             types are rejected with a clear error (towerwatch needs complex little-endian IQ)
//           core:sample_rate  optional here (the reader then needs --rate)
//           core:num_channels must be 1 if present
//           core:dataset      non-conforming dataset: the data file name (same folder, no '/' allowed)
//           core:trailing_bytes  bytes after the samples that are not samples
//           core:metadata_only true is rejected (no samples)
//   captures[0] core:sample_start (honoured: the samples before it are skipped), core:frequency,
//               core:header_bytes (bytes before the samples of this capture, skipped).
//   Only the first capture is read when there are several: sample_count then ends it at
//   captures[1].core:sample_start (the reader warns that later captures are ignored).
// Write: write_sigmf_meta() produces a SigMF 1.0 (core:version "1.0.0") metadata file.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hw/sample_format.hpp"

namespace tw {

struct SigmfMeta {
  SampleFormat format = SampleFormat::cf32;
  std::string datatype;                        // as written in the file
  std::optional<double> sample_rate_hz;        // global core:sample_rate
  std::optional<double> center_freq_hz;        // captures[0].core:frequency
  std::uint64_t sample_start = 0;              // captures[0].core:sample_start
  std::uint64_t header_bytes = 0;              // captures[0].core:header_bytes
  std::uint64_t trailing_bytes = 0;            // global core:trailing_bytes
  std::optional<std::uint64_t> sample_count;   // samples of the first capture when a second follows
  std::size_t capture_count = 0;               // entries in "captures"
  std::string dataset;                         // global core:dataset, empty when absent
  std::string description;                     // global core:description, empty when absent
};

// Parses metadata text; `source` names the file in error messages. Throws tw::InputError.
SigmfMeta parse_sigmf_meta(std::string_view json_text, const std::string& source);

// Reads and parses a .sigmf-meta file (at most 16 MiB). Throws tw::InputError naming the file.
SigmfMeta read_sigmf_meta(const std::string& meta_path);

// Where the samples of a SigMF recording are, resolved from what the user gave.
struct SigmfLocation {
  std::string meta_path;           // the .sigmf-meta file, or the archive for an archive
  std::string data_path;           // the file holding the samples (the archive itself for an archive)
  std::uint64_t data_offset = 0;   // first byte of the data member (archives), 0 otherwise
  std::optional<std::uint64_t> data_size;  // size of the data member (archives)
  SigmfMeta meta;
};

// Recognises x.sigmf-meta, x.sigmf-data, x.sigmf (an archive file, or the pair x.sigmf-meta/-data when
// no such file exists), a bare basename x when x.sigmf-meta exists, and a raw data file x.ext whose sidecar
// x.sigmf-meta names it in core:dataset (what `towerwatch synth` writes). nullopt: not a SigMF recording.
// Throws tw::InputError when it is one but something is missing or malformed.
std::optional<SigmfLocation> locate_sigmf(const std::string& path);

// Writes a SigMF 1.0 metadata file (temporary file, then renamed). `dataset`: when the samples are not in
// <base>.sigmf-data but in another file of the same folder, its file name (written as core:dataset, a
// SigMF "non-conforming dataset"; the reader then finds the samples from either file). Throws
// tw::InputError for a bad rate/frequency/dataset, tw::RuntimeFailure when the file cannot be written.
void write_sigmf_meta(const std::string& meta_path, SampleFormat format, double sample_rate_hz,
                      std::optional<double> center_freq_hz, const std::string& description,
                      const std::string& dataset = {});

}  // namespace tw
