// Writes complex float samples to a raw IQ file (cu8 cs8 cs16 cf32), rounding and saturating for the
// integer formats (convert_from_cf32).
//
// A regular file is written under "<path>.part" and renamed to <path> by close(), so <path> never holds a
// half-written recording. A destroyed writer that was not closed (an exception unwound past it) removes its
// .part file with a warning. Existing non-regular targets (a FIFO, /dev/null) are written directly.
// Errors: tw::InputError when the file cannot be created (bad folder, permission), tw::RuntimeFailure when a
// write, flush or rename fails (disk full), both naming the file; after a failure the writer is unusable.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hw/iq_source.hpp"
#include "hw/sample_format.hpp"

namespace tw {

class IqFileWriter {
 public:
  IqFileWriter(const std::string& path, SampleFormat f);
  ~IqFileWriter();
  IqFileWriter(const IqFileWriter&) = delete;
  IqFileWriter& operator=(const IqFileWriter&) = delete;

  void write(std::span<const cf32> samples);
  void close();   // flush, sync, rename into place; idempotent once it succeeded

  std::uint64_t samples_written() const { return samples_written_; }
  const std::string& path() const { return path_; }
  SampleFormat format() const { return format_; }

 private:
  void fail(const std::string& what, int err);
  void write_all(const std::uint8_t* data, std::size_t size);

  std::string path_;
  std::string temp_path_;   // empty when writing directly
  SampleFormat format_;
  int fd_ = -1;
  bool closed_ = false;
  bool failed_ = false;
  std::uint64_t samples_written_ = 0;
  std::vector<std::uint8_t> buffer_;   // reusable conversion buffer
};

}  // namespace tw
