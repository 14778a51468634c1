// Raw IQ file writer (see iq_file_writer.hpp).
#include "hw/iq_file_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw {
namespace {
constexpr std::size_t kChunkSamples = 1u << 15;
std::string in_quotes(const std::string& s) { return "'" + s + "'"; }
}  // namespace

IqFileWriter::IqFileWriter(const std::string& path, SampleFormat f) : path_(path), format_(f) {
  if (path.empty()) throw InputError("no output IQ file given");
  struct stat st {};
  const bool direct = ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
  if (direct && S_ISDIR(st.st_mode)) throw InputError("cannot write IQ file " + in_quotes(path) + ": it is a folder");
  if (!direct) temp_path_ = path + ".part";
  const std::string& open_path = direct ? path_ : temp_path_;
  const int flags = direct ? (O_WRONLY | O_CLOEXEC) : (O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
  fd_ = ::open(open_path.c_str(), flags, 0666);
  if (fd_ < 0) throw InputError("cannot create IQ file " + in_quotes(open_path) + ": " + std::strerror(errno));
  buffer_.resize(kChunkSamples * bytes_per_sample(f));
}

IqFileWriter::~IqFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!closed_ && !failed_ && !temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    log::warn("IQ file " + in_quotes(path_) + " was not finished (writer not closed): its partial data was removed");
  }
}

void IqFileWriter::fail(const std::string& what, int err) {
  failed_ = true;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
  throw RuntimeFailure(what + " IQ file " + in_quotes(path_) + ": " + std::strerror(err) +
                       (temp_path_.empty() ? "" : " (nothing was kept)"));
}

void IqFileWriter::write_all(const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", errno);
    }
    if (n == 0) fail("cannot write", ENOSPC);
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void IqFileWriter::write(std::span<const cf32> samples) {
  if (failed_) throw RuntimeFailure("IQ file " + in_quotes(path_) + ": writing after an earlier failure");
  if (closed_) throw RuntimeFailure("IQ file " + in_quotes(path_) + ": writing after close()");
  const std::size_t bps = bytes_per_sample(format_);
  for (std::size_t done = 0; done < samples.size();) {
    const std::size_t n = std::min(samples.size() - done, kChunkSamples);
    convert_from_cf32(format_, samples.data() + done, n, buffer_.data());
    write_all(buffer_.data(), n * bps);
    done += n;
    samples_written_ += n;
  }
}

void IqFileWriter::close() {
  if (closed_) return;
  if (failed_) throw RuntimeFailure("IQ file " + in_quotes(path_) + ": closing after an earlier failure");
  if (!temp_path_.empty() && ::fsync(fd_) != 0 && errno != EINVAL) fail("cannot flush", errno);
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 && errno != EINTR) fail("cannot close", errno);
  if (!temp_path_.empty() && std::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("cannot rename into", errno);
  closed_ = true;
}

}  // namespace tw
