// Recorded IQ files as an IqSource: raw files (cu8 cs8 cs16 cf32) and SigMF recordings, streamed in
// blocks (never loaded whole: a 50 GB file streams like a small one). Regular files only.
//
// Sample format, first that applies:
//   1. --format (options.format); a SigMF core:datatype that disagrees is an error, an extension that
//      disagrees gives a warning (the option wins);
//   2. SigMF core:datatype;
//   3. the extension: .cu8 .cs8 .cs16 .cf32 .fc32 .cfile (.bin .dat .raw .iq and others need --format).
// Sample rate and centre frequency come from SigMF, the options (--rate/--freq) and the file name:
//   - SigMF and an option that differ by more than 1e-6 (relative) are an error naming the file and both;
//   - a name token is a guess: SigMF or an option wins over it, with a warning when they differ by more
//     than 1e-6;
//   - no rate from anywhere is an error naming the file and saying to give --rate.
// Name tokens (parse_capture_name): the file name without its extension, split on '_':
//   <x>MHz <x>GHz <x>kHz          centre frequency (gr-gsm: GSMSP_..._941.0MHz_128.cfile; the trailing
//                                 decimation number gives no rate: 64e6/N is not a convention we can know)
//   <x>sps <x>ksps <x>Msps        sample rate
//   f<MHz> with s<Msps>           both (LTE-Cell-Scanner style: f2360_s1.92_bw1.2_1s_hackrf.bin); taken only
//                                 when both tokens are present (a lone "s1" or "f2" means too little)
//   <x>k <x>M <x>G (no unit)      rtl_433 style (g001_433.92M_250k.cu8): with two such values the larger is
//                                 the frequency and the smaller the rate; a single one fills whichever of
//                                 frequency/rate the labelled tokens left open, or, when both are open, is a
//                                 rate if <= 61.44 MHz (the fastest common SDR rate) and a frequency if
//                                 >= 100 MHz (in between it is ambiguous and ignored); three or more: ignored
//   gqrx_<date>_<time>_<freqHz>_<rateHz>_fc   gqrx recordings
//   Anything else (plain numbers, "bw1.2", "1s") is ignored; conflicting tokens of one kind are ignored.
//   Rates must lie in (0, 250 MHz] to be taken from a name. '.' never separates tokens: "signal.1.92M.dat"
//   yields nothing.
// Byte layout: [skip_bytes][SigMF header_bytes][sample_start samples skipped][samples...][trailing bytes].
// A trailing partial sample is dropped with one warning; NaN/Inf samples (cf32) become 0, counted, with one
// warning naming the first sample index.
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hw/iq_source.hpp"
#include "hw/sample_format.hpp"

namespace tw {

struct IqFileOptions {
  std::string path;                         // data file, or a .sigmf-meta / .sigmf-data / basename.sigmf
  std::optional<SampleFormat> format;       // --format; else from SigMF datatype or the extension
  std::optional<double> sample_rate_hz;     // --rate
  std::optional<double> center_freq_hz;     // --freq
  std::uint64_t skip_bytes = 0;             // --skip-bytes N: a header before the samples (e.g. 128 bytes)
};

// What a capture's file name says (see the rules above). Only the file name part of `path` is used.
struct CaptureNameHints {
  std::optional<double> sample_rate_hz;
  std::optional<double> center_freq_hz;
};
CaptureNameHints parse_capture_name(std::string_view path);

struct StdioFileCloser {
  void operator()(std::FILE* f) const;
};

class IqFileSource final : public IqSource {
 public:
  explicit IqFileSource(const IqFileOptions& options);   // throws tw::InputError naming the file
  ~IqFileSource() override;
  IqFileSource(const IqFileSource&) = delete;
  IqFileSource& operator=(const IqFileSource&) = delete;

  const StreamInfo& info() const override { return info_; }
  ReadResult read(std::span<cf32> out) override;
  // Reads only the wanted ranges (one pread each, converted and NaN-checked like read()); the rest of `out`
  // is left as it was, and NaN/Inf samples there are neither replaced nor counted.
  ReadResult read_sparse(std::span<cf32> out, std::span<const SampleRange> wanted) override;
  void retune(double center_freq_hz) override;   // throws InputError("cannot retune a file")
  const GapStats& gap_stats() const override { return gaps_; }
  std::uint64_t sample_counter() const override { return delivered_; }

  SampleFormat format() const { return format_; }
  const std::string& data_path() const { return data_path_; }
  std::uint64_t data_offset() const { return data_begin_; }         // byte offset of the first sample
  std::uint64_t total_samples() const { return total_samples_; }    // samples the stream will deliver
  std::uint64_t dropped_trailing_bytes() const { return trailing_; }  // partial sample at the end
  std::uint64_t non_finite_samples() const { return non_finite_; }    // NaN/Inf samples replaced by 0

 private:
  std::size_t fill(cf32* out, std::size_t n);
  void check_finite(cf32* p, std::size_t n, std::uint64_t first_sample);

  StreamInfo info_;
  GapStats gaps_;
  SampleFormat format_ = SampleFormat::cf32;
  std::string data_path_;
  std::unique_ptr<std::FILE, StdioFileCloser> file_;
  std::uint64_t data_begin_ = 0;
  std::uint64_t total_samples_ = 0;
  std::uint64_t trailing_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t non_finite_ = 0;
  std::vector<std::uint8_t> raw_;   // reusable read buffer (integer formats)
  bool seek_before_read_ = false;   // read_sparse moved on without moving the stdio stream
};

std::unique_ptr<IqFileSource> open_iq_file_source(const IqFileOptions& options);
std::unique_ptr<IqSource> open_iq_file(const IqFileOptions& options);   // throws tw::InputError naming the file

}  // namespace tw
