// One interface for every stream of complex baseband samples: IQ files, SoapySDR devices (real or the
// simulated radio). Everything after hw/ sees only this.
#pragma once
#include <complex>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tw {

using cf32 = std::complex<float>;

struct StreamInfo {
  double sample_rate_hz = 0.0;
  double center_freq_hz = 0.0;   // 0 when unknown (a file with no frequency given)
  bool center_freq_known = false;
  std::string description;       // file path or device args, for messages
  std::string device_serial;     // calibration is stored per serial; empty for files
  std::string device_driver;     // "file", "rtlsdr", "hackrf", "towerwatch-sim", ...
  double ppm_correction = 0.0;   // applied by the source (device tuning), 0 for files
};

// Result of one read(). Samples are numbered from 0 at stream start; the counter never goes back.
// When samples were lost before this block (overflow, dropped USB transfer), gap_samples says how many
// and the counter has already skipped them: first_sample = previous first_sample + previous count + gap.
struct ReadResult {
  std::size_t count = 0;         // samples written to the caller's buffer
  std::uint64_t first_sample = 0;
  std::uint64_t gap_samples = 0; // samples lost right before this block (0: contiguous)
  bool gap = false;              // a loss happened before this block (gap_samples may be 0 if unknown)
  bool end_of_stream = false;    // no more samples will come (file end, device stopped)
};

struct GapStats {
  std::uint64_t gaps = 0;            // number of loss events
  std::uint64_t lost_samples = 0;    // total samples known to be lost
  std::uint64_t timeouts = 0;        // reads that returned nothing in time (device sources)
};

// Samples [first, last) of a block, numbered from the block's first sample.
struct SampleRange {
  std::size_t first = 0, last = 0;
};

class IqSource {
 public:
  virtual ~IqSource() = default;
  virtual const StreamInfo& info() const = 0;

  // Fill up to out.size() samples. Blocks until data is there, the stream ends, or (devices) a timeout;
  // a timeout returns count 0 without end_of_stream. Throws tw::RuntimeFailure if the device vanished.
  virtual ReadResult read(std::span<cf32> out) = 0;

  // read() for a caller that looks only at the samples `wanted` of the block (sorted, disjoint ranges within
  // out): the other samples of `out` may be left as they were. The stream advances as with read(). Files read
  // only the wanted ranges from disk (hw/iq_file_source.hpp); the default reads everything.
  virtual ReadResult read_sparse(std::span<cf32> out, std::span<const SampleRange> wanted) {
    (void)wanted;
    return read(out);
  }

  // Retune for sweeps. Sources that cannot retune (files) throw tw::InputError.
  virtual void retune(double center_freq_hz) = 0;

  virtual const GapStats& gap_stats() const = 0;

  // Next sample number read() will deliver (counts gaps too).
  virtual std::uint64_t sample_counter() const = 0;
};

// Up to `wanted` contiguous samples from the source's current position (fewer at the end of the stream): a
// gap breaks the timing a search relies on, so only what follows the last gap is kept. `gaps` (optional)
// counts the gaps met.
std::vector<cf32> read_contiguous(IqSource& source, std::size_t wanted, std::uint64_t* gaps = nullptr);

}  // namespace tw
