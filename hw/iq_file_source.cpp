// Recorded IQ files as an IqSource (see iq_file_source.hpp for the rules).
#include "hw/iq_file_source.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "hw/sigmf.hpp"
#include "src/core/error.hpp"
#include "src/core/log.hpp"

namespace tw {
namespace {

constexpr std::size_t kChunkSamples = 1u << 16;   // per fread
constexpr double kMaxNameRate = 250e6;
constexpr double kMaxPlainRate = 61.44e6;
constexpr double kMinPlainFreq = 100e6;
constexpr double kTolerance = 1e-6;

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

bool agree(double a, double b) { return std::fabs(a - b) <= kTolerance * std::max(std::fabs(a), std::fabs(b)); }

// "941.0" "1.92" "20070204": digits with at most one '.', digits on both sides of it.
std::optional<double> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 24) return std::nullopt;
  bool dot = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (dot || i == 0 || i + 1 == s.size()) return std::nullopt;
      dot = true;
    } else if (s[i] < '0' || s[i] > '9') {
      return std::nullopt;
    }
  }
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::optional<double> si_multiplier(char c, bool case_insensitive) {
  if (c == 'k' || c == 'K') return 1e3;
  if (c == 'M' || (case_insensitive && c == 'm')) return 1e6;
  if (c == 'G' || (case_insensitive && c == 'g')) return 1e9;
  return std::nullopt;
}

bool iends_with(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// "<x>[kMG]<unit>" with the unit already removed: value in base units.
std::optional<double> parse_prefixed(std::string_view body) {
  if (body.empty()) return std::nullopt;
  double mult = 1.0;
  if (auto m = si_multiplier(body.back(), true)) {
    mult = *m;
    body.remove_suffix(1);
  }
  const auto v = parse_decimal(body);
  if (!v) return std::nullopt;
  return *v * mult;
}

// Collects the values of one kind of token; two different values make the kind ambiguous.
struct Slot {
  std::optional<double> value;
  bool conflict = false;
  void add(double v) {
    if (value && !agree(*value, v)) conflict = true;
    value = v;
  }
  std::optional<double> get() const { return conflict ? std::nullopt : value; }
};

std::string_view file_stem(std::string_view path) {
  const auto slash = path.find_last_of('/');
  std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = file.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) file = file.substr(0, dot);
  return file;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const auto next = s.find(sep, pos);
    const auto end = next == std::string_view::npos ? s.size() : next;
    out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// SigMF rate/freq vs option vs file name (see the header for the rule).
std::optional<double> resolve(const char* what, const char* option, std::optional<double> from_option,
                              std::optional<double> from_sigmf, std::optional<double> from_name,
                              const std::string& file) {
  if (from_option && from_sigmf && !agree(*from_option, *from_sigmf))
    throw InputError("IQ file " + in_quotes(file) + ": " + option + " " + num(*from_option) + " contradicts the " +
                     what + " in its SigMF metadata (" + num(*from_sigmf) + ")");
  const auto given = from_option ? from_option : from_sigmf;
  if (given && from_name && !agree(*given, *from_name))
    log::warn_once("IQ file " + in_quotes(file) + ": the file name suggests a " + what + " of " + num(*from_name) +
              " Hz; using " + num(*given) + " Hz from " + (from_option ? option : "the SigMF metadata"));
  return given ? given : from_name;
}

}  // namespace

void StdioFileCloser::operator()(std::FILE* f) const {
  if (f) std::fclose(f);
}

CaptureNameHints parse_capture_name(std::string_view path) {
  CaptureNameHints hints;
  std::string_view stem = file_stem(path);
  if (iends_with(stem, ".sigmf")) stem.remove_suffix(6);
  const auto tokens = split(stem, '_');

  // gqrx: gqrx_YYYYMMDD_HHMMSS_<freq Hz>_<rate Hz>_fc
  if (tokens.size() == 6 && tokens[0] == "gqrx" && tokens[5] == "fc") {
    const auto f = parse_decimal(tokens[3]);
    const auto r = parse_decimal(tokens[4]);
    if (f && r && *f > 0 && *r > 0 && *r <= kMaxNameRate) {
      hints.center_freq_hz = *f;
      hints.sample_rate_hz = *r;
    }
    return hints;
  }

  Slot freq_label, rate_label, f_token, s_token;
  std::vector<double> plain;
  for (std::string_view t : tokens) {
    if (t.empty()) continue;
    if (iends_with(t, "hz")) {
      if (auto v = parse_prefixed(t.substr(0, t.size() - 2))) freq_label.add(*v);
      continue;
    }
    if (iends_with(t, "sps")) {
      if (auto v = parse_prefixed(t.substr(0, t.size() - 3))) rate_label.add(*v);
      continue;
    }
    if (t.size() > 1 && (t[0] == 'f' || t[0] == 'F')) {
      if (auto v = parse_decimal(t.substr(1))) f_token.add(*v * 1e6);
      continue;
    }
    if (t.size() > 1 && (t[0] == 's' || t[0] == 'S')) {
      if (auto v = parse_decimal(t.substr(1))) s_token.add(*v * 1e6);
      continue;
    }
    if (auto m = si_multiplier(t.back(), false)) {
      if (auto v = parse_decimal(t.substr(0, t.size() - 1))) {
        const double x = *v * *m;
        if (std::none_of(plain.begin(), plain.end(), [&](double p) { return agree(p, x); })) plain.push_back(x);
      }
    }
  }

  auto freq = freq_label.get();
  auto rate = rate_label.get();
  if (f_token.get() && s_token.get()) {
    if (!freq) freq = f_token.get();
    if (!rate) rate = s_token.get();
  }
  if (plain.size() == 2 && !freq && !rate) {
    freq = std::max(plain[0], plain[1]);
    rate = std::min(plain[0], plain[1]);
  } else if (plain.size() == 1) {
    const double v = plain[0];
    if (freq && !rate) rate = v;
    else if (rate && !freq) freq = v;
    else if (!freq && !rate) {
      if (v <= kMaxPlainRate) rate = v;
      else if (v >= kMinPlainFreq) freq = v;
    }
  }
  if (rate && (*rate <= 0 || *rate > kMaxNameRate)) rate.reset();
  if (freq && *freq <= 0) freq.reset();
  hints.sample_rate_hz = rate;
  hints.center_freq_hz = freq;
  return hints;
}

IqFileSource::~IqFileSource() = default;

IqFileSource::IqFileSource(const IqFileOptions& o) {
  if (o.path.empty()) throw InputError("no IQ file given");
  const std::string& file = o.path;
  info_.description = o.path;
  info_.device_driver = "file";

  if (o.sample_rate_hz && !(std::isfinite(*o.sample_rate_hz) && *o.sample_rate_hz > 0))
    throw InputError("IQ file " + in_quotes(file) + ": --rate must be a positive number of samples per second");
  if (o.center_freq_hz && !(std::isfinite(*o.center_freq_hz) && *o.center_freq_hz > 0))
    throw InputError("IQ file " + in_quotes(file) + ": --freq must be a positive frequency in Hz");

  const std::optional<SigmfLocation> sig = locate_sigmf(o.path);
  data_path_ = sig ? sig->data_path : o.path;

  file_.reset(std::fopen(data_path_.c_str(), "rb"));
  if (!file_) throw InputError("cannot open IQ file " + in_quotes(data_path_) + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fileno(file_.get()), &st) != 0)
    throw InputError("cannot read IQ file " + in_quotes(data_path_) + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    throw InputError("IQ file " + in_quotes(data_path_) + " is not a regular file (pipes and devices are not read)");
  const auto file_size = static_cast<std::uint64_t>(st.st_size);

  // ---- sample format ----
  const auto from_ext = sig ? std::nullopt : format_from_extension(data_path_);
  if (o.format) {
    format_ = *o.format;
    if (sig && sig->meta.format != *o.format)
      throw InputError("IQ file " + in_quotes(file) + ": --format " + format_name(*o.format) +
                       " contradicts its SigMF core:datatype " + in_quotes(sig->meta.datatype));
    if (from_ext && *from_ext != *o.format)
      log::warn_once("IQ file " + in_quotes(file) + ": the extension says " + format_name(*from_ext) + "; reading it as " +
                format_name(*o.format) + " as --format says");
  } else if (sig) {
    format_ = sig->meta.format;
  } else if (from_ext) {
    format_ = *from_ext;
  } else {
    throw InputError("IQ file " + in_quotes(file) +
                     ": the sample format is unknown from its name; give it with --format cu8|cs8|cs16|cf32");
  }
  const std::uint64_t bps = bytes_per_sample(format_);

  // ---- byte range of the samples ----
  if (file_size == 0) throw InputError("IQ file " + in_quotes(data_path_) + " is empty");
  std::uint64_t begin = sig ? sig->data_offset : 0;
  std::uint64_t end = (sig && sig->data_size) ? begin + *sig->data_size : file_size;
  std::uint64_t skip = o.skip_bytes;
  const std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  if (sig) {
    if (sig->meta.sample_start > kMax / bps) throw InputError("IQ file " + in_quotes(file) + ": core:sample_start too large");
    const std::uint64_t extra = sig->meta.header_bytes;
    const std::uint64_t start = sig->meta.sample_start * bps;
    if (extra > kMax - skip || start > kMax - skip - extra)
      throw InputError("IQ file " + in_quotes(file) + ": header and sample_start run past any file");
    skip += extra + start;
    if (sig->meta.trailing_bytes > end - begin)
      throw InputError("IQ file " + in_quotes(file) + ": core:trailing_bytes is larger than the data");
    end -= sig->meta.trailing_bytes;
  }
  if (skip >= end - begin)
    throw InputError("IQ file " + in_quotes(data_path_) + " holds nothing after the " + std::to_string(skip) +
                     " bytes skipped (the data is " + std::to_string(end - begin) + " bytes)");
  begin += skip;
  const std::uint64_t avail = end - begin;
  total_samples_ = avail / bps;
  trailing_ = avail % bps;
  if (sig && sig->meta.sample_count && *sig->meta.sample_count < total_samples_) {
    total_samples_ = *sig->meta.sample_count;
    trailing_ = 0;
  }
  if (total_samples_ == 0)
    throw InputError("IQ file " + in_quotes(data_path_) + " holds no whole " + format_name(format_) + " sample (" +
                     std::to_string(avail) + " bytes after the " + std::to_string(skip) + " skipped)");
  if (trailing_)
    log::warn_once("IQ file " + in_quotes(data_path_) + ": the last " + std::to_string(trailing_) +
              " bytes are not a whole " + format_name(format_) + " sample and are dropped");
  if (sig && sig->meta.capture_count > 1)
    log::warn_once("IQ file " + in_quotes(file) + ": SigMF metadata has " + std::to_string(sig->meta.capture_count) +
              " captures; reading only the first (" + std::to_string(total_samples_) + " samples)");
  data_begin_ = begin;
  if (begin > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) ||
      fseeko(file_.get(), static_cast<off_t>(begin), SEEK_SET) != 0)
    throw InputError("cannot seek to byte " + std::to_string(begin) + " of IQ file " + in_quotes(data_path_));

  // ---- sample rate and centre frequency ----
  const CaptureNameHints name = parse_capture_name(data_path_);
  const auto rate = resolve("sample rate", "--rate", o.sample_rate_hz, sig ? sig->meta.sample_rate_hz : std::nullopt,
                            name.sample_rate_hz, file);
  if (!rate)
    throw InputError("IQ file " + in_quotes(file) +
                     ": the sample rate is unknown (not in SigMF metadata nor the file name); give it with --rate, "
                     "e.g. --rate 1.92M");
  const auto freq = resolve("centre frequency", "--freq", o.center_freq_hz,
                            sig ? sig->meta.center_freq_hz : std::nullopt, name.center_freq_hz, file);
  info_.sample_rate_hz = *rate;
  info_.center_freq_known = freq.has_value();
  info_.center_freq_hz = freq.value_or(0.0);

  if (format_ != SampleFormat::cf32 || std::endian::native != std::endian::little)
    raw_.resize(kChunkSamples * bps);
}

namespace {
// True when no component is NaN or infinite (exponent bits all ones), tested on the bit patterns in one
// branch-free pass (vectorised); the slow per-sample repair below runs only on a block that needs it.
bool all_finite(const cf32* p, std::size_t n) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < 2 * n; ++i) {
    std::uint32_t v;
    std::memcpy(&v, u + 4 * i, 4);
    bad |= static_cast<std::uint32_t>((v & 0x7f800000u) == 0x7f800000u);
  }
  return bad == 0;
}
}  // namespace

void IqFileSource::check_finite(cf32* p, std::size_t n, std::uint64_t first_sample) {
  if (format_ != SampleFormat::cf32 || all_finite(p, n)) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(p[i].real()) || !std::isfinite(p[i].imag())) {
      if (non_finite_ == 0)
        log::warn_once("IQ file " + in_quotes(data_path_) + ": NaN/Inf samples replaced by 0 (first at sample " +
                       std::to_string(first_sample + i) + ")");
      ++non_finite_;
      p[i] = cf32(0.0f, 0.0f);
    }
  }
}

std::size_t IqFileSource::fill(cf32* out, std::size_t n) {
  const std::size_t bps = bytes_per_sample(format_);
  if (seek_before_read_) {
    const std::uint64_t at = data_begin_ + delivered_ * bps;
    if (at > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) ||
        fseeko(file_.get(), static_cast<off_t>(at), SEEK_SET) != 0)
      throw RuntimeFailure("cannot seek to byte " + std::to_string(at) + " of IQ file " + in_quotes(data_path_));
    seek_before_read_ = false;
  }
  const bool direct = raw_.empty();   // cf32 on a little-endian host: read straight into the caller's buffer
  std::size_t done = 0;
  while (done < n) {
    const std::size_t want = std::min(n - done, kChunkSamples);
    std::uint8_t* dst = direct ? reinterpret_cast<std::uint8_t*>(out + done) : raw_.data();
    const std::size_t got_bytes = std::fread(dst, 1, want * bps, file_.get());
    const std::size_t got = got_bytes / bps;
    if (!direct) convert_to_cf32(format_, raw_.data(), got, out + done);
    check_finite(out + done, got, delivered_ + done);
    done += got;
    if (got < want) {
      if (std::ferror(file_.get()))
        throw RuntimeFailure("read error in IQ file " + in_quotes(data_path_) + ": " + std::strerror(errno));
      log::warn("IQ file " + in_quotes(data_path_) + " ended early (it shrank while being read): " +
                std::to_string(delivered_ + done) + " samples instead of " + std::to_string(total_samples_));
      total_samples_ = delivered_ + done;
      break;
    }
  }
  return done;
}

ReadResult IqFileSource::read(std::span<cf32> out) {
  ReadResult r;
  r.first_sample = delivered_;
  const std::uint64_t left = total_samples_ - delivered_;
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), left));
  if (n > 0) r.count = fill(out.data(), n);
  delivered_ += r.count;
  r.end_of_stream = delivered_ >= total_samples_;
  return r;
}

ReadResult IqFileSource::read_sparse(std::span<cf32> out, std::span<const SampleRange> wanted) {
  ReadResult r;
  r.first_sample = delivered_;
  const std::uint64_t left = total_samples_ - delivered_;
  const std::size_t bps = bytes_per_sample(format_);
  const bool direct = raw_.empty();
  const int fd = fileno(file_.get());
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), left));
  for (const SampleRange& w : wanted) {
    const std::size_t lo = std::min(w.first, n), hi = std::min(w.last, n);
    for (std::size_t at = lo; at < hi;) {
      const std::size_t want = std::min(hi - at, kChunkSamples);
      std::uint8_t* dst = direct ? reinterpret_cast<std::uint8_t*>(out.data() + at) : raw_.data();
      const std::uint64_t offset = data_begin_ + (delivered_ + at) * bps;
      std::size_t got_bytes = 0;
      while (got_bytes < want * bps) {
        const ssize_t g = pread(fd, dst + got_bytes, want * bps - got_bytes, static_cast<off_t>(offset + got_bytes));
        if (g < 0 && errno == EINTR) continue;
        if (g < 0) throw RuntimeFailure("read error in IQ file " + in_quotes(data_path_) + ": " + std::strerror(errno));
        if (g == 0) break;
        got_bytes += static_cast<std::size_t>(g);
      }
      if (got_bytes < want * bps) {   // as fill(): the stream ends where the file now ends
        const std::size_t got = got_bytes / bps;
        if (!direct) convert_to_cf32(format_, raw_.data(), got, out.data() + at);
        check_finite(out.data() + at, got, delivered_ + at);
        n = at + got;
        log::warn("IQ file " + in_quotes(data_path_) + " ended early (it shrank while being read): " +
                  std::to_string(delivered_ + n) + " samples instead of " + std::to_string(total_samples_));
        total_samples_ = delivered_ + n;
        break;
      }
      if (!direct) convert_to_cf32(format_, raw_.data(), want, out.data() + at);
      check_finite(out.data() + at, want, delivered_ + at);
      at += want;
    }
  }
  seek_before_read_ = true;
  r.count = n;
  delivered_ += n;
  r.end_of_stream = delivered_ >= total_samples_;
  return r;
}

void IqFileSource::retune(double center_freq_hz) {
  throw InputError("cannot retune a file (" + info_.description + ", asked for " + num(center_freq_hz) + " Hz)");
}

std::unique_ptr<IqFileSource> open_iq_file_source(const IqFileOptions& options) {
  return std::make_unique<IqFileSource>(options);
}

std::unique_ptr<IqSource> open_iq_file(const IqFileOptions& options) { return open_iq_file_source(options); }

}  // namespace tw
